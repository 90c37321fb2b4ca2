import { drive } from '@googleapis/drive';
import { sheets } from '@googleapis/sheets';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import type { GoogleBudget, GoogleClients } from './sheets-source.js';
import { createRateLimiter, GOOGLE_RETRY } from '../shared/retry.js';

/** How to reach Google's APIs. */
export interface GoogleSettings {
  /** Another API root (a local test server); Google's own when undefined. */
  apiRoot: string | undefined;
  /** A ready OAuth access token (local use); otherwise Application Default Credentials or a service account. */
  accessToken: string | undefined;
  /** Sheets API calls an instance starts a minute: reads and writes each (Google counts them apart). */
  requestsPerMinute: number;
  /** Drive API calls an instance starts a minute (Drive's quota is its own and far larger). */
  driveRequestsPerMinute: number;
  concurrency: number;
  timeoutMs: number;
  /** Drive folder (in a shared drive, for a service account) where `template --google` creates spreadsheets. */
  folder?: string | undefined;
}

const SCOPES = ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/drive'];

/**
 * One limiter per process for each quota and setting: every call of an instance, whichever
 * invocation makes it, counts against the same per-instance share of that quota (see serverless.yml).
 */
const limiters = new Map<string, ReturnType<typeof createRateLimiter>>();
function processLimiter(
  budget: GoogleBudget,
  perMinute: number,
  concurrency: number,
): ReturnType<typeof createRateLimiter> {
  const key = `${budget}/${perMinute}/${concurrency}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = createRateLimiter(perMinute, concurrency);
    limiters.set(key, limiter);
  }
  return limiter;
}

/** Authenticated Sheets and Drive clients with a limiter per quota; our retry replaces the library's. */
export function createGoogleClients(settings: GoogleSettings): GoogleClients {
  let auth: OAuth2Client | GoogleAuth;
  if (settings.accessToken) {
    const client = new OAuth2Client();
    client.setCredentials({ access_token: settings.accessToken });
    auth = client;
  } else {
    auth = new GoogleAuth({ scopes: SCOPES });
  }
  // The library retries only some methods; retrying every call in one place keeps writes safe and counted.
  const common = {
    auth,
    retry: false,
    timeout: settings.timeoutMs,
    ...(settings.apiRoot ? { rootUrl: settings.apiRoot } : {}),
  };
  return {
    sheets: sheets({ version: 'v4', ...common }),
    drive: drive({ version: 'v3', ...common }),
    limit: {
      'sheets-read': processLimiter('sheets-read', settings.requestsPerMinute, settings.concurrency),
      'sheets-write': processLimiter('sheets-write', settings.requestsPerMinute, settings.concurrency),
      drive: processLimiter('drive', settings.driveRequestsPerMinute, settings.concurrency),
    },
    retry: GOOGLE_RETRY,
    layouts: new Map(),
  };
}
