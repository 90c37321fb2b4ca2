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
import {
  checkBody,
  checkBodyMask,
  checkFieldsParam,
  checkQuery,
  findMethod,
  type MatchedMethod,
  type Refusal,
} from './google-discovery-validator.js';

export type FakeCell = {
  value: string | number | boolean | null;
  /** Shorthand number formats; `numberFormat`, when set, is what the cell really carries. */
  format?: 'date' | 'datetime' | 'time' | 'percent' | 'number' | 'text';
  /** userEnteredFormat.numberFormat as written (type and pattern); read back in effectiveFormat. */
  numberFormat?: { type: string; pattern?: string };
  note?: string;
  background?: { red?: number; green?: number; blue?: number };
  /** Set when the value was written as userEnteredValue.formulaValue; `value` then holds the '=…' text. */
  formula?: true;
  /** userEnteredFormat.textFormat.bold, when written. */
  bold?: boolean;
  /** A link cell: answered as CellData.hyperlink. */
  link?: string;
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
  /**
   * ProtectedRange bodies (`{ range, editors?: { users?: string[] }, warningOnly?, … }`), each with its
   * protectedRangeId when added through batchUpdate. A range without warningOnly blocks every writer not in
   * `editors.users` (the owner always passes).
   */
  protectedRanges?: unknown[];
  hidden?: boolean;
}

export const SPREADSHEET_MIME = 'application/vnd.google-apps.spreadsheet';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const FOLDER_MIME = 'application/vnd.google-apps.folder';

export interface FakeSpreadsheet {
  id: string;
  title: string;
  /** RFC 3339. */
  modifiedTime: string;
  sheets: FakeSheet[];
  /** Drive folder IDs; when absent, any `'…' in parents` query term matches. */
  parents?: string[];
  /** Spreadsheet locale: changes FORMATTED_VALUE rendering. Default ru_RU. */
  locale?: 'ru_RU' | 'en_US';
  /** The shared drive holding the file (see addSharedDrive); Drive then needs supportsAllDrives. */
  driveId?: string;
  /** Default: a Google spreadsheet. XLSX_MIME: an Excel file in Drive, which the Sheets API refuses. */
  mimeType?: typeof SPREADSHEET_MIME | typeof XLSX_MIME;
}

export type Fault = { kind: 'status'; status: 429 | 500 | 503 } | { kind: 'slow'; ms: number } | { kind: 'drop' };

export interface FakeRequest {
  method: string;
  /** Decoded URL path, e.g. `/v4/spreadsheets/abc/values:batchGet`. */
  path: string;
  api: 'sheets' | 'drive';
  /**
   * 'spreadsheets.get', 'values.batchGet', 'values.get', 'values.update', 'values.append', 'values.clear',
   * 'values.batchUpdate', 'batchUpdate', 'create', 'files.get', 'files.list', 'files.create', 'files.update',
   * 'permissions.create'; another discovery method id (without 'sheets.'/'drive.') when the fake does not
   * implement it; 'unknown' when Google has no such method.
   */
  op: string;
  /** The file the request is about (spreadsheet, Drive file). */
  spreadsheetId?: string;
  body?: unknown;
  /** Query parameters, each with all its values (`ranges` repeats). */
  query: Record<string, string[]>;
  /** The caller's e-mail (see addCaller); DEFAULT_CALLER_EMAIL for unknown tokens. */
  caller?: string;
  /** How Google's quota counts the request. */
  kind?: 'read' | 'write';
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

export type FakeRole = 'reader' | 'commenter' | 'writer' | 'owner';

export interface FakeCaller {
  email: string;
  kind: 'user' | 'serviceAccount';
  /** Whether files can be owned in My Drive. Default: true for users, false for service accounts. */
  storageQuota?: boolean;
}

export interface FakeQuota {
  readsPerWindow: number;
  writesPerWindow: number;
  windowMs: number;
  /** true: counted per caller token ("per minute per user"); false (default): one count for every caller. */
  perUser?: boolean;
}

/** Who an unknown bearer token is: the owner of every file, with full rights (the behaviour before callers). */
export const DEFAULT_CALLER_EMAIL = 'owner@fake-google-apis.test';

export interface FakeGoogleApis {
  /** 'http://127.0.0.1:PORT/' */
  url: string;
  spreadsheets: Map<string, FakeSpreadsheet>;
  requests: FakeRequest[];
  /** Permissions created through Drive, by file ID. */
  permissions: Map<string, FakePermission[]>;
  /** Folders (addFolder, or files.create of a folder), by ID. */
  folders: Map<string, { id: string; name: string; parents?: string[]; driveId?: string }>;
  /** The next `times` requests whose op matches (or every op, with '*') get this fault instead of an answer. */
  inject(op: string, fault: Fault, times?: number): void;
  /**
   * Adds (or replaces) a spreadsheet, storing a copy. A new ID keeps the given modifiedTime; a replacement
   * keeps it only when it is later than the stored one, otherwise gets a fresh one — it always moves forward.
   * With `mimeType: XLSX_MIME` it is an Excel file in Drive; with `driveId`, a file in that shared drive.
   */
  put(sheet: FakeSpreadsheet): void;
  /** Marks a spreadsheet edited now (new modifiedTime, strictly later than before), as a person editing it would. */
  touch(id: string): void;
  /** Registers a bearer token. Unknown tokens stay the default owner with every right. */
  addCaller(token: string, caller: FakeCaller): void;
  /** Gives `email` a role on a file, folder or shared drive (inherited by what it holds). */
  share(fileId: string, email: string, role: FakeRole): void;
  /** Adds a shared drive; `members` get their role on everything in it. */
  addSharedDrive(id: string, name: string, members?: Record<string, FakeRole>): void;
  /** Adds a folder under `parent` (a folder or a shared drive ID; none = My Drive). */
  addFolder(id: string, name: string, parent?: string): void;
  /** Drive keeps answering the previous modifiedTime/version for `ms` after an edit (0 = none, the default). */
  setModifiedTimeLag(ms: number): void;
  /** One quota for every client and connection; undefined = none (the default). */
  setQuota(quota: FakeQuota | undefined): void;
  /**
   * Runs `hook` for every request after it has been parsed and validated, before it is applied and answered
   * (e.g. to edit a spreadsheet between two calls of the product). Returns a function removing the hook.
   */
  beforeAnswer(hook: (request: FakeRequest) => void | Promise<void>): () => void;
  close(): Promise<void>;
}

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
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
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

interface ErrorDetail {
  /** Drive: errors[0].reason (default by code). */
  reason?: string;
  location?: string;
  locationType?: string;
  /** Drive: errors[0].domain (default 'global'). */
  domain?: string;
  /** Sheets: status other than the code's usual one (e.g. FAILED_PRECONDITION with 400). */
  status?: string;
  /** Sheets: google.rpc.Status details. */
  details?: unknown[];
}

/**
 * An error in the API's own shape. Sheets (ESF): `{ error: { code, message, status, details? } }`.
 * Drive (Apiary): `{ error: { errors: [{ domain, reason, message, locationType?, location? }], code, message } }`.
 */
class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly detail: ErrorDetail = {},
  ) {
    super(message);
  }

  body(api: 'sheets' | 'drive'): { error: Record<string, unknown> } {
    if (api === 'sheets') {
      return {
        error: {
          code: this.code,
          message: this.message,
          status: this.detail.status ?? STATUS_NAMES[this.code] ?? 'UNKNOWN',
          ...(this.detail.details ? { details: this.detail.details } : {}),
        },
      };
    }
    return {
      error: {
        errors: [
          {
            domain: this.detail.domain ?? 'global',
            reason: this.detail.reason ?? REASONS[this.code] ?? 'unknown',
            message: this.message,
            ...(this.detail.locationType ? { locationType: this.detail.locationType } : {}),
            ...(this.detail.location ? { location: this.detail.location } : {}),
          },
        ],
        code: this.code,
        message: this.message,
      },
    };
  }
}

const badRequest = (message: string) => new ApiError(400, message);
const fromRefusal = (r: Refusal) =>
  new ApiError(r.code, r.message, {
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.location ? { location: r.location } : {}),
    ...(r.locationType ? { locationType: r.locationType } : {}),
    ...(r.domain ? { domain: r.domain } : {}),
    ...(r.details ? { details: r.details } : {}),
  });

const PROJECT = 'project_number:000000000000';
const CELL_LIMIT = 50_000;
const CELL_LIMIT_MESSAGE = `Your input contains more than the maximum of ${CELL_LIMIT} characters in a single cell.`;
/** Google's front end refuses a request body over 10 MiB (`Request payload size exceeds the limit: 10485760 bytes.`). */
const PAYLOAD_LIMIT = 10_485_760;
const PROTECTED_MESSAGE =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

function sheetsQuotaError(kind: 'read' | 'write', perUser: boolean): ApiError {
  const metric = kind === 'read' ? 'Read requests' : 'Write requests';
  const limit = `${metric} per minute${perUser ? ' per user' : ''}`;
  return new ApiError(
    429,
    `Quota exceeded for quota metric '${metric}' and limit '${limit}' of service 'sheets.googleapis.com' for consumer '${PROJECT}'.`,
    {
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: {
            service: 'sheets.googleapis.com',
            consumer: 'projects/000000000000',
            quota_metric: `sheets.googleapis.com/${kind}_requests`,
            quota_limit: `${kind === 'read' ? 'Read' : 'Write'}RequestsPerMinute${perUser ? 'PerUser' : 'PerProject'}`,
          },
        },
      ],
    },
  );
}

function faultError(status: 429 | 500 | 503, api: 'sheets' | 'drive'): ApiError {
  if (status === 429) {
    const service = api === 'sheets' ? 'sheets.googleapis.com' : 'drive.googleapis.com';
    return new ApiError(
      429,
      `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service '${service}' for consumer '${PROJECT}'.`,
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
// Rendering values as the spreadsheet's locale shows them.

type Locale = 'ru_RU' | 'en_US';
/** ru_RU groups thousands with a no-break space (U+00A0), as ICU's ru locale does. */
const SEPARATORS: Record<Locale, { decimal: string; group: string }> = {
  ru_RU: { decimal: ',', group: '\u00a0' },
  en_US: { decimal: '.', group: ',' },
};
/** The patterns Sheets gives a date/time typed into a cell of each locale. */
const DEFAULT_PATTERNS: Record<Locale, Record<string, string>> = {
  ru_RU: { DATE: 'dd.mm.yyyy', DATE_TIME: 'dd.mm.yyyy H:mm:ss', TIME: 'H:mm:ss' },
  en_US: { DATE: 'M/d/yyyy', DATE_TIME: 'M/d/yyyy H:mm:ss', TIME: 'h:mm:ss am/pm' },
};

/** A number in the automatic format: locale decimal separator, no grouping, up to 15 significant digits. */
function autoNumber(n: number, locale: Locale = 'ru_RU'): string {
  if (!Number.isFinite(n)) return String(n);
  const rounded = Number(n.toPrecision(15));
  const text = Object.is(rounded, -0) ? '0' : String(rounded);
  return text.toUpperCase().replace('.', SEPARATORS[locale].decimal);
}

function serialToDate(serial: number): Date {
  return new Date(Math.round((serial - UNIX_EPOCH_SERIAL) * DAY_MS));
}

function ruDate(serial: number): string {
  return formatDate(Math.floor(serial), 'dd.mm.yyyy');
}

function dateToSerial(date: Date): number {
  return date.getTime() / DAY_MS + UNIX_EPOCH_SERIAL;
}

/** Renders a date/time serial with a Sheets date pattern (d, dd, m/mm months or minutes, yyyy, h/H, ss, am/pm). */
function formatDate(serial: number, pattern: string): string {
  const d = serialToDate(serial);
  const parts = {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
  const tokens =
    pattern.match(/"[^"]*"|\\.|yyyy|yy|mmmm|mmm|mm|m|MM|M|dd|d|DD|D|hh|h|HH|H|ss|s|am\/pm|AM\/PM|./g) ?? [];
  const twelve = tokens.some((t) => /^(am\/pm)$/i.test(t));
  const isTime = (t: string | undefined) => t !== undefined && /^(h+|H+|s+)$/.test(t);
  const two = (n: number) => String(n).padStart(2, '0');
  let out = '';
  tokens.forEach((t, i) => {
    const prev = tokens
      .slice(0, i)
      .reverse()
      .find((x) => /^[A-Za-z]/.test(x));
    const next = tokens.slice(i + 1).find((x) => /^[A-Za-z]/.test(x));
    if (t.startsWith('"')) out += t.slice(1, -1);
    else if (t.startsWith('\\')) out += t.slice(1);
    else if (t === 'yyyy') out += String(parts.y);
    else if (t === 'yy') out += two(parts.y % 100);
    else if (/^[mM]{1,2}$/.test(t)) {
      const minute = t.startsWith('m') && (isTime(prev) || isTime(next));
      const n = minute ? parts.mi : parts.mo;
      out += t.length === 2 ? two(n) : String(n);
    } else if (/^[mM]{3,4}$/.test(t)) out += two(parts.mo);
    else if (/^[dD]{1,2}$/.test(t)) out += t.length === 2 ? two(parts.day) : String(parts.day);
    else if (/^[hH]{1,2}$/.test(t)) {
      const h = twelve ? parts.h % 12 || 12 : parts.h;
      out += t.length === 2 ? two(h) : String(h);
    } else if (/^s{1,2}$/.test(t)) out += t.length === 2 ? two(parts.s) : String(parts.s);
    else if (/^am\/pm$/i.test(t)) out += parts.h < 12 ? 'AM' : 'PM';
    else out += t;
  });
  return out;
}

/**
 * Renders a number with a Sheets number pattern: `0`, `#`, grouping `,`, decimals `.`, `%`, literals in quotes,
 * a second section for negatives. As Sheets does, `0.##` keeps the decimal point for a whole number («1.»).
 */
function formatNumber(n: number, pattern: string, locale: Locale): string {
  const sections = pattern.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const negativeSection = n < 0 && sections[1] !== undefined;
  const section = (negativeSection ? sections[1] : sections[0]) ?? '';
  let plain = '';
  const literals: string[] = [];
  for (const t of section.match(/"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|./g) ?? []) {
    if (t.startsWith('"')) {
      literals.push(t.slice(1, -1));
      plain += '\u0000';
    } else if (t.startsWith('\\')) {
      literals.push(t.slice(1));
      plain += '\u0000';
    } else if (t.startsWith('_')) {
      literals.push(' ');
      plain += '\u0000';
    } else if (t.startsWith('*') || t.startsWith('[')) continue;
    else plain += t;
  }
  const core = /[#0?][#0?,]*(\.[#0?]*)?|\.[#0?]+/.exec(plain);
  const unliteral = (text: string) => text.replace(/\u0000/g, () => literals.shift() ?? '');
  if (!core) return unliteral(plain);
  const prefix = plain.slice(0, core.index);
  const suffix = plain.slice(core.index + core[0].length);
  const [intSpec = '', decSpec] = core[0].split('.');
  const percent = (prefix + suffix).includes('%');
  const value = Math.abs(n) * (percent ? 100 : 1);
  const maxDec = decSpec === undefined ? 0 : decSpec.replace(/[^#0?]/g, '').length;
  const minDec = decSpec === undefined ? 0 : (decSpec.match(/0/g) ?? []).length;
  const fixed = value.toFixed(maxDec);
  let [intText = '0', decText = ''] = fixed.split('.');
  while (decText.length > minDec && decText.endsWith('0')) decText = decText.slice(0, -1);
  const minInt = (intSpec.match(/0/g) ?? []).length;
  if (intText === '0' && minInt === 0) intText = '';
  intText = intText.padStart(minInt, '0');
  const { decimal, group } = SEPARATORS[locale];
  if (intSpec.includes(',')) intText = intText.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const sign = n < 0 && !negativeSection && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${unliteral(prefix)}${intText}${decSpec === undefined ? '' : decimal + decText}${unliteral(suffix)}`;
}

/** The number format a cell carries: its own, or the one its shorthand stands for. */
function numberFormatOfCell(cell: FakeCell, locale: Locale): { type: string; pattern?: string } | undefined {
  if (cell.numberFormat) {
    const pattern = cell.numberFormat.pattern || DEFAULT_PATTERNS[locale][cell.numberFormat.type];
    return { type: cell.numberFormat.type, ...(pattern ? { pattern } : {}) };
  }
  switch (cell.format) {
    case 'date':
      return { type: 'DATE', pattern: DEFAULT_PATTERNS[locale].DATE };
    case 'datetime':
      return { type: 'DATE_TIME', pattern: DEFAULT_PATTERNS[locale].DATE_TIME };
    case 'time':
      return { type: 'TIME', pattern: DEFAULT_PATTERNS[locale].TIME };
    case 'percent':
      return { type: 'PERCENT', pattern: '0.##%' };
    case 'number':
      return { type: 'NUMBER', pattern: '0.##########' };
    case 'text':
      return { type: 'TEXT' };
    default:
      return undefined;
  }
}

const DATE_TYPES = new Set(['DATE', 'DATE_TIME', 'TIME']);

/**
 * The cell as the sheet shows it. Booleans stay TRUE/FALSE in every locale (the fake's long-standing choice:
 * Sheets' ru_RU display of booleans, «ИСТИНА»/«ЛОЖЬ» or TRUE/FALSE, could not be confirmed).
 */
function formattedValue(cell: FakeCell, locale: Locale = 'ru_RU'): string {
  const { value } = cell;
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (!cell.numberFormat) {
    // Shorthand formats keep the fake's historical rendering (no trailing decimal point).
    if (cell.format === 'percent') return `${autoNumber(Math.round(value * 100 * 100) / 100, locale)}%`;
    if (cell.format === 'number' || cell.format === 'text' || !cell.format) return autoNumber(value, locale);
  }
  const nf = numberFormatOfCell(cell, locale);
  if (!nf || nf.type === 'TEXT') return autoNumber(value, locale);
  if (DATE_TYPES.has(nf.type)) return formatDate(value, nf.pattern ?? DEFAULT_PATTERNS[locale].DATE ?? 'dd.mm.yyyy');
  if (nf.pattern) return formatNumber(value, nf.pattern, locale);
  if (nf.type === 'PERCENT') return formatNumber(value, '0.00%', locale);
  return autoNumber(value, locale);
}

type ValueRender = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
type DateRender = 'SERIAL_NUMBER' | 'FORMATTED_STRING';

function renderValue(
  cell: FakeCell | undefined,
  mode: ValueRender,
  dates: DateRender,
  locale: Locale = 'ru_RU',
): string | number | boolean {
  if (!cell || cell.value === null) return '';
  if (mode === 'FORMATTED_VALUE' || typeof cell.value === 'string') return formattedValue(cell, locale);
  if (typeof cell.value === 'boolean') return cell.value;
  const nf = numberFormatOfCell(cell, locale);
  if (nf?.type === 'TEXT') return formattedValue(cell, locale);
  if (nf && DATE_TYPES.has(nf.type) && dates === 'FORMATTED_STRING') return formattedValue(cell, locale);
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

const sameTitle = (a: string, b: string) => a.toLocaleLowerCase('ru') === b.toLocaleLowerCase('ru');

/** The tab with this title, matched ignoring case as Sheets does (an exact match first). */
function findTitle(ss: FakeSpreadsheet, title: string): FakeSheet | undefined {
  return ss.sheets.find((s) => s.title === title) ?? ss.sheets.find((s) => sameTitle(s.title, title));
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

function isBlankCell(cell: FakeCell | undefined): boolean {
  return (
    !cell ||
    (cell.value === null &&
      cell.note === undefined &&
      !cell.background &&
      !cell.format &&
      !cell.numberFormat &&
      !cell.bold &&
      !cell.link)
  );
}

function cellData(cell: FakeCell | undefined, locale: Locale): Json {
  if (!cell || isBlankCell(cell)) return {};
  const out: Json = {};
  const { value } = cell;
  const nf = numberFormatOfCell(cell, locale);
  if (value !== null) {
    if (cell.formula) out.userEnteredValue = { formulaValue: value };
    else if (typeof value === 'string') out.userEnteredValue = { stringValue: value };
    else if (typeof value === 'number') out.userEnteredValue = { numberValue: value };
    else out.userEnteredValue = { boolValue: value };
    if (typeof value === 'number' && nf?.type === 'TEXT') {
      out.effectiveValue = { stringValue: formattedValue(cell, locale) };
    } else if (typeof value === 'string') out.effectiveValue = { stringValue: value };
    else if (typeof value === 'number') out.effectiveValue = { numberValue: value };
    else out.effectiveValue = { boolValue: value };
    out.formattedValue = formattedValue(cell, locale);
  }
  const format: Json = {};
  if (nf) format.numberFormat = nf;
  if (cell.background) format.backgroundColor = cell.background;
  if (cell.bold) format.textFormat = { bold: true };
  if (Object.keys(format).length > 0) out.userEnteredFormat = format;
  out.effectiveFormat = {
    backgroundColor: cell.background ?? { red: 1, green: 1, blue: 1 },
    ...(nf ? { numberFormat: nf } : {}),
    textFormat: { bold: cell.bold === true },
  };
  if (cell.link !== undefined) out.hyperlink = cell.link;
  if (cell.note !== undefined) out.note = cell.note;
  return out;
}

function gridData(sheet: FakeSheet, box: Box, locale: Locale): Json {
  const rowData: Json[] = [];
  for (let r = box.r0; r < box.r1 && r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    const values: Json[] = [];
    for (let c = box.c0; c < box.c1 && c < row.length; c++) values.push(cellData(row[c], locale));
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

function spreadsheetResource(
  ss: FakeSpreadsheet,
  opts: { ranges?: string[]; includeGridData?: boolean; caller?: string } = {},
): Json {
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
    if (sheet.protectedRanges && sheet.protectedRanges.length > 0) {
      // requestingUserCanEdit (read-only): whether the caller of this request may edit the range.
      out.protectedRanges = sheet.protectedRanges.map((pr) => ({
        ...asObject(pr),
        requestingUserCanEdit: opts.caller === undefined || canEditProtected(asObject(pr), opts.caller),
      }));
    }
    if (opts.includeGridData) {
      const { rows, columns } = gridSize(sheet);
      const boxes = wanted.get(sheet) ?? [{ r0: 0, r1: rows, c0: 0, c1: columns }];
      out.data = boxes.map((box) => gridData(sheet, box, ss.locale ?? 'ru_RU'));
    }
    return [out];
  });
  return {
    spreadsheetId: ss.id,
    properties: {
      title: ss.title,
      locale: ss.locale ?? 'ru_RU',
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

/** Keeps only the fields a `fields` parameter asks for (dot paths, as parseFieldMask gives them). */
function project(value: unknown, paths: string[]): unknown {
  return projectPaths(
    value,
    paths.map((p) => p.split('.')),
  );
}

function projectPaths(value: unknown, paths: string[][]): unknown {
  if (paths.some((p) => p.length === 0 || p[0] === '*')) return value;
  if (Array.isArray(value)) return value.map((v) => projectPaths(v, paths));
  if (!isObject(value)) return value;
  const groups = new Map<string, string[][]>();
  for (const [head = '', ...rest] of paths) groups.set(head, [...(groups.get(head) ?? []), rest]);
  const out: Json = {};
  for (const [head, rests] of groups) if (head in value) out[head] = projectPaths(value[head], rests);
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
      return 'date';
    case 'DATE_TIME':
      return 'datetime';
    case 'TIME':
      return 'time';
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
    for (const text of [v.stringValue, v.formulaValue]) {
      if (typeof text === 'string' && text.length > CELL_LIMIT)
        throw badRequest(`Invalid ${where}: ${CELL_LIMIT_MESSAGE}`);
    }
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
    const nf = asObject(format.numberFormat);
    const kind = numberFormatOf(nf.type);
    if (kind && typeof nf.type === 'string') {
      cell.format = kind;
      cell.numberFormat = {
        type: nf.type,
        ...(typeof nf.pattern === 'string' && nf.pattern !== '' ? { pattern: nf.pattern } : {}),
      };
    } else {
      delete cell.format;
      delete cell.numberFormat;
    }
  }
  // A link on the whole cell's text (textFormat.link) is what Google answers as CellData.hyperlink.
  if (covers(mask, 'userEnteredFormat.textFormat.link')) {
    const uri = asObject(asObject(format.textFormat).link).uri;
    if (typeof uri === 'string' && uri !== '') cell.link = uri;
    else delete cell.link;
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
  const missing = checkBodyMask('sheets', 'CellData', fields);
  if (missing !== undefined) throw badRequest(`Invalid ${where}: Invalid field mask path '${missing}' for CellData`);
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

/** What a batchUpdate needs to know about its caller. */
interface WriteContext extends Counters {
  /** The caller's e-mail, added to the editors of a protected range it creates. */
  email: string;
  /** Throws when the caller may not edit `box` of `sheet` (undefined: the sheet itself) — protected ranges. */
  guard(sheet: FakeSheet, box: Box | undefined, where?: string): void;
}

/** A protected range as a box of its sheet (missing bounds = unbounded). */
function protectedBox(range: unknown): Box {
  const r = asObject(range);
  return {
    r0: optInt(r.startRowIndex) ?? 0,
    r1: optInt(r.endRowIndex) ?? Infinity,
    c0: optInt(r.startColumnIndex) ?? 0,
    c1: optInt(r.endColumnIndex) ?? Infinity,
  };
}

const overlaps = (a: Box, b: Box) => a.r0 < b.r1 && b.r0 < a.r1 && a.c0 < b.c1 && b.c0 < a.c1;

/** Whether a caller may edit a protected range: a warning-only range, or one naming the caller among its editors. */
function canEditProtected(p: Json, email: string): boolean {
  const editors = asObject(p.editors);
  return p.warningOnly === true || asArray(editors.users).includes(email) || editors.domainUsersCanEdit === true;
}

/** Google's check: a write touching a protected range (not warningOnly) whose editors lack the caller fails. */
function checkProtection(sheet: FakeSheet, box: Box | undefined, email: string, where?: string): void {
  for (const pr of sheet.protectedRanges ?? []) {
    const p = asObject(pr);
    if (canEditProtected(p, email)) continue;
    if (box && (box.r1 <= box.r0 || box.c1 <= box.c0)) continue;
    if (box === undefined || overlaps(box, protectedBox(p.range))) {
      throw badRequest(where ? `Invalid ${where}: ${PROTECTED_MESSAGE}` : PROTECTED_MESSAGE);
    }
  }
}

function applyRequest(ss: FakeSpreadsheet, request: unknown, i: number, counters: WriteContext): Json {
  const kinds = Object.keys(asObject(request));
  if (kinds.length !== 1) throw badRequest(`Invalid requests[${i}]: exactly one kind of request must be set.`);
  const kind = kinds[0] ?? '';
  const body = asObject(asObject(request)[kind]);
  const where = `requests[${i}].${kind}`;
  switch (kind) {
    case 'addSheet': {
      const p = asObject(body.properties);
      const title = optString(p.title) ?? `Лист${ss.sheets.length + 1}`;
      if (ss.sheets.some((s) => sameTitle(s.title, title))) {
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
    case 'updateSpreadsheetProperties': {
      const p = asObject(body.properties);
      if (typeof body.fields !== 'string' || body.fields.trim() === '') {
        throw badRequest(`Invalid ${where}: At least one field must be specified.`);
      }
      const missing = checkBodyMask('sheets', 'SpreadsheetProperties', body.fields);
      if (missing !== undefined) {
        throw badRequest(`Invalid ${where}: Invalid field mask path '${missing}' for SpreadsheetProperties`);
      }
      const mask = parseFieldMask(body.fields);
      if (covers(mask, 'title') && typeof p.title === 'string') ss.title = p.title;
      // Only the two locales the fake renders are kept; the time zone is always Europe/Moscow here.
      if (covers(mask, 'locale') && (p.locale === 'ru_RU' || p.locale === 'en_US')) ss.locale = p.locale;
      return {};
    }
    case 'deleteSheet': {
      const sheet = findSheet(ss, body.sheetId, where);
      counters.guard(sheet, undefined, where);
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
      const missing = checkBodyMask('sheets', 'SheetProperties', body.fields);
      if (missing !== undefined) {
        throw badRequest(`Invalid ${where}: Invalid field mask path '${missing}' for SheetProperties`);
      }
      if (covers(mask, 'title') && typeof p.title === 'string') {
        const title = p.title;
        if (ss.sheets.some((s) => s !== sheet && sameTitle(s.title, title))) {
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
        counters.guard(sheet, { r0, r1: r0 + rows.length, c0, c1: c0 + width }, where);
        pinGrid(sheet);
        rows.forEach((row, i) => row.forEach((data, j) => writeCell(cellAt(sheet, r0 + i, c0 + j), data, mask, where)));
      } else {
        const { sheet, box } = gridRangeBox(ss, body.range, where);
        counters.guard(sheet, box, where);
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
      counters.guard(sheet, box, where);
      pinGrid(sheet);
      const data = asObject(body.cell);
      for (let r = box.r0; r < box.r1; r++) {
        for (let c = box.c0; c < box.c1; c++) writeCell(cellAt(sheet, r, c), data, mask, where);
      }
      return {};
    }
    case 'setDataValidation': {
      const { sheet, box } = gridRangeBox(ss, body.range, where);
      counters.guard(sheet, box, where);
      sheet.validations = [...(sheet.validations ?? []), { range: body.range, rule: body.rule }];
      return {};
    }
    case 'addProtectedRange': {
      const pr = asObject(body.protectedRange);
      const { sheet } = gridRangeBox(ss, pr.range, where);
      // Google makes the requester an editor of a range it protects (the owner always is one).
      const protectedRange = {
        ...pr,
        protectedRangeId: optInt(pr.protectedRangeId) ?? counters.nextProtectedRangeId(),
        ...(pr.warningOnly !== true && pr.editors === undefined ? { editors: { users: [counters.email] } } : {}),
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
        `Invalid JSON payload received. Unknown name "${kind}" at 'requests[${i}]': Cannot find field. (fake-google-apis supports updateSpreadsheetProperties, addSheet, deleteSheet, updateSheetProperties, appendDimension, updateCells, repeatCell, setDataValidation, addProtectedRange, updateDimensionProperties, autoResizeDimensions)`,
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

/** What Drive's `q` and listings see of a file or folder. */
interface DriveItem {
  id: string;
  name: string;
  mimeType: string;
  /** As Drive answers it (see setModifiedTimeLag). */
  modifiedTime: string;
  version: number;
  /** Undefined for a spreadsheet put() without parents: any `'…' in parents` matches it. */
  parents?: string[];
  driveId?: string;
}

function compileQuery(q: string): (ss: DriveItem) => boolean {
  const tokens = tokenize(q);
  let i = 0;
  const invalid = () =>
    new ApiError(400, 'Invalid Value', { reason: 'invalid', location: 'q', locationType: 'parameter' });
  const peekWord = (w: string) => {
    const t = tokens[i];
    return t?.t === 'word' && t.v.toLowerCase() === w;
  };
  type Pred = (ss: DriveItem) => boolean;
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
        if (op === 'contains') return (ss) => ss.name.toLowerCase().includes(literal.toLowerCase());
        if (op !== '=' && op !== '!=') throw invalid();
        return (ss) => compare(ss.name, op, literal);
      }
      case 'mimeType': {
        if (typeof literal !== 'string' || (op !== '=' && op !== '!=')) throw invalid();
        return (ss) => compare(ss.mimeType, op, literal);
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

interface Caller extends FakeCaller {
  token: string;
  /** An unknown token: owner of everything. */
  isDefault: boolean;
}

interface RequestContext {
  query: URLSearchParams;
  body: unknown;
  caller: Caller;
  params: Record<string, string>;
}

type Handler = (ctx: RequestContext) => Promise<[number, unknown]> | [number, unknown];

/** The fake's op names (kept from before the discovery documents) by discovery method id. */
const OPS: Record<string, string> = {
  'sheets.spreadsheets.get': 'spreadsheets.get',
  'sheets.spreadsheets.create': 'create',
  'sheets.spreadsheets.batchUpdate': 'batchUpdate',
  'sheets.spreadsheets.values.get': 'values.get',
  'sheets.spreadsheets.values.batchGet': 'values.batchGet',
  'sheets.spreadsheets.values.update': 'values.update',
  'sheets.spreadsheets.values.append': 'values.append',
  'sheets.spreadsheets.values.clear': 'values.clear',
  'sheets.spreadsheets.values.batchUpdate': 'values.batchUpdate',
  'drive.files.get': 'files.get',
  'drive.files.list': 'files.list',
  'drive.files.create': 'files.create',
  'drive.files.update': 'files.update',
  'drive.permissions.create': 'permissions.create',
};

const SHEETS_READS = new Set([
  'sheets.spreadsheets.get',
  'sheets.spreadsheets.getByDataFilter',
  'sheets.spreadsheets.values.get',
  'sheets.spreadsheets.values.batchGet',
  'sheets.spreadsheets.values.batchGetByDataFilter',
  'sheets.spreadsheets.developerMetadata.get',
  'sheets.spreadsheets.developerMetadata.search',
]);
const requestKind = (methodId: string): 'read' | 'write' =>
  methodId.startsWith('sheets.')
    ? SHEETS_READS.has(methodId)
      ? 'read'
      : 'write'
    : /\.(get|list|export|watch)$/.test(methodId)
      ? 'read'
      : 'write';

const ROLE_RANK: Record<string, number> = {
  reader: 1,
  commenter: 2,
  writer: 3,
  fileOrganizer: 3,
  organizer: 4,
  owner: 4,
};

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function enumParam<T extends string>(query: URLSearchParams, name: string, fallback: T): T {
  const raw = query.get(name);
  return (raw === null || raw === '' ? fallback : raw) as T;
}

const NO_PERMISSION = 'The caller does not have permission';

export async function startFakeGoogleApis(): Promise<FakeGoogleApis> {
  const spreadsheets = new Map<string, FakeSpreadsheet>();
  const permissions = new Map<string, FakePermission[]>();
  const folders = new Map<string, { id: string; name: string; parents?: string[]; driveId?: string }>();
  const sharedDrives = new Map<string, { id: string; name: string }>();
  const roles = new Map<string, Map<string, FakeRole>>();
  const callers = new Map<string, FakeCaller>();
  /** Every modification of a file: when it happened, and the modifiedTime/version it gave. */
  const history = new Map<string, { at: number; modifiedTime: string; version: number }[]>();
  const requests: FakeRequest[] = [];
  const faults: { op: string; fault: Fault; remaining: number }[] = [];
  const hooks: ((request: FakeRequest) => void | Promise<void>)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const quotaUse = new Map<string, { start: number; read: number; write: number }>();
  let quota: FakeQuota | undefined;
  let lagMs = 0;
  let lastStamp = 0;
  let protectedRangeSeq = 1_000;
  let permissionSeq = 1;

  const stamp = (after?: string): string => {
    const floor = after ? Date.parse(after) : 0;
    lastStamp = Math.max(Date.now(), lastStamp + 1, (Number.isNaN(floor) ? 0 : floor) + 1);
    return new Date(lastStamp).toISOString();
  };
  const currentVersion = (id: string) => history.get(id)?.at(-1)?.version ?? 1;
  /** Records a modification (edit, sharing…) at `modifiedTime`; Drive shows it once the lag has passed. */
  const record = (id: string, modifiedTime: string, created = false) => {
    const list = created ? [] : (history.get(id) ?? []);
    list.push({ at: created ? -Infinity : Date.now(), modifiedTime, version: created ? 1 : currentVersion(id) + 1 });
    history.set(id, list);
  };
  const edited = (ss: FakeSpreadsheet) => {
    ss.modifiedTime = stamp(ss.modifiedTime);
    record(ss.id, ss.modifiedTime);
  };
  /** What Drive answers now: the last modification older than the lag (or the first one). */
  const driveView = (id: string, fallback: string): { modifiedTime: string; version: number } => {
    const list = history.get(id) ?? [];
    const now = Date.now();
    const seen = [...list].reverse().find((h) => h.at <= now - lagMs) ?? list[0];
    return seen ?? { modifiedTime: fallback, version: 1 };
  };
  const counters = (caller: Caller, role: FakeRole): WriteContext => ({
    nextSheetId(ss) {
      let id = 1 + Math.floor(Math.random() * 2_000_000_000);
      while (ss.sheets.some((s) => s.sheetId === id)) id++;
      return id;
    },
    nextProtectedRangeId: () => protectedRangeSeq++,
    email: caller.email,
    guard(sheet, box, where) {
      if (role !== 'owner') checkProtection(sheet, box, caller.email, where);
    },
  });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  // --- rights -------------------------------------------------------------------------------------------------

  /** The folder or shared drive IDs above a file, nearest first. */
  const ancestors = (parents: string[] | undefined, driveId: string | undefined): string[] => {
    const out: string[] = [];
    const queue = [...(parents ?? [])];
    while (queue.length > 0) {
      const id = queue.shift() ?? '';
      if (out.includes(id)) continue;
      out.push(id);
      queue.push(...(folders.get(id)?.parents ?? []));
    }
    if (driveId && !out.includes(driveId)) out.push(driveId);
    return out;
  };
  const bestRole = (a: FakeRole | undefined, b: string | undefined): FakeRole | undefined => {
    if (b === undefined || !(b in ROLE_RANK)) return a;
    const asRole: FakeRole = (ROLE_RANK[b] ?? 0) >= 4 ? 'owner' : (ROLE_RANK[b] ?? 0) >= 3 ? 'writer' : (b as FakeRole);
    return a === undefined || (ROLE_RANK[asRole] ?? 0) > (ROLE_RANK[a] ?? 0) ? asRole : a;
  };
  const roleOn = (
    caller: Caller,
    id: string,
    parents: string[] | undefined,
    driveId: string | undefined,
  ): FakeRole | undefined => {
    if (caller.isDefault) return 'owner';
    let role: FakeRole | undefined;
    for (const target of [id, ...ancestors(parents, driveId)]) {
      role = bestRole(role, roles.get(target)?.get(caller.email.toLowerCase()));
      for (const p of permissions.get(target) ?? []) {
        if (p.type === 'anyone' || p.emailAddress?.toLowerCase() === caller.email.toLowerCase()) {
          role = bestRole(role, p.role);
        }
      }
    }
    // A shared drive member's "owner"-level role is organizer; the file itself belongs to the drive.
    if (driveId && role === 'owner' && roles.get(id)?.get(caller.email.toLowerCase()) !== 'owner') role = 'writer';
    return role;
  };
  const share = (id: string, email: string, role: FakeRole) => {
    const map = roles.get(id) ?? new Map<string, FakeRole>();
    map.set(email.toLowerCase(), role);
    roles.set(id, map);
  };

  /** The spreadsheet for the Sheets API, or Google's refusal: 404, 403 without a role, 400 for an Excel file. */
  const sheetFor = (id: string, caller: Caller, need: 'read' | 'write'): { ss: FakeSpreadsheet; role: FakeRole } => {
    const ss = spreadsheets.get(id);
    if (!ss) throw new ApiError(404, 'Requested entity was not found.');
    const role = roleOn(caller, ss.id, ss.parents, ss.driveId);
    if (!role) throw new ApiError(403, NO_PERMISSION);
    if (need === 'write' && (ROLE_RANK[role] ?? 0) < 3) throw new ApiError(403, NO_PERMISSION);
    if ((ss.mimeType ?? SPREADSHEET_MIME) !== SPREADSHEET_MIME) {
      throw new ApiError(400, 'This operation is not supported for this document', { status: 'FAILED_PRECONDITION' });
    }
    return { ss, role };
  };

  const notFound = (id: string) =>
    new ApiError(404, `File not found: ${id}.`, { reason: 'notFound', location: 'fileId', locationType: 'parameter' });

  const driveItems = (): DriveItem[] => [
    ...[...spreadsheets.values()].map((ss) => {
      const view = driveView(ss.id, ss.modifiedTime);
      return {
        id: ss.id,
        name: ss.title,
        mimeType: ss.mimeType ?? SPREADSHEET_MIME,
        modifiedTime: view.modifiedTime,
        version: view.version,
        ...(ss.parents ? { parents: ss.parents } : {}),
        ...(ss.driveId ? { driveId: ss.driveId } : {}),
      };
    }),
    ...[...folders.values()].map((f) => {
      const view = driveView(f.id, new Date(0).toISOString());
      return {
        id: f.id,
        name: f.name,
        mimeType: FOLDER_MIME,
        modifiedTime: view.modifiedTime,
        version: view.version,
        parents: f.parents ?? [],
        ...(f.driveId ? { driveId: f.driveId } : {}),
      };
    }),
  ];

  /** A Drive file the caller sees, or 404 (unknown, no role, or in a shared drive without supportsAllDrives). */
  const driveItemFor = (id: string, caller: Caller, query: URLSearchParams, need: 'read' | 'write'): DriveItem => {
    const item = driveItems().find((f) => f.id === id);
    if (!item) throw notFound(id);
    if (item.driveId && query.get('supportsAllDrives') !== 'true' && query.get('supportsTeamDrives') !== 'true') {
      throw notFound(id);
    }
    const role = roleOn(caller, item.id, item.parents, item.driveId);
    if (!role) throw notFound(id);
    if (need === 'write' && (ROLE_RANK[role] ?? 0) < 3) {
      throw new ApiError(403, 'The user does not have sufficient permissions for this file.', {
        reason: 'insufficientFilePermissions',
      });
    }
    return item;
  };

  const fileResource = (item: DriveItem): Json => ({
    kind: 'drive#file',
    id: item.id,
    name: item.name,
    mimeType: item.mimeType,
    modifiedTime: item.modifiedTime,
    version: String(item.version),
    webViewLink:
      item.mimeType === SPREADSHEET_MIME
        ? `https://docs.google.com/spreadsheets/d/${item.id}/edit`
        : `https://drive.google.com/file/d/${item.id}/view`,
    trashed: false,
    ...(item.parents ? { parents: item.parents } : {}),
    ...(item.driveId ? { driveId: item.driveId } : {}),
  });
  const driveFields = (query: URLSearchParams, fallback: string): string[] =>
    parseFieldMask(query.get('fields') ?? fallback);

  // --- values ---------------------------------------------------------------------------------------------------

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
      for (let c = box.c0; c < Math.min(box.c1, row.length); c++) {
        out.push(renderValue(row[c], mode, dates, ss.locale ?? 'ru_RU'));
      }
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
    mode: enumParam<ValueRender>(query, 'valueRenderOption', 'FORMATTED_VALUE'),
    dates: enumParam<DateRender>(query, 'dateTimeRenderOption', 'SERIAL_NUMBER'),
    major: (query.get('majorDimension') === 'COLUMNS' ? 'COLUMNS' : 'ROWS') as 'ROWS' | 'COLUMNS',
  });

  /** Parses a value as typed into the sheet (USER_ENTERED) or keeps it (RAW). */
  const enteredCell = (value: unknown, input: string, locale: Locale): FakeCell | undefined => {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'number' || typeof value === 'boolean') return { value };
    const text = String(value);
    if (text.length > CELL_LIMIT) throw badRequest(CELL_LIMIT_MESSAGE);
    if (input === 'RAW' || text === '') return { value: text === '' ? null : text };
    if (text.startsWith('=')) return { value: text, formula: true };
    if (/^(true|false)$/i.test(text)) return { value: text.toLowerCase() === 'true' };
    const { decimal } = SEPARATORS[locale];
    const numeric = text.replace(/[\s\u00a0]/g, '').replace(decimal, '.');
    const percent = /^-?\d+(\.\d+)?%$/.test(numeric);
    if (percent) return { value: Number(numeric.slice(0, -1)) / 100, format: 'percent' };
    if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(numeric)) return { value: Number(numeric) };
    return { value: text };
  };

  /** Writes a ValueRange into a draft spreadsheet; grows the grid only when `grow` (append). */
  const writeValues = (
    draft: FakeSpreadsheet,
    rangeText: string,
    body: Json,
    input: string,
    ctx: WriteContext,
    grow: boolean,
  ): Json => {
    const { sheet, box: target } = resolveRange(draft, rangeText);
    let matrix = asArray(body.values).map(asArray);
    if (body.majorDimension === 'COLUMNS') {
      const height = matrix.reduce((m, c) => Math.max(m, c.length), 0);
      matrix = Array.from({ length: height }, (_, r) => matrix.map((col) => col[r]));
    }
    const height = matrix.length;
    const width = matrix.reduce((m, r) => Math.max(m, r.length), 0);
    const r0 = target.r0;
    const c0 = target.c0;
    const { rows: maxRows, columns: maxColumns } = gridSize(sheet);
    if (r0 + height > maxRows || c0 + width > maxColumns) {
      if (!grow) {
        throw badRequest(
          `Range (${a1(sheet, { r0, c0, r1: r0 + height, c1: c0 + width })}) exceeds grid limits. Max rows: ${maxRows}, max columns: ${maxColumns}`,
        );
      }
      pinGrid(sheet);
      const grid = sheet.gridProperties ?? {};
      grid.rowCount = Math.max(grid.rowCount ?? 0, r0 + height);
      grid.columnCount = Math.max(grid.columnCount ?? 0, c0 + width);
    }
    ctx.guard(sheet, { r0, r1: r0 + height, c0, c1: c0 + width });
    pinGrid(sheet);
    matrix.forEach((row, i) =>
      row.forEach((value, j) => {
        const entered = enteredCell(value, input, draft.locale ?? 'ru_RU');
        if (!entered) return;
        const cell = cellAt(sheet, r0 + i, c0 + j);
        delete cell.formula;
        Object.assign(cell, entered);
      }),
    );
    const written = { r0, c0, r1: r0 + Math.max(height, 1), c1: c0 + Math.max(width, 1) };
    return {
      spreadsheetId: draft.id,
      updatedRange: a1(sheet, written),
      ...(height > 0 ? { updatedRows: height, updatedColumns: width, updatedCells: height * width } : {}),
    };
  };

  const inputOption = (query: URLSearchParams) => {
    const input = query.get('valueInputOption');
    if (!input || input === 'INPUT_VALUE_OPTION_UNSPECIFIED') {
      throw badRequest("'valueInputOption' is required but not specified");
    }
    return input;
  };

  /** Applies `change` to a copy and keeps it only when every part succeeds (batchUpdate is atomic). */
  const atomically = <T>(ss: FakeSpreadsheet, change: (draft: FakeSpreadsheet) => T): T => {
    const draft = structuredClone(ss);
    const result = change(draft);
    ss.title = draft.title;
    ss.sheets = draft.sheets;
    if (draft.locale) ss.locale = draft.locale;
    edited(ss);
    return result;
  };

  const newSpreadsheetId = () => `1${randomBytes(32).toString('base64url').slice(0, 43)}`;
  const firstSheet = (): FakeSheet => ({
    sheetId: 0,
    title: 'Лист1',
    rows: [],
    gridProperties: { rowCount: DEFAULT_ROWS, columnCount: DEFAULT_COLUMNS },
  });
  const storageRefusal = (api: 'sheets' | 'drive') =>
    api === 'sheets'
      ? new ApiError(403, "The user's Drive storage quota has been exceeded.")
      : new ApiError(
          403,
          'Service Accounts do not have storage quota. Leverage shared drives (https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth delegation (http://support.google.com/a/answer/7281227) instead.',
          { reason: 'storageQuotaExceeded', domain: 'usageLimits' },
        );
  const hasStorage = (caller: Caller) => caller.storageQuota ?? caller.kind === 'user';

  // --- handlers -------------------------------------------------------------------------------------------------

  const handlers: Record<string, Handler> = {
    'sheets.spreadsheets.values.batchGet': ({ query, params, caller }) => {
      const id = params.spreadsheetId ?? '';
      const { ss } = sheetFor(id, caller, 'read');
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
    'sheets.spreadsheets.values.get': ({ query, params, caller }) => {
      const { ss } = sheetFor(params.spreadsheetId ?? '', caller, 'read');
      const { mode, dates, major } = renderOptions(query);
      return [200, valueRangeOf(ss, params.range ?? '', mode, dates, major)];
    },
    'sheets.spreadsheets.values.update': ({ query, params, caller, body }) => {
      const { ss, role } = sheetFor(params.spreadsheetId ?? '', caller, 'write');
      const input = inputOption(query);
      const result = atomically(ss, (draft) =>
        writeValues(draft, params.range ?? '', asObject(body), input, counters(caller, role), false),
      );
      return [200, result];
    },
    'sheets.spreadsheets.values.append': ({ query, params, caller, body }) => {
      const { ss, role } = sheetFor(params.spreadsheetId ?? '', caller, 'write');
      const input = inputOption(query);
      const result = atomically(ss, (draft) => {
        const { sheet, box } = resolveRange(draft, params.range ?? '');
        let last = box.r0 - 1;
        for (let r = box.r0; r < sheet.rows.length; r++) {
          const row = sheet.rows[r] ?? [];
          for (let c = box.c0; c < Math.min(box.c1, row.length); c++) if (!isBlankCell(row[c])) last = r;
        }
        const start = a1(sheet, { r0: last + 1, r1: last + 2, c0: box.c0, c1: box.c0 + 1 }).replace(/:.*$/, '');
        const updates = writeValues(draft, start, asObject(body), input, counters(caller, role), true);
        return { spreadsheetId: draft.id, updates };
      });
      return [200, result];
    },
    'sheets.spreadsheets.values.clear': ({ params, caller }) => {
      const { ss, role } = sheetFor(params.spreadsheetId ?? '', caller, 'write');
      const result = atomically(ss, (draft) => {
        const { sheet, box } = resolveRange(draft, params.range ?? '');
        counters(caller, role).guard(sheet, box);
        for (let r = box.r0; r < Math.min(box.r1, sheet.rows.length); r++) {
          const row = sheet.rows[r] ?? [];
          for (let c = box.c0; c < Math.min(box.c1, row.length); c++) {
            const cell = row[c];
            if (cell) {
              cell.value = null;
              delete cell.formula;
            }
          }
        }
        return { spreadsheetId: draft.id, clearedRange: a1(sheet, box) };
      });
      return [200, result];
    },
    'sheets.spreadsheets.values.batchUpdate': ({ params, caller, body }) => {
      const { ss, role } = sheetFor(params.spreadsheetId ?? '', caller, 'write');
      const b = asObject(body);
      const input = typeof b.valueInputOption === 'string' ? b.valueInputOption : '';
      if (!input || input === 'INPUT_VALUE_OPTION_UNSPECIFIED') {
        throw badRequest("'valueInputOption' is required but not specified");
      }
      const ctx = counters(caller, role);
      const responses = atomically(ss, (draft) =>
        asArray(b.data).map((d) =>
          writeValues(draft, optString(asObject(d).range) ?? '', asObject(d), input, ctx, false),
        ),
      );
      const sum = (k: string) => responses.reduce((n, r) => n + (optInt(r[k]) ?? 0), 0);
      return [
        200,
        {
          spreadsheetId: ss.id,
          totalUpdatedRows: sum('updatedRows'),
          totalUpdatedColumns: sum('updatedColumns'),
          totalUpdatedCells: sum('updatedCells'),
          totalUpdatedSheets: responses.length,
          responses,
        },
      ];
    },
    'sheets.spreadsheets.get': ({ query, params, caller }) => {
      const { ss } = sheetFor(params.spreadsheetId ?? '', caller, 'read');
      return [
        200,
        spreadsheetResource(ss, {
          ranges: query.getAll('ranges'),
          includeGridData: query.get('includeGridData') === 'true',
          caller: caller.email,
        }),
      ];
    },
    'sheets.spreadsheets.batchUpdate': ({ params, caller, body }) => {
      const id = params.spreadsheetId ?? '';
      const { ss, role } = sheetFor(id, caller, 'write');
      const b = asObject(body);
      const list = asArray(b.requests);
      if (list.length === 0) throw badRequest('Invalid requests: Must specify at least one request.');
      const ctx = counters(caller, role);
      const replies = atomically(ss, (draft) => list.map((r, i) => applyRequest(draft, r, i, ctx)));
      return [
        200,
        {
          spreadsheetId: id,
          replies,
          ...(b.includeSpreadsheetInResponse === true ? { updatedSpreadsheet: spreadsheetResource(ss) } : {}),
        },
      ];
    },
    'sheets.spreadsheets.create': ({ body, caller }) => {
      if (!caller.isDefault && !hasStorage(caller)) throw storageRefusal('sheets');
      const b = asObject(body);
      const props = asObject(b.properties);
      const id = newSpreadsheetId();
      const ss: FakeSpreadsheet = {
        id,
        title: optString(props.title) ?? 'Новая таблица',
        modifiedTime: stamp(),
        sheets: [],
        ...(props.locale === 'en_US' || props.locale === 'ru_RU' ? { locale: props.locale } : {}),
      };
      const draft = structuredClone(ss);
      const ctx = counters(caller, 'owner');
      asArray(b.sheets).forEach((s, i) =>
        applyRequest(draft, { addSheet: { properties: asObject(asObject(s).properties) } }, i, ctx),
      );
      if (draft.sheets.length === 0) draft.sheets.push(firstSheet());
      ss.sheets = draft.sheets;
      spreadsheets.set(id, ss);
      record(id, ss.modifiedTime, true);
      if (!caller.isDefault) share(id, caller.email, 'owner');
      return [200, spreadsheetResource(ss)];
    },
    'drive.files.list': ({ query, caller }) => {
      const q = query.get('q');
      const predicate = q ? compileQuery(q) : () => true;
      const corpora = query.get('corpora') ?? 'user';
      const allDrives = query.get('includeItemsFromAllDrives') === 'true' && query.get('supportsAllDrives') === 'true';
      const driveId = query.get('driveId');
      if (corpora === 'drive' && !driveId) {
        throw new ApiError(400, 'The driveId parameter must be specified when the corpora parameter is drive.', {
          reason: 'invalid',
          location: 'driveId',
          locationType: 'parameter',
        });
      }
      if (driveId && !allDrives) {
        throw new ApiError(
          403,
          'The includeItemsFromAllDrives parameter must be set to true when driveId is specified.',
          { reason: 'teamDrivesParameterRequired', location: 'includeItemsFromAllDrives', locationType: 'parameter' },
        );
      }
      const files = driveItems().filter((item) => {
        if (!roleOn(caller, item.id, item.parents, item.driveId)) return false;
        if (corpora === 'drive') return item.driveId === driveId;
        if (item.driveId) return allDrives && corpora === 'allDrives';
        return true;
      });
      const listed = files.filter(predicate);
      const orderBy = (query.get('orderBy') ?? '').trim();
      if (orderBy !== '') {
        const [key, dir] = (orderBy.split(',')[0] ?? '').trim().split(/\s+/);
        const sign = dir === 'desc' ? -1 : 1;
        if (key === 'modifiedTime') {
          listed.sort((a, b) => sign * (Date.parse(a.modifiedTime) - Date.parse(b.modifiedTime)));
        } else if (key === 'name' || key === 'name_natural') {
          listed.sort((a, b) => sign * a.name.localeCompare(b.name));
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
      const next = offset + pageSize < listed.length;
      const full = {
        kind: 'drive#fileList',
        incompleteSearch: false,
        ...(next ? { nextPageToken: Buffer.from(String(offset + pageSize)).toString('base64url') } : {}),
        files: listed.slice(offset, offset + pageSize).map(fileResource),
      };
      return [
        200,
        project(full, driveFields(query, 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)')),
      ];
    },
    'drive.files.get': ({ query, params, caller }) => {
      const item = driveItemFor(params.fileId ?? '', caller, query, 'read');
      return [200, project(fileResource(item), driveFields(query, 'kind,id,name,mimeType'))];
    },
    'drive.files.update': ({ query, params, caller, body }) => {
      const id = params.fileId ?? '';
      driveItemFor(id, caller, query, 'write');
      const b = asObject(body);
      const ss = spreadsheets.get(id);
      const folder = folders.get(id);
      if (typeof b.name === 'string') {
        if (ss) ss.title = b.name;
        if (folder) folder.name = b.name;
      }
      if (ss) edited(ss);
      else record(id, stamp());
      const item = driveItemFor(id, caller, query, 'read');
      return [200, project(fileResource(item), driveFields(query, 'kind,id,name,mimeType'))];
    },
    'drive.files.create': ({ query, body, caller }) => {
      const b = asObject(body);
      const parents = asArray(b.parents).filter((p): p is string => typeof p === 'string');
      const allDrives = query.get('supportsAllDrives') === 'true' || query.get('supportsTeamDrives') === 'true';
      let driveId: string | undefined;
      for (const parent of parents) {
        const folder = folders.get(parent);
        const drive = sharedDrives.get(parent);
        if (!folder && !drive) throw notFound(parent);
        const inDrive = drive ? drive.id : folder?.driveId;
        if (inDrive && !allDrives) throw notFound(parent);
        const role = roleOn(caller, parent, folder?.parents, inDrive);
        if (!role) throw notFound(parent);
        if ((ROLE_RANK[role] ?? 0) < 3) {
          throw new ApiError(403, 'The user does not have sufficient permissions for this file.', {
            reason: 'insufficientFilePermissions',
          });
        }
        driveId = inDrive;
      }
      if (!driveId && !caller.isDefault && !hasStorage(caller)) throw storageRefusal('drive');
      const mimeType = optString(b.mimeType) ?? 'application/octet-stream';
      const name = optString(b.name) ?? 'Untitled';
      let item: DriveItem;
      if (mimeType === SPREADSHEET_MIME) {
        const ss: FakeSpreadsheet = {
          id: newSpreadsheetId(),
          title: name,
          modifiedTime: stamp(),
          sheets: [firstSheet()],
          ...(parents.length > 0 ? { parents } : {}),
          ...(driveId ? { driveId } : {}),
        };
        spreadsheets.set(ss.id, ss);
        record(ss.id, ss.modifiedTime, true);
        item = {
          id: ss.id,
          name,
          mimeType,
          modifiedTime: ss.modifiedTime,
          version: 1,
          parents,
          ...(driveId ? { driveId } : {}),
        };
      } else if (mimeType === FOLDER_MIME) {
        const id = `0${randomBytes(24).toString('base64url').slice(0, 32)}`;
        folders.set(id, { id, name, parents, ...(driveId ? { driveId } : {}) });
        const modifiedTime = stamp();
        record(id, modifiedTime, true);
        item = { id, name, mimeType, modifiedTime, version: 1, parents, ...(driveId ? { driveId } : {}) };
      } else {
        throw new ApiError(
          501,
          `fake-google-apis: files.create only makes folders and Google spreadsheets, not ${mimeType}`,
        );
      }
      if (!caller.isDefault) share(item.id, caller.email, driveId ? 'writer' : 'owner');
      return [200, project(fileResource(item), driveFields(query, 'kind,id,name,mimeType'))];
    },
    'drive.permissions.create': ({ query, params, body, caller }) => {
      const id = params.fileId ?? '';
      driveItemFor(id, caller, query, 'write');
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
      // Sharing changes the file's version but not its modifiedTime.
      const last = history.get(id)?.at(-1);
      record(id, last?.modifiedTime ?? spreadsheets.get(id)?.modifiedTime ?? stamp());
      const full = { kind: 'drive#permission', ...permission };
      return [200, query.get('fields') ? project(full, driveFields(query, '*')) : full];
    },
  };

  // --- quota ----------------------------------------------------------------------------------------------------

  const chargeQuota = (api: 'sheets' | 'drive', kind: 'read' | 'write', caller: Caller) => {
    if (!quota) return;
    const key = `${api}|${quota.perUser ? caller.token : 'project'}`;
    const now = Date.now();
    let use = quotaUse.get(key);
    if (!use || now - use.start >= quota.windowMs) {
      use = { start: now, read: 0, write: 0 };
      quotaUse.set(key, use);
    }
    const limit = kind === 'read' ? quota.readsPerWindow : quota.writesPerWindow;
    if (use[kind] >= limit) {
      if (api === 'sheets') throw sheetsQuotaError(kind, quota.perUser === true);
      throw quota.perUser
        ? new ApiError(403, 'User Rate Limit Exceeded', { reason: 'userRateLimitExceeded', domain: 'usageLimits' })
        : new ApiError(403, 'Rate Limit Exceeded', { reason: 'rateLimitExceeded', domain: 'usageLimits' });
    }
    use[kind]++;
  };

  // --- HTTP -----------------------------------------------------------------------------------------------------

  const send = (res: ServerResponse, rec: FakeRequest, status: number, payload: unknown) => {
    rec.status = status;
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const callerOf = (authorization: string): Caller | undefined => {
    const m = /^Bearer\s+(\S+)/i.exec(authorization);
    if (!m) return undefined;
    const token = m[1] ?? '';
    const known = callers.get(token);
    return known
      ? { ...known, token, isDefault: false }
      : { email: DEFAULT_CALLER_EMAIL, kind: 'user', storageQuota: true, token, isDefault: true };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = decode(url.pathname);
    const raw = await readBody(req);
    const text = raw.length > PAYLOAD_LIMIT ? '' : raw.toString('utf8');
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
    const matched: MatchedMethod | undefined = findMethod(method, url.pathname);
    const api = matched?.api ?? (path.startsWith('/drive/') ? 'drive' : 'sheets');
    const methodId = matched?.method.id ?? '';
    const fileId = matched ? (matched.params.spreadsheetId ?? matched.params.fileId) : undefined;
    const query: Record<string, string[]> = {};
    for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
    const caller = callerOf(req.headers.authorization ?? '');
    const rec: FakeRequest = {
      method,
      path,
      api,
      op: matched ? (OPS[methodId] ?? methodId.replace(/^(sheets|drive)\./, '')) : 'unknown',
      ...(fileId !== undefined ? { spreadsheetId: fileId } : {}),
      ...(body !== undefined ? { body } : {}),
      query,
      ...(caller ? { caller: caller.email } : {}),
      ...(matched ? { kind: requestKind(methodId) } : {}),
    };
    requests.push(rec);

    const slot = faults.find((f) => f.remaining > 0 && (f.op === '*' || f.op === rec.op));
    if (slot) {
      slot.remaining--;
      if (slot.remaining === 0) faults.splice(faults.indexOf(slot), 1);
      rec.fault = slot.fault.kind;
      if (slot.fault.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (slot.fault.kind === 'status') {
        const error = faultError(slot.fault.status, rec.api);
        send(res, rec, error.code, error.body(rec.api));
        return;
      }
      await sleep(slot.fault.ms);
    }

    try {
      if (!caller) {
        throw new ApiError(
          401,
          'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          { reason: 'required', location: 'Authorization', locationType: 'header' },
        );
      }
      if (!matched) throw new ApiError(404, `fake-google-apis: no such method: ${method} ${path}`);
      if (raw.length > PAYLOAD_LIMIT) {
        throw new ApiError(400, `Request payload size exceeds the limit: ${PAYLOAD_LIMIT} bytes.`);
      }
      chargeQuota(api, requestKind(methodId), caller);
      if (bodyError) {
        throw badRequest(`Invalid JSON payload received. Unexpected token.\n${text.slice(0, 40)}\n^`);
      }
      const refusal: Refusal | undefined =
        checkQuery(matched, url.searchParams) ??
        (url.searchParams.has('fields')
          ? checkFieldsParam(matched, url.searchParams.get('fields') ?? '')
          : undefined) ??
        checkBody(matched, body);
      if (refusal) throw fromRefusal(refusal);
      const handler = handlers[methodId];
      if (!handler) throw new ApiError(501, `fake-google-apis: ${methodId} is not implemented`);
      for (const hook of [...hooks]) await hook(rec);
      const [status, payload] = await handler({ query: url.searchParams, body, caller, params: matched.params });
      const fields = url.searchParams.get('fields');
      send(res, rec, status, api === 'sheets' && fields ? project(payload, parseFieldMask(fields)) : payload);
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError(500, `fake-google-apis: ${(error as Error).message}`);
      send(res, rec, apiError.code, apiError.body(rec.api));
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
    folders,
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
        spreadsheets.set(copy.id, copy);
        record(copy.id, copy.modifiedTime);
      } else {
        if (Number.isNaN(Date.parse(copy.modifiedTime))) copy.modifiedTime = stamp();
        spreadsheets.set(copy.id, copy);
        record(copy.id, copy.modifiedTime, true);
      }
    },
    touch(id) {
      const ss = spreadsheets.get(id);
      if (!ss) throw new Error(`fake-google-apis: no spreadsheet ${id}`);
      edited(ss);
    },
    addCaller(token, caller) {
      callers.set(token, { ...caller });
    },
    share,
    addSharedDrive(id, name, members = {}) {
      sharedDrives.set(id, { id, name });
      for (const [email, role] of Object.entries(members)) share(id, email, role);
    },
    addFolder(id, name, parent) {
      const driveId = parent ? (sharedDrives.has(parent) ? parent : folders.get(parent)?.driveId) : undefined;
      folders.set(id, { id, name, parents: parent ? [parent] : [], ...(driveId ? { driveId } : {}) });
      record(id, stamp(), true);
    },
    setModifiedTimeLag(ms) {
      lagMs = Math.max(0, ms);
    },
    setQuota(q) {
      quota = q ? { ...q } : undefined;
      quotaUse.clear();
    },
    beforeAnswer(hook) {
      hooks.push(hook);
      return () => {
        const at = hooks.indexOf(hook);
        if (at >= 0) hooks.splice(at, 1);
      };
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
