import {
  AlignmentType,
  BorderStyle,
  FrameAnchorType,
  HorizontalPositionRelativeFrom,
  TextWrappingSide,
  TextWrappingType,
  VerticalPositionRelativeFrom,
  HorizontalPositionAlign,
  ImageRun,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  VerticalPositionAlign,
  WidthType,
  type ISectionOptions,
} from 'docx';
import type { OrderView } from '../../core/documents/order-head.js';
import { CLAUSES, heading, mm, para, plain, runs, section, type DocumentStyle, type Margins } from './blocks.js';

// What every draft order shares, after ГОСТ Р 7.0.97-2025 as templates/styles/order.css and the
// order partials print it: A4 with margins 30/10/20/20 mm, page numbers from page 2 centred in the
// top margin, the requisites of page 1 (authority, «ПРИКАЗ», date and number blanks, place,
// heading), preamble, «п р и к а з ы в а ю:», numbered clauses, signature, appendices each on a
// new page under «Приложение … к приказу от … № …», and the QR code of requisite 31.

/** Margins of an order's pages, mm (order.css `@page`). */
export const ORDER_MARGINS: Margins = { top: 20, right: 10, bottom: 20, left: 30 };

/** The text area's width on a portrait page, mm. */
export const ORDER_WIDTH = 210 - ORDER_MARGINS.left - ORDER_MARGINS.right;

/** The text area's width on a landscape page, mm (the same margins). */
export const ORDER_LANDSCAPE_WIDTH = 297 - ORDER_MARGINS.left - ORDER_MARGINS.right;

/** Order text: 14 pt, line height 1.15, first-line indent 12.5 mm, justified (order.css). */
export const ORDER_STYLE: DocumentStyle = {
  size: 14,
  lineHeight: 1.15,
  headings: [14, 14, 12],
  indent: 12.5,
  justify: true,
  after: 6,
};

/** The QR code of requisite 31, as PNG bytes, and the identifier printed under it. */
export interface QrImage {
  png: Uint8Array;
  caption: string;
}

/** One appendix: its stamp, its content, and whether its pages are landscape. */
export interface Appendix {
  /** «1», «2» …; empty when the order has one appendix. */
  number: string;
  /** The order the appendix belongs to: blank in a draft. */
  date: string;
  orderNumber: string;
  /** «(в редакции приказа от … № …)» of a plan-graph set out anew. */
  revision?: { date: string; number: string };
  landscape?: boolean;
  children: (Paragraph | Table)[];
}

const BLANK_DATE = '____________';
const BLANK_NUMBER = '______';

/** The order: page 1 with its requisites and body, then the appendices, as sections of the .docx. */
export function orderSections(view: OrderView, appendices: Appendix[], qr: QrImage | undefined): ISectionOptions[] {
  const body = [
    ...(qr ? [qrCaption(qr)] : []),
    ...requisites(view, qr && qrPicture(qr)),
    para(view.preamble),
    plain('п р и к а з ы в а ю:', { spacing: { before: 240, after: 240 } }),
    ...view.clauses.flatMap((clause) => [
      para(clause.text, { numbering: { reference: CLAUSES, level: 0 } }),
      ...clause.items.map((item) =>
        para(item, { numbering: { reference: CLAUSES, level: 1 }, spacing: { before: 60, after: 0 } }),
      ),
    ]),
    signature(view),
  ];
  const sections: ISectionOptions[] = [];
  let current: { children: (Paragraph | Table)[]; landscape: boolean; titlePage: boolean } = {
    children: body,
    landscape: false,
    titlePage: true,
  };
  for (const appendix of appendices) {
    if (Boolean(appendix.landscape) === current.landscape) {
      current.children.push(stamp(appendix, true), ...appendix.children);
    } else {
      // A landscape appendix is a section of its own (A4 landscape, numbered on from the order's
      // pages), which starts a new page itself.
      sections.push(orderSection(current));
      current = {
        children: [stamp(appendix, false), ...appendix.children],
        landscape: Boolean(appendix.landscape),
        titlePage: false,
      };
    }
  }
  sections.push(orderSection(current));
  return sections;
}

function orderSection(part: {
  children: (Paragraph | Table)[];
  landscape: boolean;
  titlePage: boolean;
}): ISectionOptions {
  return section(part.children, {
    margins: ORDER_MARGINS,
    landscape: part.landscape,
    titlePage: part.titlePage,
    pageNumberSize: 12,
  });
}

/** EMU (drawing units) in a millimetre. */
const EMU_PER_MM = 36000;

/**
 * Requisite 31 in its place, as the PDF prints it (order.css `.order-qr`): the code, 25 mm square,
 * at the bottom right of page 1's text area over its identifier; the text of page 1 wraps around
 * it. The code is a floating picture anchored to the page's first paragraph (placed from the
 * margins, so wherever that paragraph is), the identifier a frame under it.
 */
function qrPicture(qr: QrImage): ImageRun {
  const side = 94; // 25 mm at 96 px per inch
  const textHeight = 297 - ORDER_MARGINS.top - ORDER_MARGINS.bottom;
  return new ImageRun({
    type: 'png',
    data: qr.png,
    transformation: { width: side, height: side },
    // The drawing's id is given: docx numbers drawings from a counter shared by the whole process.
    altText: { id: '1', name: 'QR-код документа', title: 'QR-код документа', description: qr.caption },
    floating: {
      horizontalPosition: { relative: HorizontalPositionRelativeFrom.MARGIN, align: HorizontalPositionAlign.RIGHT },
      verticalPosition: { relative: VerticalPositionRelativeFrom.MARGIN, offset: (textHeight - 30) * EMU_PER_MM },
      wrap: { type: TextWrappingType.SQUARE, side: TextWrappingSide.LEFT },
      margins: { left: 4 * EMU_PER_MM },
      lockAnchor: true,
    },
  });
}

/** The identifier under the code: a frame at the bottom right of page 1's text area. */
function qrCaption(qr: QrImage): Paragraph {
  return new Paragraph({
    style: 'Normal',
    alignment: AlignmentType.CENTER,
    frame: {
      type: 'alignment',
      alignment: { x: HorizontalPositionAlign.RIGHT, y: VerticalPositionAlign.BOTTOM },
      anchor: { horizontal: FrameAnchorType.MARGIN, vertical: FrameAnchorType.MARGIN },
      width: mm(25),
      space: { horizontal: mm(4), vertical: 0 },
    },
    spacing: { before: 0, after: 0, line: 240 },
    children: [new TextRun({ text: qr.caption, size: 14 })],
  });
}

/** Issuing body, «ПРИКАЗ», date and number (blanks in a draft), place, heading (order-requisites.hbs). */
function requisites(view: OrderView, qr: ImageRun | undefined): Paragraph[] {
  return [
    new Paragraph({
      style: 'Normal',
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [...(qr ? [qr] : []), new TextRun({ text: view.authority, bold: true, allCaps: true })],
    }),
    new Paragraph({
      style: 'Normal',
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: 'ПРИКАЗ', bold: true, size: 32 })],
    }),
    new Paragraph({
      style: 'Normal',
      tabStops: [{ type: TabStopType.RIGHT, position: mm(ORDER_WIDTH) }],
      spacing: { after: 80 },
      children: [
        new TextRun(view.date || '«____» ____________ 20___ г.'),
        new TextRun({ children: [new Tab(), `№ ${view.number || BLANK_NUMBER}`] }),
      ],
    }),
    plain(view.place, { alignment: AlignmentType.CENTER, spacing: { after: 360 } }),
    heading(view.title, 1, {
      alignment: AlignmentType.LEFT,
      indent: { right: mm(ORDER_WIDTH - 95) },
      spacing: { after: 360 },
    }),
  ];
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } as const;

/** Position on the left, initials and surname on the right, on the position's last line (order-signature.hbs). */
function signature(view: OrderView): Table {
  const cell = (text: string, width: number, alignment: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
    new TableCell({
      width: { size: mm(width), type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.BOTTOM,
      children: [new Paragraph({ style: 'Normal', alignment, children: runs(text) })],
    });
  return new Table({
    width: { size: mm(ORDER_WIDTH), type: WidthType.DXA },
    columnWidths: [mm(90), mm(ORDER_WIDTH - 90)],
    borders: {
      top: NO_BORDER,
      bottom: NO_BORDER,
      left: NO_BORDER,
      right: NO_BORDER,
      insideHorizontal: NO_BORDER,
      insideVertical: NO_BORDER,
    },
    margins: { top: mm(10), bottom: 0, left: 0, right: 0 },
    rows: [
      new TableRow({
        cantSplit: true,
        children: [
          cell(view.signerPosition, 90, AlignmentType.LEFT),
          cell(view.signerName, ORDER_WIDTH - 90, AlignmentType.RIGHT),
        ],
      }),
    ],
  });
}

/**
 * «Приложение N к приказу от … № …» at the top right of the appendix's first page
 * (order-appendix-header.hbs); «от» and «№» keep their blanks on their line, as the PDF's nowrap spans do.
 */
function stamp(appendix: Appendix, pageBreakBefore: boolean): Paragraph {
  const lines = [
    `Приложение${appendix.number ? ` ${appendix.number}` : ''}`,
    `к приказу от\u00a0${appendix.date || BLANK_DATE} №\u00a0${appendix.orderNumber || BLANK_NUMBER}`,
    ...(appendix.revision
      ? [
          `(в редакции приказа от\u00a0${appendix.revision.date || BLANK_DATE} №\u00a0${appendix.revision.number || BLANK_NUMBER})`,
        ]
      : []),
  ];
  return new Paragraph({
    style: 'Normal',
    pageBreakBefore,
    indent: { left: mm((appendix.landscape ? ORDER_LANDSCAPE_WIDTH : ORDER_WIDTH) - 80) },
    spacing: { after: 280 },
    children: runs(lines.join('\n'), { size: 12 }),
  });
}

/** An appendix's title (h2: centred, 14 pt). */
export function appendixTitle(text: string): Paragraph {
  return heading(text, 2, { alignment: AlignmentType.CENTER, spacing: { before: 0, after: 200 } });
}

/** A heading inside an appendix (h3: 12 pt). */
export function appendixSubheading(text: string): Paragraph {
  return heading(text, 3);
}

/** A paragraph of an appendix (12 pt). */
export function appendixText(text: string, options: { bold?: boolean } = {}): Paragraph {
  return para(text, { size: 12, bold: options.bold, spacing: { before: 120, after: 120 } });
}
