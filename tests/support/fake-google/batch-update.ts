/** `spreadsheets.batchUpdate`: one request applied to a draft spreadsheet. */
import { checkBodyMask } from '../google-discovery-validator.js';
import { cellMask, writeCell } from './cells.js';
import { badRequest } from './errors.js';
import {
  cellAt,
  columnName,
  DEFAULT_COLUMNS,
  DEFAULT_ROWS,
  findSheet,
  gridRangeBox,
  gridSize,
  pinGrid,
  quoteTitle,
  sameTitle,
} from './grid.js';
import { asArray, asObject, covers, optInt, optString, parseFieldMask } from './json.js';
import type { WriteContext } from './protection.js';
import { isBlankCell, sheetProperties } from './resources.js';
import type { FakeSheet, FakeSpreadsheet, Json } from './types.js';

export function applyRequest(ss: FakeSpreadsheet, request: unknown, i: number, counters: WriteContext): Json {
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
