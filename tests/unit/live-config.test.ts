import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/config.js';

describe('live feedback settings', () => {
  it('defaults: 20 s of quiet, no push channel, 24-hour channels, waiting at most the quiet period', () => {
    expect(parseConfig({}).live).toEqual({
      quietSeconds: 20,
      notifyUrl: undefined,
      channelSeconds: 24 * 3600,
      waitSeconds: 20,
    });
  });

  it('never lets notify wait longer than the quiet period: a sheet falling due meanwhile would wait behind it', () => {
    expect(
      parseConfig({ MONITOR500_LIVE_QUIET_SECONDS: '15', MONITOR500_LIVE_WAIT_SECONDS: '40' }).live.waitSeconds,
    ).toBe(15);
    expect(
      parseConfig({ MONITOR500_LIVE_QUIET_SECONDS: '30', MONITOR500_LIVE_WAIT_SECONDS: '10' }).live.waitSeconds,
    ).toBe(10);
    expect(parseConfig({ MONITOR500_LIVE_QUIET_SECONDS: '45' }).live.waitSeconds).toBe(45);
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
