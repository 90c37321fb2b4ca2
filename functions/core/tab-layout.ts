import type { RawCell, RawTab } from './raw-workbook.js';
import type { ColumnSpec, TabSpec } from './tab-specs.js';
import { textKey } from './text-key.js';
import { cellAddress, type ValidationIssue } from './validation-issue.js';

// Where a tab's data is: its header row (row 1, or under a title) and the columns it names, or the
// «Параметр | Значение» rows of a key-value tab; each data row as raw cells with their addresses.

/** A cell with nothing in it, or only spaces. */
export function isEmptyCell(cell: RawCell | undefined): boolean {
  const v = cell?.value ?? null;
  return v === null || (typeof v === 'string' && v.trim() === '');
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
export interface SourceRow {
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

/** The table layout: a header row, then a data row per row that holds something in a column of the form. */
export function tableLayout(
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
export function keyValueLayout(
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
