/** Writing CellData into a cell, under a field mask. */
import { checkBodyMask } from '../google-discovery-validator.js';
import { badRequest, CELL_LIMIT, CELL_LIMIT_MESSAGE } from './errors.js';
import { asObject, covers, parseFieldMask } from './json.js';
import type { FakeCell, Json } from './types.js';

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
export function writeCell(cell: FakeCell, data: Json, mask: string[], where: string): void {
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

export function cellMask(fields: unknown, where: string): string[] {
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
