/** What Google answered when it refused a call: the HTTP status, its status name and its reasons. */
export interface GoogleRefusal {
  status: number | undefined;
  /** Sheets' `error.status`, e.g. PERMISSION_DENIED, FAILED_PRECONDITION, RESOURCE_EXHAUSTED. */
  statusName: string | undefined;
  /** Drive's `error.errors[].reason`, e.g. notFound, rateLimitExceeded, storageQuotaExceeded. */
  reasons: string[];
  message: string;
}

/** Reads Google's error body off a client library error (gaxios), whatever API answered. */
export function googleRefusal(error: unknown): GoogleRefusal {
  const e = error as {
    status?: unknown;
    code?: unknown;
    message?: unknown;
    response?: { status?: unknown; data?: unknown };
  };
  const status = Number(e?.response?.status ?? e?.status ?? (typeof e?.code === 'number' ? e.code : NaN));
  const body = (e?.response?.data as { error?: unknown } | undefined)?.error;
  const details = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const reasons = Array.isArray(details.errors)
    ? details.errors.flatMap((x) =>
        typeof (x as { reason?: unknown }).reason === 'string' ? [(x as { reason: string }).reason] : [],
      )
    : [];
  return {
    status: Number.isFinite(status) ? status : undefined,
    statusName: typeof details.status === 'string' ? details.status : undefined,
    reasons,
    message: typeof details.message === 'string' ? details.message : typeof e?.message === 'string' ? e.message : '',
  };
}

/** Drive's quota answers: 403 (or 429) with one of these reasons. */
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'sharingRateLimitExceeded']);

/** Google asks to slow down: Sheets' 429 RESOURCE_EXHAUSTED, Drive's 403 rateLimitExceeded. */
export function isQuotaRefusal(error: unknown): boolean {
  const refusal = googleRefusal(error);
  return refusal.status === 429 || (refusal.status === 403 && refusal.reasons.some((r) => RATE_REASONS.has(r)));
}
