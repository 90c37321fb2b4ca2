/**
 * A local stand-in for the parts of Google Sheets v4 and Drive v3 the product uses, so tests drive the
 * real `@googleapis/sheets` / `@googleapis/drive` clients (with `rootUrl: server.url`) over real HTTP.
 *
 * Modelled on Google's documented behaviour, including the parts that bite:
 * - values are rendered as a ru_RU sheet shows them (decimal comma, «45,5%», «dd.mm.yyyy», TRUE/FALSE);
 * - trailing empty cells and rows are left out of `values`, `values` itself is absent for an empty range;
 * - Drive answers only `kind,id,name,mimeType` unless `fields` asks for more (modifiedTime, version…);
 * - proto3 JSON: zero/false fields (e.g. `frozenRowCount: 0`) are omitted;
 * - `spreadsheets.batchUpdate` is atomic: one bad request and nothing is applied;
 * - writes outside the grid (default 1000 rows × 26 columns for a new tab) fail with 400.
 * Not modelled: formulas are not evaluated (a formula cell reads back as its '=…' text), no named ranges.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';

export type FakeCell = {
  value: string | number | boolean | null;
  format?: 'date' | 'percent' | 'number' | 'text';
  note?: string;
  background?: { red?: number; green?: number; blue?: number };
  /** Set when the value was written as userEnteredValue.formulaValue; `value` then holds the '=…' text. */
  formula?: true;
  /** userEnteredFormat.textFormat.bold, when written. */
  bold?: boolean;
};

export interface FakeSheet {
  sheetId: number;
  title: string;
  rows: FakeCell[][];
  protectedHeader?: boolean;
  /** setDataValidation requests as received: `{ range, rule }`. */
  validations?: unknown[];
  /** Grid size; defaults: max(rows, 1000) × max(longest row, 26). */
  gridProperties?: { rowCount?: number; columnCount?: number; frozenRowCount?: number; frozenColumnCount?: number };
  /** addProtectedRange bodies, each with its protectedRangeId. */
  protectedRanges?: unknown[];
  hidden?: boolean;
}

export interface FakeSpreadsheet {
  id: string;
  title: string;
  /** RFC 3339. */
  modifiedTime: string;
  sheets: FakeSheet[];
  /** Drive folder IDs; when absent, any `'…' in parents` query term matches. */
  parents?: string[];
}

export type Fault = { kind: 'status'; status: 429 | 500 | 503 } | { kind: 'slow'; ms: number } | { kind: 'drop' };

export interface FakeRequest {
  method: string;
  /** Decoded URL path, e.g. `/v4/spreadsheets/abc/values:batchGet`. */
  path: string;
  api: 'sheets' | 'drive';
  /** 'spreadsheets.get', 'values.batchGet', 'values.get', 'batchUpdate', 'create', 'files.get', 'files.list', 'permissions.create', 'unknown'. */
  op: string;
  spreadsheetId?: string;
  body?: unknown;
  /** Query parameters, each with all its values (`ranges` repeats). */
  query: Record<string, string[]>;
  /** The injected fault this request got, if any. */
  fault?: Fault['kind'];
  /** HTTP status answered; undefined while in flight or when dropped. */
  status?: number;
}

export interface FakePermission {
  id: string;
  type: string;
  role: string;
  emailAddress?: string;
  domain?: string;
}

export interface FakeGoogleApis {
  /** 'http://127.0.0.1:PORT/' */
  url: string;
  spreadsheets: Map<string, FakeSpreadsheet>;
  requests: FakeRequest[];
  /** Permissions created through Drive, by file ID. */
  permissions: Map<string, FakePermission[]>;
  /** The next `times` requests whose op matches (or every op, with '*') get this fault instead of an answer. */
  inject(op: string, fault: Fault, times?: number): void;
  /**
   * Adds (or replaces) a spreadsheet, storing a copy. A new ID keeps the given modifiedTime; a replacement
   * keeps it only when it is later than the stored one, otherwise gets a fresh one — it always moves forward.
   */
  put(sheet: FakeSpreadsheet): void;
  /** Marks a spreadsheet edited now (new modifiedTime, strictly later than before), as a person editing it would. */
  touch(id: string): void;
  close(): Promise<void>;
}

const SPREADSHEET_MIME = 'application/vnd.google-apps.spreadsheet';
const DEFAULT_ROWS = 1000;
const DEFAULT_COLUMNS = 26;
const DAY_MS = 86_400_000;
/** Serial day number of 1970-01-01 in the 1899-12-30 epoch used by Sheets and Excel. */
const UNIX_EPOCH_SERIAL = 25_569;

// ---------------------------------------------------------------------------------------------------------------
// Errors in Google's JSON shape.

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};
const REASONS: Record<number, string> = {
  400: 'badRequest',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  429: 'rateLimitExceeded',
  500: 'backendError',
  503: 'backendError',
};

class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly detail: { reason?: string; location?: string; locationType?: string } = {},
  ) {
    super(message);
  }

  body(): { error: { code: number; message: string; status: string; errors: Record<string, string>[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        status: STATUS_NAMES[this.code] ?? 'UNKNOWN',
        errors: [
          {
            message: this.message,
            domain: 'global',
            reason: this.detail.reason ?? REASONS[this.code] ?? 'unknown',
            ...(this.detail.location ? { location: this.detail.location } : {}),
            ...(this.detail.locationType ? { locationType: this.detail.locationType } : {}),
          },
        ],
      },
    };
  }
}

const badRequest = (message: string) => new ApiError(400, message);

function faultError(status: 429 | 500 | 503, api: 'sheets' | 'drive'): ApiError {
  if (status === 429) {
    const service = api === 'sheets' ? 'sheets.googleapis.com' : 'drive.googleapis.com';
    return new ApiError(
      429,
      `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service '${service}' for consumer 'project_number:000000000000'.`,
    );
  }
  return status === 500
    ? new ApiError(500, 'Internal error encountered.')
    : new ApiError(503, 'The service is currently unavailable.');
}

// ---------------------------------------------------------------------------------------------------------------
// Small JSON helpers (request bodies are untyped).

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const asObject = (x: unknown): Json => (isObject(x) ? x : {});
const asArray = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const optInt = (x: unknown): number | undefined => {
  if (x === undefined || x === null) return undefined;
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};
const optString = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

// ---------------------------------------------------------------------------------------------------------------
// Rendering values as a ru_RU sheet shows them.

/** A number as a ru_RU sheet shows it in the automatic format: decimal comma, no grouping. */
function ruNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const rounded = Number(n.toPrecision(15));
  const text = Object.is(rounded, -0) ? '0' : String(rounded);
  return text.toUpperCase().replace('.', ',');
}

function ruPercent(fraction: number): string {
  return `${ruNumber(Math.round(fraction * 100 * 100) / 100)}%`;
}

function serialToDate(serial: number): Date {
  return new Date(Math.round((serial - UNIX_EPOCH_SERIAL) * DAY_MS));
}

function ruDate(serial: number): string {
  const d = serialToDate(Math.floor(serial));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
}

function dateToSerial(date: Date): number {
  return date.getTime() / DAY_MS + UNIX_EPOCH_SERIAL;
}

function formattedValue(cell: FakeCell): string {
  const { value } = cell;
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (cell.format === 'date') return ruDate(value);
  if (cell.format === 'percent') return ruPercent(value);
  return ruNumber(value);
}

type ValueRender = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
type DateRender = 'SERIAL_NUMBER' | 'FORMATTED_STRING';

function renderValue(cell: FakeCell | undefined, mode: ValueRender, dates: DateRender): string | number | boolean {
  if (!cell || cell.value === null) return '';
  if (mode === 'FORMATTED_VALUE' || typeof cell.value === 'string') return formattedValue(cell);
  if (typeof cell.value === 'boolean') return cell.value;
  if (cell.format === 'text') return formattedValue(cell);
  if (cell.format === 'date' && dates === 'FORMATTED_STRING') return ruDate(cell.value);
  return cell.value;
}

const isEmptyRendered = (v: string | number | boolean) => v === '';

// ---------------------------------------------------------------------------------------------------------------
// Grid geometry and A1 notation.

function gridSize(sheet: FakeSheet): { rows: number; columns: number } {
  const longest = sheet.rows.reduce((m, r) => Math.max(m, r.length), 0);
  return {
    rows: sheet.gridProperties?.rowCount ?? Math.max(sheet.rows.length, DEFAULT_ROWS),
    columns: sheet.gridProperties?.columnCount ?? Math.max(longest, DEFAULT_COLUMNS),
  };
}

/** Pins the grid size so later writes don't silently grow it. */
function pinGrid(sheet: FakeSheet): void {
  const { rows, columns } = gridSize(sheet);
  sheet.gridProperties = { ...sheet.gridProperties, rowCount: rows, columnCount: columns };
}

/** Half-open cell box, 0-based. */
interface Box {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function quoteTitle(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title)
    ? title
    : `'${title.replace(/'/g, "''")}'`;
}

function a1(sheet: FakeSheet, box: Box): string {
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

/** Resolves an A1 range: `'Title'!A1:B2`, `Title!A:C`, `'Title'`, `Title`, or `A1:B2` (first tab). */
function resolveRange(ss: FakeSpreadsheet, text: string): { sheet: FakeSheet; box: Box } {
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
  } else if (ss.sheets.some((s) => s.title === trimmed)) {
    title = trimmed;
  } else {
    cells = trimmed;
  }
  const sheet = title === undefined ? ss.sheets[0] : ss.sheets.find((s) => s.title === title);
  if (!sheet) throw fail();
  const open = cells === undefined || cells === '' ? { r0: 0, c0: 0 } : parseA1(cells);
  if (!open) throw fail();
  return { sheet, box: clampBox(sheet, open, text) };
}

// ---------------------------------------------------------------------------------------------------------------
// Resources.

function sheetProperties(sheet: FakeSheet, index: number): Json {
  const { rows, columns } = gridSize(sheet);
  const frozenRows = sheet.gridProperties?.frozenRowCount ?? 0;
  const frozenColumns = sheet.gridProperties?.frozenColumnCount ?? 0;
  return {
    sheetId: sheet.sheetId,
    title: sheet.title,
    index,
    sheetType: 'GRID',
    gridProperties: {
      rowCount: rows,
      columnCount: columns,
      ...(frozenRows > 0 ? { frozenRowCount: frozenRows } : {}),
      ...(frozenColumns > 0 ? { frozenColumnCount: frozenColumns } : {}),
    },
    ...(sheet.hidden ? { hidden: true } : {}),
  };
}

const NUMBER_FORMAT_TYPES: Record<NonNullable<FakeCell['format']>, { type: string; pattern?: string }> = {
  date: { type: 'DATE', pattern: 'dd.mm.yyyy' },
  percent: { type: 'PERCENT', pattern: '0.##%' },
  number: { type: 'NUMBER', pattern: '0.##########' },
  text: { type: 'TEXT' },
};

function isBlankCell(cell: FakeCell | undefined): boolean {
  return !cell || (cell.value === null && cell.note === undefined && !cell.background && !cell.format && !cell.bold);
}

function cellData(cell: FakeCell | undefined): Json {
  if (!cell || isBlankCell(cell)) return {};
  const out: Json = {};
  const { value } = cell;
  if (value !== null) {
    if (cell.formula) out.userEnteredValue = { formulaValue: value };
    else if (typeof value === 'string') out.userEnteredValue = { stringValue: value };
    else if (typeof value === 'number') out.userEnteredValue = { numberValue: value };
    else out.userEnteredValue = { boolValue: value };
    if (typeof value === 'number' && cell.format === 'text') out.effectiveValue = { stringValue: formattedValue(cell) };
    else if (typeof value === 'string') out.effectiveValue = { stringValue: value };
    else if (typeof value === 'number') out.effectiveValue = { numberValue: value };
    else out.effectiveValue = { boolValue: value };
    out.formattedValue = formattedValue(cell);
  }
  const format: Json = {};
  if (cell.format) format.numberFormat = NUMBER_FORMAT_TYPES[cell.format];
  if (cell.background) format.backgroundColor = cell.background;
  if (cell.bold) format.textFormat = { bold: true };
  if (Object.keys(format).length > 0) out.userEnteredFormat = format;
  out.effectiveFormat = {
    backgroundColor: cell.background ?? { red: 1, green: 1, blue: 1 },
    ...(cell.format ? { numberFormat: NUMBER_FORMAT_TYPES[cell.format] } : {}),
    textFormat: { bold: cell.bold === true },
  };
  if (cell.note !== undefined) out.note = cell.note;
  return out;
}

function gridData(sheet: FakeSheet, box: Box): Json {
  const rowData: Json[] = [];
  for (let r = box.r0; r < box.r1 && r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    const values: Json[] = [];
    for (let c = box.c0; c < box.c1 && c < row.length; c++) values.push(cellData(row[c]));
    while (values.length > 0 && Object.keys(values[values.length - 1] ?? {}).length === 0) values.pop();
    rowData.push(values.length > 0 ? { values } : {});
  }
  while (rowData.length > 0 && Object.keys(rowData[rowData.length - 1] ?? {}).length === 0) rowData.pop();
  return {
    ...(box.r0 > 0 ? { startRow: box.r0 } : {}),
    ...(box.c0 > 0 ? { startColumn: box.c0 } : {}),
    ...(rowData.length > 0 ? { rowData } : {}),
  };
}

function spreadsheetResource(ss: FakeSpreadsheet, opts: { ranges?: string[]; includeGridData?: boolean } = {}): Json {
  const wanted = new Map<FakeSheet, Box[]>();
  if (opts.ranges && opts.ranges.length > 0) {
    for (const text of opts.ranges) {
      const { sheet, box } = resolveRange(ss, text);
      wanted.set(sheet, [...(wanted.get(sheet) ?? []), box]);
    }
  }
  const sheets = ss.sheets.flatMap((sheet, index) => {
    if (wanted.size > 0 && !wanted.has(sheet)) return [];
    const out: Json = { properties: sheetProperties(sheet, index) };
    if (sheet.protectedRanges && sheet.protectedRanges.length > 0) out.protectedRanges = sheet.protectedRanges;
    if (opts.includeGridData) {
      const { rows, columns } = gridSize(sheet);
      const boxes = wanted.get(sheet) ?? [{ r0: 0, r1: rows, c0: 0, c1: columns }];
      out.data = boxes.map((box) => gridData(sheet, box));
    }
    return [out];
  });
  return {
    spreadsheetId: ss.id,
    properties: {
      title: ss.title,
      locale: 'ru_RU',
      autoRecalc: 'ON_CHANGE',
      timeZone: 'Europe/Moscow',
    },
    sheets,
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${ss.id}/edit`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Field masks: `a,b(c,d),e.f` → paths.

function parseFieldMask(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const list = (prefix: string): void => {
    for (;;) {
      while (text[i] === ' ') i++;
      let name = '';
      while (i < text.length && !',()'.includes(text[i] ?? '')) name += text[i++];
      name = name.trim().replace(/\//g, '.');
      const path = prefix === '' ? name : `${prefix}.${name}`;
      if (text[i] === '(') {
        i++;
        list(path);
        if (text[i] !== ')') throw badRequest(`Invalid field selection ${text}`);
        i++;
      } else if (name !== '') {
        out.push(path);
      }
      while (text[i] === ' ') i++;
      if (text[i] === ',') {
        i++;
        continue;
      }
      return;
    }
  };
  list('');
  if (i !== text.length) throw badRequest(`Invalid field selection ${text}`);
  return out;
}

/** True when a field mask writes `path` (the mask names it, a parent of it, or '*'). */
function covers(mask: string[], path: string): boolean {
  return mask.some((m) => m === '*' || m === path || path.startsWith(`${m}.`) || m.startsWith(`${path}.`));
}

/** Keeps only the fields a Drive `fields` parameter asks for. */
function project(value: unknown, paths: string[]): unknown {
  if (paths.includes('*')) return value;
  if (Array.isArray(value)) return value.map((v) => project(v, paths));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const path of paths) {
    const [head, ...rest] = path.split('.');
    if (head === undefined || !(head in value)) continue;
    const sub = value[head];
    if (rest.length === 0) {
      out[head] = sub;
    } else {
      const inner = project(sub, [rest.join('.')]);
      const prev = out[head];
      out[head] =
        Array.isArray(prev) && Array.isArray(inner)
          ? prev.map((p, k) => ({ ...asObject(p), ...asObject(inner[k]) }))
          : isObject(prev) && isObject(inner)
            ? { ...prev, ...inner }
            : inner;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// batchUpdate.

const CELL_DATA_FIELDS = new Set([
  'userEnteredValue',
  'effectiveValue',
  'formattedValue',
  'userEnteredFormat',
  'effectiveFormat',
  'hyperlink',
  'note',
  'textFormatRuns',
  'dataValidation',
  'pivotTable',
]);

function findSheet(ss: FakeSpreadsheet, sheetId: unknown, where: string): FakeSheet {
  const id = optInt(sheetId) ?? 0;
  const sheet = ss.sheets.find((s) => s.sheetId === id);
  if (!sheet) throw badRequest(`Invalid ${where}: No grid with id: ${id}`);
  return sheet;
}

function cellAt(sheet: FakeSheet, r: number, c: number): FakeCell {
  while (sheet.rows.length <= r) sheet.rows.push([]);
  const row = sheet.rows[r] ?? [];
  while (row.length <= c) row.push({ value: null });
  return row[c] ?? { value: null };
}

function numberFormatOf(type: unknown): FakeCell['format'] {
  switch (type) {
    case 'DATE':
    case 'DATE_TIME':
      return 'date';
    case 'PERCENT':
      return 'percent';
    case 'NUMBER':
    case 'CURRENCY':
    case 'SCIENTIFIC':
      return 'number';
    case 'TEXT':
      return 'text';
    default:
      return undefined;
  }
}

/** Writes the parts of CellData the mask names; a named part missing from `data` is cleared, as Google does. */
function writeCell(cell: FakeCell, data: Json, mask: string[], where: string): void {
  if (covers(mask, 'userEnteredValue')) {
    const v = asObject(data.userEnteredValue);
    delete cell.formula;
    if (typeof v.stringValue === 'string') cell.value = v.stringValue;
    else if (typeof v.numberValue === 'number') cell.value = v.numberValue;
    else if (typeof v.boolValue === 'boolean') cell.value = v.boolValue;
    else if (typeof v.formulaValue === 'string') {
      if (!v.formulaValue.startsWith('=')) throw badRequest(`Invalid ${where}: formulaValue must start with '='`);
      cell.value = v.formulaValue;
      cell.formula = true;
    } else if (Object.keys(v).length > 0) {
      throw badRequest(`Invalid ${where}: unsupported userEnteredValue ${JSON.stringify(v)}`);
    } else cell.value = null;
  }
  if (covers(mask, 'note')) {
    if (typeof data.note === 'string' && data.note !== '') cell.note = data.note;
    else delete cell.note;
  }
  const format = asObject(data.userEnteredFormat);
  if (covers(mask, 'userEnteredFormat.backgroundColor')) {
    const color = asObject(format.backgroundColor);
    const picked: NonNullable<FakeCell['background']> = {};
    for (const k of ['red', 'green', 'blue'] as const) if (typeof color[k] === 'number') picked[k] = color[k];
    if (Object.keys(color).length > 0) cell.background = picked;
    else delete cell.background;
  }
  if (covers(mask, 'userEnteredFormat.numberFormat')) {
    const kind = numberFormatOf(asObject(format.numberFormat).type);
    if (kind) cell.format = kind;
    else delete cell.format;
  }
  if (covers(mask, 'userEnteredFormat.textFormat.bold')) {
    if (asObject(format.textFormat).bold === true) cell.bold = true;
    else delete cell.bold;
  }
}

function cellMask(fields: unknown, where: string): string[] {
  if (typeof fields !== 'string' || fields.trim() === '') {
    throw badRequest(`Invalid ${where}: At least one field must be specified.`);
  }
  const mask = parseFieldMask(fields);
  for (const path of mask) {
    const head = path.split('.')[0] ?? '';
    if (path !== '*' && !CELL_DATA_FIELDS.has(head)) {
      throw badRequest(`Invalid ${where}: Invalid field mask path '${path}' for CellData`);
    }
  }
  return mask;
}

/** A GridRange (missing bounds = unbounded) as a box; 400 when it reaches outside the grid. */
function gridRangeBox(ss: FakeSpreadsheet, range: unknown, where: string): { sheet: FakeSheet; box: Box } {
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

interface Counters {
  nextSheetId(ss: FakeSpreadsheet): number;
  nextProtectedRangeId(): number;
}

function applyRequest(ss: FakeSpreadsheet, request: unknown, i: number, counters: Counters): Json {
  const kinds = Object.keys(asObject(request));
  if (kinds.length !== 1) throw badRequest(`Invalid requests[${i}]: exactly one kind of request must be set.`);
  const kind = kinds[0] ?? '';
  const body = asObject(asObject(request)[kind]);
  const where = `requests[${i}].${kind}`;
  switch (kind) {
    case 'addSheet': {
      const p = asObject(body.properties);
      const title = optString(p.title) ?? `Лист${ss.sheets.length + 1}`;
      if (ss.sheets.some((s) => s.title === title)) {
        throw badRequest(
          `Invalid ${where}: A sheet with the name "${title}" already exists. Please enter another name.`,
        );
      }
      const sheetId = optInt(p.sheetId) ?? counters.nextSheetId(ss);
      if (ss.sheets.some((s) => s.sheetId === sheetId)) {
        throw badRequest(`Invalid ${where}: A sheet with the id ${sheetId} already exists.`);
      }
      const g = asObject(p.gridProperties);
      const sheet: FakeSheet = {
        sheetId,
        title,
        rows: [],
        gridProperties: {
          rowCount: optInt(g.rowCount) ?? DEFAULT_ROWS,
          columnCount: optInt(g.columnCount) ?? DEFAULT_COLUMNS,
          ...(optInt(g.frozenRowCount) ? { frozenRowCount: optInt(g.frozenRowCount) } : {}),
          ...(optInt(g.frozenColumnCount) ? { frozenColumnCount: optInt(g.frozenColumnCount) } : {}),
        },
        ...(p.hidden === true ? { hidden: true } : {}),
      };
      const index = Math.min(optInt(p.index) ?? ss.sheets.length, ss.sheets.length);
      ss.sheets.splice(index, 0, sheet);
      return { addSheet: { properties: sheetProperties(sheet, index) } };
    }
    case 'deleteSheet': {
      const sheet = findSheet(ss, body.sheetId, where);
      if (ss.sheets.length === 1) throw badRequest(`Invalid ${where}: You can't remove all the sheets in a document.`);
      ss.sheets.splice(ss.sheets.indexOf(sheet), 1);
      return {};
    }
    case 'updateSheetProperties': {
      const p = asObject(body.properties);
      const sheet = findSheet(ss, p.sheetId, where);
      if (typeof body.fields !== 'string' || body.fields.trim() === '') {
        throw badRequest(`Invalid ${where}: At least one field must be specified.`);
      }
      const mask = parseFieldMask(body.fields);
      if (covers(mask, 'title') && typeof p.title === 'string') {
        if (ss.sheets.some((s) => s !== sheet && s.title === p.title)) {
          throw badRequest(
            `Invalid ${where}: A sheet with the name "${p.title}" already exists. Please enter another name.`,
          );
        }
        sheet.title = p.title;
      }
      if (covers(mask, 'hidden')) {
        if (p.hidden === true) sheet.hidden = true;
        else delete sheet.hidden;
      }
      const g = asObject(p.gridProperties);
      pinGrid(sheet);
      const grid = sheet.gridProperties ?? {};
      for (const key of ['rowCount', 'columnCount', 'frozenRowCount', 'frozenColumnCount'] as const) {
        if (covers(mask, `gridProperties.${key}`)) {
          const n = optInt(g[key]) ?? 0;
          if (key === 'rowCount' || key === 'columnCount') {
            if (n < 1) throw badRequest(`Invalid ${where}: gridProperties.${key} must be positive.`);
          }
          grid[key] = n;
        }
      }
      sheet.gridProperties = grid;
      const { rows, columns } = gridSize(sheet);
      sheet.rows = sheet.rows.slice(0, rows).map((row) => row.slice(0, columns));
      if (covers(mask, 'index') && optInt(p.index) !== undefined) {
        ss.sheets.splice(ss.sheets.indexOf(sheet), 1);
        ss.sheets.splice(Math.min(optInt(p.index) ?? 0, ss.sheets.length), 0, sheet);
      }
      return {};
    }
    case 'appendDimension': {
      const sheet = findSheet(ss, body.sheetId, where);
      const length = optInt(body.length) ?? 0;
      if (length < 1) throw badRequest(`Invalid ${where}: length must be positive.`);
      pinGrid(sheet);
      const grid = sheet.gridProperties ?? {};
      if (body.dimension === 'ROWS') grid.rowCount = (grid.rowCount ?? 0) + length;
      else if (body.dimension === 'COLUMNS') grid.columnCount = (grid.columnCount ?? 0) + length;
      else throw badRequest(`Invalid ${where}: dimension must be ROWS or COLUMNS.`);
      return {};
    }
    case 'updateCells': {
      const mask = cellMask(body.fields, where);
      const rows = asArray(body.rows).map((row) => asArray(asObject(row).values).map(asObject));
      if ((body.range === undefined) === (body.start === undefined)) {
        throw badRequest(`Invalid ${where}: exactly one of range or start must be set.`);
      }
      if (body.start !== undefined) {
        const start = asObject(body.start);
        const sheet = findSheet(ss, start.sheetId, where);
        const r0 = optInt(start.rowIndex) ?? 0;
        const c0 = optInt(start.columnIndex) ?? 0;
        const { rows: maxRows, columns: maxColumns } = gridSize(sheet);
        const width = rows.reduce((m, r) => Math.max(m, r.length), 0);
        if (r0 + rows.length > maxRows || c0 + width > maxColumns) {
          throw badRequest(
            `Invalid ${where}: Range (${quoteTitle(sheet.title)}!${columnName(c0)}${r0 + 1}:${columnName(c0 + Math.max(width, 1) - 1)}${r0 + rows.length}) exceeds grid limits. Max rows: ${maxRows}, max columns: ${maxColumns}`,
          );
        }
        pinGrid(sheet);
        rows.forEach((row, i) => row.forEach((data, j) => writeCell(cellAt(sheet, r0 + i, c0 + j), data, mask, where)));
      } else {
        const { sheet, box } = gridRangeBox(ss, body.range, where);
        pinGrid(sheet);
        for (let r = box.r0; r < box.r1; r++) {
          for (let c = box.c0; c < box.c1; c++) {
            const data = rows[r - box.r0]?.[c - box.c0];
            if (data === undefined && isBlankCell(sheet.rows[r]?.[c])) continue;
            writeCell(cellAt(sheet, r, c), data ?? {}, mask, where);
          }
        }
      }
      return {};
    }
    case 'repeatCell': {
      const mask = cellMask(body.fields, where);
      const { sheet, box } = gridRangeBox(ss, body.range, where);
      pinGrid(sheet);
      const data = asObject(body.cell);
      for (let r = box.r0; r < box.r1; r++) {
        for (let c = box.c0; c < box.c1; c++) writeCell(cellAt(sheet, r, c), data, mask, where);
      }
      return {};
    }
    case 'setDataValidation': {
      const { sheet } = gridRangeBox(ss, body.range, where);
      sheet.validations = [...(sheet.validations ?? []), { range: body.range, rule: body.rule }];
      return {};
    }
    case 'addProtectedRange': {
      const pr = asObject(body.protectedRange);
      const { sheet } = gridRangeBox(ss, pr.range, where);
      const protectedRange = {
        ...pr,
        protectedRangeId: optInt(pr.protectedRangeId) ?? counters.nextProtectedRangeId(),
      };
      sheet.protectedRanges = [...(sheet.protectedRanges ?? []), protectedRange];
      sheet.protectedHeader = true;
      return { addProtectedRange: { protectedRange } };
    }
    case 'updateDimensionProperties':
    case 'autoResizeDimensions': {
      const range = asObject(kind === 'autoResizeDimensions' ? body.dimensions : body.range);
      findSheet(ss, range.sheetId, where);
      if (range.dimension !== 'ROWS' && range.dimension !== 'COLUMNS') {
        throw badRequest(`Invalid ${where}: dimension must be ROWS or COLUMNS.`);
      }
      return {};
    }
    default:
      throw badRequest(
        `Invalid JSON payload received. Unknown name "${kind}" at 'requests[${i}]': Cannot find field. (fake-google-apis supports addSheet, deleteSheet, updateSheetProperties, appendDimension, updateCells, repeatCell, setDataValidation, addProtectedRange, updateDimensionProperties, autoResizeDimensions)`,
      );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Drive `q`.

type Token = { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'op'; v: string } | { t: '(' } | { t: ')' };

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const invalid = () =>
    new ApiError(400, 'Invalid Value', { reason: 'invalid', location: 'q', locationType: 'parameter' });
  while (i < q.length) {
    const ch = q[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let v = '';
      i++;
      for (;;) {
        const c = q[i];
        if (c === undefined) throw invalid();
        if (c === '\\') {
          v += q[i + 1] ?? '';
          i += 2;
        } else if (c === "'") {
          i++;
          break;
        } else {
          v += c;
          i++;
        }
      }
      tokens.push({ t: 'str', v });
    } else if (ch === '(' || ch === ')') {
      tokens.push({ t: ch });
      i++;
    } else {
      const op = /^(<=|>=|!=|<|>|=)/.exec(q.slice(i));
      if (op) {
        tokens.push({ t: 'op', v: op[1] ?? '' });
        i += op[1]?.length ?? 1;
        continue;
      }
      const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
      if (!word) throw invalid();
      tokens.push({ t: 'word', v: word[0] });
      i += word[0].length;
    }
  }
  return tokens;
}

/** RFC 3339 with or without an offset (Drive reads none as UTC). */
function parseTime(text: string): number {
  const withZone = /(Z|[+-]\d\d:\d\d)$/i.test(text) ? text : `${text}Z`;
  return Date.parse(withZone);
}

function compare(a: number | string, op: string, b: number | string): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return false;
  }
}

function compileQuery(q: string): (ss: FakeSpreadsheet) => boolean {
  const tokens = tokenize(q);
  let i = 0;
  const invalid = () =>
    new ApiError(400, 'Invalid Value', { reason: 'invalid', location: 'q', locationType: 'parameter' });
  const peekWord = (w: string) => {
    const t = tokens[i];
    return t?.t === 'word' && t.v.toLowerCase() === w;
  };
  type Pred = (ss: FakeSpreadsheet) => boolean;
  const orExpr = (): Pred => {
    const parts = [andExpr()];
    while (peekWord('or')) {
      i++;
      parts.push(andExpr());
    }
    return (ss) => parts.some((p) => p(ss));
  };
  const andExpr = (): Pred => {
    const parts = [unary()];
    while (peekWord('and')) {
      i++;
      parts.push(unary());
    }
    return (ss) => parts.every((p) => p(ss));
  };
  const unary = (): Pred => {
    if (peekWord('not')) {
      i++;
      const inner = unary();
      return (ss) => !inner(ss);
    }
    if (tokens[i]?.t === '(') {
      i++;
      const inner = orExpr();
      if (tokens[i]?.t !== ')') throw invalid();
      i++;
      return inner;
    }
    return term();
  };
  const term = (): Pred => {
    const first = tokens[i++];
    if (first?.t === 'str') {
      if (!peekWord('in')) throw invalid();
      i++;
      const collection = tokens[i++];
      if (collection?.t !== 'word') throw invalid();
      const value = first.v;
      if (collection.v === 'parents') return (ss) => !ss.parents || ss.parents.includes(value);
      if (['owners', 'writers', 'readers'].includes(collection.v)) return () => true;
      throw invalid();
    }
    if (first?.t !== 'word') throw invalid();
    const field = first.v;
    const opToken = tokens[i++];
    const op = opToken?.t === 'op' ? opToken.v : opToken?.t === 'word' ? opToken.v.toLowerCase() : undefined;
    const valueToken = tokens[i++];
    if (op === undefined || valueToken === undefined) throw invalid();
    const literal =
      valueToken.t === 'str'
        ? valueToken.v
        : valueToken.t === 'word' && (valueToken.v === 'true' || valueToken.v === 'false')
          ? valueToken.v === 'true'
          : undefined;
    if (literal === undefined) throw invalid();
    switch (field) {
      case 'modifiedTime':
      case 'createdTime': {
        if (typeof literal !== 'string' || op === 'contains') throw invalid();
        const bound = parseTime(literal);
        if (Number.isNaN(bound)) throw invalid();
        return (ss) => compare(Date.parse(ss.modifiedTime), op, bound);
      }
      case 'name':
      case 'fullText': {
        if (typeof literal !== 'string') throw invalid();
        if (op === 'contains') return (ss) => ss.title.toLowerCase().includes(literal.toLowerCase());
        if (op !== '=' && op !== '!=') throw invalid();
        return (ss) => compare(ss.title, op, literal);
      }
      case 'mimeType': {
        if (typeof literal !== 'string' || (op !== '=' && op !== '!=')) throw invalid();
        return () => compare(SPREADSHEET_MIME, op, literal);
      }
      case 'trashed':
      case 'starred': {
        if (typeof literal !== 'boolean' || (op !== '=' && op !== '!=')) throw invalid();
        return () => (op === '=' ? literal === false : literal !== false);
      }
      default:
        throw invalid();
    }
  };
  const predicate = orExpr();
  if (i !== tokens.length) throw invalid();
  return predicate;
}

// ---------------------------------------------------------------------------------------------------------------
// The server.

type Route = {
  api: 'sheets' | 'drive';
  op: string;
  spreadsheetId?: string;
  run: (ctx: RequestContext) => Promise<[number, unknown]> | [number, unknown];
};

interface RequestContext {
  query: URLSearchParams;
  body: unknown;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw badRequest(
      `Invalid value at '${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}' (TYPE_ENUM), "${raw}"`,
    );
  }
  return raw as T;
}

export async function startFakeGoogleApis(): Promise<FakeGoogleApis> {
  const spreadsheets = new Map<string, FakeSpreadsheet>();
  const versions = new Map<string, number>();
  const permissions = new Map<string, FakePermission[]>();
  const requests: FakeRequest[] = [];
  const faults: { op: string; fault: Fault; remaining: number }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let lastStamp = 0;
  let protectedRangeSeq = 1_000;
  let permissionSeq = 1;

  const stamp = (after?: string): string => {
    const floor = after ? Date.parse(after) : 0;
    lastStamp = Math.max(Date.now(), lastStamp + 1, (Number.isNaN(floor) ? 0 : floor) + 1);
    return new Date(lastStamp).toISOString();
  };
  const bumpVersion = (id: string) => versions.set(id, (versions.get(id) ?? 0) + 1);
  const counters: Counters = {
    nextSheetId(ss) {
      let id = 1 + Math.floor(Math.random() * 2_000_000_000);
      while (ss.sheets.some((s) => s.sheetId === id)) id++;
      return id;
    },
    nextProtectedRangeId: () => protectedRangeSeq++,
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const spreadsheetOr404 = (id: string): FakeSpreadsheet => {
    const ss = spreadsheets.get(id);
    if (!ss) throw new ApiError(404, 'Requested entity was not found.');
    return ss;
  };
  const fileOr404 = (id: string): FakeSpreadsheet => {
    const ss = spreadsheets.get(id);
    if (!ss) {
      throw new ApiError(404, `File not found: ${id}.`, {
        reason: 'notFound',
        location: 'fileId',
        locationType: 'parameter',
      });
    }
    return ss;
  };
  const fileResource = (ss: FakeSpreadsheet): Json => ({
    kind: 'drive#file',
    id: ss.id,
    name: ss.title,
    mimeType: SPREADSHEET_MIME,
    modifiedTime: ss.modifiedTime,
    version: String(versions.get(ss.id) ?? 1),
    webViewLink: `https://docs.google.com/spreadsheets/d/${ss.id}/edit`,
    trashed: false,
    ...(ss.parents ? { parents: ss.parents } : {}),
  });
  const driveFields = (query: URLSearchParams, fallback: string): string[] =>
    parseFieldMask(query.get('fields') ?? fallback);

  const valueRangeOf = (
    ss: FakeSpreadsheet,
    text: string,
    mode: ValueRender,
    dates: DateRender,
    major: 'ROWS' | 'COLUMNS',
  ): Json => {
    const { sheet, box } = resolveRange(ss, text);
    let matrix: (string | number | boolean)[][] = [];
    for (let r = box.r0; r < Math.min(box.r1, sheet.rows.length); r++) {
      const row = sheet.rows[r] ?? [];
      const out: (string | number | boolean)[] = [];
      for (let c = box.c0; c < Math.min(box.c1, row.length); c++) out.push(renderValue(row[c], mode, dates));
      matrix.push(out);
    }
    if (major === 'COLUMNS') {
      const width = matrix.reduce((m, r) => Math.max(m, r.length), 0);
      matrix = Array.from({ length: width }, (_, c) => matrix.map((row) => row[c] ?? ''));
    }
    for (const row of matrix) while (row.length > 0 && isEmptyRendered(row[row.length - 1] ?? '')) row.pop();
    while (matrix.length > 0 && (matrix[matrix.length - 1]?.length ?? 0) === 0) matrix.pop();
    return { range: a1(sheet, box), majorDimension: major, ...(matrix.length > 0 ? { values: matrix } : {}) };
  };

  const renderOptions = (query: URLSearchParams) => ({
    mode: enumParam(query, 'valueRenderOption', ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'], 'FORMATTED_VALUE'),
    dates: enumParam(query, 'dateTimeRenderOption', ['SERIAL_NUMBER', 'FORMATTED_STRING'], 'SERIAL_NUMBER'),
    major: (enumParam(query, 'majorDimension', ['ROWS', 'COLUMNS', 'DIMENSION_UNSPECIFIED'], 'ROWS') === 'COLUMNS'
      ? 'COLUMNS'
      : 'ROWS') as 'ROWS' | 'COLUMNS',
  });

  const route = (method: string, path: string): Route | undefined => {
    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = /^\/v4\/spreadsheets\/([^/:]+)\/values:batchGet$/.exec(path))) {
      const id = decode(m[1] ?? '');
      return {
        api: 'sheets',
        op: 'values.batchGet',
        spreadsheetId: id,
        run: ({ query }) => {
          const ss = spreadsheetOr404(id);
          const { mode, dates, major } = renderOptions(query);
          const ranges = query.getAll('ranges');
          return [
            200,
            {
              spreadsheetId: id,
              ...(ranges.length > 0 ? { valueRanges: ranges.map((r) => valueRangeOf(ss, r, mode, dates, major)) } : {}),
            },
          ];
        },
      };
    }
    if (method === 'GET' && (m = /^\/v4\/spreadsheets\/([^/:]+)\/values\/([^/]+)$/.exec(path))) {
      const id = decode(m[1] ?? '');
      const range = decode(m[2] ?? '');
      return {
        api: 'sheets',
        op: 'values.get',
        spreadsheetId: id,
        run: ({ query }) => {
          const ss = spreadsheetOr404(id);
          const { mode, dates, major } = renderOptions(query);
          return [200, valueRangeOf(ss, range, mode, dates, major)];
        },
      };
    }
    if (method === 'GET' && (m = /^\/v4\/spreadsheets\/([^/:]+)$/.exec(path))) {
      const id = decode(m[1] ?? '');
      return {
        api: 'sheets',
        op: 'spreadsheets.get',
        spreadsheetId: id,
        run: ({ query }) => [
          200,
          spreadsheetResource(spreadsheetOr404(id), {
            ranges: query.getAll('ranges'),
            includeGridData: query.get('includeGridData') === 'true',
          }),
        ],
      };
    }
    if (method === 'POST' && (m = /^\/v4\/spreadsheets\/([^/:]+):batchUpdate$/.exec(path))) {
      const id = decode(m[1] ?? '');
      return {
        api: 'sheets',
        op: 'batchUpdate',
        spreadsheetId: id,
        run: ({ body }) => {
          const ss = spreadsheetOr404(id);
          const b = asObject(body);
          const list = asArray(b.requests);
          if (list.length === 0) throw badRequest('Invalid requests: Must specify at least one request.');
          const draft = structuredClone(ss);
          const replies = list.map((r, i) => applyRequest(draft, r, i, counters));
          ss.title = draft.title;
          ss.sheets = draft.sheets;
          ss.modifiedTime = stamp(ss.modifiedTime);
          bumpVersion(id);
          return [
            200,
            {
              spreadsheetId: id,
              replies,
              ...(b.includeSpreadsheetInResponse === true ? { updatedSpreadsheet: spreadsheetResource(ss) } : {}),
            },
          ];
        },
      };
    }
    if (method === 'POST' && path === '/v4/spreadsheets') {
      return {
        api: 'sheets',
        op: 'create',
        run: ({ body }) => {
          const b = asObject(body);
          const id = `1${randomBytes(32).toString('base64url').slice(0, 43)}`;
          const ss: FakeSpreadsheet = {
            id,
            title: optString(asObject(b.properties).title) ?? 'Новая таблица',
            modifiedTime: stamp(),
            sheets: [],
          };
          const requested = asArray(b.sheets);
          const draft = structuredClone(ss);
          requested.forEach((s, i) =>
            applyRequest(draft, { addSheet: { properties: asObject(asObject(s).properties) } }, i, counters),
          );
          if (draft.sheets.length === 0) {
            draft.sheets.push({
              sheetId: 0,
              title: 'Лист1',
              rows: [],
              gridProperties: { rowCount: DEFAULT_ROWS, columnCount: DEFAULT_COLUMNS },
            });
          }
          ss.sheets = draft.sheets;
          spreadsheets.set(id, ss);
          versions.set(id, 1);
          return [200, spreadsheetResource(ss)];
        },
      };
    }
    if (method === 'GET' && path === '/drive/v3/files') {
      return {
        api: 'drive',
        op: 'files.list',
        run: ({ query }) => {
          const q = query.get('q');
          const predicate = q ? compileQuery(q) : () => true;
          const files = [...spreadsheets.values()].filter(predicate);
          const orderBy = (query.get('orderBy') ?? '').trim();
          if (orderBy !== '') {
            const [key, dir] = (orderBy.split(',')[0] ?? '').trim().split(/\s+/);
            const sign = dir === 'desc' ? -1 : 1;
            if (key === 'modifiedTime') {
              files.sort((a, b) => sign * (Date.parse(a.modifiedTime) - Date.parse(b.modifiedTime)));
            } else if (key === 'name' || key === 'name_natural') {
              files.sort((a, b) => sign * a.title.localeCompare(b.title));
            }
          }
          const pageSize = Math.min(Math.max(optInt(query.get('pageSize')) ?? 100, 1), 1000);
          const tokenText = query.get('pageToken');
          const offset = tokenText ? Number(Buffer.from(tokenText, 'base64url').toString()) : 0;
          if (!Number.isInteger(offset) || offset < 0) {
            throw new ApiError(400, 'Invalid Value', {
              reason: 'invalid',
              location: 'pageToken',
              locationType: 'parameter',
            });
          }
          const next = offset + pageSize < files.length;
          const full = {
            kind: 'drive#fileList',
            incompleteSearch: false,
            ...(next ? { nextPageToken: Buffer.from(String(offset + pageSize)).toString('base64url') } : {}),
            files: files.slice(offset, offset + pageSize).map(fileResource),
          };
          return [
            200,
            project(full, driveFields(query, 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)')),
          ];
        },
      };
    }
    if (method === 'GET' && (m = /^\/drive\/v3\/files\/([^/]+)$/.exec(path))) {
      const id = decode(m[1] ?? '');
      return {
        api: 'drive',
        op: 'files.get',
        spreadsheetId: id,
        run: ({ query }) => [200, project(fileResource(fileOr404(id)), driveFields(query, 'kind,id,name,mimeType'))],
      };
    }
    if (method === 'POST' && (m = /^\/drive\/v3\/files\/([^/]+)\/permissions$/.exec(path))) {
      const id = decode(m[1] ?? '');
      return {
        api: 'drive',
        op: 'permissions.create',
        spreadsheetId: id,
        run: ({ query, body }) => {
          fileOr404(id);
          const b = asObject(body);
          const type = optString(b.type);
          const role = optString(b.role);
          const required = (field: string) =>
            new ApiError(400, `The permission ${field} field is required.`, {
              reason: 'required',
              location: `permission.${field}`,
              locationType: 'other',
            });
          if (!type) throw required('type');
          if (!role) throw required('role');
          if (!['user', 'group', 'domain', 'anyone'].includes(type)) {
            throw new ApiError(400, `Invalid permission type: ${type}`, { reason: 'invalid' });
          }
          if (!['owner', 'organizer', 'fileOrganizer', 'writer', 'commenter', 'reader'].includes(role)) {
            throw new ApiError(400, `Invalid permission role: ${role}`, { reason: 'invalid' });
          }
          const emailAddress = optString(b.emailAddress);
          const domain = optString(b.domain);
          if ((type === 'user' || type === 'group') && !emailAddress) throw required('emailAddress');
          if (type === 'domain' && !domain) throw required('domain');
          if (role === 'owner' && query.get('transferOwnership') !== 'true') {
            throw new ApiError(
              403,
              "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
              { reason: 'forbidden', location: 'transferOwnership', locationType: 'parameter' },
            );
          }
          const permission: FakePermission = {
            id: type === 'anyone' ? 'anyoneWithLink' : String(10_000_000_000 + permissionSeq++),
            type,
            role,
            ...(emailAddress ? { emailAddress } : {}),
            ...(domain ? { domain } : {}),
          };
          const list = (permissions.get(id) ?? []).filter((p) => p.id !== permission.id);
          permissions.set(id, [...list, permission]);
          bumpVersion(id);
          const full = { kind: 'drive#permission', ...permission };
          return [200, query.get('fields') ? project(full, driveFields(query, '*')) : full];
        },
      };
    }
    return undefined;
  };

  const send = (res: ServerResponse, record: FakeRequest, status: number, payload: unknown) => {
    record.status = status;
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = decode(url.pathname);
    const text = await readBody(req);
    let body: unknown;
    let bodyError = false;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        bodyError = true;
      }
    }
    const found = route(method, url.pathname);
    const query: Record<string, string[]> = {};
    for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
    const record: FakeRequest = {
      method,
      path,
      api: found?.api ?? (path.startsWith('/drive/') ? 'drive' : 'sheets'),
      op: found?.op ?? 'unknown',
      ...(found?.spreadsheetId !== undefined ? { spreadsheetId: found.spreadsheetId } : {}),
      ...(body !== undefined ? { body } : {}),
      query,
    };
    requests.push(record);

    const slot = faults.find((f) => f.remaining > 0 && (f.op === '*' || f.op === record.op));
    if (slot) {
      slot.remaining--;
      if (slot.remaining === 0) faults.splice(faults.indexOf(slot), 1);
      record.fault = slot.fault.kind;
      if (slot.fault.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (slot.fault.kind === 'status') {
        const error = faultError(slot.fault.status, record.api);
        send(res, record, error.code, error.body());
        return;
      }
      await sleep(slot.fault.ms);
    }

    try {
      if (!/^Bearer\s+\S+/i.test(req.headers.authorization ?? '')) {
        throw new ApiError(
          401,
          'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          { reason: 'required', location: 'Authorization', locationType: 'header' },
        );
      }
      if (!found) throw new ApiError(404, `fake-google-apis: no such method: ${method} ${path}`);
      if (bodyError) throw badRequest('Invalid JSON payload received.');
      const [status, payload] = await found.run({ query: url.searchParams, body });
      send(res, record, status, payload);
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError(500, `fake-google-apis: ${(error as Error).message}`);
      send(res, record, apiError.code, apiError.body());
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    spreadsheets,
    requests,
    permissions,
    inject(op, fault, times = 1) {
      if (times > 0) faults.push({ op, fault, remaining: times });
    },
    put(sheet) {
      const copy = structuredClone(sheet);
      const previous = spreadsheets.get(sheet.id);
      if (previous) {
        const given = Date.parse(copy.modifiedTime);
        copy.modifiedTime =
          !Number.isNaN(given) && given > Date.parse(previous.modifiedTime)
            ? new Date(given).toISOString()
            : stamp(previous.modifiedTime);
      } else if (Number.isNaN(Date.parse(copy.modifiedTime))) {
        copy.modifiedTime = stamp();
      }
      spreadsheets.set(copy.id, copy);
      bumpVersion(copy.id);
    },
    touch(id) {
      const ss = spreadsheets.get(id);
      if (!ss) throw new Error(`fake-google-apis: no spreadsheet ${id}`);
      ss.modifiedTime = stamp(ss.modifiedTime);
      bumpVersion(id);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Converts a workbook as our xlsx reader returns it into a FakeSpreadsheet: Date → format 'date' (serial
 * days since 1899-12-30), percentFormat → 'percent' (the stored fraction). Title: the file name without
 * «.xlsx»; sheetIds 0, 1000001, 1000002…
 */
export function fakeSpreadsheetFromWorkbook(
  id: string,
  workbook: RawWorkbook,
  modifiedTime: string = new Date().toISOString(),
): FakeSpreadsheet {
  return {
    id,
    title: workbook.name.replace(/\.xlsx$/i, ''),
    modifiedTime,
    sheets: workbook.tabs.map((tab, i) => ({
      sheetId: i === 0 ? 0 : 1_000_000 + i,
      title: tab.name,
      rows: tab.rows.map((row) =>
        row.map((cell): FakeCell => {
          const { value } = cell;
          if (value instanceof Date) return { value: dateToSerial(value), format: 'date' };
          if (cell.percentFormat && typeof value === 'number') return { value, format: 'percent' };
          return { value };
        }),
      ),
    })),
  };
}

export { ruDate as formatRuDate, serialToDate, dateToSerial };
