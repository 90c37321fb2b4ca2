import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { countOf, formatNumber } from '../core/format-ru.js';
import type { RawCell, RawCellValue, RawTab, RawWorkbook } from '../core/raw-workbook.js';
import { InfrastructureError } from '../errors.js';

// exceljs inflates every part of the zip into one string and parses it whole, needing some ten
// times the unpacked size in memory: a 1 MB file can unpack to gigabytes («zip bomb»), and a few
// MB of nested elements fill the parser's stack. So the parts are measured before exceljs sees them.
/** Parts (files inside the zip) a workbook may have; a 200-tab workbook has about 450. */
const MAX_PARTS = 10_000;
/** Unpacked size allowed per megabyte of the file limit: 20 MB → 100 MB. */
const UNPACKED_PER_MEGABYTE = 5;
/** Deepest element nesting accepted in an XML part; Excel's own is under 20. */
const MAX_XML_DEPTH = 100;
/** Tabs a workbook may have: exceljs spends up to a few MB on each, whatever it holds. */
const MAX_TABS = 250;
/** Cells the tabs may span together, empty ones included, up to the last filled row and column of each row. */
const MAX_GRID_CELLS = 5_000_000;

/** Reads an .xlsx file into plain rows of cells; throws InfrastructureError when the file cannot be read. */
export async function readXlsxWorkbook(filePath: string, maxMegabytes: number): Promise<RawWorkbook> {
  const name = path.basename(filePath);
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) throw new InfrastructureError('xlsx', `«${filePath}» — не файл.`, { reason: 'not_found' });
    size = info.size;
  } catch (error) {
    if (error instanceof InfrastructureError) throw error;
    throw new InfrastructureError('xlsx', `Файл «${filePath}» не найден.`, { cause: error, reason: 'not_found' });
  }
  if (size > maxMegabytes * 1024 * 1024) {
    throw new InfrastructureError(
      'xlsx',
      `Файл «${filePath}» больше допустимых ${String(maxMegabytes).replace('.', ',')} МБ (${(size / 1024 / 1024).toFixed(1).replace('.', ',')} МБ).`,
      { reason: 'too_large' },
    );
  }
  const unreadable = (why: string, cause?: unknown) =>
    new InfrastructureError('xlsx', `Файл «${filePath}» не читается как таблица .xlsx: ${why}`, {
      cause,
      reason: 'unreadable',
    });
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    throw unreadable('файл не открывается.', error);
  }
  checkParts(bytes, filePath, maxMegabytes * UNPACKED_PER_MEGABYTE, unreadable);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its argument as an ArrayBuffer; at run time it hands it to JSZip, which takes a Buffer.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw unreadable('файл повреждён или это не таблица Excel. Сохраните его заново как «Книга Excel (.xlsx)».', error);
  }
  const tabs: RawTab[] = [];
  let gridCells = 0;
  workbook.eachSheet((sheet) => {
    const rows: RawCell[][] = [];
    // Only rows and cells that hold something are visited: one value in row 1 048 576 or column XFD
    // must not make exceljs build every row and cell before it. The gaps are filled below, within MAX_GRID_CELLS.
    sheet.eachRow((row, rowNumber) => {
      const cells: RawCell[] = [];
      row.eachCell((cell, columnNumber) => {
        cells[columnNumber - 1] = {
          value: plainValue(cell.value),
          ...(typeof cell.numFmt === 'string' && cell.numFmt.includes('%') ? { percentFormat: true } : {}),
        };
      });
      gridCells += rowNumber - rows.length + cells.length;
      if (gridCells > MAX_GRID_CELLS) {
        throw new InfrastructureError(
          'xlsx',
          `Файл «${filePath}»: на листах больше ${formatNumber(MAX_GRID_CELLS)} ячеек до последних заполненных строк и столбцов (лист «${sheet.name}», строка ${formatNumber(rowNumber)}). Удалите значения далеко за пределами таблицы или разделите данные.`,
          { reason: 'too_large' },
        );
      }
      rows[rowNumber - 1] = Array.from(cells, (c) => c ?? EMPTY_CELL);
    });
    tabs.push({ name: sheet.name, rows: Array.from(rows, (r) => r ?? []) });
  });
  return { name, tabs };
}

/** An empty cell in a gap of a row; shared (and frozen) so that gaps cost no memory of their own. */
const EMPTY_CELL: RawCell = Object.freeze({ value: null });

/** Flattens exceljs's rich values (formulas, rich text, links, errors) to what the cell shows. */
function plainValue(value: ExcelJS.CellValue): RawCellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return unescapeXstring(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return unescapeXstring(value.richText.map((part) => part.text).join(''));
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as ExcelJS.CellFormulaValue).result;
      if (result === undefined || result === null) return null;
      if (typeof result === 'object' && !(result instanceof Date))
        return 'error' in result ? String(result.error) : null;
      return result;
    }
    if ('hyperlink' in value)
      return (value as ExcelJS.CellHyperlinkValue).text ?? (value as ExcelJS.CellHyperlinkValue).hyperlink;
    if ('error' in value) return String((value as ExcelJS.CellErrorValue).error);
  }
  return String(value);
}

/**
 * Excel writes characters XML cannot carry as _xHHHH_, and a literal «_x» as _x005F_x (ECMA-376
 * Part 1, 22.9.2.19 ST_Xstring); exceljs leaves them as they are. Controls other than tab and line
 * breaks are dropped: nobody types them, and they would reach terminals and documents.
 */
function unescapeXstring(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => {
    const code = parseInt(hex, 16);
    return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d ? '' : String.fromCharCode(code);
  });
}

/** One part of a zip, from its central directory. */
interface ZipPart {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localHeader: number;
}

/**
 * Reads the zip's directory and unpacks each part once, counting, before exceljs is let near it:
 * too many parts, more unpacked bytes than allowed, a document type declaration (entity expansion,
 * external entities) or absurdly deep nesting make the file refused with the reason, in Russian.
 */
function checkParts(
  bytes: Buffer,
  filePath: string,
  maxUnpackedMegabytes: number,
  unreadable: (why: string, cause?: unknown) => InfrastructureError,
): void {
  if (bytes.subarray(0, 8).equals(OLE2_SIGNATURE)) {
    throw unreadable(
      'это файл старого формата .xls или таблица, защищённая паролем. Сохраните её как «Книга Excel (.xlsx)» без пароля.',
    );
  }
  const parts = zipDirectory(bytes);
  if (parts === undefined) {
    throw unreadable(
      'файл повреждён, записан не полностью или это не таблица Excel. Сохраните его заново как «Книга Excel (.xlsx)».',
    );
  }
  if (parts === 'too_many') {
    throw new InfrastructureError(
      'xlsx',
      `Файл «${filePath}» не читается как таблица .xlsx: в нём больше ${formatNumber(MAX_PARTS)} внутренних частей — так таблицы Excel не устроены.`,
      { reason: 'too_large' },
    );
  }
  const tabs = parts.filter((part) => WORKSHEET_PART.test(part.name)).length;
  if (tabs > MAX_TABS) {
    throw new InfrastructureError(
      'xlsx',
      `Файл «${filePath}»: в таблице ${countOf(tabs, ['лист', 'листа', 'листов'])} — больше допустимых ${MAX_TABS}. Удалите лишние листы или перенесите их в другой файл.`,
      { reason: 'too_large' },
    );
  }
  const budget = maxUnpackedMegabytes * 1024 * 1024;
  const tooLarge = () =>
    new InfrastructureError(
      'xlsx',
      `Файл «${filePath}» в распакованном виде больше допустимых ${String(maxUnpackedMegabytes).replace('.', ',')} МБ: таблица слишком велика или файл собран так, чтобы переполнить память. Разделите данные на несколько таблиц.`,
      { reason: 'too_large' },
    );
  if (parts.reduce((sum, part) => sum + part.size, 0) > budget) throw tooLarge();
  let unpacked = 0;
  for (const part of parts) {
    if (part.flags & 1) throw unreadable('файл зашифрован. Сохраните таблицу без пароля.');
    const start = dataStart(bytes, part);
    if (start === undefined || (part.method !== 0 && part.method !== 8)) {
      throw unreadable('файл повреждён или сжат неизвестным способом. Сохраните его заново как «Книга Excel (.xlsx)».');
    }
    const stored = bytes.subarray(start, start + part.compressedSize);
    let data: Buffer;
    try {
      data = part.method === 0 ? stored : zlib.inflateRawSync(stored, { maxOutputLength: budget - unpacked + 1 });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw unreadable('файл повреждён. Сохраните его заново как «Книга Excel (.xlsx)».', error);
    }
    unpacked += data.length;
    if (unpacked > budget) throw tooLarge();
    if (!/\.(xml|rels|vml)$/i.test(part.name)) continue;
    const depth = xmlDepth(data, MAX_XML_DEPTH);
    if (depth === 'declaration') {
      throw unreadable(`в части «${part.name}» объявлен тип документа (<!DOCTYPE>), чего в таблицах Excel не бывает.`);
    }
    if (depth > MAX_XML_DEPTH) {
      throw unreadable(
        `в части «${part.name}» элементы вложены друг в друга глубже ${MAX_XML_DEPTH} уровней — так таблицы Excel не устроены.`,
      );
    }
  }
}

/** The parts exceljs reads as worksheets: its own unanchored pattern (xlsx.js), matched whether the workbook lists them or not. */
const WORKSHEET_PART = /xl\/worksheets\/sheet\d+[.]xml/;

/** An OLE2 compound file: Excel 97–2003 (.xls), or any Office file saved with a password. */
const OLE2_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

/** The parts listed in a zip's central directory; undefined when there is no readable directory. */
function zipDirectory(bytes: Buffer): ZipPart[] | 'too_many' | undefined {
  const END = 0x06054b50;
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  let offset = bytes.readUInt32LE(end + 16);
  if (offset === 0xffffffff) {
    // Zip64: the end-of-directory locator sits just before the end record.
    const locator = end - 20;
    if (locator < 0 || bytes.readUInt32LE(locator) !== 0x07064b50) return undefined;
    const record = Number(bytes.readBigUInt64LE(locator + 8));
    if (record + 56 > bytes.length || bytes.readUInt32LE(record) !== 0x06064b50) return undefined;
    offset = Number(bytes.readBigUInt64LE(record + 48));
  }
  const parts: ZipPart[] = [];
  // Like JSZip, read headers while they come, whatever count the end record claims.
  while (offset + 46 <= bytes.length && bytes.readUInt32LE(offset) === 0x02014b50) {
    if (parts.length === MAX_PARTS) return 'too_many';
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const part: ZipPart = {
      name: bytes.toString('utf8', offset + 46, offset + 46 + nameLength),
      flags: bytes.readUInt16LE(offset + 8),
      method: bytes.readUInt16LE(offset + 10),
      compressedSize: bytes.readUInt32LE(offset + 20),
      size: bytes.readUInt32LE(offset + 24),
      localHeader: bytes.readUInt32LE(offset + 42),
    };
    zip64Sizes(part, bytes.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength));
    parts.push(part);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return parts.length > 0 ? parts : undefined;
}

/** Zip64 keeps sizes and offsets that do not fit 32 bits in extra field 0x0001, in this order. */
function zip64Sizes(part: ZipPart, extra: Buffer): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value =
          field + 8 <= at + 4 + length && field + 8 <= extra.length ? Number(extra.readBigUInt64LE(field)) : 0;
        field += 8;
        return value;
      };
      if (part.size === 0xffffffff) part.size = next();
      if (part.compressedSize === 0xffffffff) part.compressedSize = next();
      if (part.localHeader === 0xffffffff) part.localHeader = next();
      return;
    }
    at += 4 + length;
  }
}

/** Where a part's data begins: after its local header, whose name and extra field may differ from the directory's. */
function dataStart(bytes: Buffer, part: ZipPart): number | undefined {
  const at = part.localHeader;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) return undefined;
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  return start + part.compressedSize <= bytes.length ? start : undefined;
}

/**
 * The deepest nesting of elements in an XML part, counted up to just past `limit`, or 'declaration'
 * for a <!DOCTYPE> (or any other markup declaration). Comments, CDATA and processing instructions
 * are skipped; quoted attribute values may hold «>».
 */
function xmlDepth(xml: Buffer, limit: number): number | 'declaration' {
  const LT = 0x3c;
  const GT = 0x3e;
  const SLASH = 0x2f;
  let depth = 0;
  let deepest = 0;
  let i = 0;
  for (;;) {
    const open = xml.indexOf(LT, i);
    if (open < 0 || open + 1 >= xml.length) return deepest;
    const next = xml[open + 1];
    if (next === SLASH) {
      depth--;
      i = open + 2;
    } else if (next === 0x3f /* ? */) {
      const close = xml.indexOf('?>', open + 2);
      if (close < 0) return deepest;
      i = close + 2;
    } else if (next === 0x21 /* ! */) {
      const comment = xml.toString('latin1', open + 2, open + 4) === '--';
      const cdata = xml.toString('latin1', open + 2, open + 9) === '[CDATA[';
      if (!comment && !cdata) return 'declaration';
      const close = xml.indexOf(comment ? '-->' : ']]>', open + (comment ? 4 : 9));
      if (close < 0) return deepest;
      i = close + 3;
    } else {
      let quote = 0;
      let j = open + 1;
      for (; j < xml.length; j++) {
        const c = xml[j];
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) {
          quote = c;
        } else if (c === GT) {
          break;
        }
      }
      if (xml[j - 1] !== SLASH && ++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
      i = j + 1;
    }
  }
}
