/** A spreadsheet cell as an adapter read it, before any interpretation. */
export type RawCellValue = string | number | boolean | Date | null;

/**
 * One cell by its stored value and type, never by how a program displays it: text, a number, a
 * boolean, a date (a Date whose UTC fields are the wall-clock date and time the cell holds), or
 * null. A number the spreadsheet formats as a percent is the stored fraction (0,925 shows as
 * 92,5 %), marked so; a cell carrying a hyperlink has the link's address beside the text it shows.
 */
export interface RawCell {
  value: RawCellValue;
  percentFormat?: boolean;
  link?: string;
}

/** An empty cell, shared (and frozen) so that the gaps of a row cost no memory of their own. */
export const EMPTY_CELL: RawCell = Object.freeze({ value: null });

/** One tab: rows of cells, row 0 is spreadsheet row 1 (the headers). */
export interface RawTab {
  name: string;
  rows: RawCell[][];
}

/** A whole workbook as read from an .xlsx file or a Google spreadsheet. */
export interface RawWorkbook {
  /** What users call it: the file name or the spreadsheet title. */
  name: string;
  tabs: RawTab[];
  /** The workbook's last change by a person, where the source knows it (Google Drive). */
  lastChange?: LastChange;
}

/**
 * When a workbook was last changed, and by whom (the editor's display name, not an address), as
 * the source knows it: Drive's `modifiedTime` and `lastModifyingUser.displayName`. Our own writes
 * (findings written back) do not count as a change.
 */
export interface LastChange {
  /** RFC 3339 instant. */
  at: string;
  by?: string;
}

/** A cell value in JSON: dates become {"$date": ISO instant}, so they come back as dates, not as text. */
function replaceDates(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (!(original instanceof Date)) return value;
  // A broken date cell stays a broken date (it reads back as an invalid Date, and validation says so).
  return { $date: Number.isNaN(original.getTime()) ? 'invalid' : original.toISOString() };
}

function reviveDates(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const date = (value as { $date?: unknown }).$date;
    if (keys.length === 1 && typeof date === 'string') return new Date(date);
  }
  return value;
}

/** JSON text of a value holding raw workbooks, with their dates kept as dates. */
export function rawJson(value: unknown): string {
  return `${JSON.stringify(value, replaceDates)}\n`;
}

/** Reads back what `rawJson` wrote. */
export function parseRawJson<T>(text: string): T {
  return JSON.parse(text, reviveDates) as T;
}
