import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { countOf, formatNumber } from '../../core/format-ru.js';
import { EMPTY_CELL, type RawCell, type RawTab, type RawWorkbook } from '../../core/raw-workbook.js';
import { InfrastructureError } from '../../errors.js';
import {
  readRelationships,
  readSharedStrings,
  readStyles,
  readWorkbookPart,
  relationshipsPartOf,
  type Relationship,
  type StyleKinds,
} from './workbook-parts.js';
import { EMPTY_ROW, fillMerged, readWorksheet, setLink, type SheetContext } from './worksheet.js';
import { XmlScanner } from './xml-scanner.js';
import { isOle2File, openZip, type ZipArchive, type ZipPart } from './zip.js';

// Our own reader of the parts of an .xlsx file (ECMA-376, SpreadsheetML) that hold values: the
// workbook, its relationships, shared strings, styles (number formats only: workbook-parts.ts)
// and worksheets (worksheet.ts), from the zip (zip.ts), within the limits below.
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
  const reader = await XlsxReader.open(bytes, filePath, maxMegabytes * UNPACKED_PER_MEGABYTE);
  return { name, tabs: await reader.tabs() };
}

/** Reads the value-holding parts of one .xlsx file held in memory. */
class XlsxReader {
  private readonly parts = new Map<string, ZipPart>();
  private unpacked = 0;
  private gridCells = 0;
  private readonly budget: number;
  private zip: ZipArchive | undefined;

  private constructor(
    private readonly filePath: string,
    private readonly maxUnpackedMegabytes: number,
  ) {
    this.budget = maxUnpackedMegabytes * 1024 * 1024;
  }

  /** A reader of the file's bytes: refused here when it is no zip, has too many parts or unpacks past the budget. */
  static async open(bytes: Buffer, filePath: string, maxUnpackedMegabytes: number): Promise<XlsxReader> {
    const reader = new XlsxReader(filePath, maxUnpackedMegabytes);
    if (isOle2File(bytes)) {
      throw reader.unreadable(
        'это файл старого формата .xls или таблица, защищённая паролем. Сохраните её как «Книга Excel (.xlsx)» без пароля.',
      );
    }
    const zip = await openZip(bytes, MAX_PARTS);
    if (zip === undefined) throw reader.damaged('файл повреждён, записан не полностью или это не таблица Excel.');
    if (zip === 'encrypted') throw reader.encrypted();
    if (zip === 'too_many') {
      throw new InfrastructureError(
        'xlsx',
        `Файл «${filePath}» не читается как таблица .xlsx: в нём больше ${formatNumber(MAX_PARTS)} внутренних частей — так таблицы Excel не устроены.`,
        { reason: 'too_large' },
      );
    }
    reader.zip = zip;
    // Part names are case-insensitive (ECMA-376 Part 2, 9.1.1.1); some writers use «\».
    for (const part of zip.parts) reader.parts.set(partKey(part.name), part);
    if (zip.parts.reduce((sum, part) => sum + part.size, 0) > reader.budget) throw reader.tooLarge();
    return reader;
  }

  async tabs(): Promise<RawTab[]> {
    const workbookPart =
      [...(await this.relationshipsById('')).values()].find((r) => r.type.endsWith('/officeDocument') && !r.external)
        ?.target ?? 'xl/workbook.xml';
    const workbookXml = await this.xml(workbookPart);
    if (workbookXml === undefined) throw this.damaged('в файле нет книги (xl/workbook.xml) — это не таблица Excel.');
    const related = new Map<string, Relationship>();
    for (const [id, relationship] of await this.relationshipsById(workbookPart)) related.set(id, relationship);
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
    const sharedStrings = sharedStringsPart ? await this.sharedStrings(sharedStringsPart) : [];
    const styles = stylesPart ? await this.styles(stylesPart) : [];
    const tabs: RawTab[] = [];
    for (const sheet of sheets) {
      const relationship = related.get(sheet.relationshipId);
      if (!relationship || relationship.external) throw this.damaged(`не найдена часть с листом «${sheet.name}».`);
      // Chart sheets and dialog sheets hold no cells.
      if (!relationship.type.endsWith('/worksheet')) continue;
      const xml = await this.xml(relationship.target);
      if (xml === undefined) {
        throw this.damaged(`нет части «${relationship.target}» с листом «${sheet.name}».`);
      }
      tabs.push({
        name: sheet.name,
        rows: await this.sheetRows(xml, relationship.target, sheet.name, { sharedStrings, styles, date1904 }),
      });
    }
    return tabs;
  }

  private async sheetRows(xml: string, part: string, sheetName: string, context: SheetContext): Promise<RawCell[][]> {
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
      const related = await this.relationshipsById(part);
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

  private async sharedStrings(part: string): Promise<string[]> {
    const xml = await this.xml(part);
    return xml === undefined ? [] : readSharedStrings(this.scanner(part, xml));
  }

  private async styles(part: string): Promise<StyleKinds> {
    const xml = await this.xml(part);
    return xml === undefined ? [] : readStyles(this.scanner(part, xml));
  }

  /** The relationships of a part ('' for the package's own), by ID, from its «_rels/<name>.rels» part. */
  private async relationshipsById(part: string): Promise<Map<string, Relationship>> {
    const relsPart = relationshipsPartOf(part);
    const xml = await this.xml(relsPart);
    return xml === undefined ? new Map() : readRelationships(this.scanner(relsPart, xml), part);
  }

  /** The text of an XML part, or undefined when the file has no such part. */
  private async xml(name: string): Promise<string | undefined> {
    const part = this.parts.get(partKey(name));
    if (!part || !this.zip) return undefined;
    const data = await this.zip.unpack(part, this.budget - this.unpacked);
    if (data === 'encrypted') throw this.encrypted();
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

  private encrypted(): InfrastructureError {
    return this.unreadable('файл зашифрован. Сохраните таблицу без пароля.');
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
