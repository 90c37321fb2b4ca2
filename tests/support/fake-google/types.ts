/** What the fake's users see: spreadsheets, requests, callers, faults, and the server's handle. */
import type { FakeChannel, FakeNotification } from './drive-changes.js';

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
   * 'permissions.create', 'changes.getStartPageToken', 'changes.list', 'changes.watch', 'channels.stop'; another discovery method id (without 'sheets.'/'drive.') when the fake does not
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
  /** What Drive answers as lastModifyingUser.displayName; default: the e-mail's local part. */
  displayName?: string;
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
  /** Every web-hook notification the fake delivered (or tried to), in order (see drive-changes.ts). */
  notifications: FakeNotification[];
  /** The watch channels made with changes.watch (stopped ones too), without their caller. */
  channels(): Omit<FakeChannel, 'caller'>[];
  /** Resolves once every notification sent so far has been answered (or has failed). */
  notificationsSettled(): Promise<void>;
  /** The next `times` requests whose op matches (or every op, with '*') get this fault instead of an answer. */
  inject(op: string, fault: Fault, times?: number): void;
  /**
   * Adds (or replaces) a spreadsheet, storing a copy. A new ID keeps the given modifiedTime; a replacement
   * keeps it only when it is later than the stored one, otherwise gets a fresh one — it always moves forward.
   * With `mimeType: XLSX_MIME` it is an Excel file in Drive; with `driveId`, a file in that shared drive.
   */
  put(sheet: FakeSpreadsheet): void;
  /**
   * Marks a spreadsheet edited now (new modifiedTime, strictly later than before), as a person editing it
   * would; `by`: that person's e-mail (Drive's lastModifyingUser; default: the default owner).
   */
  touch(id: string, by?: string): void;
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

/** Request bodies are untyped JSON. */
export type Json = Record<string, unknown>;

/** A caller as the server knows it during one request. */
export interface Caller extends FakeCaller {
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

/** One API method: [HTTP status, JSON answer], or a thrown ApiError. */
export type Handler = (ctx: RequestContext) => Promise<[number, unknown]> | [number, unknown];
