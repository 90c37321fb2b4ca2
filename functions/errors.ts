/** A failure of something outside our code (file, browser, storage, API): the run cannot go on. */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
  /** Which outside component failed, e.g. "xlsx", "chromium". */
  readonly component: string;
  /** What kind of failure, for callers that treat them differently. */
  readonly reason: 'not_found' | 'too_large' | 'unreadable' | 'failed';

  /** `message` is Russian and one line: it is what the user sees. */
  constructor(
    component: string,
    message: string,
    options?: { cause?: unknown; reason?: 'not_found' | 'too_large' | 'unreadable' | 'failed' },
  ) {
    super(message, options);
    this.component = component;
    this.reason = options?.reason ?? 'failed';
  }
}

/** A request the program cannot act on (bad flag, missing argument); `message` is Russian. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
