/**
 * A municipality's coordinator ("mo:<код МО>" in MONITOR500_HTTP_ALLOWED) through both HTTP
 * functions, as deployed: real signed Google ID tokens (a local certificate server), the demo region
 * as Google spreadsheets in the strict fake Sheets/Drive server (MONITOR500_REGISTRY=sheets:<ID>), PDFs
 * printed by Chromium into a local store. It checks and fetches everything of its municipality
 * (МО-01: schools 56-001 and 56-002), nothing else; a school's account costs no registry read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChromiumPdfRenderer } from '../../functions/adapters/chromium/pdf-renderer.js';
import type { PdfRenderer } from '../../functions/app/ports/pdf-renderer.js';
import { cloudPorts } from '../../functions/cloud-entry.js';
import { parseConfig, type Config } from '../../functions/config.js';
import type { SchoolsRow } from '../../functions/core/tab-types.generated.js';
import { UsageError } from '../../functions/errors.js';
import { mayReach, workbookSubject, type Caller } from '../../functions/http-auth.js';
import { renderHandler } from '../../functions/http-render.js';
import { validateHandler } from '../../functions/http-validate.js';
import { jsonLog } from '../../functions/log.js';
import { demoRegionSheets } from '../support/demo-region-sheets.js';
import { startFakeGoogleApis, type FakeGoogleApis } from '../support/fake-google/index.js';
import { startTokenIssuer, type TokenIssuer } from '../support/google-id-tokens.js';
import { readPdf } from '../support/pdf-text.js';

const REGISTRY_ID = 'registry-region-0001';
const schoolId = (code: string) => `school-${code}-sheet`;
const VALIDATE = 'https://europe-west1-monitor500.cloudfunctions.net/validate';
const RENDER = 'https://europe-west1-monitor500.cloudfunctions.net/render';
const COORDINATOR = 'coordinator@mo-01.example';
const SCHOOL = 'school-56-005@example.ru';
const REFUSED_SHEET = { error: 'Эта таблица вам недоступна.' };
const REFUSED_DOCUMENT = { error: 'Этот документ вам недоступен.' };

let google: FakeGoogleApis;
let issuer: TokenIssuer;
let chromium: PdfRenderer;
let dir: string;
let printed = 0;

beforeAll(async () => {
  [google, issuer] = await Promise.all([startFakeGoogleApis(), startTokenIssuer()]);
  dir = await mkdtemp(path.join(tmpdir(), 'm500-municipal-'));
  const { registry, schools } = await demoRegionSheets(REGISTRY_ID, schoolId);
  google.put(registry);
  for (const spreadsheet of schools.values()) google.put(spreadsheet);
  const env = {
    MONITOR500_STORE: dir,
    MONITOR500_REGISTRY: `sheets:${REGISTRY_ID}`,
    MONITOR500_GOOGLE_API_ROOT: google.url,
    MONITOR500_GOOGLE_ACCESS_TOKEN: 'service-account-token',
    MONITOR500_GOOGLE_REQUESTS_PER_MINUTE: '6000',
    MONITOR500_GOOGLE_CERTS_URL: issuer.certsUrl,
    MONITOR500_HTTP_SECRET: 'municipal-test-secret-0123456789',
    MONITOR500_HTTP_ALLOWED: JSON.stringify({ [COORDINATOR]: ['mo:МО-01'], [SCHOOL]: [schoolId('56-005')] }),
    MONITOR500_RENDER_CONCURRENCY: '2',
  };
  // Each function has its own address, so its own audience, as serverless.yml deploys them.
  const validateConfig = parseConfig({ ...env, MONITOR500_HTTP_AUDIENCE: VALIDATE });
  const renderConfig = parseConfig({ ...env, MONITOR500_HTTP_AUDIENCE: RENDER });
  chromium = createChromiumPdfRenderer({
    executablePath: renderConfig.chromiumPath,
    timeoutMs: renderConfig.renderTimeoutMs,
    concurrency: renderConfig.renderConcurrency,
  });
  const counting: PdfRenderer = {
    render: async (html) => {
      printed += 1;
      return chromium.render(html);
    },
    close: async () => {},
  };
  const ports = { ...cloudPorts(renderConfig), renderer: () => counting, log: jsonLog(() => {}) };
  functions.http(
    'validate',
    validateHandler(
      () => validateConfig,
      () => {},
      // A fixed day in the demo calendar's промежуточный stage (deadline 20 January 2027).
      { now: () => new Date('2026-11-20T09:00:00Z') },
    ),
  );
  functions.http(
    'render',
    renderHandler(
      () => renderConfig,
      () => ports,
    ),
  );
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all([google?.close(), issuer?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const bearer = (audience: string, email: string) => `Bearer ${issuer.token({ aud: audience, email })}`;
/** A call to validate; `null`: without an Authorization header. */
const validate = (spreadsheet: string, authorization: string | null = bearer(VALIDATE, COORDINATOR)) => {
  const call = request(getTestServer('validate')).post('/').send({ spreadsheet, schoolYear: '2026/2027' });
  return authorization ? call.set('Authorization', authorization) : call;
};
const render = (document: string, authorization: string | null = bearer(RENDER, COORDINATOR)) => {
  const call = request(getTestServer('render')).post('/').send({ document, asOf: '2026-11-20' }).responseType('blob');
  return authorization ? call.set('Authorization', authorization) : call;
};
/** The JSON answer of a call read as a blob (render answers PDFs). */
const json = (response: request.Response) =>
  JSON.parse(Buffer.from(response.body as Buffer).toString('utf8')) as unknown;
/** What the fake Google was asked while `act` ran, by spreadsheet or Drive file ID ('' for listings). */
async function googleCalls(act: () => Promise<unknown>): Promise<string[]> {
  const before = google.requests.length;
  await act();
  return google.requests.slice(before).map((r) => r.spreadsheetId ?? '');
}

describe('a caller without valid credentials', () => {
  it.each([
    ['no token', () => null],
    ['a forged token', (aud: string) => `Bearer ${issuer.forged({ aud, email: COORDINATOR })}`],
  ])('gets 401 with %s, before anything is read', async (_name, header) => {
    const calls = await googleCalls(async () => {
      const checked = await validate(schoolId('56-001'), header(VALIDATE));
      expect(checked.status).toBe(401);
      expect(checked.body).toEqual({ error: 'unauthorized' });
      const fetched = await render('reports/schools/56-001.pdf', header(RENDER));
      expect(fetched.status).toBe(401);
      expect(json(fetched)).toEqual({ error: 'unauthorized' });
    });
    expect(calls).toEqual([]);
  });

  it("gets 401 with a coordinator's token for the other function", async () => {
    expect((await validate(schoolId('56-001'), bearer(RENDER, COORDINATOR))).status).toBe(401);
    expect((await render('reports/schools/56-001.pdf', bearer(VALIDATE, COORDINATOR))).status).toBe(401);
  });
});

describe('validate for a municipal coordinator', () => {
  it('checks the spreadsheets of the schools of its municipality, by ID or link', async () => {
    const own = await validate(schoolId('56-001'));
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.kind).toBe('school');
    const byLink = await validate(`https://docs.google.com/spreadsheets/d/${schoolId('56-002')}/edit#gid=0`);
    expect(byLink.status, JSON.stringify(byLink.body)).toBe(200);
    expect(byLink.body.kind).toBe('school');
    // The findings went into the school's sheet, as for the school itself.
    expect(google.spreadsheets.get(schoolId('56-002'))!.sheets.some((s) => s.title === 'Проверка')).toBe(true);
  });

  it.each([
    ['a school of another municipality', schoolId('56-005')],
    ['the registry', REGISTRY_ID],
    ['a spreadsheet the registry does not name', 'school-99-999-sheet'],
  ])('refuses %s with 403, without reading or writing it', async (_name, id) => {
    // The registry was edited since it was last read, so looking a spreadsheet up in it reads it.
    google.touch(REGISTRY_ID);
    const calls = await googleCalls(async () => {
      const response = await validate(id);
      expect(response.status).toBe(403);
      expect(response.body).toEqual(REFUSED_SHEET);
    });
    // Only the registry was read (and Drive's listing of what changed, '').
    expect(calls).toContain(REGISTRY_ID);
    expect(calls.filter((c) => c !== '' && c !== REGISTRY_ID)).toEqual([]);
  });

  it("decides a school's own account without the registry, and refuses it another school as before", async () => {
    const own = schoolId('56-005');
    google.touch(REGISTRY_ID);
    const calls = await googleCalls(async () => {
      const response = await validate(own, bearer(VALIDATE, SCHOOL));
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    });
    // The school's own sheet was read first; the registry only after it, for the status line above the findings.
    const others = calls.filter((c) => c !== '');
    expect(others[0]).toBe(own);
    expect(others.filter((c) => c !== own && c !== REGISTRY_ID)).toEqual([]);
    const refused = await googleCalls(async () => {
      const response = await validate(schoolId('56-001'), bearer(VALIDATE, SCHOOL));
      expect(response.status).toBe(403);
      expect(response.body).toEqual(REFUSED_SHEET);
    });
    expect(refused).toEqual([]);
  });

  it("keeps a school's submission status above its findings, as the scheduled run writes it", async () => {
    const own = schoolId('56-005');
    expect((await validate(own, bearer(VALIDATE, SCHOOL))).status).toBe(200);
    const feedback = google.spreadsheets.get(own)!.sheets.find((s) => s.title === 'Проверка')!;
    const rows = feedback.rows.map((row) => row.map((c) => c.value));
    // The status block from the registry's row of the school and its stage calendar.
    expect(rows[0]?.[0]).toBe('Статус сдачи');
    expect(rows[1]).toEqual(['Этап', 'промежуточный, срок сдачи — 20 января 2027\u00a0г.']);
    expect(rows.some((r) => r[0] === 'Лист' && r[1] === 'Заполнен' && r[2] === 'Ошибок')).toBe(true);
    // …and the findings table under it.
    expect(rows.some((r) => r[0] === 'Лист' && r[1] === 'Ячейка')).toBe(true);
  });
});

describe('render for a municipal coordinator', () => {
  it("prints the report of a school of its municipality and the municipality's own report", async () => {
    const school = await render('reports/schools/56-001.pdf');
    expect(school.status).toBe(200);
    expect(school.type).toBe('application/pdf');
    const schoolPdf = await readPdf(new Uint8Array(school.body as Buffer));
    expect(schoolPdf.text).toContain('56-001');
    const municipal = await render('reports/municipalities/МО-01.pdf');
    expect(municipal.status).toBe(200);
    expect(municipal.type).toBe('application/pdf');
    const municipalPdf = await readPdf(new Uint8Array(municipal.body as Buffer));
    expect(municipalPdf.text).toContain('Пономарёвский');
  });

  it.each([
    ['the report of a school of another municipality', 'reports/schools/56-005.pdf'],
    ["another municipality's report", 'reports/municipalities/МО-02.pdf'],
    ["the region's report", 'reports/region.pdf'],
    ['the stage report', 'reports/stage.pdf'],
    ['an order', 'orders/working-group.pdf'],
  ])('refuses %s with 403, printing nothing', async (_name, document) => {
    const before = printed;
    const calls = await googleCalls(async () => {
      const response = await render(document);
      expect(response.status).toBe(403);
      expect(json(response)).toEqual(REFUSED_DOCUMENT);
    });
    expect(printed).toBe(before);
    // At most the registry was read to know the school; no school's workbook was.
    expect(calls.filter((c) => c !== '' && c !== REGISTRY_ID)).toEqual([]);
  });
});

describe('the rule (http-auth.ts mayReach) and its configuration', () => {
  const config = (allowed: object): Config => parseConfig({ MONITOR500_HTTP_ALLOWED: JSON.stringify(allowed) });
  const coordinator: Caller = { kind: 'google', email: COORDINATOR };
  const row = (code: string, municipalityCode: string, workbook: string) =>
    ({ code, municipalityCode, workbook }) as SchoolsRow;

  it('reaches a workbook shared by schools of two municipalities only with both', () => {
    const schools = [row('56-101', 'МО-01', 'shared-sheet-0001'), row('56-201', 'МО-02', 'shared-sheet-0001')];
    const subject = workbookSubject('shared-sheet-0001', schools, REGISTRY_ID);
    expect(mayReach(coordinator, subject, config({ [COORDINATOR]: ['mo:МО-01'] }))).toBe(false);
    expect(mayReach(coordinator, subject, config({ [COORDINATOR]: ['mo:МО-01', 'mo:МО-02'] }))).toBe(true);
  });

  it('never takes the registry for a school workbook, whatever a row says', () => {
    const schools = [row('56-101', 'МО-01', `https://docs.google.com/spreadsheets/d/${REGISTRY_ID}/edit`)];
    const subject = workbookSubject(REGISTRY_ID, schools, REGISTRY_ID);
    expect(mayReach(coordinator, subject, config({ [COORDINATOR]: ['mo:МО-01'] }))).toBe(false);
    expect(mayReach(coordinator, subject, config({ [COORDINATOR]: ['*'] }))).toBe(true);
  });

  it.each(['mo:', 'mo: МО-01', 'mo:МО 01', 'mo:../region', 'mo:.hidden'])(
    'rejects the malformed entry «%s» with a Russian message',
    (entry) => {
      expect(() => config({ [COORDINATOR]: [entry] })).toThrow(UsageError);
      expect(() => config({ [COORDINATOR]: [entry] })).toThrow(/после «mo:» нужен код МО/);
    },
  );

  it('names the entry forms when the allow-list is not JSON of lists', () => {
    expect(() => config({ [COORDINATOR]: 'mo:МО-01' })).toThrow(/"mo:код МО"/);
  });
});
