/** How persistently to retry an outside call. */
export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** First backoff, ms; doubles each time, with full jitter. */
  baseDelayMs: number;
  /** Cap of one backoff, ms (truncated exponential backoff). */
  maxDelayMs: number;
}

/** Defaults for Google APIs: https://developers.google.com/sheets/api/limits#exponential */
export const GOOGLE_RETRY: RetryPolicy = { retries: 6, baseDelayMs: 500, maxDelayMs: 32_000 };

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/** True for failures worth another try: quota (429), server errors (5xx), dropped or timed-out connections. */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    status?: unknown;
    code?: unknown;
    response?: { status?: unknown };
    message?: unknown;
    cause?: unknown;
  };
  const status = Number(e.response?.status ?? e.status ?? (typeof e.code === 'number' ? e.code : NaN));
  if (status === 429 || (status >= 500 && status <= 599)) return true;
  if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true;
  if (
    typeof e.message === 'string' &&
    /socket hang up|network timeout|timeout of \d+ms exceeded|aborted/i.test(e.message)
  )
    return true;
  return e.cause !== undefined && e.cause !== error ? isTransient(e.cause) : false;
}

/** Calls `attempt` until it succeeds, the error is not transient, or the retries run out. */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => number = Math.random,
  retryable: (error: unknown) => boolean = isTransient,
): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (failures >= policy.retries || !retryable(error)) throw error;
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** failures);
      await sleep(Math.floor(random() * cap));
    }
  }
}

/** Lets at most `perMinute` calls start in any 60-second window, and at most `concurrent` run at once. */
export function createRateLimiter(perMinute: number, concurrent: number, now: () => number = Date.now) {
  const started: number[] = [];
  let running = 0;
  const queue: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;

  function pump(): void {
    timer = undefined;
    while (queue.length > 0 && running < concurrent) {
      const t = now();
      while (started.length > 0 && t - started[0]! >= 60_000) started.shift();
      if (started.length >= perMinute) {
        timer ??= setTimeout(pump, 60_000 - (t - started[0]!) + 1);
        return;
      }
      started.push(t);
      running++;
      queue.shift()!();
    }
  }

  return async function limited<T>(call: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      queue.push(resolve);
      pump();
    });
    try {
      return await call();
    } finally {
      running--;
      pump();
    }
  };
}

/** True only when Google answered that it did not do it (429, 5xx): safe to retry a call that is not idempotent. */
export function wasRefused(error: unknown): boolean {
  const e = error as { status?: unknown; code?: unknown; response?: { status?: unknown } } | null;
  const status = Number(e?.response?.status ?? e?.status ?? e?.code);
  return status === 429 || (status >= 500 && status <= 599);
}
