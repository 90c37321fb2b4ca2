import { dateFromSerial, type NumberFormatKind } from '../../core/number-format.js';
import { EMPTY_CELL, type RawCell } from '../../core/raw-workbook.js';
import { cellPosition } from '../../core/validation-issue.js';
import { unescapeXstring, type StyleKinds } from './workbook-parts.js';
import { TagKind, type XmlScanner } from './xml-scanner.js';

// A worksheet part: its cells by stored value and type, its hyperlinks and merged ranges.

/** The largest row and column a spreadsheet has (Excel's grid). */
export const MAX_ROW = 1_048_576;
export const MAX_COLUMN = 16_384;

/** What reading a worksheet needs from the rest of the workbook. */
export interface SheetContext {
  sharedStrings: readonly string[];
  styles: StyleKinds;
  date1904: boolean;
}

/** A rectangle of cells, 0-based and inclusive. */
export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** What a worksheet part holds: its rows (gaps left as holes), hyperlinks and merged ranges. */
export interface WorksheetContent {
  rows: (RawCell[] | undefined)[];
  links: { range: CellRange; relationshipId: string | undefined }[];
  merges: CellRange[];
}

/**
 * Reads a worksheet's cells by their stored value and type. `onRow` is told of each row as it is
 * read (its number, its cells up to the last, and how many rows came before), so that a grid too
 * large is refused before it is built.
 */
export function readWorksheet(
  scanner: XmlScanner,
  context: SheetContext,
  onRow: (rowNumber: number, cellsInRow: number, rowsBefore: number) => void,
): WorksheetContent {
  const rows: (RawCell[] | undefined)[] = [];
  const links: WorksheetContent['links'] = [];
  const merges: CellRange[] = [];
  let rowNumber = 0;
  let column = 0;
  let cells: RawCell[] = [];
  const endRow = () => {
    if (cells.length === 0) return;
    onRow(rowNumber, cells.length, rows.length);
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = EMPTY_CELL;
    rows[rowNumber - 1] = cells;
    cells = [];
  };
  while (scanner.next()) {
    const name = scanner.name;
    if (scanner.kind === TagKind.Close) {
      if (name === 'row') endRow();
      continue;
    }
    if (name === 'c') {
      const reference = scanner.attr('r');
      const at = reference ? cellPosition(reference) : undefined;
      if (at) {
        if (at.row !== rowNumber) {
          endRow();
          rowNumber = at.row;
        }
        column = at.column;
      } else {
        column++;
        if (rowNumber === 0) rowNumber = 1;
      }
      if (column > MAX_COLUMN || rowNumber > MAX_ROW) {
        scanner.skip();
        continue;
      }
      const cell = readCell(scanner, context);
      if (cell !== undefined) cells[column - 1] = cell;
    } else if (name === 'row') {
      endRow();
      const r = Number(scanner.attr('r'));
      rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
      column = 0;
    } else if (name === 'hyperlink') {
      const range = parseRange(scanner.attr('ref'));
      if (range) links.push({ range, relationshipId: scanner.attr('id') });
    } else if (name === 'mergeCell') {
      const range = parseRange(scanner.attr('ref'));
      if (range) merges.push(range);
    }
  }
  endRow();
  return { rows, links, merges };
}

/** The cell whose opening tag the scanner is on; undefined when it holds nothing. */
function readCell(scanner: XmlScanner, context: SheetContext): RawCell | undefined {
  const type = scanner.attr('t');
  const style = scanner.attr('s');
  if (scanner.kind === TagKind.Empty) return undefined;
  let stored: string | undefined;
  let inline: string | undefined;
  let formula: string | undefined;
  const depth = scanner.depth;
  while (scanner.next() && scanner.depth >= depth) {
    if (scanner.kind === TagKind.Close) continue;
    const name = scanner.name;
    if (name === 'v') stored = scanner.text();
    else if (name === 'f') formula = scanner.kind === TagKind.Open ? scanner.text() : undefined;
    else if (name === 'is') inline = inlineText(scanner);
  }
  const link = formula === undefined ? undefined : hyperlinkFormulaAddress(formula);
  const cell = cellOf(type, stored, inline, style === undefined ? 'number' : context.styles[Number(style)], context);
  if (link === undefined) return cell;
  return { ...(cell ?? { value: null }), link };
}

/** The text of an inline string («<is>»): its runs joined, phonetic guides left out. */
function inlineText(scanner: XmlScanner): string {
  if (scanner.kind === TagKind.Empty) return '';
  const depth = scanner.depth;
  let text = '';
  while (scanner.next() && scanner.depth >= depth) {
    if (scanner.kind === TagKind.Close) continue;
    if (scanner.name === 't') text += scanner.text();
    else if (scanner.name === 'rPh') scanner.skip();
  }
  return unescapeXstring(text);
}

/** The value of a cell from its type attribute, stored value and style's number format. */
function cellOf(
  type: string | undefined,
  stored: string | undefined,
  inline: string | undefined,
  kind: NumberFormatKind | undefined,
  context: SheetContext,
): RawCell | undefined {
  switch (type) {
    case 's': {
      const text = stored === undefined ? undefined : context.sharedStrings[Number(stored)];
      return text === undefined ? undefined : { value: text };
    }
    case 'inlineStr':
      return inline === undefined ? undefined : { value: inline };
    case 'str':
      return stored === undefined ? undefined : { value: unescapeXstring(stored) };
    case 'b':
      return stored === undefined ? undefined : { value: stored.trim() === '1' || stored.trim() === 'true' };
    case 'e':
      return stored === undefined ? undefined : { value: stored.trim() };
    case 'd': {
      const date = stored === undefined ? undefined : dateFromIsoText(stored);
      return date === undefined ? undefined : { value: date };
    }
    default: {
      if (stored === undefined) return inline === undefined ? undefined : { value: inline };
      const text = stored.trim();
      const number = text === '' ? NaN : Number(text);
      if (!Number.isFinite(number)) return text === '' ? undefined : { value: text };
      if (kind === 'date') return { value: dateFromSerial(number, context.date1904 ? 'excel-1904' : 'excel-1900') };
      if (kind === 'percent') return { value: number, percentFormat: true };
      if (kind === 'bool') return { value: number !== 0 };
      return { value: number };
    }
  }
}

/** A «t="d"» cell's ISO 8601 text as the wall-clock date-time it names (a zone, if written, is ignored). */
function dateFromIsoText(text: string): Date | undefined {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  return new Date(
    Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(s ?? 0),
      Number((ms ?? '0').padEnd(3, '0')),
    ),
  );
}

/** The address of a HYPERLINK("address"; …) formula whose address is written as text. */
function hyperlinkFormulaAddress(formula: string): string | undefined {
  const m = /^\s*=?\s*(?:_xlfn\.)?HYPERLINK\s*\(\s*"((?:[^"]|"")*)"/i.exec(formula);
  return m ? (m[1] as string).replace(/""/g, '"').trim() || undefined : undefined;
}

/** A row with no cells, shared (frozen) like EMPTY_CELL. */
export const EMPTY_ROW: RawCell[] = Object.freeze([]) as unknown as RawCell[];

/** A range «B2:C4» (or one cell «B2»), 0-based. */
function parseRange(text: string | undefined): CellRange | undefined {
  if (!text) return undefined;
  const [first, last = first] = text.split(':');
  const from = cellPosition(first ?? '');
  const to = cellPosition(last ?? '');
  if (!from || !to) return undefined;
  return {
    top: Math.min(from.row, to.row) - 1,
    left: Math.min(from.column, to.column) - 1,
    bottom: Math.min(Math.max(from.row, to.row), MAX_ROW) - 1,
    right: Math.min(Math.max(from.column, to.column), MAX_COLUMN) - 1,
  };
}

/** Gives every cell of a hyperlink's range the link's address (rows past the last read stay as they are). */
export function setLink(rows: (RawCell[] | undefined)[], range: CellRange, address: string): void {
  const bottom = Math.min(range.bottom, rows.length - 1);
  for (let r = range.top; r <= bottom; r++) {
    const row = rows[r];
    if (!row) continue;
    const right = Math.min(range.right, row.length - 1);
    for (let c = range.left; c <= right; c++) {
      const cell = row[c];
      if (cell) row[c] = { ...cell, link: address };
    }
  }
}

/**
 * A merged range shows its first cell's value across the whole range: every cell of it that the
 * file has rows for reads as that value (a task merged across two roadmap rows belongs to both).
 */
export function fillMerged(
  rows: (RawCell[] | undefined)[],
  range: CellRange,
  count: (rowNumber: number, cells: number) => void,
): void {
  const first = rows[range.top]?.[range.left];
  if (!first || first.value === null) return;
  const bottom = Math.min(range.bottom, rows.length - 1);
  for (let r = range.top; r <= bottom; r++) {
    const row = (rows[r] ??= []);
    count(r + 1, Math.max(0, range.right + 1 - row.length));
    for (let c = range.left; c <= range.right; c++) if (r !== range.top || c !== range.left) row[c] = first;
  }
}
