import type { drive_v3 } from '@googleapis/drive';
import type { sheets_v4 } from '@googleapis/sheets';
import type { RawCell, RawWorkbook } from '../core/raw-workbook.js';
import { InfrastructureError } from '../errors.js';
import type { WorkbookSource } from './local-workbook-source.js';
import { GOOGLE_RETRY, withRetry, type RetryPolicy } from './retry.js';

/** The Google API clients a source needs, already authenticated. */
export interface GoogleClients {
  sheets: sheets_v4.Sheets;
  drive: drive_v3.Drive;
  /** Wraps every call: quota limiter. */
  limit: <T>(call: () => Promise<T>) => Promise<T>;
  retry?: RetryPolicy;
}

/** A spreadsheet ID from an ID or a docs.google.com URL; undefined when it is neither. */
export function spreadsheetId(reference: string): string | undefined {
  const trimmed = reference.trim();
  const fromUrl = /\/spreadsheets\/d\/([A-Za-z0-9_-]{10,})/.exec(trimmed)?.[1];
  if (fromUrl) return fromUrl;
  return /^[A-Za-z0-9_-]{10,}$/.test(trimmed) ? trimmed : undefined;
}

function quoteTitle(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

function status(error: unknown): number | undefined {
  const e = error as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  const value = Number(e.response?.status ?? e.status ?? e.code);
  return Number.isFinite(value) ? value : undefined;
}

/** One Google API call with the quota limiter and retries on 429, 5xx and dropped connections. */
export function callGoogle<T>(clients: GoogleClients, call: () => Promise<T>): Promise<T> {
  return withRetry(() => clients.limit(call), clients.retry ?? GOOGLE_RETRY);
}

/**
 * Reads a whole spreadsheet: one metadata call for the tab titles, then one values.batchGet for
 * all tabs. Values come as the sheet shows them (FORMATTED_VALUE): dates «15.05.2027», percents
 * «45 %», decimals with a comma — exactly the forms cell coercion reads.
 */
export async function readSpreadsheet(clients: GoogleClients, id: string): Promise<RawWorkbook> {
  try {
    const meta = await callGoogle(clients, () =>
      clients.sheets.spreadsheets.get({
        spreadsheetId: id,
        fields: 'properties.title,sheets.properties(sheetId,title)',
      }),
    );
    const titles = (meta.data.sheets ?? []).map((s) => s.properties?.title ?? '').filter((t) => t !== '');
    const values =
      titles.length === 0
        ? []
        : ((
            await callGoogle(clients, () =>
              clients.sheets.spreadsheets.values.batchGet({
                spreadsheetId: id,
                ranges: titles.map(quoteTitle),
                valueRenderOption: 'FORMATTED_VALUE',
                majorDimension: 'ROWS',
              }),
            )
          ).data.valueRanges ?? []);
    return {
      name: meta.data.properties?.title ?? id,
      tabs: titles.map((name, i) => ({
        name,
        rows: (values[i]?.values ?? []).map((row) =>
          (row as unknown[]).map((value): RawCell => ({
            value: value === '' || value === undefined ? null : String(value),
          })),
        ),
      })),
    };
  } catch (error) {
    const code = status(error);
    if (code === 404 || code === 403) {
      throw new InfrastructureError('sheets', `Google-таблица «${id}» не найдена или нет доступа (${code}).`, {
        cause: error,
        reason: 'not_found',
      });
    }
    throw new InfrastructureError('sheets', `Google-таблица «${id}» не прочитана.`, {
      cause: error,
      reason: 'unreadable',
    });
  }
}

/** The registry and the school workbooks as Google spreadsheets named by ID or URL. */
export function googleSheetsSource(registryId: string, clients: GoogleClients): WorkbookSource {
  return {
    readRegistry: () => readSpreadsheet(clients, registryId),
    async readSchoolWorkbook(reference) {
      const id = spreadsheetId(reference);
      if (!id) {
        throw new InfrastructureError('sheets', `«${reference}» — не ID и не ссылка на Google-таблицу.`, {
          reason: 'not_found',
        });
      }
      const workbook = await readSpreadsheet(clients, id);
      return { ...workbook, name: reference };
    },
  };
}
