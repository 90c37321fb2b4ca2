/** Where a document's editable twin is stored: beside its PDF, with .docx (orders/working-group.pdf → orders/working-group.docx). */
export function docxPath(pdfPath: string): string {
  return `${pdfPath.replace(/\.pdf$/, '')}.docx`;
}
