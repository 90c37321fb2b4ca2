import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { OAuth2Client } from 'google-auth-library';
import type { Config } from './config.js';

/** Who is calling: a holder of the shared secret reaches every workbook, a Google account what the allow-list gives it. */
export type Caller = { kind: 'secret' } | { kind: 'google'; email: string };

/** Google ID-token verifiers by certificate URL: one per process keeps Google's certificates cached. */
const verifiers = new Map<string, OAuth2Client>();

function verifier(certsUrl: string | undefined): OAuth2Client {
  const key = certsUrl ?? '';
  let client = verifiers.get(key);
  if (!client) {
    client = new OAuth2Client(certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: certsUrl } } : {});
    verifiers.set(key, client);
  }
  return client;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The caller behind an Authorization header, or undefined: a missing, malformed, expired or forged
 * credential, a token for another audience or from another issuer. Callers get no details why.
 */
async function authenticate(header: string | undefined, config: Config): Promise<Caller | undefined> {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (!token) return undefined;
  if (config.http.secret && sameSecret(token, config.http.secret)) return { kind: 'secret' };
  if (!config.http.audience) return undefined;
  try {
    // Checks the signature against Google's certificates, expiry, audience and issuer (accounts.google.com).
    const ticket = await verifier(config.http.certsUrl).verifyIdToken({
      idToken: token,
      audience: config.http.audience,
    });
    const payload = ticket.getPayload();
    return payload?.email && payload.email_verified ? { kind: 'google', email: payload.email } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the caller may reach the Google spreadsheet `id`; `undefined` asks for the whole region ("*"). */
export function mayReach(caller: Caller, id: string | undefined, config: Config): boolean {
  if (caller.kind === 'secret') return true;
  const allowed = config.http.allowed[caller.email] ?? [];
  return allowed.includes('*') || (id !== undefined && allowed.includes(id));
}

/**
 * The caller and JSON body of a POST, or undefined when the request was answered already: 401 with
 * no details to a caller without valid credentials (checked first, so strangers learn nothing),
 * 405 to any other method.
 */
export async function acceptCall(
  req: Request,
  res: Response,
  config: Config,
): Promise<{ caller: Caller; body: Record<string, unknown> } | undefined> {
  const caller = await authenticate(req.get('authorization'), config);
  if (!caller) {
    res.status(401).json({ error: 'unauthorized' });
    return undefined;
  }
  if (req.method !== 'POST') {
    res.status(405).set('Allow', 'POST').json({ error: 'Нужен запрос POST.' });
    return undefined;
  }
  const body = req.body as unknown;
  return {
    caller,
    body: typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {},
  };
}
