import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { OAuth2Client } from 'google-auth-library';
import { createGoogleClients } from './adapters/google-clients.js';
import { googleSheetsSource, spreadsheetId } from './adapters/google-sheets-source.js';
import { skipUnchangedWorkbooks } from './adapters/unchanged-workbook-cache.js';
import type { Config } from './config.js';
import { parseSchoolYear, schoolYearContaining } from './core/period.js';
import { readSchoolWorkbook, workbookKind } from './core/read-workbook.js';
import { InfrastructureError } from './errors.js';
import { readRegion } from './read-region.js';
import { monitoringRules } from './monitoring-rules.js';
import { outputStore } from './output-location.js';

/** Who is calling: a holder of the shared secret reaches every workbook, a Google account only its own. */
type Caller = { kind: 'secret' } | { kind: 'google'; email: string };

const idTokens = new OAuth2Client();

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The caller behind the Authorization header, or undefined: a bad or missing credential gets no details. */
async function authenticate(header: string | undefined, config: Config): Promise<Caller | undefined> {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (!token) return undefined;
  if (config.http.secret && sameSecret(token, config.http.secret)) return { kind: 'secret' };
  if (!config.http.audience) return undefined;
  try {
    const ticket = await idTokens.verifyIdToken({ idToken: token, audience: config.http.audience });
    const payload = ticket.getPayload();
    return payload?.email && payload.email_verified ? { kind: 'google', email: payload.email } : undefined;
  } catch {
    return undefined;
  }
}

function mayCheck(caller: Caller, id: string, config: Config): boolean {
  if (caller.kind === 'secret') return true;
  const allowed = config.http.allowed[caller.email] ?? [];
  return allowed.includes('*') || allowed.includes(id);
}

/**
 * HTTP `validate`: a school asks to check its Google spreadsheet now. Answers the findings as JSON
 * (the records of validation.json) and writes them into the sheet, as a run does.
 */
export function validateHandler(config: () => Config) {
  return async (req: Request, res: Response): Promise<void> => {
    if (req.method !== 'POST') {
      res.status(405).set('Allow', 'POST').json({ error: 'Нужен запрос POST.' });
      return;
    }
    const settings = config();
    const caller = await authenticate(req.get('authorization'), settings);
    if (!caller) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as {
      spreadsheet?: unknown;
      schoolYear?: unknown;
    };
    const id = typeof body.spreadsheet === 'string' ? spreadsheetId(body.spreadsheet) : undefined;
    if (!id) {
      res.status(400).json({ error: 'В теле запроса нужен spreadsheet: ID или ссылка Google-таблицы.' });
      return;
    }
    if (!mayCheck(caller, id, settings)) {
      res.status(403).json({ error: 'Эта таблица вам недоступна.' });
      return;
    }
    const schoolYear =
      typeof body.schoolYear === 'string'
        ? parseSchoolYear(body.schoolYear)
        : schoolYearContaining(new Date().toISOString().slice(0, 10));
    if (!schoolYear) {
      res.status(400).json({ error: 'schoolYear записывается так: 2026/2027.' });
      return;
    }
    try {
      const rules = monitoringRules();
      const clients = createGoogleClients(settings.google);
      const source = skipUnchangedWorkbooks(
        googleSheetsSource(id, clients),
        id,
        clients,
        outputStore(settings.http.store, settings),
      );
      const raw = await source.readRegistry();
      const kind = workbookKind(raw, rules.specs);
      const issues =
        kind === 'registry'
          ? (await readRegion({ ...source, readRegistry: async () => raw }, rules)).issues
          : readSchoolWorkbook(raw, rules.specs, rules.settings, schoolYear).issues;
      const own = issues.filter((i) => i.workbook === raw.name);
      await source.writeFeedback?.(raw.name, own);
      res.status(200).json({ workbook: raw.name, kind, issues });
    } catch (error) {
      if (error instanceof InfrastructureError) {
        res.status(502).json({ error: error.message });
        return;
      }
      res.status(500).json({ error: 'Внутренняя ошибка.' });
    }
  };
}
