import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/config.js';

describe('live feedback settings', () => {
  it('defaults: 20 s of quiet, no push channel, 24-hour channels, 30 s of waiting', () => {
    expect(parseConfig({}).live).toEqual({
      quietSeconds: 20,
      notifyUrl: undefined,
      channelSeconds: 24 * 3600,
      waitSeconds: 30,
    });
  });

  it('takes an https notify URL (http only on this machine) and refuses others and out-of-range numbers', () => {
    expect(parseConfig({ MONITOR500_NOTIFY_URL: 'https://example.net/notify' }).live.notifyUrl).toBe(
      'https://example.net/notify',
    );
    expect(parseConfig({ MONITOR500_NOTIFY_URL: 'http://127.0.0.1:8080/' }).live.notifyUrl).toBe(
      'http://127.0.0.1:8080/',
    );
    expect(() => parseConfig({ MONITOR500_NOTIFY_URL: 'http://example.net/notify' })).toThrow(/https/);
    expect(() => parseConfig({ MONITOR500_NOTIFY_URL: 'не адрес' })).toThrow(/MONITOR500_NOTIFY_URL/);
    expect(() => parseConfig({ MONITOR500_LIVE_QUIET_SECONDS: '-1' })).toThrow(/MONITOR500_LIVE_QUIET_SECONDS/);
    expect(() => parseConfig({ MONITOR500_LIVE_CHANNEL_HOURS: '200' })).toThrow(/MONITOR500_LIVE_CHANNEL_HOURS/);
    expect(parseConfig({ MONITOR500_LIVE_QUIET_SECONDS: '5' }).live.quietSeconds).toBe(5);
  });
});
