import { coerceCell, type CellValue } from './coerce-cell.js';
import { countOf, formatNumber } from './format-ru.js';
import type { PlanYear, SchoolYear } from './calendar.js';
import type { RawCell, RawTab } from './raw-workbook.js';
import { schemaErrorIssue } from './schema-error-message.js';
import { keyValueLayout, tableLayout, type SourceRow } from './tab-layout.js';
import type { ColumnSpec, TabSpec } from './tab-specs.js';
import { textKey } from './text-key.js';
import type { ValidationIssue } from './validation-issue.js';

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
  /** The year deadlines in words land in: the school year, or the plan-graph's own year. */
  schoolYear: SchoolYear | PlanYear | undefined;
  /** Data rows read at most; more is reported and skipped. */
  maxRows: number;
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
