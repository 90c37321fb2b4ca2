import { coerceCell, type CellValue } from './coerce-cell.js';
import { countOf, formatNumber } from './format-ru.js';
import type { SchoolYear } from './period.js';
import type { RawCell, RawTab } from './raw-workbook.js';
import { schemaErrorIssue } from './schema-error-message.js';
import type { ColumnSpec, TabSpec } from './tab-specs.js';
import { textKey } from './text-key.js';
import { cellAddress, type ValidationIssue } from './validation-issue.js';

/** One data row of a tab: typed values plus where each came from. */
export interface TabRow<T> {
  /** Spreadsheet row number (1-based). */
  row: number;
  values: T;
  /** A1 address of each column's cell in this row, by key. */
  cells: Record<string, string>;
  /** The raw values as typed, by key (for messages that quote them). */
  typed: Record<string, RawCell['value']>;
  /** False when a value the row cannot do without is missing or bad: it is reported and left out of the indicators. */
  usable: boolean;
}

/** What reading one tab gives: its rows and every finding. */
export interface TabReading<T> {
  /** The tab's name as the contract spells it. */
  title: string;
  rows: TabRow<T>[];
  issues: ValidationIssue[];
  /** True when the tab exists in the workbook. */
  present: boolean;
}

/** Where a tab sits and what it needs to read periods. */
export interface TabContext {
  workbook: string;
  schoolYear: SchoolYear | undefined;
  /** Data rows read at most; more is reported and skipped. */
  maxRows: number;
}

function isEmptyCell(cell: RawCell | undefined): boolean {
  const v = cell?.value ?? null;
  return v === null || (typeof v === 'string' && v.trim() === '');
}

function displayValue(value: RawCell['value'] | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  return value;
}

/** Finds the tab whose name matches the contract's, case-, space- and ё/е-insensitively. */
export function findTab(tabs: readonly RawTab[], title: string): RawTab | undefined {
  const key = textKey(title);
  return tabs.find((t) => textKey(t.name) === key);
}

/** Reads and validates one tab against its spec; bad data becomes issues, never exceptions. */
export function readTab<T>(tab: RawTab | undefined, spec: TabSpec, context: TabContext): TabReading<T> {
  const base = { workbook: context.workbook, tab: spec.title };
  if (!tab) {
    return {
      title: spec.title,
      rows: [],
      present: false,
      issues: [
        {
          ...base,
          severity: 'error',
          code: 'missing_tab',
          message: `В таблице нет листа «${spec.title}». Добавьте лист с этим названием и заголовками: ${spec.columns
            .map((c) => `«${c.header}»`)
            .join(', ')}.`,
        },
      ],
    };
  }
  const located = spec.layout === 'key-value' ? keyValueLayout(tab, spec, base) : tableLayout(tab, spec, base);
  const issues = [...located.issues];
  if (located.rows.length > context.maxRows) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'too_many_rows',
      message: `На листе ${countOf(located.rows.length, ['строка', 'строки', 'строк'])} данных — больше предела ${formatNumber(context.maxRows)}. Прочитаны первые ${formatNumber(context.maxRows)}, остальные не учтены: разделите данные или удалите лишнее.`,
    });
    located.rows.length = context.maxRows;
  }
  const requiredList = spec.columns.filter((c) => c.required).map((c) => c.key);
  const requiredKeys = new Set(requiredList);
  const rows: TabRow<T>[] = [];
  for (const source of located.rows) {
    const values: Record<string, CellValue> = {};
    // Most rows have no finding: the sets and lists below are made only for those that do.
    let failed: Set<string> | undefined;
    const rowIssues: ValidationIssue[] = [];
    for (const column of spec.columns) {
      const address = source.cells[column.key];
      if (address === undefined) continue;
      const raw = source.raw[column.key];
      const coerced = coerceCell(raw, column.cell, context.schoolYear);
      if (coerced.kind === 'invalid') {
        (failed ??= new Set()).add(column.key);
        rowIssues.push({
          ...cellAt(base, address, source.row, column.header, raw),
          severity: 'error',
          code: coerced.code,
          message: coerced.message,
        });
      } else if (coerced.kind === 'value') {
        values[column.key] = coerced.value;
        if (coerced.warning)
          rowIssues.push({
            ...cellAt(base, address, source.row, column.header, raw),
            severity: 'warning',
            ...coerced.warning,
          });
      }
    }
    const valid = spec.validate(values);
    for (const error of valid ? [] : (spec.validate.errors ?? [])) {
      const issue = schemaErrorIssue(error, spec, {
        ...base,
        row: source.row,
        cells: source.cells,
        raw: source.raw,
        values,
      });
      if (issue && !(issue.column && failed?.has(keyOfHeader(spec, issue.column)))) rowIssues.push(issue);
    }
    atMostIssues(spec, values, source, base, rowIssues);
    // A bad cell loses only itself; the row is lost only when a value it cannot do without is bad
    // or its column is missing from the tab (a finding on the whole tab says so).
    let usable = requiredList.every((key) => source.cells[key] !== undefined);
    if (rowIssues.length > 0) {
      issues.push(...dedupe(rowIssues));
      const badKeys = rowIssues
        .filter((i) => i.severity === 'error' && i.column)
        .map((i) => keyOfHeader(spec, i.column ?? ''));
      for (const key of badKeys) delete values[key];
      usable &&= !badKeys.some((key) => requiredKeys.has(key));
    }
    const typed: Record<string, RawCell['value']> = {};
    for (const key in source.raw) typed[key] = source.raw[key]?.value ?? null;
    rows.push({
      row: source.row,
      values: values as T,
      cells: source.cells,
      typed,
      usable,
    });
  }
  issues.push(...uniquenessIssues(spec, rows, base));
  return { title: spec.title, rows, issues, present: true };
}

/** Where a cell is, for a finding about it. */
function cellAt(
  base: { workbook: string; tab: string },
  cell: string,
  row: number,
  column: string,
  raw: RawCell | undefined,
): Pick<ValidationIssue, 'workbook' | 'tab' | 'cell' | 'row' | 'column' | 'value'> {
  return { ...base, cell, row, column, value: displayValue(raw?.value) };
}

function keyOfHeader(spec: TabSpec, header: string): string {
  return spec.columns.find((c) => c.header === header)?.key ?? '';
}

/** Each spec's columns by the textKey of their headers (the first column wins a shared key); built once per spec. */
const columnsByHeaderKey = new WeakMap<TabSpec, Map<string, ColumnSpec>>();

/** The column whose header matches what is typed, case-, space- and ё/е-insensitively. */
function columnOfHeader(spec: TabSpec, typed: string): ColumnSpec | undefined {
  let byKey = columnsByHeaderKey.get(spec);
  if (!byKey) {
    byKey = new Map();
    for (const column of spec.columns) {
      const key = textKey(column.header);
      if (!byKey.has(key)) byKey.set(key, column);
    }
    columnsByHeaderKey.set(spec, byKey);
  }
  return byKey.get(textKey(typed));
}

/** A located source row: the raw cell and its address for each column found. */
interface SourceRow {
  row: number;
  raw: Record<string, RawCell | undefined>;
  cells: Record<string, string>;
}

/** Rows looked at for the headers: a title (and a blank line or two) may stand above them. */
const HEADER_SEARCH_ROWS = 10;

/** Cells of a row whose text is one of the tab's headers. */
function headersIn(cells: readonly RawCell[], spec: TabSpec): number {
  let found = 0;
  for (const cell of cells) {
    if (!isEmptyCell(cell) && typeof cell.value === 'string' && columnOfHeader(spec, cell.value.trim())) found++;
  }
  return found;
}

/**
 * The index of the header row: row 1 as the contract has it, or the row under a title that names
 * the most of the tab's columns among the first rows; undefined when none of them names any.
 */
function headerRowIndex(tab: RawTab, spec: TabSpec): number | undefined {
  let best: number | undefined;
  let bestCount = 0;
  for (let index = 0; index < Math.min(HEADER_SEARCH_ROWS, tab.rows.length); index++) {
    const count = headersIn(tab.rows[index] ?? [], spec);
    if (count > bestCount) {
      best = index;
      bestCount = count;
    }
  }
  return best;
}

function tableLayout(
  tab: RawTab,
  spec: TabSpec,
  base: { workbook: string; tab: string },
): { rows: SourceRow[]; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const headerIndex = headerRowIndex(tab, spec);
  if (headerIndex === undefined && tab.rows.some((cells) => !cells.every(isEmptyCell))) {
    // One finding for the tab, not one per column and cell: without headers nothing can be read.
    return {
      rows: [],
      issues: [
        {
          ...base,
          severity: 'error',
          code: 'missing_header',
          message: `На листе не найдена строка заголовков: ни в одной из первых ${HEADER_SEARCH_ROWS} строк нет названий столбцов формы, поэтому лист не прочитан. Впишите заголовки в первую строку: ${spec.columns
            .map((c) => `«${c.header}»`)
            .join(', ')}.`,
        },
      ],
    };
  }
  const headerRowNumber = (headerIndex ?? 0) + 1;
  const headerRow = tab.rows[headerIndex ?? 0] ?? [];
  const columnIndex = new Map<string, number>();
  headerRow.forEach((cell, index) => {
    if (isEmptyCell(cell)) return;
    const typed = String(cell.value).trim();
    const column = columnOfHeader(spec, typed);
    const at = () => ({
      ...base,
      cell: cellAddress(index, headerRowNumber),
      row: headerRowNumber,
      column: typed,
      value: typed,
    });
    if (!column) {
      issues.push({
        ...at(),
        severity: 'warning',
        code: 'unknown_column',
        message: `Столбец «${typed}» не предусмотрен формой и не учитывается.`,
      });
    } else if (columnIndex.has(column.key)) {
      issues.push({
        ...at(),
        severity: 'warning',
        code: 'duplicate_column',
        message: `Столбец «${column.header}» повторяется; учитывается первый, этот пропущен.`,
      });
    } else {
      columnIndex.set(column.key, index);
    }
  });
  for (const column of spec.columns) {
    if (columnIndex.has(column.key) || !column.required) continue;
    issues.push({
      ...base,
      cell: cellAddress(headerRow.length, headerRowNumber),
      row: headerRowNumber,
      column: column.header,
      severity: 'error',
      code: 'missing_column',
      message: `На листе нет обязательного столбца «${column.header}». Добавьте его в ${headerRowNumber === 1 ? 'первую строку' : `строку заголовков (${headerRowNumber})`}.`,
    });
  }
  const indexes = [...columnIndex.values()];
  const rows: SourceRow[] = [];
  tab.rows.slice(headerRowNumber).forEach((cells, offset) => {
    // A row is data when a column of the form holds something: notes and sums in other columns are not rows.
    if (indexes.every((index) => isEmptyCell(cells[index]))) return;
    const row = offset + headerRowNumber + 1;
    const source: SourceRow = { row, raw: {}, cells: {} };
    for (const [key, index] of columnIndex) {
      source.raw[key] = cells[index];
      source.cells[key] = cellAddress(index, row);
    }
    rows.push(source);
  });
  return { rows, issues };
}

/** The «Параметр | Значение» layout: one object built from a column of named rows. */
function keyValueLayout(
  tab: RawTab,
  spec: TabSpec,
  base: { workbook: string; tab: string },
): { rows: SourceRow[]; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const source: SourceRow = { row: 2, raw: {}, cells: {} };
  // The «Параметр | Значение» header is row 1, or stands under a title.
  const headerKey = textKey('Параметр');
  const found = tab.rows
    .slice(0, HEADER_SEARCH_ROWS)
    .findIndex((cells) => typeof cells[0]?.value === 'string' && textKey(cells[0].value) === headerKey);
  const headerIndex = Math.max(found, 0);
  tab.rows.forEach((cells, index) => {
    const name = cells[0];
    if (index <= headerIndex || isEmptyCell(name)) return;
    const typed = String(name?.value).trim();
    const column = columnOfHeader(spec, typed);
    if (!column) {
      issues.push({
        ...base,
        cell: cellAddress(0, index + 1),
        row: index + 1,
        column: 'Параметр',
        severity: 'warning',
        code: 'unknown_column',
        message: `Параметр «${typed}» не предусмотрен формой и не учитывается.`,
        value: typed,
      });
      return;
    }
    source.raw[column.key] = cells[1];
    source.cells[column.key] = cellAddress(1, index + 1);
  });
  for (const column of spec.columns) {
    if (source.cells[column.key] !== undefined || !column.required) continue;
    issues.push({
      ...base,
      severity: 'error',
      code: 'missing_column',
      column: column.header,
      message: `На листе нет строки «${column.header}». Добавьте её: в столбце «Параметр» — название, в «Значение» — значение.`,
    });
  }
  return { rows: [source], issues };
}

function atMostIssues(
  spec: TabSpec,
  values: Record<string, CellValue>,
  source: SourceRow,
  base: { workbook: string; tab: string },
  issues: ValidationIssue[],
): void {
  let exceeded: Set<string> | undefined;
  for (const column of spec.columns) {
    const value = values[column.key];
    if (!column.atMost || typeof value !== 'number') continue;
    // A bound built on a value already reported as too big would only repeat that message.
    if (exceeded && column.atMost.some((term) => exceeded?.has(term.replace(/^-/, '')))) continue;
    let bound = 0;
    let complete = true;
    for (const term of column.atMost) {
      const negative = term.startsWith('-');
      const other = values[negative ? term.slice(1) : term];
      if (typeof other !== 'number') complete = false;
      else bound += negative ? -other : other;
    }
    if (!complete || value <= bound) continue;
    // The bound in words, only for a finding.
    const parts = column.atMost.map((term, k) => {
      const negative = term.startsWith('-');
      const header = headerOf(spec, negative ? term.slice(1) : term);
      return k === 0 ? `«${header}»` : `${negative ? '−' : '+'} «${header}»`;
    });
    (exceeded ??= new Set()).add(column.key);
    issues.push({
      ...base,
      cell: source.cells[column.key],
      row: source.row,
      column: column.header,
      value,
      severity: 'error',
      code: 'exceeds',
      message: `«${column.header}» (${value}) не может быть больше, чем ${parts.join(' ')} (${bound}).`,
    });
  }
}

function headerOf(spec: TabSpec, key: string): string {
  return spec.columns.find((c) => c.key === key)?.header ?? key;
}

function uniquenessIssues<T>(
  spec: TabSpec,
  rows: TabRow<T>[],
  base: { workbook: string; tab: string },
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const column of spec.columns.filter((c: ColumnSpec) => c.unique)) {
    const firstRow = new Map<string, number>();
    for (const row of rows) {
      const value = (row.values as Record<string, unknown>)[column.key];
      if (typeof value !== 'string') continue;
      const key = textKey(value);
      const first = firstRow.get(key);
      if (first === undefined) {
        firstRow.set(key, row.row);
        continue;
      }
      row.usable = false;
      issues.push({
        ...base,
        cell: row.cells[column.key],
        row: row.row,
        column: column.header,
        value,
        severity: 'error',
        code: 'duplicate',
        message: `«${value}» уже есть в строке ${first}; значения столбца «${column.header}» не должны повторяться. Строка не учтена.`,
      });
    }
  }
  return issues;
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.cell}|${i.code}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
