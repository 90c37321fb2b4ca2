import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  HeadingLevel,
  LevelFormat,
  LevelSuffix,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ISectionOptions,
  type IParagraphOptions,
  type ParagraphChild,
} from 'docx';

// What every .docx twin shares: the serif of the PDF, the styles a clerk edits with (Normal, Body
// Text, Heading 1/2/3), numbered and bulleted lists as Word numbering, tables with header rows,
// page numbers from page 2, and packing into the same bytes for the same content.

/** The PDF's serif (templates/fonts); Word falls back to Times New Roman where PT Serif is not installed. */
export const FONT = 'PT Serif';

/** Millimetres in twentieths of a point, as Word measures pages and indents. */
export const mm = (value: number): number => Math.round((value * 1440) / 25.4);

/** A4 in twips. */
export const A4 = { width: mm(210), height: mm(297) };

/** Points in half-points, as Word measures font sizes. */
const pt = (value: number): number => Math.round(value * 2);

/** Numbering definitions: order clauses (1., 1.1.), numbered lists (1.) and bullets (•). */
export const CLAUSES = 'clauses';
export const NUMBERED = 'numbered';
export const BULLETS = 'bullets';

/** The style of running text: first-line indent and justification, as the PDF sets paragraphs. */
export const BODY = 'BodyText';

/** Page margins in millimetres. */
export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** What the document's styles start from: the PDF's body text size, line height and headings. */
export interface DocumentStyle {
  /** Body text, pt. */
  size: number;
  /** Line height as in the CSS (1.15, 1.35). */
  lineHeight: number;
  /** Heading 1/2/3 sizes, pt. */
  headings: [number, number, number];
  /** First-line indent of running text, mm (0 for none). */
  indent: number;
  justify: boolean;
  /** Space after a paragraph of running text, pt. */
  after: number;
}

/** Text runs; «\n» in the text becomes a line break. */
export function runs(text: string, options: { bold?: boolean; italics?: boolean; size?: number } = {}): TextRun[] {
  return text.split('\n').map(
    (line, index) =>
      new TextRun({
        text: line,
        break: index > 0 ? 1 : undefined,
        bold: options.bold,
        italics: options.italics,
        size: options.size === undefined ? undefined : pt(options.size),
      }),
  );
}

type ParagraphOptions = Omit<IParagraphOptions, 'children' | 'text'> & {
  bold?: boolean;
  size?: number;
  italics?: boolean;
};

/** A paragraph of running text (style Body Text unless `style` says otherwise). */
export function para(text: string | ParagraphChild[], options: ParagraphOptions = {}): Paragraph {
  const { bold, size, italics, ...rest } = options;
  return new Paragraph({
    style: BODY,
    ...rest,
    children: typeof text === 'string' ? runs(text, { bold, size, italics }) : text,
  });
}

/** A Normal paragraph: no indent, left-aligned unless told. */
export function plain(text: string | ParagraphChild[], options: ParagraphOptions = {}): Paragraph {
  return para(text, { style: 'Normal', ...options });
}

/** A heading paragraph (Heading 1, 2 or 3). */
export function heading(text: string, level: 1 | 2 | 3, options: Omit<IParagraphOptions, 'children'> = {}): Paragraph {
  const style = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 }[level];
  return new Paragraph({ ...options, heading: style, children: runs(text) });
}

/** One item of a list in Word numbering; `instance` tells lists apart, so each starts from 1. */
export function listItem(
  text: string,
  reference: string,
  instance: number,
  options: { size?: number; style?: string } = {},
): Paragraph {
  return new Paragraph({
    style: options.style ?? BODY,
    numbering: { reference, level: 0, instance },
    children: runs(text, { size: options.size }),
  });
}

/** A table cell: its text (or paragraphs), and how it is set. */
export interface Cell {
  text?: string;
  paragraphs?: Paragraph[];
  bold?: boolean;
  center?: boolean;
  right?: boolean;
  columnSpan?: number;
  shaded?: boolean;
}

const LINE = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
const BORDERS = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };
const SHADE = { type: ShadingType.CLEAR, color: 'auto', fill: 'F0F0F0' } as const;

/** Options of a table: column widths in mm, text sizes in pt, which columns are numbers (right-aligned) or centred. */
export interface TableOptions {
  widths: number[];
  size: number;
  headerSize?: number;
  align?: ('left' | 'right' | 'center')[];
  /** Header cells aligned as their columns (reports) rather than centred (orders' appendices). */
  headerAsColumns?: boolean;
}

/** A cell's paragraph in a table of `size` pt text. */
export function cellText(
  text: string,
  options: { size: number; bold?: boolean; italics?: boolean; align?: 'left' | 'right' | 'center' },
) {
  const alignment = { left: AlignmentType.LEFT, right: AlignmentType.RIGHT, center: AlignmentType.CENTER }[
    options.align ?? 'left'
  ];
  return new Paragraph({
    style: 'Normal',
    alignment,
    children: runs(text, { bold: options.bold, italics: options.italics, size: options.size }),
  });
}

/** A table with its header row repeated on every page, bordered like the PDF's. */
export function table(header: string[], rows: (Cell | string)[][], options: TableOptions): Table {
  const { widths, size } = options;
  const make = (cells: (Cell | string)[], head: boolean) => {
    let column = 0;
    return cells.map((value) => {
      const c: Cell = typeof value === 'string' ? { text: value } : value;
      const span = c.columnSpan ?? 1;
      const columnAlign = options.align?.[column] ?? 'left';
      const align = head
        ? options.headerAsColumns
          ? columnAlign
          : 'center'
        : c.center
          ? 'center'
          : c.right
            ? 'right'
            : columnAlign;
      const width = widths.slice(column, column + span).reduce((a, b) => a + b, 0);
      column += span;
      return new TableCell({
        children: c.paragraphs ?? [
          cellText(c.text ?? '', { size: head ? (options.headerSize ?? size) : size, bold: head || c.bold, align }),
        ],
        columnSpan: c.columnSpan,
        verticalAlign: head ? VerticalAlignTable.CENTER : VerticalAlignTable.TOP,
        shading: head || c.shaded ? SHADE : undefined,
        width: { size: mm(width), type: WidthType.DXA },
      });
    });
  };
  return new Table({
    width: { size: mm(widths.reduce((a, b) => a + b, 0)), type: WidthType.DXA },
    columnWidths: widths.map(mm),
    borders: BORDERS,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: make(header, true) }),
      ...rows.map((row) => new TableRow({ cantSplit: true, children: make(row, false) })),
    ],
  });
}

/** Column widths in mm: the given ones, the columns given as 0 sharing what is left of `total`. */
export function columns(total: number, widths: number[]): number[] {
  const fixed = widths.filter((w) => w > 0).reduce((a, b) => a + b, 0);
  const auto = widths.filter((w) => w <= 0).length;
  return widths.map((w) => (w > 0 ? w : (total - fixed) / auto));
}

/** A section of A4 pages with the given margins; the centred page number in the top margin on every page but a titled first. */
export function section(
  children: ISectionOptions['children'],
  options: { margins: Margins; landscape?: boolean; titlePage: boolean; pageNumberSize: number },
): ISectionOptions {
  const { margins } = options;
  const numbered = new Header({
    children: [
      new Paragraph({
        style: 'Normal',
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], size: pt(options.pageNumberSize) })],
      }),
    ],
  });
  return {
    properties: {
      titlePage: options.titlePage,
      page: {
        // docx swaps width and height itself for a landscape page.
        size: {
          width: A4.width,
          height: A4.height,
          orientation: options.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
        },
        margin: {
          top: mm(margins.top),
          right: mm(margins.right),
          bottom: mm(margins.bottom),
          left: mm(margins.left),
          header: mm(10),
          footer: mm(10),
          gutter: 0,
        },
      },
    },
    headers: options.titlePage
      ? { default: numbered, first: new Header({ children: [new Paragraph({ style: 'Normal', children: [] })] }) }
      : { default: numbered },
    // Word ends a section with a paragraph: after a closing table it adds an empty one on opening.
    children:
      children.at(-1) instanceof Table ? [...children, new Paragraph({ style: 'Normal', children: [] })] : children,
  };
}

/** The document: styles after `style`, the numbering every twin may use, and the given sections. */
export function document(
  meta: { title: string; subject: string },
  style: DocumentStyle,
  sections: ISectionOptions[],
): Document {
  const line = Math.round(240 * style.lineHeight);
  const hanging = (left: number, by: number) => ({ paragraph: { indent: { left: mm(left), hanging: mm(by) } } });
  const clauseLevel = (level: number, text: string) => ({
    level,
    format: LevelFormat.DECIMAL,
    text,
    alignment: AlignmentType.START,
    suffix: LevelSuffix.SPACE,
    style: { paragraph: { indent: { left: 0, firstLine: mm(style.indent) } } },
  });
  const heading = (size: number, before: number, center = false) => ({
    run: { font: FONT, size: pt(size), bold: true, color: '000000' },
    paragraph: {
      alignment: center ? AlignmentType.CENTER : AlignmentType.LEFT,
      spacing: { before: before * 20, after: 80, line },
      keepNext: true,
    },
  });
  return new Document({
    title: meta.title,
    subject: meta.subject,
    creator: 'Monitor 500+',
    lastModifiedBy: 'Monitor 500+',
    revision: 1,
    styles: {
      default: {
        document: { run: { font: FONT, size: pt(style.size) }, paragraph: { spacing: { after: 0, line } } },
        heading1: heading(style.headings[0], 0, true),
        heading2: heading(style.headings[1], 14),
        heading3: heading(style.headings[2], 10),
      },
      paragraphStyles: [
        {
          id: BODY,
          name: 'Body Text',
          basedOn: 'Normal',
          next: BODY,
          quickFormat: true,
          paragraph: {
            alignment: style.justify ? AlignmentType.JUSTIFIED : AlignmentType.LEFT,
            spacing: { after: style.after * 20, line },
            indent: style.indent ? { firstLine: mm(style.indent) } : undefined,
          },
        },
      ],
    },
    numbering: {
      config: [
        { reference: CLAUSES, levels: [clauseLevel(0, '%1.'), clauseLevel(1, '%1.%2.')] },
        {
          reference: NUMBERED,
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.START,
              style: hanging(8, 6),
            },
          ],
        },
        {
          reference: BULLETS,
          levels: [
            { level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.START, style: hanging(6, 4) },
          ],
        },
      ],
    },
    sections,
  });
}

/**
 * The .docx bytes of a document, the same for the same content: the package's dates (core
 * properties and the zip entries' times) are the run's date, not the time of packing.
 */
export async function pack(doc: Document, meta: { title: string; subject: string; date: Date }): Promise<Uint8Array> {
  const stamp = `${meta.date.toISOString().slice(0, 19)}Z`;
  const core =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(meta.title)}</dc:title><dc:subject>${escapeXml(meta.subject)}</dc:subject>` +
    '<dc:creator>Monitor 500+</dc:creator><cp:lastModifiedBy>Monitor 500+</cp:lastModifiedBy><cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified>` +
    '</cp:coreProperties>';
  const bytes = new Uint8Array(await Packer.toBuffer(doc, false, [{ path: 'docProps/core.xml', data: core }]));
  return withZipDates(bytes, meta.date);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Sets the modification time of every zip entry (local header and central directory) to `date`
 * in UTC: the zip writer stamps the time of packing otherwise.
 */
export function withZipDates(bytes: Uint8Array, date: Date): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  // The end of central directory record: its signature within the last 64 KiB + 22 bytes.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('Не найден каталог zip в .docx');
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < entries; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('Повреждён каталог zip в .docx');
    view.setUint16(at + 12, dosTime, true);
    view.setUint16(at + 14, dosDate, true);
    const local = view.getUint32(at + 42, true);
    if (view.getUint32(local, true) !== 0x04034b50) throw new Error('Повреждён заголовок zip в .docx');
    view.setUint16(local + 10, dosTime, true);
    view.setUint16(local + 12, dosDate, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return bytes;
}
