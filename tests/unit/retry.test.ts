import { describe, expect, it, vi } from 'vitest';
import { createRateLimiter, isTransient, withRetry } from '../../functions/adapters/shared/retry.js';

const policy = { retries: 4, baseDelayMs: 100, maxDelayMs: 300 };

function failing(errors: unknown[]) {
  let calls = 0;
  return {
    attempt: async () => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return 'готово';
    },
    calls: () => calls,
  };
}

describe('retries with truncated exponential backoff and jitter', () => {
  it.each([
    [{ response: { status: 429 } }, true],
    [{ response: { status: 503 } }, true],
    [{ code: 500 }, true],
    [{ code: 'ECONNRESET' }, true],
    [{ message: 'socket hang up' }, true],
    [{ cause: { code: 'ETIMEDOUT' } }, true],
    [{ response: { status: 400 } }, false],
    [{ response: { status: 404 } }, false],
    [new Error('ошибка в данных'), false],
  ])('%j is transient: %s', (error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });

  it('waits random, doubling, capped delays between tries and then succeeds', async () => {
    const call = failing([{ response: { status: 429 } }, { response: { status: 500 } }, { code: 'ECONNRESET' }]);
    const delays: number[] = [];
    const result = await withRetry(
      call.attempt,
      policy,
      async (ms) => void delays.push(ms),
      () => 0.999,
    );
    expect(result).toBe('готово');
    expect(call.calls()).toBe(4);
    // caps: 100, 200, then 400 truncated to 300; jitter 0.999 of each
    expect(delays).toEqual([99, 199, 299]);
  });

  it('gives up after the last retry with the last error', async () => {
    const errors = Array.from({ length: 10 }, (_, i) => ({ response: { status: 503 }, attempt: i }));
    const call = failing(errors);
    await expect(withRetry(call.attempt, policy, async () => undefined)).rejects.toMatchObject({ attempt: 4 });
    expect(call.calls()).toBe(5);
  });

  it('does not retry an error that will not go away', async () => {
    const call = failing([{ response: { status: 400 } }]);
    await expect(withRetry(call.attempt, policy, async () => undefined)).rejects.toMatchObject({
      response: { status: 400 },
    });
    expect(call.calls()).toBe(1);
  });
});

describe('rate limiter', () => {
  it('starts at most N calls a minute and at most K at once', async () => {
    vi.useFakeTimers();
    try {
      const limit = createRateLimiter(3, 2);
      let running = 0;
      let peak = 0;
      const started: number[] = [];
      const task = (i: number) =>
        limit(async () => {
          started.push(i);
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          running--;
        });
      const all = [1, 2, 3, 4].map(task);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(started).toEqual([1, 2, 3]); // the 4th waits until a minute has passed since the 1st
      expect(peak).toBe(2);
      await vi.advanceTimersByTimeAsync(56_000);
      expect(started).toEqual([1, 2, 3, 4]);
      await vi.advanceTimersByTimeAsync(2_000);
      await Promise.all(all);
    } finally {
      vi.useRealTimers();
    }
  });
});
