import { createHash } from 'node:crypto';
import { parseRawJson, rawJson, type LastChange, type RawWorkbook } from '../../core/raw-workbook.js';
import { feedbackPlan } from '../../core/sheet-feedback.js';
import { writeOwnedTab, writeSheetFeedback } from './sheet-feedback.js';
import { callGoogle, spreadsheetId, type GoogleClients } from './sheets-source.js';
import type { WorkbookSource } from '../../app/ports/workbook-source.js';
import type { RunStateStore } from '../../app/ports/run-state-store.js';

/** What was last written into a spreadsheet: which cells carry our marks, and a fingerprint of it all. */
interface WrittenFeedback {
  fingerprint: string;
  marks: { tab: string; cell: string }[];
}

/** A workbook as read last time, with the Drive modification time it had then. */
interface CachedWorkbook {
  id: string;
  modifiedTime: string;
  workbook: RawWorkbook;
}

/** What Drive lists of a spreadsheet: its modification time, and who made it (not an address). */
interface Listed {
  modifiedTime: string;
  /** lastModifyingUser.displayName. */
  by?: string;
  /** The last modification was ours (lastModifyingUser.me): our write-back, not the school's change. */
  ours: boolean;
}

const SPREADSHEET = 'application/vnd.google-apps.spreadsheet';

/**
 * Modification times of every spreadsheet the account sees, in My Drive and in shared drives
 * (Drive leaves those out unless asked): one listing (paged) per run.
 */
async function listModifiedTimes(clients: GoogleClients): Promise<Map<string, Listed>> {
  const times = new Map<string, Listed>();
  let pageToken: string | undefined;
  do {
    const page = await callGoogle(clients, 'drive', () =>
      clients.drive.files.list({
        q: `mimeType = '${SPREADSHEET}' and trashed = false`,
        fields: 'nextPageToken,files(id,modifiedTime,lastModifyingUser(displayName,me))',
        pageSize: 1000,
        corpora: 'allDrives',
        includeItemsFromAllDrives: true,
        supportsAllDrives: true,
        ...(pageToken ? { pageToken } : {}),
      }),
    );
    for (const file of page.data.files ?? []) {
      if (!file.id || !file.modifiedTime) continue;
      const by = file.lastModifyingUser?.displayName;
      times.set(file.id, {
        modifiedTime: file.modifiedTime,
        ...(by ? { by } : {}),
        ours: file.lastModifyingUser?.me === true,
      });
    }
    pageToken = page.data.nextPageToken ?? undefined;
  } while (pageToken);
  return times;
}

/**
 * Wraps a Google Sheets source: a spreadsheet whose Drive modification time has not changed since
 * the last run is taken from the store instead of the API. Every workbook read is stored as read
 * (raw values, before validation), so the store also keeps the inputs of each run.
 *
 * No edit is lost: the time kept with a workbook is the one Drive listed *before* it was read, so
 * an edit during the read, or during our own write-back of findings, makes the next run read it
 * again; and the time is never taken after our write-back, so our write costs one more read and
 * no edit of the school's. Drive updates modifiedTime of a Google Sheet minutes late: an edit it
 * has not shown yet is read by the first run after it shows. `alwaysRead` (HTTP validate: the
 * values as they are now) reads every workbook, still keeping it and writing findings back.
 */
export function skipUnchangedWorkbooks(
  source: WorkbookSource,
  registryId: string,
  clients: GoogleClients,
  store: RunStateStore,
  options: { alwaysRead?: boolean } = {},
): WorkbookSource {
  let listing: Promise<Map<string, Listed>> | undefined;
  /** Spreadsheet ID of each workbook read, by the name its findings carry. */
  const idOfName = new Map<string, string>();
  const cached = async (id: string, read: () => Promise<RawWorkbook>): Promise<RawWorkbook> => {
    const workbook = await cachedRead(id, read);
    idOfName.set(workbook.name, id);
    return workbook;
  };
  const cachedRead = async (id: string, read: () => Promise<RawWorkbook>): Promise<RawWorkbook> => {
    listing ??= listModifiedTimes(clients);
    const listed = (await listing).get(id);
    const modifiedTime = listed?.modifiedTime;
    const key = `drive/raw/${id}.json`;
    const stored = await store.read(key);
    const previous = stored ? parseRawJson<CachedWorkbook>(Buffer.from(stored).toString('utf8')) : undefined;
    if (previous && modifiedTime && !options.alwaysRead && previous.modifiedTime === modifiedTime) {
      return previous.workbook;
    }
    // The last change by a person: Drive's, unless it was our own write-back — then the one kept before.
    const lastChange: LastChange | undefined = listed
      ? listed.ours
        ? previous?.workbook.lastChange
        : { at: listed.modifiedTime, ...(listed.by ? { by: listed.by } : {}) }
      : undefined;
    const workbook = { ...(await read()), ...(lastChange ? { lastChange } : {}) };
    // Unknown modification time (not listed): store it, but it will be read again next time.
    await store.write(key, rawJson({ id, modifiedTime: modifiedTime ?? '', workbook } satisfies CachedWorkbook));
    return workbook;
  };
  return {
    async writeFeedback(name, issues, head) {
      const id = idOfName.get(name);
      if (!id) return undefined;
      const key = `drive/feedback/${id}.json`;
      const stored = await store.read(key);
      const previous = stored ? (JSON.parse(Buffer.from(stored).toString('utf8')) as WrittenFeedback) : undefined;
      const plan = feedbackPlan(issues, previous?.marks ?? [], head);
      const fingerprint = createHash('sha256').update(JSON.stringify(plan)).digest('hex');
      // The same findings as last time: the sheet already shows them; writing again would change nothing.
      if (previous?.fingerprint === fingerprint) return undefined;
      if (!previous && issues.length === 0 && !head?.length) return undefined;
      const refused = await writeSheetFeedback(clients, id, plan);
      // Not written: nothing is remembered, so the next run tries again.
      if (refused) return refused;
      const written: WrittenFeedback = { fingerprint, marks: plan.marks.map(({ tab, cell }) => ({ tab, cell })) };
      await store.write(key, `${JSON.stringify(written)}\n`);
      return undefined;
    },
    async writeTab(name, title, rows) {
      const id = idOfName.get(name);
      if (!id) return undefined;
      const key = `drive/tabs/${id}-${createHash('sha256').update(title).digest('hex').slice(0, 12)}.json`;
      const fingerprint = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
      const stored = await store.read(key);
      // The same rows as last time: the tab already shows them.
      if (stored && Buffer.from(stored).toString('utf8').trim() === fingerprint) return undefined;
      const refused = await writeOwnedTab(clients, id, title, rows);
      if (!refused) await store.write(key, `${fingerprint}\n`);
      return refused;
    },
    readRegistry: () => cached(registryId, () => source.readRegistry()),
    readSchoolWorkbook: (reference) => {
      const id = spreadsheetId(reference);
      return id ? cached(id, () => source.readSchoolWorkbook(reference)) : source.readSchoolWorkbook(reference);
    },
  };
}
