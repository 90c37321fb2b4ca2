export type InfrastructureReason = 'not_found' | 'too_large' | 'unreadable' | 'busy' | 'failed';

/** A failure of something outside our code (file, browser, storage, API): the run cannot go on. */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
  /** Which outside component failed, e.g. "xlsx", "chromium". */
  readonly component: string;
  /**
   * What kind of failure, for callers that treat them differently. 'busy': the outside system
   * asked us to wait (quota) and kept asking past our retries — nothing is wrong with the data,
   * so it is tried again later, never reported as unreadable.
   */
  readonly reason: InfrastructureReason;

  /** `message` is Russian and one line: it is what the user sees. */
  constructor(component: string, message: string, options?: { cause?: unknown; reason?: InfrastructureReason }) {
    super(message, options);
    this.component = component;
    this.reason = options?.reason ?? 'failed';
  }
}

/** A request the program cannot act on (bad flag, missing argument); `message` is Russian. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
