/**
 * The peer of the read stage: SheetJS (the `xlsx` package family, here the npm mirror @e965/xlsx of
 * the current SheetJS release) reading the same .xlsx files, and a cell-by-cell check of its values
 * against ours.
 *
 * The options ask SheetJS for what readXlsxWorkbook gives (typed values, dates as dates, the number
 * format of each cell) and spare it what we do not compute (formatted text, HTML of rich text,
 * formulae, styles, stub cells).
 */
import { readFile } from 'node:fs/promises';
import * as XLSX from '@e965/xlsx';
import type { RawCell, RawCellValue, RawTab, RawWorkbook } from '../../functions/core/raw-workbook.js';

/** SheetJS's version, as the package reports it. */
export const SHEETJS_VERSION: string = XLSX.version;

/** The parsing options of every SheetJS read (docs: «Parsing Options» of SheetJS 0.20). */
export const SHEETJS_OPTIONS = {
  type: 'buffer',
  /** Rows as arrays (sheet['!data'][R][C]), like our rows, instead of an object keyed by A1 addresses. */
  dense: true,
  /** Date-formatted numbers as Date objects (type d), as our reader gives them. */
  cellDates: true,
  /** The number format of each cell in .z: the percent flag comes from it. */
  cellNF: true,
  /** No formatted text (.w): we keep raw values. */
  cellText: false,
  /** No HTML of rich text (.h). */
  cellHTML: false,
  /** No formula text (.f): the cached result is the value, as in our reader. */
  cellFormula: false,
  /** No styles (.s) and no cells for empty styled positions (the defaults, stated). */
  cellStyles: false,
  sheetStubs: false,
} as const satisfies XLSX.ParsingOptions;

/** Reads one file from disk and parses it with SheetJS, as readXlsxWorkbook reads one file. */
export async function readWithSheetJs(file: string): Promise<XLSX.WorkBook> {
  // A fresh copy each time: XLSX.read fills its defaults into the options object it is given.
  return XLSX.read(await readFile(file), { ...SHEETJS_OPTIONS });
}

/** Data rows of a SheetJS workbook, counted as dataRows counts ours: all rows up to the last one held, less the header. */
export function sheetJsDataRows(workbook: XLSX.WorkBook): number {
  let rows = 0;
  for (const name of workbook.SheetNames) rows += Math.max(0, (workbook.Sheets[name]?.['!data']?.length ?? 0) - 1);
  return rows;
}

/** A cell in our shape, with the hyperlink our reader gives (RawCell.link) where it has one. */
type ComparableCell = RawCell & { link?: string };

/** One SheetJS cell in our shape: null for an empty one, errors as their text, percent from the number format. */
function rawCell(cell: XLSX.CellObject | undefined): ComparableCell {
  if (cell === undefined) return { value: null };
  let value: RawCellValue;
  switch (cell.t) {
    case 's':
    case 'n':
    case 'b':
      value = cell.v === undefined ? null : (cell.v as string | number | boolean);
      break;
    case 'd':
      // SheetJS 0.20 makes Dates from the serial number with UTC arithmetic (numdate: days × 86 400 000 ms
      // from Date.UTC(1899, 11, 30)), so their UTC fields are the wall-clock date-time, as ours are.
      value = cell.v instanceof Date ? cell.v : cell.v === undefined ? null : new Date(String(cell.v));
      break;
    case 'e':
      // With cellText: false the error's text is not kept in .w; format_cell maps the code back to it.
      value = XLSX.utils.format_cell(cell) || null;
      break;
    default:
      value = null;
  }
  return {
    value,
    ...(typeof cell.z === 'string' && cell.z.includes('%') ? { percentFormat: true } : {}),
    ...(cell.l?.Target ? { link: cell.l.Target } : {}),
  };
}

/** A SheetJS workbook in our RawWorkbook shape (tabs → rows → cells), for the check; not timed. */
export function toRawWorkbook(workbook: XLSX.WorkBook, name: string): RawWorkbook {
  const tabs: RawTab[] = workbook.SheetNames.map((sheetName) => {
    const data = workbook.Sheets[sheetName]?.['!data'] ?? [];
    return { name: sheetName, rows: Array.from(data, (row) => Array.from(row ?? [], rawCell)) };
  });
  return { name, tabs };
}

/** What differs between the two readings of one cell (or tab). */
export type DisagreementKind = 'tabs' | 'value' | 'percentFormat' | 'link';

export interface Disagreement {
  file: string;
  tab: string;
  /** A1 address of the cell; empty for a difference in the tabs themselves. */
  cell: string;
  kind: DisagreementKind;
  ours: string;
  sheetjs: string;
}

/** The check over all files: positions compared, and the disagreements (the first few kept). */
export interface ReadCheck {
  files: number;
  /** Cell positions compared: every position either reader has in a row, up to the longer row. */
  cells: number;
  /** Positions (and tabs) where the two readings differ. */
  disagreements: number;
  byKind: Record<DisagreementKind, number>;
  first: Disagreement[];
}

export function emptyCheck(): ReadCheck {
  return { files: 0, cells: 0, disagreements: 0, byKind: { tabs: 0, value: 0, percentFormat: 0, link: 0 }, first: [] };
}

/** Kept disagreements, for the report and stderr. */
const KEPT = 10;

/** Column letters of a 0-based column index: 0 → A, 26 → AA. */
function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** A value as the report shows it: its type and, for dates, the UTC (wall-clock) ISO form. */
function shown(value: RawCellValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return `Date ${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function sameValue(a: RawCellValue, b: RawCellValue): boolean {
  if (a instanceof Date || b instanceof Date) {
    if (!(a instanceof Date && b instanceof Date)) return false;
    const x = a.getTime();
    const y = b.getTime();
    return x === y || (Number.isNaN(x) && Number.isNaN(y));
  }
  return a === b || Object.is(a, b);
}

/** Compares two readings of one file cell by cell into `check`. */
export function compareWorkbooks(file: string, ours: RawWorkbook, theirs: RawWorkbook, check: ReadCheck): void {
  check.files += 1;
  const note = (d: Disagreement) => {
    check.disagreements += 1;
    check.byKind[d.kind] += 1;
    if (check.first.length < KEPT) check.first.push(d);
  };
  const tabs = Math.max(ours.tabs.length, theirs.tabs.length);
  for (let t = 0; t < tabs; t++) {
    const a = ours.tabs[t];
    const b = theirs.tabs[t];
    if (a?.name !== b?.name) {
      note({
        file,
        tab: a?.name ?? b?.name ?? '',
        cell: '',
        kind: 'tabs',
        ours: a?.name ?? '—',
        sheetjs: b?.name ?? '—',
      });
      if (!a || !b) continue;
    }
    if (!a || !b) continue;
    const rows = Math.max(a.rows.length, b.rows.length);
    for (let r = 0; r < rows; r++) {
      const rowA = a.rows[r] ?? [];
      const rowB = b.rows[r] ?? [];
      const cells = Math.max(rowA.length, rowB.length);
      for (let c = 0; c < cells; c++) {
        check.cells += 1;
        const x = (rowA[c] ?? { value: null }) as ComparableCell;
        const y = (rowB[c] ?? { value: null }) as ComparableCell;
        const at = { file, tab: a.name, cell: `${columnName(c)}${r + 1}` };
        if (!sameValue(x.value, y.value)) note({ ...at, kind: 'value', ours: shown(x.value), sheetjs: shown(y.value) });
        else if ((x.percentFormat === true) !== (y.percentFormat === true))
          note({
            ...at,
            kind: 'percentFormat',
            ours: String(x.percentFormat === true),
            sheetjs: String(y.percentFormat === true),
          });
        else if ((x.link ?? '') !== (y.link ?? ''))
          note({ ...at, kind: 'link', ours: x.link ?? '—', sheetjs: y.link ?? '—' });
      }
    }
  }
}
