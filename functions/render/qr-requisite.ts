import { createHash } from 'node:crypto';
import QRCode from 'qrcode';

/** Requisite 31 of ГОСТ Р 7.0.97-2025: a QR code with the document's identifier and checksum. */
export interface QrRequisite {
  /** SVG markup made here from our own text; safe to inline. */
  svg: string;
  /** The same code as PNG, for the .docx twin (a drawing Word and LibreOffice show). */
  png: Uint8Array;
  caption: string;
  identifier: string;
  checksum: string;
}

/**
 * The QR code of a document: its identifier (kind, scope, path, date) and the SHA-256 of its content.
 * The path tells apart two documents of one kind and scope (the plan-graph order and its amendment).
 */
export async function qrRequisite(
  document: { kind: string; scope: { level: string; code?: string }; path: string; view: object },
  asOf: string,
): Promise<QrRequisite> {
  const scope = document.scope.code ? `${document.scope.level}-${document.scope.code}` : document.scope.level;
  // Short enough to print under the code: the same document of the same date keeps its identifier.
  const identifier = `M500-${createHash('sha256').update(`${document.kind}|${scope}|${document.path}|${asOf}`).digest('hex').slice(0, 12)}`;
  const checksum = createHash('sha256').update(JSON.stringify(document.view)).digest('hex');
  const text = `${identifier}\n${document.kind}\n${scope}\n${document.path}\n${asOf}\nSHA-256:${checksum}`;
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
  // 300 px across: sharp at 25 mm (about 300 dpi).
  const png = new Uint8Array(
    await QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 0, width: 300 }),
  );
  return { svg, png, caption: identifier, identifier, checksum };
}
