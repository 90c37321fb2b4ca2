/**
 * Workbooks saved by real programs (LibreOffice, Gnumeric, XlsxWriter, openpyxl) and two
 * hand-assembled ones (a minimal writer, a Google-Sheets-style export), each read against the
 * readings written by hand beside it (tests/fixtures/writers), then through the contract's tabs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import { coerceCell } from '../../functions/core/coerce-cell.js';
import { monitorPlanGraph } from '../../functions/core/plan-graph.js';
import { parseRawJson, type RawCell, type RawWorkbook } from '../../functions/core/raw-workbook.js';
import { findTab, readTab, type TabReading } from '../../functions/core/read-tab.js';
import type { TabId } from '../../functions/core/tab-specs.js';
import type { TabRowTypes } from '../../functions/core/tab-types.generated.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'writers');
const rules = monitoringRules();
const YEAR = { firstYear: 2026 };

interface ExpectedCell {
  value: RawCell['value'];
  percentFormat?: boolean;
  link?: string;
  alsoAccept?: RawCell['value'][];
}
interface Expected {
  writer: string;
  tabs: string[];
  cells: Record<string, ExpectedCell>;
}

const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.xlsx'))
  .sort();
const expectedOf = (file: string): Expected =>
  parseRawJson<Expected>(readFileSync(path.join(DIR, file.replace(/\.xlsx$/, '.expected.json')), 'utf8'));

const workbooks = new Map<string, RawWorkbook>();
beforeAll(async () => {
  for (const file of FILES) workbooks.set(file, await readXlsxWorkbook(path.join(DIR, file), 20));
});
const workbook = (file: string) => workbooks.get(file)!;

/** The cell at «Tab!B12» of a workbook read. */
function cellAt(raw: RawWorkbook, address: string): RawCell | undefined {
  const [tab, a1] = address.split('!') as [string, string];
  const m = /^([A-Z]+)(\d+)$/.exec(a1)!;
  const column = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return raw.tabs.find((t) => t.name === tab)?.rows[Number(m[2]) - 1]?.[column];
}

/** The value cell (column B) of the «Значения» row labelled `label`. */
function valueCell(raw: RawWorkbook, label: string): RawCell | undefined {
  const row = raw.tabs.find((t) => t.name === 'Значения')?.rows.find((r) => r[0]?.value === label);
  return row?.[1];
}

function comparable(value: RawCell['value'] | undefined): unknown {
  return value instanceof Date ? { date: value.toISOString() } : (value ?? null);
}

function tab<K extends TabId>(raw: RawWorkbook, id: K, title?: string): TabReading<TabRowTypes[K]> {
  const spec = rules.specs.get(id)!;
  return readTab<TabRowTypes[K]>(findTab(raw.tabs, title ?? spec.title), spec, {
    workbook: raw.name,
    schoolYear: YEAR,
    maxRows: 1000,
  });
}

/** What the expected readings say column B of the «Значения» row labelled `label` holds. */
function expectedValue(file: string, label: string): ExpectedCell | undefined {
  const { cells } = expectedOf(file);
  const at = Object.keys(cells).find((a) => a.startsWith('Значения!A') && cells[a]?.value === label);
  return at ? cells[at.replace('!A', '!B')] : undefined;
}
const withTab = (title: string) => FILES.filter((f) => expectedOf(f).tabs.includes(title));
const SURVEY = withTab('Анкетирование');
const FULL = withTab('Документы');
const DATED = FILES.filter((f) => expectedValue(f, 'дата-время вечер')?.value instanceof Date);
const PERCENT = FILES.filter((f) => expectedValue(f, 'процент 92,5')?.percentFormat === true);
const DATE_1904 = FILES.filter((f) => f.includes('1904'));

describe('workbooks saved by real programs are read exactly', () => {
  it('has a corpus of every writer: LibreOffice, Gnumeric, XlsxWriter, openpyxl, minimal and Sheets-style', () => {
    const writers = FILES.map((f) => f.split(/[-.]/)[0]);
    expect(new Set(writers)).toEqual(new Set(['gnumeric', 'handmade', 'libreoffice', 'openpyxl', 'xlsxwriter']));
    expect(FULL.length).toBeGreaterThanOrEqual(6);
    expect(DATE_1904.length).toBeGreaterThanOrEqual(4);
  });

  it.each(FILES)('%s: every cell holds the value, type, percent format and link its writer stored', (file) => {
    const expected = expectedOf(file);
    const raw = workbook(file);
    expect(raw.tabs.map((t) => t.name)).toEqual(expected.tabs);
    const wrong: string[] = [];
    for (const [address, want] of Object.entries(expected.cells)) {
      const got = cellAt(raw, address);
      const accepted = [want.value, ...(want.alsoAccept ?? [])].map(comparable);
      const value = comparable(got?.value);
      if (!accepted.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
        wrong.push(`${address}: ${JSON.stringify(value)} instead of ${JSON.stringify(accepted[0])}`);
      }
      if ((got?.percentFormat ?? false) !== (want.percentFormat ?? false)) wrong.push(`${address}: percent format`);
      if (got?.link !== want.link) wrong.push(`${address}: link ${String(got?.link)} instead of ${String(want.link)}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(DATE_1904)('%s: dates of the 1904 date system are the dates typed, not four years early', (file) => {
    const raw = workbook(file);
    expect(coerceCell(valueCell(raw, 'дата'), { type: 'date' }, YEAR)).toEqual({ kind: 'value', value: '2026-09-01' });
    expect(coerceCell(valueCell(raw, 'дата-время вечер'), { type: 'date' }, YEAR)).toEqual({
      kind: 'value',
      value: '2026-10-15',
    });
  });

  it.each(DATED)('%s: a date-time late in the evening counts on its own day', (file) => {
    const raw = workbook(file);
    expect(coerceCell(valueCell(raw, 'дата-время вечер'), { type: 'date' }, YEAR)).toEqual({
      kind: 'value',
      value: '2026-10-15',
    });
    expect(coerceCell(valueCell(raw, 'дата-время вечер'), { type: 'text' }, YEAR)).toEqual({
      kind: 'value',
      value: '15.10.2026',
    });
    if (!FULL.includes(file)) return;
    const documents = tab(raw, 'documents');
    expect(documents.rows.map((r) => r.values.date)).toEqual(['2026-10-01', '2026-10-20']);
  });

  it.each(PERCENT)(
    '%s: a percent-formatted number is the percent it shows, in a number, text or percent column',
    (file) => {
      const cell = valueCell(workbook(file), 'процент 92,5');
      expect(coerceCell(cell, { type: 'number' }, YEAR)).toEqual({ kind: 'value', value: 92.5 });
      expect(coerceCell(cell, { type: 'percent' }, YEAR)).toEqual({ kind: 'value', value: 92.5 });
      expect(coerceCell(cell, { type: 'text' }, YEAR)).toEqual({ kind: 'value', value: '92,5\u00a0%' });
      // Shown rounded as «13%», stored as 0,125: read as stored.
      expect(coerceCell(valueCell(workbook(file), 'процент 12,5 показан 13'), { type: 'percent' }, YEAR)).toEqual({
        kind: 'value',
        value: 12.5,
      });
    },
  );

  it.each(FULL)('%s: a plan-graph fact shown as «92,5%» meets the target «не менее 90 %»', (file) => {
    const reading = tab(workbook(file), 'plan-graph');
    expect(reading.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const [item] = monitorPlanGraph(
      reading.rows.map((r) => r.values),
      '2026-11-30',
    ).items;
    expect(item).toMatchObject({ actualText: '92,5\u00a0%', verdict: 'achieved' });
  });

  it.each(FULL)('%s: a hyperlink whose text is not its address is read as the address', (file) => {
    const documents = tab(workbook(file), 'documents');
    expect(documents.issues.filter((i) => i.code === 'not_url')).toEqual([]);
    expect(documents.rows[0]?.values.link).toBe('https://school.example/programma.pdf');
  });

  it.each(SURVEY)(
    '%s: a formula whose saved result is 0 is a 0, and a row with only a note in an unknown column is no row',
    (file) => {
      const expected = expectedOf(file);
      const survey = tab(workbook(file), 'survey');
      // openpyxl saves no formula results: the cell is empty there, and the row is reported, not invented.
      const cached = expected.cells['Анкетирование!C3']?.value === 0;
      // Nothing but the warning on the column «Комментарий», which the form does not have.
      expect(survey.issues.map((i) => `${i.cell} ${i.code}`)).toEqual([
        'D1 unknown_column',
        ...(cached ? [] : ['C3 required']),
      ]);
      const rows = survey.rows.map((r) => [r.row, r.values.respondentGroup, r.values.participated, r.usable]);
      expect(rows).toEqual([
        [2, 'Руководитель', 1, true],
        [3, 'Учителя', cached ? 0 : undefined, cached],
        [4, 'Родители', 35, true],
        [6, 'Обучающиеся', 90, true],
      ]);
    },
  );

  it.each(FULL)('%s: a title above the headers is found, and the rows under them read', (file) => {
    const roadmap = tab(workbook(file), 'roadmap');
    expect(roadmap.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(roadmap.rows.map((r) => [r.row, r.values.activity, r.values.status])).toEqual([
      [3, 'Ярмарка вакансий', 'в работе'],
    ]);
  });

  it.each(SURVEY)('%s: a tab without any header of the form is one clear finding, not a cascade', (file) => {
    const reading = tab(workbook(file), 'survey', 'Значения');
    expect(reading.rows).toEqual([]);
    expect(reading.issues).toHaveLength(1);
    expect(reading.issues[0]).toMatchObject({ code: 'missing_header', severity: 'error', tab: 'Анкетирование' });
    expect(reading.issues[0]!.message).toContain('не найдена строка заголовков');
  });

  it.each(SURVEY)('%s: formula results 0, FALSE and empty text are values, not missing ones', (file) => {
    const expected = expectedOf(file);
    const raw = workbook(file);
    if (expected.cells['Значения!B13']?.value === null) {
      // openpyxl: no cached results at all; nothing may be made up for them.
      expect([13, 14, 15, 16].map((r) => cellAt(raw, `Значения!B${r}`)?.value ?? null)).toEqual([
        null,
        null,
        null,
        null,
      ]);
      return;
    }
    expect(coerceCell(valueCell(raw, 'формула ноль'), { type: 'int' }, YEAR)).toEqual({ kind: 'value', value: 0 });
    expect(coerceCell(valueCell(raw, 'формула ложь'), { type: 'bool' }, YEAR)).toEqual({ kind: 'value', value: false });
    expect(coerceCell(valueCell(raw, 'формула пустой текст'), { type: 'text' }, YEAR)).toEqual({ kind: 'empty' });
    expect(coerceCell(valueCell(raw, 'формула число'), { type: 'int' }, YEAR)).toEqual({ kind: 'value', value: 84 });
  });
});
