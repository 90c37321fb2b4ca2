/**
 * Every cell type of a school sheet, round trip through the real Google clients and the fake APIs:
 * the blank spreadsheet is laid out by `createBlankSpreadsheet`, values are typed in as a person
 * would (updateCells with `fields: 'userEnteredValue'` only, so the template's column formats stay),
 * and `readSpreadsheet` + `coerceCell` must give back exactly what was typed, whatever the locale.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlankSpreadsheet } from '../../functions/adapters/google/blank-spreadsheet.js';
import { createGoogleClients } from '../../functions/adapters/google/clients.js';
import { rawCellOfSheets, readSpreadsheet, type GoogleClients } from '../../functions/adapters/google/sheets-source.js';
import { blankWorkbook } from '../../functions/core/blank-workbook.js';
import { coerceCell } from '../../functions/core/coerce-cell.js';
import { parseSchoolYear } from '../../functions/core/calendar.js';
import type { RawCell, RawWorkbook } from '../../functions/core/raw-workbook.js';
import { readSchoolWorkbook } from '../../functions/core/read-workbook.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { startFakeGoogleApis, type FakeGoogleApis } from '../support/fake-google/index.js';

const DAY_MS = 86_400_000;
/** 15.05.2027 as a Sheets serial day (days since 1899-12-30). */
const MAY_15_2027 = (Date.UTC(2027, 4, 15) - Date.UTC(1899, 11, 30)) / DAY_MS;
/** 15.05.2027 at 23:45:36 — late in the evening, still the 15th. */
const MAY_15_2027_EVENING = MAY_15_2027 + 0.99;
const LINK = 'https://school.example/p.pdf';

const rules = monitoringRules();
const schoolTabs = blankWorkbook(rules.specs.values(), 'school');
const schoolYear = parseSchoolYear('2026/2027');

let fake: FakeGoogleApis;
let clients: GoogleClients;

beforeAll(async () => {
  fake = await startFakeGoogleApis();
  clients = createGoogleClients({
    apiRoot: fake.url,
    accessToken: 'test-token',
    requestsPerMinute: 10_000,
    driveRequestsPerMinute: 10_000,
    concurrency: 4,
    timeoutMs: 10_000,
  });
});

afterAll(async () => {
  await fake.close();
});

/** The column index of `header` in the school tab `tab`, as the template lays it out. */
function columnOf(tab: string, header: string): number {
  const columns = schoolTabs.find((t) => t.title === tab)?.columns ?? [];
  const index = columns.findIndex((c) => c.header === header);
  if (index < 0) throw new Error(`no column «${header}» in «${tab}»`);
  return index;
}

/** The contract's cell spec of a column. */
function specOf(tab: string, header: string) {
  const spec = [...rules.specs.values()].find((s) => s.workbook === 'school' && s.title === tab);
  const column = spec?.columns.find((c) => c.header === header);
  if (!column) throw new Error(`no column «${header}» in «${tab}»`);
  return column.cell;
}

interface Typed {
  tab: string;
  header: string;
  /** 0-based; row 0 is the header. */
  row: number;
  cell: sheets_v4.Schema$CellData;
  /** Default 'userEnteredValue': only the value, the column's number format stays. */
  fields?: string;
}

/** Types the cells in, through the real Sheets API: one updateCells per cell, in one batchUpdate. */
async function typeIn(id: string, cells: Typed[]): Promise<void> {
  const meta = await clients.sheets.spreadsheets.get({ spreadsheetId: id, fields: 'sheets.properties(sheetId,title)' });
  const sheetIds = new Map(
    (meta.data.sheets ?? []).map((s) => [s.properties?.title ?? '', s.properties?.sheetId ?? 0]),
  );
  await clients.sheets.spreadsheets.batchUpdate({
    spreadsheetId: id,
    requestBody: {
      requests: cells.map(({ tab, header, row, cell, fields }) => ({
        updateCells: {
          start: { sheetId: sheetIds.get(tab), rowIndex: row, columnIndex: columnOf(tab, header) },
          fields: fields ?? 'userEnteredValue',
          rows: [{ values: [cell] }],
        },
      })),
    },
  });
}

const cellOf = (raw: RawWorkbook, tab: string, header: string, row: number): RawCell | undefined =>
  raw.tabs.find((t) => t.name === tab)?.rows[row]?.[columnOf(tab, header)];

const storedCell = (id: string, tab: string, header: string, row: number) =>
  fake.spreadsheets.get(id)?.sheets.find((s) => s.title === tab)?.rows[row]?.[columnOf(tab, header)];

/** What each typed cell must read back as: the raw cell and the value coerced by the column's type. */
const EXPECTED: { tab: string; header: string; row: number; raw: RawCell; value: unknown; as?: 'percent' }[] = [
  {
    tab: 'Повышение квалификации',
    header: 'Дата окончания',
    row: 1,
    raw: { value: new Date('2027-05-15T00:00:00.000Z') },
    value: '2027-05-15',
  },
  {
    tab: 'Документы',
    header: 'Дата',
    row: 1,
    raw: { value: new Date('2027-05-15T23:45:36.000Z') },
    value: '2027-05-15',
  },
  {
    tab: 'Документы',
    header: 'Дата',
    row: 2,
    raw: { value: new Date('2027-05-15T23:45:36.000Z') },
    value: '2027-05-15',
  },
  // A percent-formatted 0,125 («13%» with the '0%' pattern) is 12,5 — not the 13 the cell shows.
  { tab: 'Мероприятия', header: 'Часов', row: 2, raw: { value: 0.125, percentFormat: true }, value: 12.5 },
  {
    tab: 'Мероприятия',
    header: 'Часов',
    row: 2,
    raw: { value: 0.125, percentFormat: true },
    value: 12.5,
    as: 'percent',
  },
  { tab: 'Повышение квалификации', header: 'Часов', row: 1, raw: { value: 1234 }, value: 1234 },
  { tab: 'Анкетирование', header: 'Требуется', row: 1, raw: { value: 1234 }, value: 1234 },
  { tab: 'Мероприятия', header: 'Часов', row: 1, raw: { value: 12.5 }, value: 12.5 },
  { tab: 'Рисковый профиль', header: 'Выбран для работы', row: 1, raw: { value: 'да' }, value: true },
  { tab: 'Рисковый профиль', header: 'Верифицирован куратором', row: 1, raw: { value: 'нет' }, value: false },
  { tab: 'Рисковый профиль', header: 'Выбран для работы', row: 2, raw: { value: true }, value: true },
  { tab: 'Рисковый профиль', header: 'Верифицирован куратором', row: 2, raw: { value: false }, value: false },
  { tab: 'Дорожная карта', header: '№', row: 1, raw: { value: '007' }, value: '007' },
  { tab: 'Документы', header: 'Ссылка', row: 1, raw: { value: 'Программа', link: LINK }, value: LINK },
];

it('15.05.2027 is serial day 46522 of Sheets', () => {
  expect(MAY_15_2027).toBe(46_522);
});

describe.each(['ru_RU', 'en_US'] as const)('typed values of a school sheet, locale %s', (locale) => {
  let id: string;
  let raw: RawWorkbook;
  let readRequests: typeof fake.requests;

  beforeAll(async () => {
    id = await createBlankSpreadsheet(clients, `Типы ячеек ${locale}`, schoolTabs, []);
    expect(fake.spreadsheets.get(id)?.locale).toBe('ru_RU');
    if (locale === 'en_US') {
      await clients.sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [{ updateSpreadsheetProperties: { properties: { locale: 'en_US' }, fields: 'locale' } }],
        },
      });
    }
    expect(fake.spreadsheets.get(id)?.locale).toBe(locale);
    await typeIn(id, [
      { tab: 'Повышение квалификации', header: 'Дата окончания', row: 1, cell: num(MAY_15_2027) },
      { tab: 'Документы', header: 'Дата', row: 1, cell: num(MAY_15_2027_EVENING) },
      // The same evening with a date-time format set on the cell.
      {
        tab: 'Документы',
        header: 'Дата',
        row: 2,
        cell: {
          userEnteredValue: { numberValue: MAY_15_2027_EVENING },
          userEnteredFormat: { numberFormat: { type: 'DATE_TIME', pattern: 'dd.mm.yyyy hh:mm' } },
        },
        fields: 'userEnteredValue,userEnteredFormat.numberFormat',
      },
      // No school column is a percent one: the percent format is set on the cell itself.
      {
        tab: 'Мероприятия',
        header: 'Часов',
        row: 2,
        cell: {
          userEnteredValue: { numberValue: 0.125 },
          userEnteredFormat: { numberFormat: { type: 'PERCENT', pattern: '0%' } },
        },
        fields: 'userEnteredValue,userEnteredFormat.numberFormat',
      },
      { tab: 'Повышение квалификации', header: 'Часов', row: 1, cell: num(1234) },
      { tab: 'Анкетирование', header: 'Требуется', row: 1, cell: num(1234) },
      { tab: 'Мероприятия', header: 'Часов', row: 1, cell: num(12.5) },
      { tab: 'Рисковый профиль', header: 'Выбран для работы', row: 1, cell: text('да') },
      { tab: 'Рисковый профиль', header: 'Верифицирован куратором', row: 1, cell: text('нет') },
      { tab: 'Рисковый профиль', header: 'Выбран для работы', row: 2, cell: { userEnteredValue: { boolValue: true } } },
      {
        tab: 'Рисковый профиль',
        header: 'Верифицирован куратором',
        row: 2,
        cell: { userEnteredValue: { boolValue: false } },
      },
      { tab: 'Дорожная карта', header: '№', row: 1, cell: text('007') },
      { tab: 'Документы', header: 'Ссылка', row: 1, cell: text('Программа') },
    ]);
    // The Sheets API sets no hyperlink the fake keeps (see the test below): the link is put on the stored cell.
    const linkCell = storedCell(id, 'Документы', 'Ссылка', 1);
    expect(linkCell?.value).toBe('Программа');
    linkCell!.link = LINK;

    const before = fake.requests.length;
    raw = await readSpreadsheet(clients, id);
    readRequests = fake.requests.slice(before);
  });

  it('keeps the formats the template set on the columns', () => {
    expect(storedCell(id, 'Повышение квалификации', 'Дата окончания', 1)?.numberFormat).toEqual({
      type: 'DATE',
      pattern: 'dd.mm.yyyy',
    });
    expect(storedCell(id, 'Документы', 'Дата', 1)?.numberFormat).toEqual({ type: 'DATE', pattern: 'dd.mm.yyyy' });
    expect(storedCell(id, 'Повышение квалификации', 'Часов', 1)?.numberFormat).toEqual({
      type: 'NUMBER',
      pattern: '0',
    });
    expect(storedCell(id, 'Дорожная карта', '№', 1)?.numberFormat).toEqual({ type: 'TEXT' });
    expect(storedCell(id, 'Мероприятия', 'Часов', 1)?.numberFormat).toBeUndefined();
  });

  it('reads every cell in one spreadsheets.get with grid data', () => {
    expect(readRequests.map((r) => r.op)).toEqual(['spreadsheets.get']);
    expect(readRequests[0]?.query.includeGridData).toEqual(['true']);
    expect(readRequests[0]?.status).toBe(200);
    expect(fake.requests.filter((r) => r.op === 'values.batchGet' || r.op === 'values.get')).toEqual([]);
  });

  it.each(EXPECTED.map((e) => [`${e.tab} / ${e.header} / row ${e.row + 1}${e.as ? ` as ${e.as}` : ''}`, e]))(
    '%s reads back as typed',
    (_name, expected) => {
      const cell = cellOf(raw, expected.tab, expected.header, expected.row);
      expect(cell).toEqual(expected.raw);
      const spec = expected.as ? { type: expected.as } : specOf(expected.tab, expected.header);
      expect(coerceCell(cell, spec, schoolYear)).toEqual({ kind: 'value', value: expected.value });
    },
  );

  it('gives the typed cells no type error when the whole workbook is checked', () => {
    const typeCodes = new Set(['not_date', 'not_integer', 'not_number', 'not_percent', 'not_bool', 'not_url']);
    const issues = readSchoolWorkbook(raw, rules.specs, rules.settings, schoolYear).issues;
    expect(issues.filter((i) => typeCodes.has(i.code))).toEqual([]);
  });
});

function num(numberValue: number): sheets_v4.Schema$CellData {
  return { userEnteredValue: { numberValue } };
}

function text(stringValue: string): sheets_v4.Schema$CellData {
  return { userEnteredValue: { stringValue } };
}

describe('hyperlinks through the Sheets API', () => {
  // Google answers a link on the whole cell's text (userEnteredFormat.textFormat.link) as CellData.hyperlink.
  it('a cell-level link (userEnteredFormat.textFormat.link) reads back as CellData.hyperlink', async () => {
    const id = await createBlankSpreadsheet(clients, 'Ссылка через API', schoolTabs, []);
    await typeIn(id, [
      {
        tab: 'Документы',
        header: 'Ссылка',
        row: 1,
        cell: {
          userEnteredValue: { stringValue: 'Программа' },
          userEnteredFormat: { textFormat: { link: { uri: LINK } } },
        },
        fields: 'userEnteredValue,userEnteredFormat.textFormat.link',
      },
    ]);
    const raw = await readSpreadsheet(clients, id);
    expect(cellOf(raw, 'Документы', 'Ссылка', 1)).toEqual({ value: 'Программа', link: LINK });
  });
});

describe('formula errors', () => {
  it('an error value Google answers in effectiveValue reads as its error text', () => {
    const cell = rawCellOfSheets({
      effectiveValue: {
        errorValue: { type: 'DIVIDE_BY_ZERO', message: 'Function DIVIDE parameter 2 cannot be zero.' },
      },
      formattedValue: '#DIV/0!',
    });
    expect(cell).toEqual({ value: '#DIV/0!' });
    expect(coerceCell(cell, { type: 'int' }, schoolYear)).toMatchObject({ kind: 'invalid', code: 'formula_error' });
  });

  it('a cell of the fake showing #DIV/0! reads as that text and is a formula error', async () => {
    const id = await createBlankSpreadsheet(clients, 'Ошибка формулы', schoolTabs, []);
    const tab = fake.spreadsheets.get(id)!.sheets.find((s) => s.title === 'Анкетирование')!;
    tab.rows[1] = [{ value: 'Учителя' }, { value: '#DIV/0!' }];
    const raw = await readSpreadsheet(clients, id);
    const cell = cellOf(raw, 'Анкетирование', 'Требуется', 1);
    expect(cell).toEqual({ value: '#DIV/0!' });
    expect(coerceCell(cell, specOf('Анкетирование', 'Требуется'), schoolYear)).toMatchObject({
      kind: 'invalid',
      code: 'formula_error',
    });
  });
});
