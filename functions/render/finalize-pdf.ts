import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFString, type PDFObject } from 'pdf-lib';

/** Document properties written into the PDF. */
export interface PdfProperties {
  title: string;
  subject: string;
  /** Dated by the monitoring date, not the wall clock, so a rerun yields the same bytes. */
  date: Date;
}

/** Sets the PDF's properties, makes its bytes reproducible and counts its pages. */
export async function finalizePdf(
  bytes: Uint8Array,
  properties: PdfProperties,
): Promise<{ bytes: Uint8Array; pages: number }> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  pdf.setTitle(properties.title, { showInWindowTitleBar: true });
  pdf.setSubject(properties.subject);
  pdf.setAuthor('Монитор 500+');
  pdf.setCreator('Монитор 500+');
  pdf.setProducer('Монитор 500+ (Chromium, pdf-lib)');
  pdf.setLanguage('ru-RU');
  pdf.setCreationDate(properties.date);
  pdf.setModificationDate(properties.date);
  renumberStructureIds(pdf);
  return { bytes: await pdf.save({ useObjectStreams: false }), pages: pdf.getPageCount() };
}

/**
 * Chromium names tagged-PDF structure elements after DOM node ids, which differ between renders.
 * Renames them in document order (the structure tree's own order), rebuilds the ID tree, and
 * follows the renaming wherever a name is cited (table headers).
 */
function renumberStructureIds(pdf: PDFDocument): void {
  const structTree = pdf.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  if (!structTree) return;
  const ID = PDFName.of('ID');
  const K = PDFName.of('K');
  const renamed = new Map<string, PDFString>();
  const entries: (PDFString | PDFRef)[] = [];
  const walk = (node: PDFObject, ref: PDFRef | undefined): void => {
    const dict = node instanceof PDFRef ? pdf.context.lookup(node) : node;
    const self = node instanceof PDFRef ? node : ref;
    if (dict instanceof PDFArray) {
      for (let i = 0; i < dict.size(); i++) walk(dict.get(i), undefined);
      return;
    }
    if (!(dict instanceof PDFDict)) return;
    const id = dict.get(ID);
    if (id instanceof PDFString && self) {
      const fresh = PDFString.of(`e${String(renamed.size + 1).padStart(8, '0')}`);
      renamed.set(id.asString(), fresh);
      dict.set(ID, fresh);
      entries.push(fresh, self);
    }
    const kids = dict.get(K);
    if (kids) walk(kids, undefined);
  };
  walk(structTree, undefined);
  if (renamed.size === 0) return;
  const dropTree = (node: PDFObject | undefined): void => {
    const dict = node instanceof PDFRef ? pdf.context.lookup(node) : node;
    const kids = dict instanceof PDFDict ? dict.lookupMaybe(PDFName.of('Kids'), PDFArray) : undefined;
    for (let i = 0; i < (kids?.size() ?? 0); i++) dropTree(kids?.get(i));
    if (node instanceof PDFRef) pdf.context.delete(node);
  };
  dropTree(structTree.get(PDFName.of('IDTree')));
  structTree.set(PDFName.of('IDTree'), pdf.context.obj({ Names: entries }));
  const cite = (object: PDFObject): void => {
    if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) {
        const value = object.get(i);
        const fresh = value instanceof PDFString ? renamed.get(value.asString()) : undefined;
        if (fresh) object.set(i, fresh);
        else cite(value);
      }
    } else if (object instanceof PDFDict) {
      for (const [, value] of object.entries()) cite(value);
    }
  };
  for (const [, object] of pdf.context.enumerateIndirectObjects()) cite(object);
}
