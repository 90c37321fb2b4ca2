import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import { startFakeGoogleApis, type FakeGoogleApis } from '../support/fake-google/index.js';
import { demoRegionSheets } from '../support/demo-region-sheets.js';
import { readPdf } from '../support/pdf-text.js';
import { root, runCli } from '../support/run-cli.js';

const DEMO = path.join(root, 'examples', 'demo-region');
const REGISTRY_ID = 'registry-demo-0001';
const schoolId = (code: string) => `school-${code}-sheet`;
let google: FakeGoogleApis;
let dir: string;
let xlsxIndicators: MonitoringIndicators;

const env = () => ({
  MONITOR500_GOOGLE_API_ROOT: google.url,
  MONITOR500_GOOGLE_ACCESS_TOKEN: 'test-token',
});
const run = (out: string) =>
  runCli(['run', '--source', `sheets:${REGISTRY_ID}`, '--out', out, '--as-of', '2026-11-20'], env());
/** Reads of a workbook's cells: one spreadsheets.get with grid data per workbook. */
const reads = (from = 0) =>
  google.requests.slice(from).filter((r) => r.op === 'spreadsheets.get' && r.query.includeGridData?.[0] === 'true');
const writes = (from = 0) => google.requests.slice(from).filter((r) => r.op === 'batchUpdate');
const sheet = (id: string, title: string) => google.spreadsheets.get(id)!.sheets.find((s) => s.title === title);
const readJson = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;

/** Indicators without the names of the workbooks, which differ between files and spreadsheets. */
function comparable(indicators: MonitoringIndicators) {
  return Object.fromEntries(
    Object.entries(indicators).map(([key, value]) => [
      key,
      key === 'schools'
        ? Object.fromEntries(
            Object.entries(value as MonitoringIndicators['schools']).map(([code, s]) => [
              code,
              { ...s, workbook: { status: s.workbook.status } },
            ]),
          )
        : value,
    ]),
  );
}

beforeAll(async () => {
  google = await startFakeGoogleApis();
  dir = await mkdtemp(path.join(tmpdir(), 'm500-sheets-'));
  const { registry, schools } = await demoRegionSheets(REGISTRY_ID, schoolId);
  for (const spreadsheet of [...schools.values(), registry]) google.put(spreadsheet);
  const xlsx = await runCli([
    'run',
    '--source',
    path.join(DEMO, 'registry.xlsx'),
    '--out',
    path.join(dir, 'xlsx'),
    '--as-of',
    '2026-11-20',
  ]);
  expect(xlsx.code, xlsx.stderr).toBe(0);
  xlsxIndicators = await readJson(path.join(dir, 'xlsx', 'indicators.json'));
});

afterAll(async () => {
  await google.close();
  await rm(dir, { recursive: true, force: true });
});

describe('monitor500 run --source sheets:', () => {
  const out = () => path.join(dir, 'sheets');

  it('gives the same indicators as the xlsx run, reading each workbook once', async () => {
    const before = google.requests.length;
    const result = await run(out());
    expect(result.code, result.stderr).toBe(0);
    expect(comparable(await readJson(path.join(out(), 'indicators.json')))).toEqual(comparable(xlsxIndicators));
    // The same documents, to the byte, but the reports of schools with findings: the xlsx run lists
    // them in the report, this one sends the school to the «Проверка» tab of its own table.
    type Manifest = { documents: { path: string; sha256: string }[] };
    const withFindings = new Set(
      Object.values(xlsxIndicators.schools)
        .filter((s) => s.errors + s.warnings > 0)
        .map((s) => `reports/schools/${s.code}.pdf`),
    );
    expect(withFindings.has('reports/schools/56-002.pdf')).toBe(true);
    const sheets = await readJson<Manifest>(path.join(out(), 'manifest.json'));
    const xlsx = await readJson<Manifest>(path.join(dir, 'xlsx', 'manifest.json'));
    const documents = (m: Manifest, same: boolean) =>
      m.documents.filter((d) => withFindings.has(d.path) !== same).map((d) => [d.path, d.sha256]);
    expect(documents(sheets, true)).toEqual(documents(xlsx, true));
    const differing = documents(sheets, false);
    expect(differing.map(([p]) => p)).toEqual(documents(xlsx, false).map(([p]) => p));
    for (const [index, entry] of documents(xlsx, false).entries()) expect(differing[index]).not.toEqual(entry);
    const report = await readPdf(await readFile(path.join(out(), 'reports', 'schools', '56-002.pdf')));
    expect(report.text).toContain('(перечень — на листе «Проверка» таблицы школы)');
    expect(report.text).not.toContain('Значения «выполнен» нет в списке');
    expect(
      reads(before)
        .map((r) => r.spreadsheetId)
        .sort(),
    ).toEqual([REGISTRY_ID, ...['56-001', '56-002', '56-005', '56-006', '56-008', '56-011'].map(schoolId)].sort());
    // One request reads a workbook: nothing else asks for its cells.
    expect(google.requests.slice(before).filter((r) => r.op === 'values.batchGet')).toEqual([]);
  });

  it('writes the findings back: a «Проверка» tab, notes and highlights on the cells, formulas inert', () => {
    const school = google.spreadsheets.get(schoolId('56-002'))!;
    const report = school.sheets.find((s) => s.title === 'Проверка')!;
    // The school's submission status on top (core/submission.ts), then the findings table.
    expect(report.rows[0]!.map((c) => c.value)).toEqual(['Статус сдачи', 'есть ошибки (2 ошибки)']);
    const header = report.rows.findIndex((r) => r[0]?.value === 'Лист' && r[1]?.value === 'Ячейка');
    expect(report.rows[header]!.map((c) => c.value)).toEqual([
      'Лист',
      'Ячейка',
      'Столбец',
      'Серьёзность',
      'Что не так',
      'Введено',
    ]);
    const cells = report.rows.slice(header + 1).map((r) => `${r[0]?.value} ${r[1]?.value}`);
    expect(cells).toEqual(['Дорожная карта H7', 'Дорожная карта I8']);
    const roadmap = sheet(schoolId('56-002'), 'Дорожная карта')!;
    expect(roadmap.rows[6]![7]!.note).toContain('Значения «выполнен» нет в списке');
    expect(roadmap.rows[6]![7]!.background).toBeDefined();
    // A clean workbook gets its status and an empty findings table.
    const clean = sheet(schoolId('56-001'), 'Проверка')!.rows.map((r) => r.map((c) => c.value));
    expect(clean[0]).toEqual(['Статус сдачи', 'готово']);
    expect(clean.at(-1)).toEqual(['Лист', 'Ячейка', 'Столбец', 'Серьёзность', 'Что не так', 'Введено']);
    expect(
      google.spreadsheets
        .get(schoolId('56-002'))!
        .sheets.flatMap((s) => s.rows.flat())
        .some((c) => c.formula),
    ).toBe(false);
  });

  it('reads a workbook at most once more after writing its findings, then nothing while no sheet changes', async () => {
    // Our own write-back changed these files: an edit made during it must not go unread, so they are read once more.
    const written = [...new Set(writes().map((r) => r.spreadsheetId))].sort();
    expect(written).toContain(schoolId('56-002'));
    const tab = JSON.stringify(sheet(schoolId('56-002'), 'Проверка'));
    let before = google.requests.length;
    let result = await run(out());
    expect(result.code, result.stderr).toBe(0);
    expect(
      reads(before)
        .map((r) => r.spreadsheetId)
        .sort(),
    ).toEqual(written);
    expect(writes(before)).toEqual([]);
    before = google.requests.length;
    result = await run(out());
    expect(result.code, result.stderr).toBe(0);
    const ops = google.requests.slice(before).map((r) => r.op);
    expect(ops.filter((op) => op !== 'files.list')).toEqual([]);
    expect(JSON.stringify(sheet(schoolId('56-002'), 'Проверка'))).toBe(tab);
  });

  it('rereads only the sheet a school fixed, and clears the note of the fixed cell', async () => {
    const roadmap = sheet(schoolId('56-002'), 'Дорожная карта')!;
    roadmap.rows[6]![7] = { ...roadmap.rows[6]![7]!, value: 'выполнено' };
    google.touch(schoolId('56-002'));
    const before = google.requests.length;
    const result = await run(out());
    expect(result.code, result.stderr).toBe(0);
    expect(reads(before).map((r) => r.spreadsheetId)).toEqual([schoolId('56-002')]);
    const fixed = sheet(schoolId('56-002'), 'Дорожная карта')!.rows[6]![7]!;
    expect(fixed.note ?? '').toBe('');
    expect(fixed.background).toBeUndefined();
    const report = sheet(schoolId('56-002'), 'Проверка')!;
    expect(report.rows.slice(1).map((r) => r[1]?.value)).not.toContain('H7');
  });

  it('completes through quota errors, server errors and dropped connections, losing and duplicating nothing', async () => {
    const faulty = path.join(dir, 'faulty');
    google.inject('spreadsheets.get', { kind: 'status', status: 429 }, 2);
    google.inject('spreadsheets.get', { kind: 'drop' }, 1);
    google.inject('batchUpdate', { kind: 'status', status: 503 }, 1);
    google.inject('files.list', { kind: 'status', status: 500 }, 1);
    const result = await run(faulty);
    expect(result.code, result.stderr).toBe(0);
    expect(comparable(await readJson(path.join(faulty, 'indicators.json')))).toEqual(
      comparable(await readJson(path.join(out(), 'indicators.json'))),
    );
    for (const spreadsheet of google.spreadsheets.values()) {
      expect(spreadsheet.sheets.filter((s) => s.title === 'Проверка').length).toBeLessThanOrEqual(1);
    }
  });

  // Last: it changes the registry.
  it('creates a school spreadsheet from the schemas, shares it and records it in the registry', async () => {
    const result = await runCli(
      [
        'template',
        'school',
        '--google',
        '--share',
        'zavuch@school.ru, director@school.ru',
        '--registry',
        `sheets:${REGISTRY_ID}`,
        '--school',
        '56-001',
      ],
      env(),
    );
    expect(result.code, result.stderr).toBe(0);
    const id = /spreadsheets\/d\/([^/]+)\/edit/.exec(result.stdout)?.[1];
    expect(id).toBeDefined();
    const created = google.spreadsheets.get(id!)!;
    const { specs } = monitoringRules();
    const schoolTabs = [...specs.values()].filter((spec) => spec.workbook === 'school');
    expect(created.sheets.map((s) => s.title)).toEqual(schoolTabs.map((spec) => spec.title));
    for (const spec of schoolTabs) {
      const tab = created.sheets.find((s) => s.title === spec.title)!;
      expect(tab.rows[0]!.map((c) => c.value)).toEqual(spec.columns.map((c) => c.header));
      expect(tab.rows[0]!.every((c) => (c.note ?? '').length > 10)).toBe(true);
      expect(tab.protectedRanges?.length).toBe(1);
      const lists = spec.columns.filter((c) => c.cell.type === 'enum' || c.cell.type === 'bool').length;
      expect(tab.validations ?? []).toHaveLength(lists);
    }
    expect([...(google.permissions.get(id!) ?? [])].map((p) => [p.emailAddress, p.role])).toEqual([
      ['zavuch@school.ru', 'writer'],
      ['director@school.ru', 'writer'],
    ]);
    const schools = sheet(REGISTRY_ID, 'Школы')!;
    const header = schools.rows[0]!.map((c) => c.value);
    const row = schools.rows.find((r) => r[header.indexOf('Код ОО')]?.value === '56-001')!;
    expect(row[header.indexOf('Таблица школы')]?.value).toBe(id);
  });
});
