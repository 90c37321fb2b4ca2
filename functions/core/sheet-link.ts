/**
 * The Google spreadsheet a «Таблица школы» names — a link or a bare ID — as a link to open it,
 * rebuilt from the ID alone (nothing else of what was typed becomes a link); undefined for a file
 * name or anything else.
 */
export function sheetLink(reference: string | undefined): string | undefined {
  const text = reference?.trim() ?? '';
  const fromUrl = /^https:\/\/docs\.google\.com\/spreadsheets\/d\/([A-Za-z0-9_-]{20,})(?:[/?#]|$)/.exec(text)?.[1];
  const id = fromUrl ?? (/^(?:sheets:)?([A-Za-z0-9_-]{25,})$/.exec(text)?.[1] || undefined);
  return id ? `https://docs.google.com/spreadsheets/d/${id}/edit` : undefined;
}
