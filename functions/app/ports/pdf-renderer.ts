/** Turns a self-contained HTML document into PDF bytes. */
export interface PdfRenderer {
  render(html: string): Promise<Uint8Array>;
  close(): Promise<void>;
}
