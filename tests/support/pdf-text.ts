import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** What a reader of the PDF gets: its pages' text and the fonts it embeds. */
export interface PdfContent {
  pages: string[];
  /** All pages' text as one flow, without the running page numbers, whitespace collapsed to single spaces. */
  text: string;
  fontNames: string[];
}

/** Extracts text and font names from PDF bytes with pdf.js, as a PDF reader would. */
export async function readPdf(bytes: Uint8Array): Promise<PdfContent> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  const fontNames = new Set<string>();
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    await page.getOperatorList();
    for (const key of Object.keys(content.styles)) {
      const font = page.commonObjs.has(key) ? (page.commonObjs.get(key) as { name?: string }) : undefined;
      if (font?.name) fontNames.add(font.name);
    }
  }
  await pdf.destroy();
  const flow = pages.map((page, i) => (i === 0 ? page : page.replace(new RegExp(`^\\s*${i + 1}\\n`), '')));
  return { pages, text: normalizeSpaces(flow.join('\n')), fontNames: [...fontNames] };
}

/** Collapses every kind of whitespace so texts compare as a reader sees them. */
export function normalizeSpaces(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}
