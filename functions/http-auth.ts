import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { OAuth2Client } from 'google-auth-library';
import { spreadsheetId } from './adapters/google/sheets-source.js';
import type { Config } from './config.js';
import type { SchoolsRow } from './core/tab-types.generated.js';

/** Who is calling: a holder of the shared secret reaches everything, a Google account what the allow-list gives it (`mayReach`). */
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

/** Whether a secret given by a caller is the expected one, compared in constant time. */
export function sameSecret(given: string, expected: string): boolean {
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

/**
 * What a call asks for, as access sees it:
 * - `region`: what is the region's as a whole — its report, the stage report, the orders;
 * - `municipality`: a municipality's own document (its report), by «Код МО»;
 * - `workbook`: a Google spreadsheet to check, or a school's report known by the school's workbook —
 *   `id` is the spreadsheet's ID (or the reference as the registry writes it), `municipalities` the
 *   «Код МО» of every school whose «Таблица школы» it is (empty: not looked up, or no school's).
 */
export type Subject =
  | { level: 'region' }
  | { level: 'municipality'; code: string }
  | { level: 'workbook'; id: string | undefined; municipalities: readonly string[] };

/** The allow-list entries of a caller, by kind. */
interface Grants {
  /** "*": the whole region. */
  all: boolean;
  /** Spreadsheet IDs (or registry references), each reaching that workbook and its school's report. */
  workbooks: Set<string>;
  /** "mo:<код МО>": each reaching the municipality's report and its schools' workbooks and reports. */
  municipalities: Set<string>;
}

const MUNICIPALITY = 'mo:';

/** What the allow-list (MONITOR500_HTTP_ALLOWED, checked by config.ts) gives a Google account; the shared secret reaches all. */
function grantsOf(caller: Caller, config: Config): Grants {
  if (caller.kind === 'secret') return { all: true, workbooks: new Set(), municipalities: new Set() };
  const entries = config.http.allowed[caller.email] ?? [];
  return {
    all: entries.includes('*'),
    workbooks: new Set(entries.filter((e) => e !== '*' && !e.startsWith(MUNICIPALITY))),
    municipalities: new Set(entries.filter((e) => e.startsWith(MUNICIPALITY)).map((e) => e.slice(MUNICIPALITY.length))),
  };
}

/**
 * Whether the caller may reach `subject`, the one rule of both HTTP functions: the shared secret
 * and "*" reach everything; a spreadsheet ID reaches that workbook (and the report of the school
 * it belongs to); "mo:<код МО>" reaches that municipality's report and every workbook all of whose
 * schools are of that municipality (a workbook the registry gives to two municipalities needs both).
 * The region's own documents need "*". Pure: who belongs where is in `subject`.
 */
export function mayReach(caller: Caller, subject: Subject, config: Config): boolean {
  const grants = grantsOf(caller, config);
  if (grants.all) return true;
  switch (subject.level) {
    case 'region':
      return false;
    case 'municipality':
      return grants.municipalities.has(subject.code);
    case 'workbook':
      return (
        (subject.id !== undefined && grants.workbooks.has(subject.id)) ||
        (subject.municipalities.length > 0 && subject.municipalities.every((m) => grants.municipalities.has(m)))
      );
  }
}

/**
 * Whether refusing the caller the workbook `id` may depend on the registry: the caller has an
 * "mo:" entry and nothing that reaches `id` directly. Only then does `validate` read the registry
 * (a school's account or "*" costs no read).
 */
export function needsRegistry(caller: Caller, id: string, config: Config): boolean {
  return (
    grantsOf(caller, config).municipalities.size > 0 &&
    !mayReach(caller, { level: 'workbook', id, municipalities: [] }, config)
  );
}

/** A workbook as access knows it: the Google spreadsheet ID, or the reference as the registry writes it. */
export function workbookId(reference: string): string {
  return spreadsheetId(reference) ?? reference.trim();
}

/** A school's report as access sees it: the school's workbook and municipality. */
export function schoolSubject(school: SchoolsRow): Subject {
  return {
    level: 'workbook',
    id: school.workbook ? workbookId(school.workbook) : undefined,
    municipalities: [school.municipalityCode],
  };
}

/**
 * The spreadsheet `id` as access sees it, from the registry's schools: the municipalities of the
 * schools whose «Таблица школы» it is. The registry itself (`registryId`) is no school's workbook,
 * whatever a row may say, so it is reached only by its ID or "*".
 */
export function workbookSubject(id: string, schools: readonly SchoolsRow[], registryId: string | undefined): Subject {
  const municipalities =
    id === registryId
      ? []
      : [...new Set(schools.filter((s) => s.workbook && workbookId(s.workbook) === id).map((s) => s.municipalityCode))];
  return { level: 'workbook', id, municipalities };
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
