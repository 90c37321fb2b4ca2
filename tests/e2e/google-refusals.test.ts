/**
 * First contact with Google as it really answers, through the strict fake: a region whose sheets
 * are shared read-only, not shared, removed, uploaded as Excel, protected or kept in a shared drive,
 * read by the region's service account. One school's trouble is that school's finding; the run
 * completes for everyone; Google's quota is waited out.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import {
  startFakeGoogleApis,
  XLSX_MIME,
  type FakeGoogleApis,
  type FakeSpreadsheet,
} from '../support/fake-google/index.js';
import { demoRegionSheets } from '../support/demo-region-sheets.js';
import { readPdf } from '../support/pdf-text.js';
import { runCli } from '../support/run-cli.js';

const REGISTRY_ID = 'registry-region-0001';
const SERVICE_ACCOUNT = 'monitor500@orenburg-project.iam.gserviceaccount.com';
const TOKEN = 'service-account-token';
const CODES = ['56-001', '56-002', '56-005', '56-006', '56-008', '56-011'];
const schoolId = (code: string) => `school-${code}-sheet`;

let google: FakeGoogleApis;
let dir: string;
/** The region as spreadsheets, before any run: each test lays out its own copy. */
const originals = new Map<string, FakeSpreadsheet>();

const env = (extra: Record<string, string> = {}) => ({
  MONITOR500_GOOGLE_API_ROOT: google.url,
  MONITOR500_GOOGLE_ACCESS_TOKEN: TOKEN,
  MONITOR500_GOOGLE_REQUESTS_PER_MINUTE: '6000',
  ...extra,
});
const run = (out: string, extra: Record<string, string> = {}) =>
  runCli(['run', '--source', `sheets:${REGISTRY_ID}`, '--out', out, '--as-of', '2026-11-20'], env(extra));
const readJson = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;
const findings = async (out: string) =>
  (await readJson<{ issues: ValidationIssue[] }>(path.join(out, 'validation.json'))).issues;
/** The finding on the registry's «Таблица школы» cell of a school. */
const onSchoolCell = (issues: ValidationIssue[], code: string) =>
  issues.filter((i) => i.column === 'Таблица школы' && i.message.includes(` ${code}`));

/** Puts the whole region back as it was, every file (but `unshared`) shared with the service account as writer. */
function layOut(unshared: string[] = []): void {
  google.spreadsheets.clear();
  for (const [code, spreadsheet] of originals) {
    google.put(structuredClone(spreadsheet));
    if (!unshared.includes(code)) google.share(spreadsheet.id, SERVICE_ACCOUNT, 'writer');
  }
}

beforeAll(async () => {
  google = await startFakeGoogleApis();
  google.addCaller(TOKEN, { email: SERVICE_ACCOUNT, kind: 'serviceAccount' });
  dir = await mkdtemp(path.join(tmpdir(), 'm500-google-refusals-'));
  const { registry, schools } = await demoRegionSheets(REGISTRY_ID, schoolId);
  for (const [code, spreadsheet] of schools) originals.set(code, spreadsheet);
  originals.set('registry', registry);
});

afterAll(async () => {
  await google.close();
  await rm(dir, { recursive: true, force: true });
});

describe('one school’s trouble with Google is that school’s finding', () => {
  it('reads, reports and prints the region when sheets are read-only, unshared, removed, Excel, protected or in a shared drive', async () => {
    layOut(['56-008']);
    // 56-001: removed. 56-002: shared read-only. 56-006: an Excel file uploaded to Drive. 56-008: not shared.
    google.spreadsheets.delete(schoolId('56-001'));
    google.share(schoolId('56-002'), SERVICE_ACCOUNT, 'reader');
    google.put({ ...structuredClone(originals.get('56-006')!), mimeType: XLSX_MIME });
    google.share(schoolId('56-006'), SERVICE_ACCOUNT, 'writer');
    // 56-005: the school protected the roadmap's deadlines (E5 has a finding) from everyone but itself.
    const roadmap = google.spreadsheets.get(schoolId('56-005'))!.sheets.find((s) => s.title === 'Дорожная карта')!;
    const roadmapId = roadmap.sheetId;
    roadmap.protectedRanges = [
      {
        protectedRangeId: 7,
        range: { sheetId: roadmapId, startRowIndex: 4, endRowIndex: 9, startColumnIndex: 4, endColumnIndex: 5 },
        editors: { users: ['zavuch@school.ru'] },
      },
    ];
    // 56-011: kept in the region's shared drive, with the school's own tab «проверка».
    google.addSharedDrive('drive-orenburg', 'Мониторинг 500+', { [SERVICE_ACCOUNT]: 'writer' });
    const inDrive = { ...structuredClone(originals.get('56-011')!), driveId: 'drive-orenburg' };
    inDrive.sheets.push({ sheetId: 900, title: 'проверка', rows: [[{ value: 'наши заметки' }]] });
    google.spreadsheets.delete(schoolId('56-011'));
    google.put(inDrive);

    const out = path.join(dir, 'first');
    const result = await run(out);
    expect(result.code, result.stderr).toBe(0);
    const issues = await findings(out);
    const said = (code: string) => onSchoolCell(issues, code).map((i) => `${i.code}: ${i.message}`);
    expect(said('56-001')).toEqual([expect.stringMatching(/^workbook_unreadable: .*не найдена: она удалена/)]);
    expect(said('56-008')).toEqual([
      expect.stringMatching(/^workbook_unreadable: .*нет доступа: откройте её сервисному аккаунту/),
    ]);
    expect(said('56-006')).toEqual([expect.stringMatching(/^workbook_unreadable: .*не Google-таблица, а файл/)]);
    expect(said('56-002')).toEqual([
      expect.stringMatching(/^feedback_not_written: .*нет права на редактирование.*Данные школы прочитаны и учтены/),
    ]);
    expect(said('56-005')).toEqual([]);
    expect(said('56-011')).toEqual([]);
    // Read despite everything: 56-002 (read-only) and 56-011 (shared drive) have their own findings.
    expect(issues.some((i) => i.workbook === schoolId('56-002') && i.cell === 'H7')).toBe(true);
    expect(issues.some((i) => i.workbook === schoolId('56-011') && i.cell === 'E4')).toBe(true);
    // Every document printed, the manifest written: the run completed for everyone.
    const manifest = await readJson<{ documents: { path: string }[] }>(path.join(out, 'manifest.json'));
    expect(manifest.documents.filter((d) => d.path.startsWith('reports/schools/')).length).toBe(CODES.length);

    // The registry's «Проверка» lists the schools whose workbooks refused, with what to do.
    const registryTab = google.spreadsheets.get(REGISTRY_ID)!.sheets.find((s) => s.title === 'Проверка')!;
    const listed = registryTab.rows.map((r) => r.map((c) => c.value).join(' | ')).join('\n');
    expect(listed).toContain('Замечания не записаны в таблицу школы 56-002');
    expect(listed).toContain('Таблица школы 56-008 не прочитана');
    // Nothing was written into the read-only sheet; the protected cell kept no note, the rest got theirs.
    expect(google.spreadsheets.get(schoolId('56-002'))!.sheets.some((s) => s.title === 'Проверка')).toBe(false);
    // So its report lists its findings; a school whose sheet took them is sent to its «Проверка».
    const reportText = async (code: string) =>
      (await readPdf(await readFile(path.join(out, 'reports', 'schools', `${code}.pdf`)))).text;
    const refused = await reportText('56-002');
    expect(refused).toContain('(перечень — ниже)');
    expect(refused).toContain('Значения «выполнен» нет в списке');
    expect(refused).not.toContain('Проверка');
    expect(await reportText('56-005')).toContain('(перечень — на листе «Проверка» таблицы школы)');
    const protectedCell = roadmap.rows[4]?.[4];
    const after = google.spreadsheets.get(schoolId('56-005'))!.sheets.find((s) => s.title === 'Дорожная карта')!;
    expect(after.rows[4]?.[4]?.note ?? '').toBe(protectedCell?.note ?? '');
    expect(google.spreadsheets.get(schoolId('56-005'))!.sheets.some((s) => s.title === 'Проверка')).toBe(true);
    // The school's own «проверка» is left alone; ours sits beside it.
    const titles = google.spreadsheets.get(schoolId('56-011'))!.sheets.map((s) => s.title);
    expect(titles).toEqual(expect.arrayContaining(['проверка', 'Проверка 500+']));
    expect(google.spreadsheets.get(schoolId('56-011'))!.sheets.find((s) => s.title === 'проверка')!.rows).toEqual([
      [{ value: 'наши заметки' }],
    ]);

    // The next run tries the refused ones again, and reads the shared-drive file only because we wrote into it.
    const before = google.requests.length;
    const again = await run(out);
    expect(again.code, again.stderr).toBe(0);
    const readAgain = google.requests
      .slice(before)
      .filter((r) => r.op === 'spreadsheets.get' && r.query.includeGridData?.[0] === 'true')
      .map((r) => r.spreadsheetId);
    expect(readAgain).toEqual(expect.arrayContaining([schoolId('56-001'), schoolId('56-006'), schoolId('56-008')]));
    const third = google.requests.length;
    expect((await run(out)).code).toBe(0);
    const readThird = google.requests
      .slice(third)
      .filter((r) => r.op === 'spreadsheets.get' && r.query.includeGridData?.[0] === 'true')
      .map((r) => r.spreadsheetId);
    expect(readThird).not.toContain(schoolId('56-011'));
  });

  it('drops the clearing of marks on rows the school has since deleted, instead of failing its write-back', async () => {
    layOut();
    const out = path.join(dir, 'shrunk');
    expect((await run(out)).code).toBe(0);
    const roadmap = google.spreadsheets.get(schoolId('56-002'))!.sheets.find((s) => s.title === 'Дорожная карта')!;
    expect(roadmap.rows[6]?.[7]?.note).toBeTruthy();
    // The school deletes every roadmap row from the 6th on: H7 and I8, marked last time, no longer exist.
    roadmap.rows = roadmap.rows.slice(0, 5);
    roadmap.gridProperties = { ...roadmap.gridProperties, rowCount: 5 };
    google.touch(schoolId('56-002'));
    const before = google.requests.length;
    const result = await run(out);
    expect(result.code, result.stderr).toBe(0);
    const written = google.requests
      .slice(before)
      .filter((r) => r.op === 'batchUpdate' && r.spreadsheetId === schoolId('56-002'));
    expect(written.map((r) => r.status)).toEqual([200]);
    expect(onSchoolCell(await findings(out), '56-002')).toEqual([]);
  });

  it('waits out Google’s quota, shared by every client, and reads every school: none is «не прочитана»', async () => {
    layOut();
    google.setQuota({ readsPerWindow: 3, writesPerWindow: 3, windowMs: 1500 });
    try {
      const out = path.join(dir, 'quota');
      const result = await run(out);
      expect(result.code, result.stderr).toBe(0);
      const issues = await findings(out);
      expect(issues.filter((i) => i.code === 'workbook_unreadable')).toEqual([]);
      const refused = google.requests.filter((r) => r.status === 429 || (r.api === 'drive' && r.status === 403));
      expect(refused.length).toBeGreaterThan(0);
      const read = new Set(
        google.requests
          .filter((r) => r.op === 'spreadsheets.get' && r.query.includeGridData?.[0] === 'true' && r.status === 200)
          .map((r) => r.spreadsheetId),
      );
      for (const code of CODES) expect(read.has(schoolId(code)), code).toBe(true);
    } finally {
      google.setQuota(undefined);
    }
  });
});
