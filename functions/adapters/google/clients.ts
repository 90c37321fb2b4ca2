import { drive } from '@googleapis/drive';
import { sheets } from '@googleapis/sheets';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import type { GoogleClients } from './sheets-source.js';
import { createRateLimiter, GOOGLE_RETRY } from '../shared/retry.js';

/** How to reach Google's APIs. */
export interface GoogleSettings {
  /** Another API root (a local test server); Google's own when undefined. */
  apiRoot: string | undefined;
  /** A ready OAuth access token (local use); otherwise Application Default Credentials or a service account. */
  accessToken: string | undefined;
  requestsPerMinute: number;
  concurrency: number;
  timeoutMs: number;
  /** Drive folder (in a shared drive, for a service account) where `template --google` creates spreadsheets. */
  folder?: string | undefined;
}

const SCOPES = ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/drive'];

/**
 * One limiter per process for each setting: every call of an instance, whichever invocation makes
 * it, counts against the same per-instance share of Google's quota (see serverless.yml).
 */
const limiters = new Map<string, ReturnType<typeof createRateLimiter>>();
function processLimiter(perMinute: number, concurrency: number): ReturnType<typeof createRateLimiter> {
  const key = `${perMinute}/${concurrency}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = createRateLimiter(perMinute, concurrency);
    limiters.set(key, limiter);
  }
  return limiter;
}

/** Authenticated Sheets and Drive clients sharing one quota limiter; our retry replaces the library's. */
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
    limit: processLimiter(settings.requestsPerMinute, settings.concurrency),
    retry: GOOGLE_RETRY,
  };
}
