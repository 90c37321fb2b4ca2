/** Spreadsheet, sheet and cell resources as `spreadsheets.get` answers them. */
import { canEditProtected } from './protection.js';
import { gridSize, resolveRange, type Box } from './grid.js';
import { asObject } from './json.js';
import { formattedValue, numberFormatOfCell, type Locale } from './render.js';
import type { FakeCell, FakeSheet, FakeSpreadsheet, Json } from './types.js';

export function sheetProperties(sheet: FakeSheet, index: number): Json {
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

export function isBlankCell(cell: FakeCell | undefined): boolean {
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

export function spreadsheetResource(
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
