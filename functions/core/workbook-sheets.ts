import { blankColumn, type BlankColumn } from './blank-workbook.js';
import { dateFromSerial, formatCodeKind } from './number-format.js';
import { EMPTY_CELL, type RawCell, type RawWorkbook } from './raw-workbook.js';
import type { TabId, TabSpec } from './tab-specs.js';
import { cellPosition } from './validation-issue.js';

/**
 * One cell as a workbook's content gives it. A string, number or boolean is stored as it is, with
 * no number format; a Date (or {date}) is a date cell. The object forms carry what a person's
 * spreadsheet may hold besides a plain value:
 *   {text: "12,5"}                     text typed into a text-formatted («@») cell;
 *   {date: "2026-05-01"}               a date stored as a serial, shown as dd.mm.yyyy (or `format`);
 *   {percent: 0.5, format: "0.0%"}     a stored fraction shown as a percent (format «0%» by default);
 *   {number: 3.5, format: "0.00"}      a number with an explicit format code;
 *   {formula: "B2/0", result: 5}       a formula with its cached result ({error: "#DIV/0!"} for an error);
 *   {link: "https://…", text: "сайт"}  a hyperlink showing `text` (the address when left out).
 */
export type CellInput =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | { text: string }
  | { date: string; format?: string }
  | { percent: number; format?: string }
  | { number: number; format: string }
  | { formula: string; result: string | number | boolean | { error: string } | null }
  | { link: string; text?: string };

/** A data row: cells by the field names of the tab's schema (extra columns by their header). */
export type RowInput = Readonly<Record<string, CellInput>>;

/** One tab's content. Everything but `rows` is for planting what real spreadsheets do. */
export interface TabContent {
  /** Data rows; null leaves an entirely empty row. A key-value tab («Регион») has one row: its parameters. */
  rows: readonly (RowInput | null)[];
  /** The tab's name as written, when it is not the schema's title. */
  name?: string;
  /**
   * Fields in the order their columns are written; a field left out is a missing column (its values in
   * the rows are dropped). Default: the schema's.
   */
  columns?: readonly string[];
  /** Header text as written, by field, where it differs from the schema's header. */
  headers?: Readonly<Record<string, string>>;
  /** Headers of columns the schema does not have, written after the others; rows give them by header. */
  extraColumns?: readonly string[];
  /** Merged ranges such as «C2:C3». */
  merges?: readonly string[];
}

/** A workbook's content: tabs by schema id, written in the contract's order. */
export interface WorkbookContent {
  name: string;
  tabs: Partial<Record<TabId, TabContent>>;
  creator?: string;
  /** ISO date of the file's metadata (created and modified); default: the writer's now. */
  created?: string;
}

/** A cell laid out for a writer. */
export interface SheetCell {
  value: string | number | boolean | Date | null;
  /** Number format code. */
  format?: string;
  formula?: string;
  /** The value is a formula error such as «#DIV/0!». */
  error?: boolean;
  link?: string;
  /** Note on the cell (a blank workbook's headers say what to type). */
  note?: string;
  /** A dropdown of these values. */
  list?: { values: readonly string[]; required: boolean; header: string };
}

/** A tab laid out for a writer: row 0 is the header row (frozen, bold). */
export interface Sheet {
  name: string;
  rows: SheetCell[][];
  widths: number[];
  merges: string[];
}

export interface WorkbookSheets {
  name: string;
  sheets: Sheet[];
  creator: string;
  created?: Date;
}

/** Rows of a blank sheet that get dropdowns and formats. */
const PREPARED_ROWS = 1000;
const DATE_FORMAT = 'dd.mm.yyyy';
const CREATOR = 'Монитор 500+';

const NUMBER_FORMATS: Record<BlankColumn['format'], string | undefined> = {
  text: '@',
  int: '0',
  number: undefined,
  percent: '0%',
  date: DATE_FORMAT,
};

const isoDate = (iso: string): Date => new Date(/T/.test(iso) ? `${iso.replace(/Z?$/, '')}Z` : `${iso}T00:00:00Z`);

/** The laid-out cell of a content cell. */
export function sheetCell(input: CellInput): SheetCell {
  if (input === null || input === undefined || input === '') return { value: null };
  if (input instanceof Date) return { value: input, format: DATE_FORMAT };
  if (typeof input !== 'object') return { value: input };
  if ('text' in input && !('link' in input)) return { value: input.text, format: '@' };
  if ('date' in input) return { value: isoDate(input.date), format: input.format ?? DATE_FORMAT };
  if ('percent' in input) return { value: input.percent, format: input.format ?? '0%' };
  if ('number' in input) return { value: input.number, format: input.format };
  if ('formula' in input) {
    const { result } = input;
    return result !== null && typeof result === 'object'
      ? { value: result.error, formula: input.formula, error: true }
      : { value: result, formula: input.formula };
  }
  if ('link' in input) return { value: input.text ?? input.link, link: input.link };
  throw new Error(`Unknown cell form ${JSON.stringify(input)}`);
}

function specOf(specs: ReadonlyMap<TabId, TabSpec>, id: TabId): TabSpec {
  const spec = specs.get(id);
  if (!spec) throw new Error(`No tab schema «${id}»`);
  return spec;
}

/** Value of an own property only: a header such as «__proto__» must not reach the prototype. */
const own = (row: RowInput, key: string): CellInput => (Object.hasOwn(row, key) ? row[key] : undefined);

function displayLength(cell: SheetCell): number {
  if (cell.value === null) return 0;
  if (cell.value instanceof Date) return 10;
  if (cell.format && typeof cell.value === 'number') return 6;
  return String(cell.value).length;
}

/** Widths that fit the longest value of each column (8 to 60 characters). */
function fittedWidths(rows: readonly SheetCell[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, j) => (widths[j] = Math.max(widths[j] ?? 0, displayLength(cell))));
  }
  return widths.map((w) => Math.min(60, Math.max(8, w + 2)));
}

/** A filled tab: its columns as the content asks, the rows under them. */
function filledSheet(spec: TabSpec, content: TabContent): Sheet {
  const fields = spec.columns.map((c) => c.key);
  const order = content.columns ?? fields;
  for (const key of [...order, ...Object.keys(content.headers ?? {})]) {
    if (!fields.includes(key)) throw new Error(`«${spec.title}» has no field «${key}»`);
  }
  const extra = content.extraColumns ?? [];
  const header = (key: string) => content.headers?.[key] ?? spec.columns.find((c) => c.key === key)?.header ?? key;
  let rows: SheetCell[][];
  if (spec.layout === 'key-value') {
    const values = content.rows[0] ?? {};
    rows = [
      [{ value: 'Параметр' }, { value: 'Значение' }],
      ...order.map((key) => [{ value: header(key) }, sheetCell(own(values, key))]),
    ];
  } else {
    const keys = [...order, ...extra];
    rows = [
      keys.map((key) => ({ value: header(key) })),
      ...content.rows.map((row) => {
        if (row === null) return [];
        // A field's value under a column left out is dropped with the column; any other key is a mistake.
        for (const key of Object.keys(row)) {
          if (!keys.includes(key) && !fields.includes(key)) {
            throw new Error(`«${spec.title}»: no column «${key}» in ${JSON.stringify(row)}`);
          }
        }
        return keys.map((key) => sheetCell(own(row, key)));
      }),
    ];
  }
  return { name: content.name ?? spec.title, rows, widths: fittedWidths(rows), merges: [...(content.merges ?? [])] };
}

/** A workbook laid out from its content: headers, cell types and tab order from the tab schemas. */
export function workbookSheets(specs: ReadonlyMap<TabId, TabSpec>, content: WorkbookContent): WorkbookSheets {
  const ids = Object.keys(content.tabs) as TabId[];
  const ordered = [...specs.keys()].filter((id) => ids.includes(id));
  for (const id of ids) specOf(specs, id);
  return {
    name: content.name,
    sheets: ordered.map((id) => filledSheet(specOf(specs, id), content.tabs[id] as TabContent)),
    creator: content.creator ?? CREATOR,
    ...(content.created ? { created: isoDate(content.created) } : {}),
  };
}

/** A column's prepared (empty) cell: its number format and dropdown. */
function preparedCell(column: BlankColumn): SheetCell {
  const format = NUMBER_FORMATS[column.format];
  return {
    value: null,
    ...(format ? { format } : {}),
    ...(column.list ? { list: { values: column.list, required: column.required, header: column.header } } : {}),
  };
}

/**
 * A blank registry or school workbook, from the tab schemas alone: headers with notes (what to
 * type), and under them prepared rows with dropdowns for lists and да/нет and date and percent
 * formats. A key-value tab lists its parameters down column A.
 */
export function blankSheets(specs: ReadonlyMap<TabId, TabSpec>, kind: 'registry' | 'school'): WorkbookSheets {
  const sheets = [...specs.values()]
    .filter((spec) => spec.workbook === kind)
    .map((spec): Sheet => {
      const columns = spec.columns.map(blankColumn);
      if (spec.layout === 'key-value') {
        return {
          name: spec.title,
          rows: [
            [{ value: 'Параметр' }, { value: 'Значение' }],
            ...columns.map((c) => [{ value: c.header, note: c.note }, preparedCell(c)]),
          ],
          widths: [36, 60],
          merges: [],
        };
      }
      const prepared = columns.map(preparedCell);
      return {
        name: spec.title,
        rows: [
          columns.map((c) => ({ value: c.header, note: c.note })),
          ...Array<SheetCell[]>(PREPARED_ROWS).fill(prepared),
        ],
        widths: columns.map((c) => Math.min(60, Math.max(14, c.header.length + 4, c.format === 'text' ? 28 : 14))),
        merges: [],
      };
    });
  return { name: kind === 'registry' ? 'registry.xlsx' : 'school.xlsx', sheets, creator: CREATOR };
}

/** A cell as a reader hands it to the core: its value by type, a percent format marked, a link kept. */
function rawCell(cell: SheetCell): RawCell {
  let value = cell.value;
  const kind = typeof value === 'number' && cell.format ? formatCodeKind(cell.format) : undefined;
  if (kind === 'date') value = dateFromSerial(value as number, 'excel-1900');
  if (kind === 'bool') value = value !== 0;
  if (value === null && !cell.link) return EMPTY_CELL;
  return { value, ...(kind === 'percent' ? { percentFormat: true } : {}), ...(cell.link ? { link: cell.link } : {}) };
}

/**
 * The workbook as an adapter would read it back, without a file: cells by stored value and type, and
 * a merged range's first value in each of its cells.
 */
export function rawWorkbook(workbook: WorkbookSheets): RawWorkbook {
  return {
    name: workbook.name,
    tabs: workbook.sheets.map((sheet) => {
      const rows = sheet.rows.map((row) => row.map(rawCell));
      for (const range of sheet.merges) {
        const [from, to] = range.split(':').map((a) => cellPosition(a));
        if (!from || !to) throw new Error(`Bad range «${range}»`);
        const first = rows[from.row - 1]?.[from.column - 1] ?? EMPTY_CELL;
        for (let r = from.row - 1; r < Math.min(to.row, rows.length); r++) {
          const row = rows[r] as RawCell[];
          for (let c = from.column - 1; c < to.column; c++) row[c] = first;
        }
      }
      return { name: sheet.name, rows };
    }),
  };
}
