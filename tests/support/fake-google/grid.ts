/** Grid geometry and A1 notation: sizes, boxes, ranges, tabs by title or ID. */
import { badRequest } from './errors.js';
import { asObject, optInt } from './json.js';
import type { FakeCell, FakeSheet, FakeSpreadsheet } from './types.js';

export const DEFAULT_ROWS = 1000;
export const DEFAULT_COLUMNS = 26;

export function gridSize(sheet: FakeSheet): { rows: number; columns: number } {
  const longest = sheet.rows.reduce((m, r) => Math.max(m, r.length), 0);
  return {
    rows: sheet.gridProperties?.rowCount ?? Math.max(sheet.rows.length, DEFAULT_ROWS),
    columns: sheet.gridProperties?.columnCount ?? Math.max(longest, DEFAULT_COLUMNS),
  };
}

/** Pins the grid size so later writes don't silently grow it. */
export function pinGrid(sheet: FakeSheet): void {
  const { rows, columns } = gridSize(sheet);
  sheet.gridProperties = { ...sheet.gridProperties, rowCount: rows, columnCount: columns };
}

/** Half-open cell box, 0-based. */
export interface Box {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function quoteTitle(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title)
    ? title
    : `'${title.replace(/'/g, "''")}'`;
}

export function a1(sheet: FakeSheet, box: Box): string {
  const start = `${columnName(box.c0)}${box.r0 + 1}`;
  const end = `${columnName(box.c1 - 1)}${box.r1}`;
  return `${quoteTitle(sheet.title)}!${start === end ? start : `${start}:${end}`}`;
}

interface OpenBox {
  r0: number;
  r1?: number;
  c0: number;
  c1?: number;
}

/** Parses the part after '!': A1, A1:B2, A:C, 2:5, A2:C (open-ended). Undefined when it is not A1 notation. */
function parseA1(text: string): OpenBox | undefined {
  const part = /^([A-Za-z]*)(\d*)$/;
  const [left, right, ...rest] = text.split(':');
  if (left === undefined || rest.length > 0) return undefined;
  const a = part.exec(left);
  if (!a || (a[1] === '' && a[2] === '')) return undefined;
  const aCol = a[1] ?? '';
  const aRow = a[2] ?? '';
  if (aRow !== '' && Number(aRow) < 1) return undefined;
  if (right === undefined) {
    if (aCol === '' || aRow === '') return undefined;
    const c = columnIndex(aCol);
    const r = Number(aRow) - 1;
    return { r0: r, r1: r + 1, c0: c, c1: c + 1 };
  }
  const b = part.exec(right);
  if (!b || (b[1] === '' && b[2] === '')) return undefined;
  const bCol = b[1] ?? '';
  const bRow = b[2] ?? '';
  if (bRow !== '' && Number(bRow) < 1) return undefined;
  const cols = [aCol === '' ? undefined : columnIndex(aCol), bCol === '' ? undefined : columnIndex(bCol)];
  const rows = [aRow === '' ? undefined : Number(aRow) - 1, bRow === '' ? undefined : Number(bRow) - 1];
  const [ca, cb] = cols;
  const [ra, rb] = rows;
  return {
    c0: Math.min(ca ?? 0, cb ?? ca ?? 0),
    c1: ca !== undefined && cb !== undefined ? Math.max(ca, cb) + 1 : undefined,
    r0: Math.min(ra ?? 0, rb ?? ra ?? 0),
    r1: ra !== undefined && rb !== undefined ? Math.max(ra, rb) + 1 : undefined,
  };
}

/** Clamps an open box to the grid; 400 "exceeds grid limits" when it starts outside it, as Google does. */
function clampBox(sheet: FakeSheet, open: OpenBox, shown: string): Box {
  const { rows, columns } = gridSize(sheet);
  if (open.r0 >= rows || open.c0 >= columns) {
    throw badRequest(`Range (${shown}) exceeds grid limits. Max rows: ${rows}, max columns: ${columns}`);
  }
  return {
    r0: open.r0,
    c0: open.c0,
    r1: Math.min(open.r1 ?? rows, rows),
    c1: Math.min(open.c1 ?? columns, columns),
  };
}

export const sameTitle = (a: string, b: string) => a.toLocaleLowerCase('ru') === b.toLocaleLowerCase('ru');

/** The tab with this title, matched ignoring case as Sheets does (an exact match first). */
function findTitle(ss: FakeSpreadsheet, title: string): FakeSheet | undefined {
  return ss.sheets.find((s) => s.title === title) ?? ss.sheets.find((s) => sameTitle(s.title, title));
}

/** Resolves an A1 range: `'Title'!A1:B2`, `Title!A:C`, `'Title'`, `Title`, or `A1:B2` (first tab). */
export function resolveRange(ss: FakeSpreadsheet, text: string): { sheet: FakeSheet; box: Box } {
  const fail = () => badRequest(`Unable to parse range: ${text}`);
  const trimmed = text.trim();
  let title: string | undefined;
  let cells: string | undefined;
  if (trimmed.startsWith("'")) {
    let i = 1;
    let name = '';
    for (;;) {
      const ch = trimmed[i];
      if (ch === undefined) throw fail();
      if (ch === "'") {
        if (trimmed[i + 1] === "'") {
          name += "'";
          i += 2;
          continue;
        }
        i++;
        break;
      }
      name += ch;
      i++;
    }
    title = name;
    const rest = trimmed.slice(i);
    if (rest === '') cells = undefined;
    else if (rest.startsWith('!')) cells = rest.slice(1);
    else throw fail();
  } else if (trimmed.includes('!')) {
    const at = trimmed.indexOf('!');
    title = trimmed.slice(0, at);
    cells = trimmed.slice(at + 1);
  } else if (findTitle(ss, trimmed)) {
    title = trimmed;
  } else {
    cells = trimmed;
  }
  const sheet = title === undefined ? ss.sheets[0] : findTitle(ss, title);
  if (!sheet) throw fail();
  const open = cells === undefined || cells === '' ? { r0: 0, c0: 0 } : parseA1(cells);
  if (!open) throw fail();
  return { sheet, box: clampBox(sheet, open, text) };
}

export function findSheet(ss: FakeSpreadsheet, sheetId: unknown, where: string): FakeSheet {
  const id = optInt(sheetId) ?? 0;
  const sheet = ss.sheets.find((s) => s.sheetId === id);
  if (!sheet) throw badRequest(`Invalid ${where}: No grid with id: ${id}`);
  return sheet;
}

export function cellAt(sheet: FakeSheet, r: number, c: number): FakeCell {
  while (sheet.rows.length <= r) sheet.rows.push([]);
  const row = sheet.rows[r] ?? [];
  while (row.length <= c) row.push({ value: null });
  return row[c] ?? { value: null };
}

/** A GridRange (missing bounds = unbounded) as a box; 400 when it reaches outside the grid. */
export function gridRangeBox(ss: FakeSpreadsheet, range: unknown, where: string): { sheet: FakeSheet; box: Box } {
  const r = asObject(range);
  const sheet = findSheet(ss, r.sheetId, where);
  const { rows, columns } = gridSize(sheet);
  const box = {
    r0: optInt(r.startRowIndex) ?? 0,
    r1: optInt(r.endRowIndex) ?? rows,
    c0: optInt(r.startColumnIndex) ?? 0,
    c1: optInt(r.endColumnIndex) ?? columns,
  };
  if (box.r0 < 0 || box.c0 < 0 || box.r1 < box.r0 || box.c1 < box.c0) {
    throw badRequest(`Invalid ${where}: invalid GridRange ${JSON.stringify(range)}`);
  }
  if (box.r1 > rows || box.c1 > columns) {
    throw badRequest(
      `Invalid ${where}: Range (${quoteTitle(sheet.title)}!${columnName(box.c0)}${box.r0 + 1}:${columnName(box.c1 - 1)}${box.r1}) exceeds grid limits. Max rows: ${rows}, max columns: ${columns}`,
    );
  }
  return { sheet, box };
}

/** The one tab of a new spreadsheet. */
export const firstSheet = (): FakeSheet => ({
  sheetId: 0,
  title: 'Лист1',
  rows: [],
  gridProperties: { rowCount: DEFAULT_ROWS, columnCount: DEFAULT_COLUMNS },
});
