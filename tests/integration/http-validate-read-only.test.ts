/**
 * HTTP validate for a sheet the region's service account may only read: the school gets its findings
 * in the answer, and the answer says they could not be written into the sheet and what to do.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import { fakeSpreadsheetFromWorkbook, startFakeGoogleApis, type FakeGoogleApis } from '../support/fake-google/index.js';
import { root } from '../support/run-cli.js';

const SCHOOL = 'school-56-002-read-only';
const SECRET = 'local-test-secret-read-only-0123';
const SERVICE_ACCOUNT = 'monitor500@orenburg.iam.gserviceaccount.com';
let google: FakeGoogleApis;
let dir: string;

beforeAll(async () => {
  google = await startFakeGoogleApis();
  google.addCaller('read-only-token', { email: SERVICE_ACCOUNT, kind: 'serviceAccount' });
  dir = await mkdtemp(path.join(tmpdir(), 'm500-http-ro-'));
  const workbook = await readXlsxWorkbook(path.join(root, 'examples', 'demo-region', 'schools', '56-002.xlsx'), 20);
  google.put(fakeSpreadsheetFromWorkbook(SCHOOL, workbook, '2026-11-01T10:00:00Z'));
  google.share(SCHOOL, SERVICE_ACCOUNT, 'reader');
  // The function reads its configuration from the environment on the first call.
  Object.assign(process.env, {
    MONITOR500_HTTP_SECRET: SECRET,
    MONITOR500_HTTP_AUDIENCE: 'https://europe-west1-monitor500.cloudfunctions.net/validate',
    MONITOR500_STORE: dir,
    MONITOR500_GOOGLE_API_ROOT: google.url,
    MONITOR500_GOOGLE_ACCESS_TOKEN: 'read-only-token',
  });
  await import('../../functions/index.js');
});

afterAll(async () => {
  await google.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HTTP validate of a sheet shared read-only', () => {
  it('answers the findings and says they were not written into the sheet, and why', async () => {
    const response = await request(getTestServer('validate'))
      .post('/')
      .set('Authorization', `Bearer ${SECRET}`)
      .send({ spreadsheet: SCHOOL, schoolYear: '2026/2027' });
    expect(response.status).toBe(200);
    const issues = response.body.issues as { code: string; cell?: string; message: string }[];
    expect(issues.filter((i) => i.cell).map((i) => i.cell)).toEqual(['H7', 'I8']);
    const refused = issues.filter((i) => i.code === 'feedback_not_written');
    expect(refused.map((i) => i.message)).toEqual([
      expect.stringMatching(/^Замечания не записаны в таблицу: .*нет права на редактирование.*«Редактор»/),
    ]);
    expect(google.spreadsheets.get(SCHOOL)!.sheets.some((s) => s.title === 'Проверка')).toBe(false);
  });
});
