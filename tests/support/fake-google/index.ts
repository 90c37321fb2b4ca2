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
 *
 * Every request is first checked against Google's discovery documents (../google-discovery-validator.ts).
 * The modules: server.ts (HTTP, routing, faults, the handle tests hold), state.ts (what is remembered),
 * rights.ts (roles, shared drives), protection.ts, quota.ts, errors.ts (Google's error bodies),
 * sheets-values.ts, sheets-spreadsheets.ts, batch-update.ts and cells.ts (Sheets v4), drive-methods.ts,
 * drive-query.ts and drive-changes.ts (Drive v3, changes and push notifications), resources.ts, grid.ts (A1 notation), render.ts (locale rendering), json.ts.
 */
export { startFakeGoogleApis } from './server.js';
export type { FakeChannel, FakeNotification } from './drive-changes.js';
export { fakeSpreadsheetFromWorkbook } from './from-workbook.js';
export { dateToSerial, ruDate as formatRuDate, serialToDate } from './render.js';
export {
  DEFAULT_CALLER_EMAIL,
  FOLDER_MIME,
  SPREADSHEET_MIME,
  XLSX_MIME,
  type FakeCaller,
  type FakeCell,
  type FakeGoogleApis,
  type FakePermission,
  type FakeQuota,
  type FakeRequest,
  type FakeRole,
  type FakeSheet,
  type FakeSpreadsheet,
  type Fault,
} from './types.js';
