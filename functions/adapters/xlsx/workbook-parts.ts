import { builtInFormatKind, formatCodeKind, type NumberFormatKind } from '../../core/number-format.js';
import { TagKind, type XmlScanner } from './xml-scanner.js';

// The parts of an .xlsx around its worksheets: relationships, the workbook (its sheets and date
// system), shared strings, and styles (only the number format of each cell style).

/** A relationship of a part: where its target is and what kind of part it is. */
export interface Relationship {
  type: string;
  target: string;
  external: boolean;
}

/** The «_rels/<name>.rels» part that holds the relationships of a part ('' for the package's own). */
export function relationshipsPartOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** The relationships of `part`, by ID, from its relationships part. */
export function readRelationships(scanner: XmlScanner, part: string): Map<string, Relationship> {
  const found = new Map<string, Relationship>();
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
export interface SheetEntry {
  name: string;
  relationshipId: string;
}

/** The workbook part: its sheets in order and its date system. */
export function readWorkbookPart(scanner: XmlScanner): { sheets: SheetEntry[]; date1904: boolean } {
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
export function readSharedStrings(scanner: XmlScanner): string[] {
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

/** What the styles part says of each cell style (the index a cell's «s» names). */
export type StyleKinds = NumberFormatKind[];

/** The number-format kind of each cell style («cellXfs»), from built-in ids and the file's own format codes. */
export function readStyles(scanner: XmlScanner): StyleKinds {
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

/**
 * Excel writes characters XML cannot carry as _xHHHH_, and a literal «_x» as _x005F_x (ECMA-376
 * Part 1, 22.9.2.19 ST_Xstring). Controls other than tab and line breaks are dropped: nobody
 * types them, and they would reach terminals and documents.
 */
export function unescapeXstring(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => {
    const code = parseInt(hex, 16);
    return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d ? '' : String.fromCharCode(code);
  });
}
