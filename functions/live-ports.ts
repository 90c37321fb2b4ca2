import type { LiveOptions, LivePorts } from './app/live-feedback.js';
import type { RunStateStore } from './app/ports/run-state-store.js';
import type { Log } from './log.js';

/** What the live-feedback entry points (http-notify.ts, scheduled-live.ts) work with; cloud-entry.ts builds it from the configuration. */
export interface LiveEntryPorts {
  /** The run state's root (`.state/`): the page token, the pending edits, the push channel. */
  state: RunStateStore;
  /** The use case's ports for one call: a fresh source, so Drive is listed anew each call. */
  live: () => LivePorts;
  options: LiveOptions;
  /** Longest wait within one notification for a workbook still inside its quiet period (ms); longer waits are left to the next tick. */
  maxWaitMs: number;
  /** Where Drive posts notifications (MONITOR500_NOTIFY_URL); undefined: no push channel, the tick alone. */
  notifyUrl: string | undefined;
  /** How long a push channel is asked to live, and how long before its end it is renewed. */
  channelSeconds: number;
  renewBeforeSeconds: number;
  /** A fresh unguessable string (channel id, channel token). */
  secret: () => string;
  sleep: (ms: number) => Promise<void>;
  log: Log;
}
