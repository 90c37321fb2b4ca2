/** Google's per-minute quota: one count for the project (or one per caller), refused as Sheets and Drive refuse. */
import { ApiError, PROJECT } from './errors.js';
import type { FakeState } from './state.js';
import type { Caller } from './types.js';

function sheetsQuotaError(kind: 'read' | 'write', perUser: boolean): ApiError {
  const metric = kind === 'read' ? 'Read requests' : 'Write requests';
  const limit = `${metric} per minute${perUser ? ' per user' : ''}`;
  return new ApiError(
    429,
    `Quota exceeded for quota metric '${metric}' and limit '${limit}' of service 'sheets.googleapis.com' for consumer '${PROJECT}'.`,
    {
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: {
            service: 'sheets.googleapis.com',
            consumer: 'projects/000000000000',
            quota_metric: `sheets.googleapis.com/${kind}_requests`,
            quota_limit: `${kind === 'read' ? 'Read' : 'Write'}RequestsPerMinute${perUser ? 'PerUser' : 'PerProject'}`,
          },
        },
      ],
    },
  );
}

/** Counts a request against the quota set with setQuota, or refuses it when the window is used up. */
export function chargeQuota(state: FakeState, api: 'sheets' | 'drive', kind: 'read' | 'write', caller: Caller): void {
  const { quota } = state;
  if (!quota) return;
  const key = `${api}|${quota.perUser ? caller.token : 'project'}`;
  const now = Date.now();
  let use = state.quotaUse.get(key);
  if (!use || now - use.start >= quota.windowMs) {
    use = { start: now, read: 0, write: 0 };
    state.quotaUse.set(key, use);
  }
  const limit = kind === 'read' ? quota.readsPerWindow : quota.writesPerWindow;
  if (use[kind] >= limit) {
    if (api === 'sheets') throw sheetsQuotaError(kind, quota.perUser === true);
    throw quota.perUser
      ? new ApiError(403, 'User Rate Limit Exceeded', { reason: 'userRateLimitExceeded', domain: 'usageLimits' })
      : new ApiError(403, 'Rate Limit Exceeded', { reason: 'rateLimitExceeded', domain: 'usageLimits' });
  }
  use[kind]++;
}
