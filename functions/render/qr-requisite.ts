import { createHash } from 'node:crypto';
import QRCode from 'qrcode';

/** Requisite 31 of ГОСТ Р 7.0.97-2025: a QR code with the document's identifier and checksum. */
export interface QrRequisite {
  /** SVG markup made here from our own text; safe to inline. */
  svg: string;
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
  const svg = await QRCode.toString(
    `${identifier}\n${document.kind}\n${scope}\n${document.path}\n${asOf}\nSHA-256:${checksum}`,
    {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 0,
    },
  );
  return { svg, caption: identifier, identifier, checksum };
}
