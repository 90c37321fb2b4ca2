import { createHash } from 'node:crypto';
import type { DocumentKind, DocumentScope, PlannedDocument } from '../core/documents/catalogue.js';
import type { IsoDate } from '../core/calendar.js';
import { documentHtml } from '../render/document-html.js';
import { finalizePdf } from '../render/finalize-pdf.js';
import { qrRequisite } from '../render/qr-requisite.js';
import type { RunPorts } from './run.js';

/** One document a run produced. */
export interface ManifestEntry {
  kind: DocumentKind;
  scope: DocumentScope;
  title: string;
  path: string;
  sha256: string;
  pages: number;
}

/** Documents being prepared, printed or stored at once. */
const DOCUMENTS_IN_FLIGHT = 8;

/** What a stored document was printed from; printing the same source again gives the same bytes. */
interface PrintRecord {
  source: string;
  sha256: string;
  pages: number;
}

/**
 * The print stage: prints the planned documents, a few in parallel, stores them among the
 * deliverables and lists them in catalogue order. A document whose source (HTML and PDF metadata)
 * is the one it was last printed from at the same place is not printed again: a rerun, a duplicate
 * message or a resumed run redoes only what changed or is missing. The PDF is stored before its
 * print record (run state), so a record always has its PDF.
 */
export async function printDocuments(
  planned: readonly PlannedDocument[],
  asOf: IsoDate,
  ports: Pick<RunPorts, 'renderer' | 'output' | 'state'>,
  onPrinted?: (document: PlannedDocument) => void,
): Promise<{ documents: ManifestEntry[]; rendered: number }> {
  const date = new Date(`${asOf}T00:00:00Z`);
  const metadata = { subject: 'Мониторинг проекта «500+»', date };
  let rendered = 0;
  const printOne = async (document: PlannedDocument): Promise<ManifestEntry> => {
    const view = document.qr ? { ...document.view, qr: await qrRequisite(document, asOf) } : document.view;
    const html = documentHtml(document.kind, view);
    const source = sha256(JSON.stringify({ html, title: document.title, ...metadata }));
    const recordPath = `printed/${document.path}.json`;
    const stored = await ports.state.read(recordPath);
    let record = stored ? (JSON.parse(Buffer.from(stored).toString('utf8')) as PrintRecord) : undefined;
    if (record?.source !== source) {
      const pdf = await finalizePdf(await ports.renderer.render(html), { title: document.title, ...metadata });
      await ports.output.write(document.path, pdf.bytes);
      record = { source, sha256: sha256(pdf.bytes), pages: pdf.pages };
      await ports.state.write(recordPath, json(record));
      rendered += 1;
    }
    onPrinted?.(document);
    const { kind, scope, title, path } = document;
    return { kind, scope, title, path, sha256: record.sha256, pages: record.pages };
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
  await Promise.all(Array.from({ length: Math.min(DOCUMENTS_IN_FLIGHT, planned.length) }, worker));
  if (failure) throw failure.reason;
  return { documents, rendered };
}

/** Pretty JSON with a final newline, as every JSON file of a run is stored. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
