/** Turns a self-contained HTML document into PDF bytes. */
export interface PdfRenderer {
  render(html: string): Promise<Uint8Array>;
  /** How many documents it prints at once, where it bounds them: the print stage keeps more than that in flight. */
  readonly concurrency?: number;
  close(): Promise<void>;
}
