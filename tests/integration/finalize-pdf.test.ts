import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, type PDFObject } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { createChromiumPdfRenderer } from '../../functions/adapters/chromium/pdf-renderer.js';
import { documentCatalogue } from '../../functions/core/documents/catalogue.js';
import { documentHtml } from '../../functions/render/document-html.js';
import { finalizePdf, finalizeSkiaPdf, finalizeWithPdfLib } from '../../functions/render/finalize-pdf.js';
import { fixtureModel } from '../support/fixture-region.js';

const renderer = createChromiumPdfRenderer({ timeoutMs: 60_000, concurrency: 2 });
afterAll(() => renderer.close());

const properties = {
  title: 'Аналитическая справка: МБОУ «Школа № 1»',
  subject: 'Мониторинг проекта «500+»',
  date: new Date('2026-11-20T00:00:00Z'),
};

/** What a reader sees of a finalized PDF: its properties, pages, and the structure tree with IDs and table headers. */
async function seen(bytes: Uint8Array): Promise<unknown[]> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const out: unknown[] = [
    pdf.getTitle(),
    pdf.getSubject(),
    pdf.getAuthor(),
    pdf.getCreator(),
    pdf.getProducer(),
    pdf.getCreationDate()?.toISOString(),
    pdf.getModificationDate()?.toISOString(),
    pdf.getPageCount(),
    String(pdf.catalog.get(PDFName.of('Lang'))),
    String(pdf.catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict).get(PDFName.of('DisplayDocTitle'))),
  ];
  const tree = pdf.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  const walk = (node: PDFObject): void => {
    const dict = node instanceof PDFRef ? pdf.context.lookup(node) : node;
    if (dict instanceof PDFArray) {
      for (let i = 0; i < dict.size(); i++) walk(dict.get(i));
      return;
    }
    if (!(dict instanceof PDFDict)) return void out.push(String(dict));
    const get = (key: string) => String(dict.get(PDFName.of(key)));
    out.push(`${get('S')} ${get('ID')} ${get('A')}`);
    const kids = dict.get(PDFName.of('K'));
    if (kids) walk(kids);
  };
  if (tree) {
    walk(tree.get(PDFName.of('K'))!);
    out.push(String(tree.get(PDFName.of('IDTree'))));
  }
  return out;
}

describe('finalizePdf on what Chromium prints', () => {
  // A school's report and the stage report of the fixture region, as a run plans them.
  const planned = documentCatalogue(fixtureModel());
  const documents = (['school-report', 'stage-report'] as const).map((kind) => {
    const document = planned.find((d) => d.kind === kind)!;
    return documentHtml(kind, document.view);
  });

  it('rewrites the PDF without pdf-lib to what pdf-lib makes of it: properties, pages, structure IDs and headers', async () => {
    for (const html of documents) {
      const printed = await renderer.render(html);
      const fast = finalizeSkiaPdf(printed, properties);
      expect(fast).toBeDefined();
      const reference = await finalizeWithPdfLib(printed, properties);
      expect(fast!.pages).toBe(reference.pages);
      const what = await seen(fast!.bytes);
      expect(what).toEqual(await seen(reference.bytes));
      // The structure carries renamed IDs, cited by table headers.
      expect(what.some((line) => typeof line === 'string' && line.includes('/Headers [ (e00000001) ]'))).toBe(true);
      expect(await finalizePdf(printed, properties)).toEqual(fast);
    }
  });

  it('gives the same bytes for the same document printed twice', async () => {
    const [a, b] = await Promise.all([renderer.render(documents[0]!), renderer.render(documents[0]!)]);
    expect(Buffer.compare(a, b)).not.toBe(0);
    const [x, y] = await Promise.all([finalizePdf(a, properties), finalizePdf(b, properties)]);
    expect(Buffer.from(x.bytes).equals(Buffer.from(y.bytes))).toBe(true);
  });

  it('leaves a PDF of another shape to pdf-lib: one with an incremental update, one made by pdf-lib', async () => {
    const printed = await renderer.render(documents[0]!);
    // The same PDF with an incremental update appended: a second xref section with /Prev.
    const text = Buffer.from(printed).toString('latin1');
    const startxref = /startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))![1];
    const update = `\ntrailer\n<</Size 1 /Prev ${startxref}>>\n`;
    const appended = Buffer.concat([
      Buffer.from(printed),
      Buffer.from(`${update}xref\n0 0\nstartxref\n${printed.length + update.length}\n%%EOF\n`),
    ]);
    expect(finalizeSkiaPdf(appended, properties)).toBeUndefined();

    const made = await PDFDocument.create();
    made.addPage();
    made.addPage();
    const bytes = await made.save();
    expect(finalizeSkiaPdf(bytes, properties)).toBeUndefined();
    const finalized = await finalizePdf(bytes, properties);
    expect(finalized.pages).toBe(2);
    expect((await PDFDocument.load(finalized.bytes)).getTitle()).toBe(properties.title);
  });
});
