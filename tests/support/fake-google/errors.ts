/** Errors in Google's JSON shape, with Google's wording and limits. */
import type { Refusal } from '../google-discovery-validator.js';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
};
const REASONS: Record<number, string> = {
  400: 'badRequest',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  429: 'rateLimitExceeded',
  500: 'backendError',
  503: 'backendError',
};

interface ErrorDetail {
  /** Drive: errors[0].reason (default by code). */
  reason?: string;
  location?: string;
  locationType?: string;
  /** Drive: errors[0].domain (default 'global'). */
  domain?: string;
  /** Sheets: status other than the code's usual one (e.g. FAILED_PRECONDITION with 400). */
  status?: string;
  /** Sheets: google.rpc.Status details. */
  details?: unknown[];
}

/**
 * An error in the API's own shape. Sheets (ESF): `{ error: { code, message, status, details? } }`.
 * Drive (Apiary): `{ error: { errors: [{ domain, reason, message, locationType?, location? }], code, message } }`.
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly detail: ErrorDetail = {},
  ) {
    super(message);
  }

  body(api: 'sheets' | 'drive'): { error: Record<string, unknown> } {
    if (api === 'sheets') {
      return {
        error: {
          code: this.code,
          message: this.message,
          status: this.detail.status ?? STATUS_NAMES[this.code] ?? 'UNKNOWN',
          ...(this.detail.details ? { details: this.detail.details } : {}),
        },
      };
    }
    return {
      error: {
        errors: [
          {
            domain: this.detail.domain ?? 'global',
            reason: this.detail.reason ?? REASONS[this.code] ?? 'unknown',
            message: this.message,
            ...(this.detail.locationType ? { locationType: this.detail.locationType } : {}),
            ...(this.detail.location ? { location: this.detail.location } : {}),
          },
        ],
        code: this.code,
        message: this.message,
      },
    };
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const fromRefusal = (r: Refusal) =>
  new ApiError(r.code, r.message, {
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.location ? { location: r.location } : {}),
    ...(r.locationType ? { locationType: r.locationType } : {}),
    ...(r.domain ? { domain: r.domain } : {}),
    ...(r.details ? { details: r.details } : {}),
  });

export const PROJECT = 'project_number:000000000000';
export const CELL_LIMIT = 50_000;
export const CELL_LIMIT_MESSAGE = `Your input contains more than the maximum of ${CELL_LIMIT} characters in a single cell.`;
/** Google's front end refuses a request body over 10 MiB (`Request payload size exceeds the limit: 10485760 bytes.`). */
export const PAYLOAD_LIMIT = 10_485_760;
export const PROTECTED_MESSAGE =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

export function faultError(status: 429 | 500 | 503, api: 'sheets' | 'drive'): ApiError {
  if (status === 429) {
    const service = api === 'sheets' ? 'sheets.googleapis.com' : 'drive.googleapis.com';
    return new ApiError(
      429,
      `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service '${service}' for consumer '${PROJECT}'.`,
    );
  }
  return status === 500
    ? new ApiError(500, 'Internal error encountered.')
    : new ApiError(503, 'The service is currently unavailable.');
}

export const NO_PERMISSION = 'The caller does not have permission';

/** Drive's 404 for a file the caller cannot see (or that does not exist). */
export const notFound = (id: string) =>
  new ApiError(404, `File not found: ${id}.`, { reason: 'notFound', location: 'fileId', locationType: 'parameter' });

/** Creating a file with no storage to hold it: a service account outside a shared drive. */
export const storageRefusal = (api: 'sheets' | 'drive') =>
  api === 'sheets'
    ? new ApiError(403, "The user's Drive storage quota has been exceeded.")
    : new ApiError(
        403,
        'Service Accounts do not have storage quota. Leverage shared drives (https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth delegation (http://support.google.com/a/answer/7281227) instead.',
        { reason: 'storageQuotaExceeded', domain: 'usageLimits' },
      );
