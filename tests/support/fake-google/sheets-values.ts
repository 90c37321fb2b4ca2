/** Sheets v4 `spreadsheets.values.*`: reading rendered values, and writing them as typed or raw. */
import { badRequest, CELL_LIMIT, CELL_LIMIT_MESSAGE } from './errors.js';
import { a1, cellAt, gridSize, pinGrid, resolveRange } from './grid.js';
import { asArray, asObject, optInt, optString } from './json.js';
import type { WriteContext } from './protection.js';
import { isEmptyRendered, renderValue, SEPARATORS, type DateRender, type Locale, type ValueRender } from './render.js';
import { isBlankCell } from './resources.js';
import { sheetFor } from './rights.js';
import type { FakeState } from './state.js';
import type { FakeCell, FakeSpreadsheet, Handler, Json } from './types.js';

function enumParam<T extends string>(query: URLSearchParams, name: string, fallback: T): T {
  const raw = query.get(name);
  return (raw === null || raw === '' ? fallback : raw) as T;
}

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

/** valueInputOption (a query parameter, or a field of values.batchUpdate's body), which Google requires. */
const requiredInput = (input: string | null): string => {
  if (!input || input === 'INPUT_VALUE_OPTION_UNSPECIFIED') {
    throw badRequest("'valueInputOption' is required but not specified");
  }
  return input;
};

export function valuesHandlers(state: FakeState): Record<string, Handler> {
  return {
    'sheets.spreadsheets.values.batchGet': ({ query, params, caller }) => {
      const id = params.spreadsheetId ?? '';
      const { ss } = sheetFor(state, id, caller, 'read');
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
      const { ss } = sheetFor(state, params.spreadsheetId ?? '', caller, 'read');
      const { mode, dates, major } = renderOptions(query);
      return [200, valueRangeOf(ss, params.range ?? '', mode, dates, major)];
    },
    'sheets.spreadsheets.values.update': ({ query, params, caller, body }) => {
      const { ss, role } = sheetFor(state, params.spreadsheetId ?? '', caller, 'write');
      const input = requiredInput(query.get('valueInputOption'));
      const result = state.atomically(
        ss,
        (draft) =>
          writeValues(draft, params.range ?? '', asObject(body), input, state.writeContext(caller, role), false),
        caller.email,
      );
      return [200, result];
    },
    'sheets.spreadsheets.values.append': ({ query, params, caller, body }) => {
      const { ss, role } = sheetFor(state, params.spreadsheetId ?? '', caller, 'write');
      const input = requiredInput(query.get('valueInputOption'));
      const result = state.atomically(
        ss,
        (draft) => {
          const { sheet, box } = resolveRange(draft, params.range ?? '');
          let last = box.r0 - 1;
          for (let r = box.r0; r < sheet.rows.length; r++) {
            const row = sheet.rows[r] ?? [];
            for (let c = box.c0; c < Math.min(box.c1, row.length); c++) if (!isBlankCell(row[c])) last = r;
          }
          const start = a1(sheet, { r0: last + 1, r1: last + 2, c0: box.c0, c1: box.c0 + 1 }).replace(/:.*$/, '');
          const updates = writeValues(draft, start, asObject(body), input, state.writeContext(caller, role), true);
          return { spreadsheetId: draft.id, updates };
        },
        caller.email,
      );
      return [200, result];
    },
    'sheets.spreadsheets.values.clear': ({ params, caller }) => {
      const { ss, role } = sheetFor(state, params.spreadsheetId ?? '', caller, 'write');
      const result = state.atomically(
        ss,
        (draft) => {
          const { sheet, box } = resolveRange(draft, params.range ?? '');
          state.writeContext(caller, role).guard(sheet, box);
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
        },
        caller.email,
      );
      return [200, result];
    },
    'sheets.spreadsheets.values.batchUpdate': ({ params, caller, body }) => {
      const { ss, role } = sheetFor(state, params.spreadsheetId ?? '', caller, 'write');
      const b = asObject(body);
      const input = requiredInput(typeof b.valueInputOption === 'string' ? b.valueInputOption : '');
      const ctx = state.writeContext(caller, role);
      const responses = state.atomically(
        ss,
        (draft) =>
          asArray(b.data).map((d) =>
            writeValues(draft, optString(asObject(d).range) ?? '', asObject(d), input, ctx, false),
          ),
        caller.email,
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
  };
}
