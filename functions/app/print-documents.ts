import { createHash } from 'node:crypto';
import type { DocumentKind, DocumentScope, PlannedDocument } from '../core/documents/catalogue.js';
import type { IsoDate } from '../core/calendar.js';
import { docxPath } from '../render/docx/docx-path.js';
import { renderFingerprint } from '../render/fingerprint.js';
import { json } from './ports/output-store.js';
import type { RunPorts } from './run.js';

/** One document a run produced. */
export interface ManifestEntry {
  kind: DocumentKind;
  scope: DocumentScope;
  title: string;
  path: string;
  sha256: string;
  pages: number;
  /** The editable twin (.docx beside the PDF, from the same view): where it is stored and its bytes' hash. */
  docx: { path: string; sha256: string };
}

/**
 * Documents being prepared, printed or stored at once: at least this many, and always a few more
 * than the renderer prints at once, so that each page freed finds the next document's HTML ready.
 */
const DOCUMENTS_IN_FLIGHT = 8;

/**
 * What a stored document was printed from. `inputs` names what went into its HTML (kind, title,
 * view, date, templates and render code), `source` the HTML and PDF properties themselves: printing
 * the same source again gives the same bytes.
 */
interface PrintRecord {
  inputs?: string;
  source: string;
  sha256: string;
  pages: number;
  /** The .docx twin stored with the PDF; a record without it (printed before twins) makes it now. */
  docx?: { path: string; sha256: string };
}

/**
 * The printing code: handlebars, pdf-lib, qrcode and docx load on the first document that has to be
 * turned into HTML, so a rerun with nothing changed (and a process that never prints) goes without them.
 */
let printing:
  | Promise<{
      documentHtml: typeof import('../render/document-html.js').documentHtml;
      finalizePdf: typeof import('../render/finalize-pdf.js').finalizePdf;
      qrRequisite: typeof import('../render/qr-requisite.js').qrRequisite;
      documentDocx: typeof import('../render/docx/document-docx.js').documentDocx;
    }>
  | undefined;
const printingCode = () =>
  (printing ??= Promise.all([
    import('../render/document-html.js'),
    import('../render/finalize-pdf.js'),
    import('../render/qr-requisite.js'),
    import('../render/docx/document-docx.js'),
  ]).then(([html, pdf, qr, docx]) => ({
    documentHtml: html.documentHtml,
    finalizePdf: pdf.finalizePdf,
    qrRequisite: qr.qrRequisite,
    documentDocx: docx.documentDocx,
  })));

/**
 * The print stage: prints the planned documents, a few in parallel, stores them among the
 * deliverables and lists them in catalogue order. A document is not printed again when its print
 * record (run state) at the same place says it was printed from the same inputs — then not even its
 * HTML is made — or from the same HTML and PDF properties: a rerun, a duplicate message or a
 * resumed run redoes only what changed or is missing. Each document also gets its editable twin,
 * a .docx beside the PDF made from the same view (render/docx/), recorded in the same print record:
 * it is stored only when its bytes differ from the recorded twin's. The PDF and the .docx are
 * stored before their print record, so a record always has both.
 */
export async function printDocuments(
  planned: readonly PlannedDocument[],
  asOf: IsoDate,
  ports: Pick<RunPorts, 'renderer' | 'output' | 'state'>,
  onPrinted?: (document: PlannedDocument) => void,
): Promise<{ documents: ManifestEntry[]; rendered: number }> {
  const date = new Date(`${asOf}T00:00:00Z`);
  const metadata = { subject: 'Мониторинг проекта «500+»', date };
  const render = renderFingerprint();
  let rendered = 0;
  const printOne = async (document: PlannedDocument): Promise<ManifestEntry> => {
    const { kind, scope, title, path, view, qr } = document;
    const inputs = sha256(JSON.stringify({ kind, scope, title, view, qr, asOf, ...metadata, render }));
    const recordPath = `printed/${path}.json`;
    const stored = await ports.state.read(recordPath);
    const record = stored ? (JSON.parse(Buffer.from(stored).toString('utf8')) as PrintRecord) : undefined;
    let twinRecord = record?.inputs === inputs ? record.docx : undefined;
    let printed: Omit<PrintRecord, 'docx'>;
    if (record && twinRecord) {
      printed = record;
    } else {
      if (kind === 'run-index') throw new Error('Страница прогона не печатается как документ');
      const code = await printingCode();
      const requisite = qr ? await code.qrRequisite(document, asOf) : undefined;
      const html = code.documentHtml(kind, requisite ? { ...view, qr: requisite } : view);
      const source = sha256(JSON.stringify({ html, title, ...metadata }));
      const twinBefore = record?.docx;
      if (record?.source !== source) {
        const pdf = await code.finalizePdf(await ports.renderer.render(html), { title, ...metadata });
        await ports.output.write(path, pdf.bytes);
        printed = { inputs, source, sha256: sha256(pdf.bytes), pages: pdf.pages };
        rendered += 1;
      } else {
        // Printed from the same HTML by a run that did not name its inputs (or named them otherwise).
        printed = { inputs, source, sha256: record.sha256, pages: record.pages };
      }
      // The twin from the same view; the same view and date give the same bytes, stored only when they differ.
      const twin = await code.documentDocx(
        kind,
        view,
        { title, ...metadata },
        requisite && { png: requisite.png, caption: requisite.caption },
      );
      const docx = { path: docxPath(path), sha256: sha256(twin) };
      if (twinBefore?.path !== docx.path || twinBefore.sha256 !== docx.sha256)
        await ports.output.write(docx.path, twin);
      twinRecord = docx;
      await ports.state.write(recordPath, json({ ...printed, docx } satisfies PrintRecord));
    }
    onPrinted?.(document);
    return { kind, scope, title, path, sha256: printed.sha256, pages: printed.pages, docx: twinRecord };
  };
  // A few documents at a time (the renderer bounds the pages printing at once): the HTML and PDFs of a
  // whole region are never in memory together. After a failure no new document starts, and the run
  // fails once the documents in print are stored: nothing keeps working after it.
  const documents: ManifestEntry[] = new Array<ManifestEntry>(planned.length);
  let next = 0;
  let failure: { reason: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < planned.length) {
      const index = next++;
      try {
        documents[index] = await printOne(planned[index]!);
      } catch (reason) {
        failure ??= { reason };
      }
    }
  };
  const inFlight = Math.max(DOCUMENTS_IN_FLIGHT, 2 * (ports.renderer.concurrency ?? 0) + 2);
  await Promise.all(Array.from({ length: Math.min(inFlight, planned.length) }, worker));
  if (failure) throw failure.reason;
  return { documents, rendered };
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
