import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { countOf, formatNumber } from '../../core/format-ru.js';
import { builtInFormatKind, dateFromSerial, formatCodeKind, type NumberFormatKind } from '../../core/number-format.js';
import { EMPTY_CELL, type RawCell, type RawTab, type RawWorkbook } from '../../core/raw-workbook.js';
import { cellPosition } from '../../core/validation-issue.js';
import { InfrastructureError } from '../../errors.js';
import { TagKind, XmlScanner } from './xml-scanner.js';
import { isOle2File, unpackPart, zipDirectory, type ZipPart } from './zip.js';

// Our own reader of the parts of an .xlsx file (ECMA-376, SpreadsheetML) that hold values: the
// workbook, its relationships, shared strings, styles (number formats only) and worksheets.
// exceljs, used before, misread files other programs write (1904 dates spelled «true», cached
// formula results of 0, relationships written as absolute paths, files with notes or tables
// refused) and held about ten times the unpacked size in memory; this reader keeps no XML tree,
// reads each part once, and is limited before it unpacks anything.

/** Parts (files inside the zip) a workbook may have; a 200-tab workbook has about 450. */
const MAX_PARTS = 10_000;
/** Unpacked size allowed per megabyte of the file limit: 20 MB → 100 MB. */
const UNPACKED_PER_MEGABYTE = 5;
/** Deepest element nesting accepted in an XML part; Excel's own is under 20. */
const MAX_XML_DEPTH = 100;
/** Tabs a workbook may have. */
const MAX_TABS = 250;
/** Cells the tabs may span together, empty ones included, up to the last filled row and column of each row. */
const MAX_GRID_CELLS = 5_000_000;
/** The largest row and column a spreadsheet has (Excel's grid). */
const MAX_ROW = 1_048_576;
const MAX_COLUMN = 16_384;

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
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    throw new InfrastructureError('xlsx', `Файл «${filePath}» не читается как таблица .xlsx: файл не открывается.`, {
      cause: error,
      reason: 'unreadable',
    });
  }
  return { name, tabs: new XlsxReader(bytes, filePath, maxMegabytes * UNPACKED_PER_MEGABYTE).tabs() };
}

/** A relationship of a part: where its target is and what kind of part it is. */
interface Relationship {
  type: string;
  target: string;
  external: boolean;
}

/** What the styles part says of each cell style (the index a cell's «s» names). */
type StyleKinds = NumberFormatKind[];

/** Reads the value-holding parts of one .xlsx file held in memory. */
class XlsxReader {
  private readonly parts = new Map<string, ZipPart>();
  private unpacked = 0;
  private gridCells = 0;
  private readonly budget: number;

  constructor(
    private readonly bytes: Buffer,
    private readonly filePath: string,
    private readonly maxUnpackedMegabytes: number,
  ) {
    this.budget = maxUnpackedMegabytes * 1024 * 1024;
    if (isOle2File(bytes)) {
      throw this.unreadable(
        'это файл старого формата .xls или таблица, защищённая паролем. Сохраните её как «Книга Excel (.xlsx)» без пароля.',
      );
    }
    const directory = zipDirectory(bytes, MAX_PARTS);
    if (directory === undefined) throw this.damaged('файл повреждён, записан не полностью или это не таблица Excel.');
    if (directory === 'too_many') {
      throw new InfrastructureError(
        'xlsx',
        `Файл «${filePath}» не читается как таблица .xlsx: в нём больше ${formatNumber(MAX_PARTS)} внутренних частей — так таблицы Excel не устроены.`,
        { reason: 'too_large' },
      );
    }
    // Part names are case-insensitive (ECMA-376 Part 2, 9.1.1.1); some writers use «\».
    for (const part of directory) this.parts.set(partKey(part.name), part);
    if (directory.reduce((sum, part) => sum + part.size, 0) > this.budget) throw this.tooLarge();
  }

  tabs(): RawTab[] {
    const workbookPart =
      [...this.relationshipsById('').values()].find((r) => r.type.endsWith('/officeDocument') && !r.external)?.target ??
      'xl/workbook.xml';
    const workbookXml = this.xml(workbookPart);
    if (workbookXml === undefined) throw this.damaged('в файле нет книги (xl/workbook.xml) — это не таблица Excel.');
    const related = new Map<string, Relationship>();
    for (const [id, relationship] of this.relationshipsById(workbookPart)) related.set(id, relationship);
    const { sheets, date1904 } = readWorkbookPart(this.scanner(workbookPart, workbookXml));
    if (sheets.length > MAX_TABS) {
      throw new InfrastructureError(
        'xlsx',
        `Файл «${this.filePath}»: в таблице ${countOf(sheets.length, ['лист', 'листа', 'листов'])} — больше допустимых ${MAX_TABS}. Удалите лишние листы или перенесите их в другой файл.`,
        { reason: 'too_large' },
      );
    }
    const byType = (suffix: string) => [...related.values()].find((r) => r.type.endsWith(suffix) && !r.external);
    const sharedStringsPart = byType('/sharedStrings')?.target;
    const stylesPart = byType('/styles')?.target;
    const sharedStrings = sharedStringsPart ? this.sharedStrings(sharedStringsPart) : [];
    const styles = stylesPart ? this.styles(stylesPart) : [];
    const tabs: RawTab[] = [];
    for (const sheet of sheets) {
      const relationship = related.get(sheet.relationshipId);
      if (!relationship || relationship.external) throw this.damaged(`не найдена часть с листом «${sheet.name}».`);
      // Chart sheets and dialog sheets hold no cells.
      if (!relationship.type.endsWith('/worksheet')) continue;
      const xml = this.xml(relationship.target);
      if (xml === undefined) {
        throw this.damaged(`нет части «${relationship.target}» с листом «${sheet.name}».`);
      }
      tabs.push({
        name: sheet.name,
        rows: this.sheetRows(xml, relationship.target, sheet.name, { sharedStrings, styles, date1904 }),
      });
    }
    return tabs;
  }

  private sheetRows(xml: string, part: string, sheetName: string, context: SheetContext): RawCell[][] {
    const count = (rowNumber: number, cells: number) => {
      this.gridCells += cells;
      if (this.gridCells > MAX_GRID_CELLS) {
        throw new InfrastructureError(
          'xlsx',
          `Файл «${this.filePath}»: на листах больше ${formatNumber(MAX_GRID_CELLS)} ячеек до последних заполненных строк и столбцов (лист «${sheetName}», строка ${formatNumber(rowNumber)}). Удалите значения далеко за пределами таблицы или разделите данные.`,
          { reason: 'too_large' },
        );
      }
    };
    const sheet = readWorksheet(this.scanner(part, xml), context, (rowNumber, cellsInRow, rowsBefore) =>
      count(rowNumber, rowNumber - rowsBefore + cellsInRow),
    );
    if (sheet.links.length > 0) {
      const related = this.relationshipsById(part);
      for (const link of sheet.links) {
        const relationship = link.relationshipId ? related.get(link.relationshipId) : undefined;
        if (relationship?.external && relationship.target) setLink(sheet.rows, link.range, relationship.target);
      }
    }
    for (const range of sheet.merges) fillMerged(sheet.rows, range, count);
    for (const row of sheet.rows) {
      if (!row) continue;
      for (let c = 0; c < row.length; c++) if (row[c] === undefined) row[c] = EMPTY_CELL;
    }
    return Array.from(sheet.rows, (row) => row ?? EMPTY_ROW);
  }

  private sharedStrings(part: string): string[] {
    const xml = this.xml(part);
    return xml === undefined ? [] : readSharedStrings(this.scanner(part, xml));
  }

  private styles(part: string): StyleKinds {
    const xml = this.xml(part);
    return xml === undefined ? [] : readStyles(this.scanner(part, xml));
  }

  /** The relationships of a part ('' for the package's own), by ID, from its «_rels/<name>.rels» part. */
  private relationshipsById(part: string): Map<string, Relationship> {
    const slash = part.lastIndexOf('/');
    const relsPart = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
    const xml = this.xml(relsPart);
    const found = new Map<string, Relationship>();
    if (xml === undefined) return found;
    const scanner = this.scanner(relsPart, xml);
    while (scanner.next()) {
      if (scanner.kind === TagKind.Close || scanner.name !== 'Relationship') continue;
      const id = scanner.attr('Id');
      const target = scanner.attr('Target');
      if (!id || target === undefined) continue;
      const external = scanner.attr('TargetMode') === 'External';
      found.set(id, {
        type: scanner.attr('Type') ?? '',
        target: external ? target.trim() : resolvePartName(part, target),
        external,
      });
    }
    return found;
  }

  /** The text of an XML part, or undefined when the file has no such part. */
  private xml(name: string): string | undefined {
    const part = this.parts.get(partKey(name));
    if (!part) return undefined;
    const data = unpackPart(this.bytes, part, this.budget - this.unpacked);
    if (data === 'encrypted') throw this.unreadable('файл зашифрован. Сохраните таблицу без пароля.');
    if (data === 'corrupt') throw this.damaged('файл повреждён или сжат неизвестным способом.');
    if (data === 'too_large') throw this.tooLarge();
    this.unpacked += data.length;
    if (this.unpacked > this.budget) throw this.tooLarge();
    // A byte-order mark is allowed before the XML declaration.
    const text = data.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  private scanner(part: string, xml: string): XmlScanner {
    return new XmlScanner(xml, MAX_XML_DEPTH, (why) =>
      why === 'declaration'
        ? this.unreadable(`в части «${part}» объявлен тип документа (<!DOCTYPE>), чего в таблицах Excel не бывает.`)
        : this.unreadable(
            `в части «${part}» элементы вложены друг в друга глубже ${MAX_XML_DEPTH} уровней — так таблицы Excel не устроены.`,
          ),
    );
  }

  private unreadable(why: string): InfrastructureError {
    return new InfrastructureError('xlsx', `Файл «${this.filePath}» не читается как таблица .xlsx: ${why}`, {
      reason: 'unreadable',
    });
  }

  private damaged(why: string): InfrastructureError {
    return this.unreadable(`${why} Сохраните его заново как «Книга Excel (.xlsx)».`);
  }

  private tooLarge(): InfrastructureError {
    return new InfrastructureError(
      'xlsx',
      `Файл «${this.filePath}» в распакованном виде больше допустимых ${String(this.maxUnpackedMegabytes).replace('.', ',')} МБ: таблица слишком велика или файл собран так, чтобы переполнить память. Разделите данные на несколько таблиц.`,
      { reason: 'too_large' },
    );
  }
}

/** The key a part is found by: without a leading «/», with «/» separators, in lower case. */
function partKey(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
}

/** A relationship's target as a part name: absolute («/xl/…») or relative to the source part's folder. */
function resolvePartName(source: string, target: string): string {
  let decoded = target.trim().replace(/\\/g, '/');
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // A «%» that is no escape stays as it is.
  }
  const base = decoded.startsWith('/') ? [] : source.split('/').slice(0, -1);
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') base.pop();
    else base.push(segment);
  }
  return base.join('/');
}

/** A worksheet as the workbook lists it. */
interface SheetEntry {
  name: string;
  relationshipId: string;
}

/** The workbook part: its sheets in order and its date system. */
function readWorkbookPart(scanner: XmlScanner): { sheets: SheetEntry[]; date1904: boolean } {
  const sheets: SheetEntry[] = [];
  let date1904 = false;
  while (scanner.next()) {
    if (scanner.kind === TagKind.Close) continue;
    if (scanner.name === 'sheet') {
      sheets.push({
        name: scanner.attr('name') ?? `Лист${sheets.length + 1}`,
        relationshipId: scanner.attr('id') ?? '',
      });
    } else if (scanner.name === 'workbookPr') {
      // xsd:boolean: Excel writes «1», LibreOffice «true».
      date1904 = /^\s*(1|true)\s*$/i.test(scanner.attr('date1904') ?? '');
    }
  }
  return { sheets, date1904 };
}

/** The shared string table: each item's text, rich text runs joined, phonetic guides left out. */
function readSharedStrings(scanner: XmlScanner): string[] {
  const strings: string[] = [];
  let text = '';
  let inItem = false;
  while (scanner.next()) {
    const name = scanner.name;
    if (scanner.kind === TagKind.Close) {
      if (name === 'si' && inItem) {
        strings.push(unescapeXstring(text));
        inItem = false;
      }
      continue;
    }
    if (name === 'si') {
      text = '';
      inItem = scanner.kind === TagKind.Open;
      if (!inItem) strings.push('');
    } else if (name === 't' && inItem) {
      text += scanner.text();
    } else if (name === 'rPh') {
      scanner.skip();
    }
  }
  return strings;
}

/** The number-format kind of each cell style («cellXfs»), from built-in ids and the file's own format codes. */
function readStyles(scanner: XmlScanner): StyleKinds {
  const codes = new Map<number, string>();
  const formatIds: number[] = [];
  let inCellXfs = false;
  let inNumFmts = false;
  while (scanner.next()) {
    const name = scanner.name;
    if (scanner.kind === TagKind.Close) {
      if (name === 'cellXfs') inCellXfs = false;
      else if (name === 'numFmts') inNumFmts = false;
      continue;
    }
    if (name === 'numFmts') {
      inNumFmts = scanner.kind === TagKind.Open;
    } else if (name === 'numFmt' && inNumFmts) {
      const id = Number(scanner.attr('numFmtId'));
      const code = scanner.attr('formatCode');
      if (Number.isInteger(id) && code !== undefined) codes.set(id, code);
    } else if (name === 'cellXfs') {
      inCellXfs = scanner.kind === TagKind.Open;
    } else if (name === 'xf' && inCellXfs) {
      formatIds.push(Number(scanner.attr('numFmtId') ?? 0));
    }
  }
  return formatIds.map((id) => {
    const code = codes.get(id);
    return code !== undefined ? formatCodeKind(code) : builtInFormatKind(id);
  });
}

/** What reading a worksheet needs from the rest of the workbook. */
interface SheetContext {
  sharedStrings: readonly string[];
  styles: StyleKinds;
  date1904: boolean;
}

/** A rectangle of cells, 0-based and inclusive. */
interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** What a worksheet part holds: its rows (gaps left as holes), hyperlinks and merged ranges. */
interface WorksheetContent {
  rows: (RawCell[] | undefined)[];
  links: { range: CellRange; relationshipId: string | undefined }[];
  merges: CellRange[];
}

/**
 * Reads a worksheet's cells by their stored value and type. `onRow` is told of each row as it is
 * read (its number, its cells up to the last, and how many rows came before), so that a grid too
 * large is refused before it is built.
 */
function readWorksheet(
  scanner: XmlScanner,
  context: SheetContext,
  onRow: (rowNumber: number, cellsInRow: number, rowsBefore: number) => void,
): WorksheetContent {
  const rows: (RawCell[] | undefined)[] = [];
  const links: WorksheetContent['links'] = [];
  const merges: CellRange[] = [];
  let rowNumber = 0;
  let column = 0;
  let cells: RawCell[] = [];
  const endRow = () => {
    if (cells.length === 0) return;
    onRow(rowNumber, cells.length, rows.length);
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = EMPTY_CELL;
    rows[rowNumber - 1] = cells;
    cells = [];
  };
  while (scanner.next()) {
    const name = scanner.name;
    if (scanner.kind === TagKind.Close) {
      if (name === 'row') endRow();
      continue;
    }
    if (name === 'c') {
      const reference = scanner.attr('r');
      const at = reference ? cellPosition(reference) : undefined;
      if (at) {
        if (at.row !== rowNumber) {
          endRow();
          rowNumber = at.row;
        }
        column = at.column;
      } else {
        column++;
        if (rowNumber === 0) rowNumber = 1;
      }
      if (column > MAX_COLUMN || rowNumber > MAX_ROW) {
        scanner.skip();
        continue;
      }
      const cell = readCell(scanner, context);
      if (cell !== undefined) cells[column - 1] = cell;
    } else if (name === 'row') {
      endRow();
      const r = Number(scanner.attr('r'));
      rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
      column = 0;
    } else if (name === 'hyperlink') {
      const range = parseRange(scanner.attr('ref'));
      if (range) links.push({ range, relationshipId: scanner.attr('id') });
    } else if (name === 'mergeCell') {
      const range = parseRange(scanner.attr('ref'));
      if (range) merges.push(range);
    }
  }
  endRow();
  return { rows, links, merges };
}

/** The cell whose opening tag the scanner is on; undefined when it holds nothing. */
function readCell(scanner: XmlScanner, context: SheetContext): RawCell | undefined {
  const type = scanner.attr('t');
  const style = scanner.attr('s');
  if (scanner.kind === TagKind.Empty) return undefined;
  let stored: string | undefined;
  let inline: string | undefined;
  let formula: string | undefined;
  const depth = scanner.depth;
  while (scanner.next() && scanner.depth >= depth) {
    if (scanner.kind === TagKind.Close) continue;
    const name = scanner.name;
    if (name === 'v') stored = scanner.text();
    else if (name === 'f') formula = scanner.kind === TagKind.Open ? scanner.text() : undefined;
    else if (name === 'is') inline = inlineText(scanner);
  }
  const link = formula === undefined ? undefined : hyperlinkFormulaAddress(formula);
  const cell = cellOf(type, stored, inline, style === undefined ? 'number' : context.styles[Number(style)], context);
  if (link === undefined) return cell;
  return { ...(cell ?? { value: null }), link };
}

/** The text of an inline string («<is>»): its runs joined, phonetic guides left out. */
function inlineText(scanner: XmlScanner): string {
  if (scanner.kind === TagKind.Empty) return '';
  const depth = scanner.depth;
  let text = '';
  while (scanner.next() && scanner.depth >= depth) {
    if (scanner.kind === TagKind.Close) continue;
    if (scanner.name === 't') text += scanner.text();
    else if (scanner.name === 'rPh') scanner.skip();
  }
  return unescapeXstring(text);
}

/** The value of a cell from its type attribute, stored value and style's number format. */
function cellOf(
  type: string | undefined,
  stored: string | undefined,
  inline: string | undefined,
  kind: NumberFormatKind | undefined,
  context: SheetContext,
): RawCell | undefined {
  switch (type) {
    case 's': {
      const text = stored === undefined ? undefined : context.sharedStrings[Number(stored)];
      return text === undefined ? undefined : { value: text };
    }
    case 'inlineStr':
      return inline === undefined ? undefined : { value: inline };
    case 'str':
      return stored === undefined ? undefined : { value: unescapeXstring(stored) };
    case 'b':
      return stored === undefined ? undefined : { value: stored.trim() === '1' || stored.trim() === 'true' };
    case 'e':
      return stored === undefined ? undefined : { value: stored.trim() };
    case 'd': {
      const date = stored === undefined ? undefined : dateFromIsoText(stored);
      return date === undefined ? undefined : { value: date };
    }
    default: {
      if (stored === undefined) return inline === undefined ? undefined : { value: inline };
      const text = stored.trim();
      const number = text === '' ? NaN : Number(text);
      if (!Number.isFinite(number)) return text === '' ? undefined : { value: text };
      if (kind === 'date') return { value: dateFromSerial(number, context.date1904 ? 'excel-1904' : 'excel-1900') };
      if (kind === 'percent') return { value: number, percentFormat: true };
      if (kind === 'bool') return { value: number !== 0 };
      return { value: number };
    }
  }
}

/** A «t="d"» cell's ISO 8601 text as the wall-clock date-time it names (a zone, if written, is ignored). */
function dateFromIsoText(text: string): Date | undefined {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  return new Date(
    Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(s ?? 0),
      Number((ms ?? '0').padEnd(3, '0')),
    ),
  );
}

/** The address of a HYPERLINK("address"; …) formula whose address is written as text. */
function hyperlinkFormulaAddress(formula: string): string | undefined {
  const m = /^\s*=?\s*(?:_xlfn\.)?HYPERLINK\s*\(\s*"((?:[^"]|"")*)"/i.exec(formula);
  return m ? (m[1] as string).replace(/""/g, '"').trim() || undefined : undefined;
}

/** A row with no cells, shared for the same reason. */
const EMPTY_ROW: RawCell[] = Object.freeze([]) as unknown as RawCell[];

/** A range «B2:C4» (or one cell «B2»), 0-based. */
function parseRange(text: string | undefined): CellRange | undefined {
  if (!text) return undefined;
  const [first, last = first] = text.split(':');
  const from = cellPosition(first ?? '');
  const to = cellPosition(last ?? '');
  if (!from || !to) return undefined;
  return {
    top: Math.min(from.row, to.row) - 1,
    left: Math.min(from.column, to.column) - 1,
    bottom: Math.min(Math.max(from.row, to.row), MAX_ROW) - 1,
    right: Math.min(Math.max(from.column, to.column), MAX_COLUMN) - 1,
  };
}

/** Gives every cell of a hyperlink's range the link's address (rows past the last read stay as they are). */
function setLink(rows: (RawCell[] | undefined)[], range: CellRange, address: string): void {
  const bottom = Math.min(range.bottom, rows.length - 1);
  for (let r = range.top; r <= bottom; r++) {
    const row = rows[r];
    if (!row) continue;
    const right = Math.min(range.right, row.length - 1);
    for (let c = range.left; c <= right; c++) {
      const cell = row[c];
      if (cell) row[c] = { ...cell, link: address };
    }
  }
}

/**
 * A merged range shows its first cell's value across the whole range: every cell of it that the
 * file has rows for reads as that value (a task merged across two roadmap rows belongs to both).
 */
function fillMerged(
  rows: (RawCell[] | undefined)[],
  range: CellRange,
  count: (rowNumber: number, cells: number) => void,
): void {
  const first = rows[range.top]?.[range.left];
  if (!first || first.value === null) return;
  const bottom = Math.min(range.bottom, rows.length - 1);
  for (let r = range.top; r <= bottom; r++) {
    const row = (rows[r] ??= []);
    count(r + 1, Math.max(0, range.right + 1 - row.length));
    for (let c = range.left; c <= range.right; c++) if (r !== range.top || c !== range.left) row[c] = first;
  }
}

/**
 * Excel writes characters XML cannot carry as _xHHHH_, and a literal «_x» as _x005F_x (ECMA-376
 * Part 1, 22.9.2.19 ST_Xstring). Controls other than tab and line breaks are dropped: nobody
 * types them, and they would reach terminals and documents.
 */
function unescapeXstring(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => {
    const code = parseInt(hex, 16);
    return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d ? '' : String.fromCharCode(code);
  });
}
