import { describe, expect, it, vi } from 'vitest';
import { createGoogleClients } from '../../functions/adapters/google/clients.js';

/**
 * Google counts a user's Sheets reads, Sheets writes and Drive requests against three separate
 * quotas; each has its own limiter in an instance, so Drive's change feed and file list never take
 * the Sheets budget, and a full read budget does not hold back the write of findings.
 */
describe('one limiter per Google quota', () => {
  it('Sheets reads, Sheets writes and Drive calls each start within their own budget a minute', async () => {
    vi.useFakeTimers();
    try {
      const { limit } = createGoogleClients({
        apiRoot: 'http://127.0.0.1:9',
        accessToken: 'test-token',
        requestsPerMinute: 1,
        driveRequestsPerMinute: 3,
        concurrency: 4,
        timeoutMs: 1000,
      });
      const started: string[] = [];
      const call = (budget: keyof typeof limit, name: string) => limit[budget](async () => void started.push(name));
      const all = [
        call('sheets-read', 'чтение 1'),
        call('sheets-read', 'чтение 2'),
        call('sheets-write', 'запись 1'),
        call('drive', 'Drive 1'),
        call('drive', 'Drive 2'),
        call('drive', 'Drive 3'),
        call('drive', 'Drive 4'),
      ];
      await vi.advanceTimersByTimeAsync(1_000);
      expect(started.sort()).toEqual(['Drive 1', 'Drive 2', 'Drive 3', 'запись 1', 'чтение 1']);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(started).toContain('чтение 2');
      expect(started).toContain('Drive 4');
      await Promise.all(all);
    } finally {
      vi.useRealTimers();
    }
  });
});
