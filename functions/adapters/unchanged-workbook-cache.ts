import type { RawWorkbook } from '../core/raw-workbook.js';
import { callGoogle, spreadsheetId, type GoogleClients } from './google-sheets-source.js';
import type { WorkbookSource } from './local-workbook-source.js';
import type { OutputStore } from './local-output-dir.js';

/** A workbook as read last time, with the Drive modification time it had then. */
interface CachedWorkbook {
  id: string;
  modifiedTime: string;
  workbook: RawWorkbook;
}

const SPREADSHEET = 'application/vnd.google-apps.spreadsheet';

/** Modification times of every spreadsheet the account sees: one listing (paged) per run. */
async function listModifiedTimes(clients: GoogleClients): Promise<Map<string, string>> {
  const times = new Map<string, string>();
  let pageToken: string | undefined;
  do {
    const page = await callGoogle(clients, () =>
      clients.drive.files.list({
        q: `mimeType = '${SPREADSHEET}' and trashed = false`,
        fields: 'nextPageToken,files(id,modifiedTime)',
        pageSize: 1000,
        ...(pageToken ? { pageToken } : {}),
      }),
    );
    for (const file of page.data.files ?? []) if (file.id && file.modifiedTime) times.set(file.id, file.modifiedTime);
    pageToken = page.data.nextPageToken ?? undefined;
  } while (pageToken);
  return times;
}

/**
 * Wraps a Google Sheets source: a spreadsheet whose Drive modification time has not changed since
 * the last run is taken from the store instead of the API. Every workbook read is stored as read
 * (raw values, before validation), so the store also keeps the inputs of each run.
 */
export function skipUnchangedWorkbooks(
  source: WorkbookSource,
  registryId: string,
  clients: GoogleClients,
  store: OutputStore,
): WorkbookSource {
  let listing: Promise<Map<string, string>> | undefined;
  const cached = async (id: string, read: () => Promise<RawWorkbook>): Promise<RawWorkbook> => {
    listing ??= listModifiedTimes(clients);
    const modifiedTime = (await listing).get(id);
    const key = `raw/${id}.json`;
    const stored = await store.read(key);
    if (stored && modifiedTime) {
      const previous = JSON.parse(Buffer.from(stored).toString('utf8')) as CachedWorkbook;
      if (previous.modifiedTime === modifiedTime) return previous.workbook;
    }
    const workbook = await read();
    // Unknown modification time (not listed): store it, but it will be read again next time.
    await store.write(
      key,
      `${JSON.stringify({ id, modifiedTime: modifiedTime ?? '', workbook } satisfies CachedWorkbook)}\n`,
    );
    return workbook;
  };
  return {
    registryName: source.registryName,
    readRegistry: () => cached(registryId, () => source.readRegistry()),
    readSchoolWorkbook: (reference) => {
      const id = spreadsheetId(reference);
      return id ? cached(id, () => source.readSchoolWorkbook(reference)) : source.readSchoolWorkbook(reference);
    },
  };
}
