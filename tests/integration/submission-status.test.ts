/**
 * «Who has submitted», written where people read it, through the strict fake Google: the registry
 * gets «Сдача таблиц» (one row per participant), each school's «Проверка» gets its status block
 * above the findings, a reminder goes to the schools not ready on a reminder day — once, however
 * often the region is run that day — and the last change comes from Drive, our own write-backs
 * aside.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleSheetsSource } from '../../functions/adapters/google/sheets-source.js';
import { skipUnchangedWorkbooks } from '../../functions/adapters/google/unchanged-workbook-cache.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { runMonitoring } from '../../functions/app/run-region.js';
import { runSchool } from '../../functions/app/run-school.js';
import type { RunRequest } from '../../functions/app/run.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { demoRegionSheets } from '../support/demo-region-sheets.js';
import { productClients } from '../support/product-google.js';
import {
  dateToSerial,
  startFakeGoogleApis,
  type FakeGoogleApis,
  type FakeSheet,
  type FakeSpreadsheet,
} from '../support/fake-google/index.js';

const REGISTRY_ID = 'registry-submission-0001';
const schoolId = (code: string) => `school-${code}-sheet`;
const EVIL_NAME = '=HYPERLINK("http://evil.example","Школа")';
const TEACHER = { email: 'ivanova@school56-001.test', displayName: 'Иванова Мария' };
/** 3 days before the interim deadline: a reminder day of [7, 3, 1]. */
const REQUEST: RunRequest = {
  asOf: '2027-01-17',
  stage: 'промежуточный',
  stageDeadline: { deadline: '2027-01-20', opened: '2026-11-01' },
};
const rules = monitoringRules();
const region: FakeSpreadsheet[] = [];
let dir: string;
let blankPdf: Uint8Array;
let google: FakeGoogleApis;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-submission-'));
  const { registry, schools } = await demoRegionSheets(REGISTRY_ID, schoolId);
  // A school name that a spreadsheet would take for a formula.
  const tab = registry.sheets.find((s) => s.title === 'Школы')!;
  const nameColumn = tab.rows[0]!.findIndex((c) => c.value === 'Наименование');
  const codeColumn = tab.rows[0]!.findIndex((c) => c.value === 'Код ОО');
  const row = tab.rows.find((r) => r[codeColumn]?.value === '56-002')!;
  row[nameColumn] = { value: EVIL_NAME };
  // 56-001's curator confirmed its tables within the stage.
  let confirmed = tab.rows[0]!.findIndex((c) => c.value === 'Подтверждено куратором');
  if (confirmed < 0) {
    confirmed = tab.rows[0]!.length;
    tab.rows[0]![confirmed] = { value: 'Подтверждено куратором' };
  }
  const first = tab.rows.find((r) => r[codeColumn]?.value === '56-001')!;
  while (first.length < confirmed) first.push({ value: null });
  first[confirmed] = { value: dateToSerial(new Date('2026-12-01T00:00:00Z')), format: 'date' };
  region.push(...schools.values(), registry);
  const document = await PDFDocument.create();
  document.addPage();
  blankPdf = await document.save();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  google = await startFakeGoogleApis();
  for (const spreadsheet of region) google.put(structuredClone(spreadsheet));
  google.addCaller('teacher-token', { email: TEACHER.email, kind: 'user', displayName: TEACHER.displayName });
});

afterEach(async () => {
  await google.close();
});

function ports(out: string) {
  const clients = productClients(google.url, { concurrency: 1 });
  const state = localOutputDir(path.join(out, '.state'));
  return {
    source: skipUnchangedWorkbooks(googleSheetsSource(REGISTRY_ID, clients), REGISTRY_ID, clients, state),
    renderer: { render: async () => blankPdf, close: async () => {} },
    output: localOutputDir(out),
    state,
    rules,
  };
}

/** A tab's values as Google stores them, row by row (trailing empty cells left out). */
function stored(id: string, title: string): (string | number | boolean | null)[][] {
  const sheet: FakeSheet | undefined = google.spreadsheets.get(id)?.sheets.find((s) => s.title === title);
  if (!sheet) throw new Error(`no tab «${title}» in ${id}`);
  return sheet.rows.map((row) => row.map((c) => c.value));
}

/** Reminder records kept in the run state, as paths. */
async function reminders(out: string): Promise<string[]> {
  return localOutputDir(path.join(out, '.state')).list('reminders/');
}

const HEADER = [
  'Код ОО',
  'Школа',
  'МО',
  'Статус',
  'Ошибок',
  'Не заполнены',
  'Последнее изменение',
  'Кем',
  'Подтверждено куратором',
];
const NOT_READY = ['56-002', '56-005', '56-006', '56-008', '56-011'];
const REMINDER =
  /^Напоминание: до 20 января 2027\u00a0г\. осталось 3 дня — сдайте таблицы промежуточного этапа\. Сейчас: есть ошибки \(\d+\)\.$/;

describe('who has submitted', () => {
  it('writes «Сдача таблиц» and each school’s status block; reminds the schools not ready, once a day', async () => {
    const out = path.join(dir, 'run');
    // A teacher of 56-001 edits its sheet; the other sheets were last changed by the program's account.
    google.touch(schoolId('56-001'), TEACHER.email);
    const first = await runMonitoring(REQUEST, ports(out));

    // The registry: one row per participant, every value text — a formula-like name stays text.
    const table = stored(REGISTRY_ID, 'Сдача таблиц');
    expect(table[0]).toEqual(HEADER);
    expect(table.slice(1).map((r) => r[0])).toEqual(['56-001', ...NOT_READY]);
    const [ready, evil] = [table[1]!, table[2]!];
    expect(ready.slice(0, 6)).toEqual(['56-001', 'МБОУ «Романовская ООШ»', 'МО-01', 'подтверждено куратором', '0', '']);
    expect(ready[6]).toMatch(/^\d\d\.\d\d\.\d{4} \d\d:\d\d$/);
    expect(ready.slice(7)).toEqual([TEACHER.displayName, '01.12.2026']);
    expect(evil.slice(0, 5)).toEqual(['56-002', `'${EVIL_NAME}`, 'МО-01', 'есть ошибки', '2']);
    const registryTab = google.spreadsheets.get(REGISTRY_ID)!.sheets.find((s) => s.title === 'Сдача таблиц')!;
    expect(registryTab.rows.flat().some((c) => c.formula)).toBe(false);
    expect(registryTab.rows[0]![0]!.bold).toBe(true);

    // A ready school: its block, no reminder, then the findings table.
    expect(stored(schoolId('56-001'), 'Проверка')).toEqual([
      ['Статус сдачи', 'подтверждено куратором'],
      ['Этап', 'промежуточный, срок сдачи — 20 января 2027\u00a0г.'],
      ['Лист', 'Заполнен', 'Ошибок'],
      ...[
        'Анкетирование',
        'Рисковый профиль',
        'Документы',
        'Дорожная карта',
        'Повышение квалификации',
        'Мероприятия',
      ].map((t) => [t, 'да', '0']),
      [],
      ['Лист', 'Ячейка', 'Столбец', 'Серьёзность', 'Что не так', 'Введено'],
    ]);

    // A school with errors: the reminder line, and the findings still link to their cells.
    const feedback = google.spreadsheets.get(schoolId('56-002'))!.sheets.find((s) => s.title === 'Проверка')!;
    const rows = stored(schoolId('56-002'), 'Проверка');
    expect(rows[0]).toEqual(['Статус сдачи', 'есть ошибки (2 ошибки)']);
    expect(rows.filter((r) => typeof r[0] === 'string' && r[0].startsWith('Напоминание'))).toHaveLength(1);
    expect(rows[2]![0]).toMatch(REMINDER);
    const header = rows.findIndex((r) => r[0] === 'Лист' && r[1] === 'Ячейка');
    expect(header).toBe(rows.findIndex((r) => r.length === 0) + 1);
    // The fake keeps no text runs: the link is read from the request that wrote the tab.
    const write = google.requests.findLast((r) => r.op === 'batchUpdate' && r.spreadsheetId === schoolId('56-002'));
    type Cell = {
      userEnteredValue?: { stringValue?: string };
      textFormatRuns?: { format: { link: { uri: string } } }[];
    };
    const requests = (write?.body as { requests: { updateCells?: { start?: object; rows: { values: Cell[] }[] } }[] })
      .requests;
    const written = requests.find((r) => r.updateCells?.start)!.updateCells!.rows;
    const finding = written[header + 1]!.values;
    const target = feedback.rows[header + 1]![0]!.value;
    const sheetId = google.spreadsheets.get(schoolId('56-002'))!.sheets.find((t) => t.title === target)!.sheetId;
    expect(finding[1]!.textFormatRuns?.[0]?.format.link.uri).toBe(
      `#gid=${sheetId}&range=${finding[1]!.userEnteredValue!.stringValue!}`,
    );
    // The block above carries no links.
    expect(
      written
        .slice(0, header)
        .flatMap((r) => r.values)
        .some((c) => c.textFormatRuns),
    ).toBe(false);
    expect(feedback.rows.flat().some((c) => c.formula)).toBe(false);

    // Reminded: the schools not ready, each recorded once for this deadline and day.
    expect(first.reminded).toEqual(NOT_READY);
    expect(await reminders(out)).toEqual(NOT_READY.map((code) => `reminders/2027-01-20/2027-01-17/${code}.json`));
    const submission = JSON.parse(await readFile(path.join(out, 'submission.json'), 'utf8'));
    expect(submission.schools.map((s: { code: string; status: string }) => [s.code, s.status])).toEqual([
      ['56-001', 'подтверждено куратором'],
      ...NOT_READY.map((code) => [code, 'есть ошибки']),
    ]);
    expect(submission.schools[0].lastChange.by).toBe(TEACHER.displayName);
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toContain('<h3>Сдача таблиц</h3>');

    // The same day again: no school reminded a second time, one reminder line in the rewritten tab;
    // the last change is still the teacher's, not our write-back.
    const second = await runMonitoring(REQUEST, ports(out));
    expect(second.reminded).toEqual([]);
    expect(await reminders(out)).toHaveLength(NOT_READY.length);
    expect(stored(schoolId('56-002'), 'Проверка').filter((r) => String(r[0]).startsWith('Напоминание'))).toHaveLength(
      1,
    );
    expect(stored(REGISTRY_ID, 'Сдача таблиц')[1]!.slice(6, 8)).toEqual(ready.slice(6, 8));

    // Not a reminder day: no line, no record.
    const later = await runMonitoring({ ...REQUEST, asOf: '2027-01-18' }, ports(out));
    expect(later.reminded).toEqual([]);
    expect(stored(schoolId('56-002'), 'Проверка').some((r) => String(r[0]).startsWith('Напоминание'))).toBe(false);
  }, 120_000);

  it('one school’s part of a run (the worker) writes its block and its reminder, which the whole run does not repeat', async () => {
    const out = path.join(dir, 'worker');
    const worker = await runSchool(REQUEST, ports(out), '56-005');
    expect(worker.reminded).toEqual(['56-005']);
    const rows = stored(schoolId('56-005'), 'Проверка');
    expect(rows[0]).toEqual(['Статус сдачи', 'есть ошибки (1 ошибка)']);
    expect(rows[2]![0]).toMatch(REMINDER);
    // The worker leaves the registry alone.
    expect(google.spreadsheets.get(REGISTRY_ID)!.sheets.some((s) => s.title === 'Сдача таблиц')).toBe(false);

    const whole = await runMonitoring(REQUEST, ports(out));
    expect(whole.reminded).toEqual(NOT_READY.filter((code) => code !== '56-005'));
  }, 120_000);

  it('the fake Drive serves lastModifyingUser as the caller sees it, and refuses a field Drive does not have', async () => {
    const { drive } = productClients(google.url, { token: 'teacher-token', concurrency: 1 });
    google.share(schoolId('56-001'), TEACHER.email, 'writer');
    google.touch(schoolId('56-001'), TEACHER.email);
    const answer = await drive.files.get({
      fileId: schoolId('56-001'),
      fields: 'id,modifiedTime,lastModifyingUser(displayName,me)',
    });
    expect(answer.data).toEqual({
      id: schoolId('56-001'),
      modifiedTime: google.spreadsheets.get(schoolId('56-001'))!.modifiedTime,
      lastModifyingUser: { displayName: TEACHER.displayName, me: true },
    });
    await expect(
      drive.files.get({ fileId: schoolId('56-001'), fields: 'id,lastModifyingUser(fullName)' }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('asks Drive only for fields Drive has', async () => {
    await runMonitoring(REQUEST, ports(path.join(dir, 'fields')));
    const listings = google.requests.filter((r) => r.op === 'files.list');
    expect(listings.length).toBeGreaterThan(0);
    for (const r of listings) expect(r.status).toBe(200);
    expect(listings[0]!.query.fields).toEqual([
      'nextPageToken,files(id,modifiedTime,lastModifyingUser(displayName,me))',
    ]);
  }, 60_000);
});
