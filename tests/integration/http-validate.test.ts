import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import { fakeSpreadsheetFromWorkbook, startFakeGoogleApis, type FakeGoogleApis } from '../support/fake-google/index.js';
import { startTokenIssuer, type TokenIssuer } from '../support/google-id-tokens.js';
import { root } from '../support/run-cli.js';

const SCHOOL = 'school-56-002-sheet';
const SECRET = 'local-test-secret-0123456789';
const AUDIENCE = 'https://europe-west1-monitor500.cloudfunctions.net/validate';
const SCHOOL_EMAIL = 'school-56-002@example.ru';
let google: FakeGoogleApis;
let issuer: TokenIssuer;
let dir: string;

beforeAll(async () => {
  google = await startFakeGoogleApis();
  issuer = await startTokenIssuer();
  dir = await mkdtemp(path.join(tmpdir(), 'm500-http-'));
  const workbook = await readXlsxWorkbook(path.join(root, 'examples', 'demo-region', 'schools', '56-002.xlsx'), 20);
  google.put(fakeSpreadsheetFromWorkbook(SCHOOL, workbook, '2026-11-01T10:00:00Z'));
  // The function reads its configuration from the environment on the first call.
  Object.assign(process.env, {
    MONITOR500_HTTP_SECRET: SECRET,
    MONITOR500_HTTP_AUDIENCE: AUDIENCE,
    MONITOR500_STORE: dir,
    MONITOR500_GOOGLE_API_ROOT: google.url,
    MONITOR500_GOOGLE_ACCESS_TOKEN: 'test-token',
    MONITOR500_GOOGLE_CERTS_URL: issuer.certsUrl,
    MONITOR500_HTTP_ALLOWED: JSON.stringify({ [SCHOOL_EMAIL]: [SCHOOL] }),
  });
  await import('../../functions/index.js');
});

afterAll(async () => {
  await google.close();
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
});

const server = () => getTestServer('validate');

describe('HTTP validate', () => {
  it.each([
    ['no credentials', undefined],
    ['a wrong secret', 'Bearer not-the-secret'],
    ['a forged ID token', 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJlbWFpbCI6InNjaG9vbEBleGFtcGxlLnJ1In0.c2lnbmF0dXJl'],
  ])('answers 401 with no details to %s', async (_name, header) => {
    const call = request(server()).post('/').send({ spreadsheet: SCHOOL });
    const response = await (header ? call.set('Authorization', header) : call);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'unauthorized' });
  });

  it('refuses anything but POST', async () => {
    const response = await request(server()).get('/').set('Authorization', `Bearer ${SECRET}`);
    expect(response.status).toBe(405);
  });

  it('checks a school sheet now: findings as JSON and written into the sheet', async () => {
    const response = await request(server())
      .post('/')
      .set('Authorization', `Bearer ${SECRET}`)
      .send({ spreadsheet: `https://docs.google.com/spreadsheets/d/${SCHOOL}/edit#gid=0`, schoolYear: '2026/2027' });
    expect(response.status).toBe(200);
    expect(response.body.kind).toBe('school');
    expect(response.body.schoolYear).toBe('2026/2027');
    const cells = (response.body.issues as { tab: string; cell: string; code: string }[]).map((i) => [
      i.tab,
      i.cell,
      i.code,
    ]);
    expect(cells).toEqual([
      ['Дорожная карта', 'H7', 'not_in_list'],
      ['Дорожная карта', 'I8', 'required'],
    ]);
    const report = google.spreadsheets.get(SCHOOL)!.sheets.find((s) => s.title === 'Проверка');
    expect(report?.rows.slice(1).map((r) => r[1]?.value)).toEqual(['H7', 'I8']);
  });

  it('reads what the school has just typed, though Drive does not show the modification yet', async () => {
    google.setModifiedTimeLag(60_000);
    try {
      const roadmap = google.spreadsheets.get(SCHOOL)!.sheets.find((s) => s.title === 'Дорожная карта')!;
      const typed = roadmap.rows[6]![7]!;
      roadmap.rows[6]![7] = { ...typed, value: 'выполнено' };
      google.touch(SCHOOL);
      const response = await request(server())
        .post('/')
        .set('Authorization', `Bearer ${SECRET}`)
        .send({ spreadsheet: SCHOOL, schoolYear: '2026/2027' });
      expect(response.status).toBe(200);
      const cells = (response.body.issues as { cell: string }[]).map((i) => i.cell);
      expect(cells).not.toContain('H7');
      roadmap.rows[6]![7] = typed;
      google.touch(SCHOOL);
    } finally {
      google.setModifiedTimeLag(0);
    }
  });

  it('asks for a spreadsheet to check', async () => {
    const response = await request(server()).post('/').set('Authorization', `Bearer ${SECRET}`).send({});
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('spreadsheet');
  });

  it("lets a school's Google account check its own sheet, and no other", async () => {
    const token = issuer.token({ aud: AUDIENCE, email: SCHOOL_EMAIL });
    const own = await request(server()).post('/').set('Authorization', `Bearer ${token}`).send({ spreadsheet: SCHOOL });
    expect(own.status).toBe(200);
    expect(own.body.kind).toBe('school');
    const other = await request(server())
      .post('/')
      .set('Authorization', `Bearer ${token}`)
      .send({ spreadsheet: 'registry-sheet-of-the-region' });
    expect(other.status).toBe(403);
    // A token issued for the render function does not open validate.
    const elsewhere = issuer.token({ aud: AUDIENCE.replace('validate', 'render'), email: SCHOOL_EMAIL });
    const refused = await request(server())
      .post('/')
      .set('Authorization', `Bearer ${elsewhere}`)
      .send({ spreadsheet: SCHOOL });
    expect(refused.status).toBe(401);
  });
});
