import type { drive_v3 } from '@googleapis/drive';
import type { sheets_v4 } from '@googleapis/sheets';
import { dateFromSerial } from '../../core/number-format.js';
import { EMPTY_CELL, type RawCell, type RawWorkbook } from '../../core/raw-workbook.js';
import { InfrastructureError, type InfrastructureReason } from '../../errors.js';
import { googleRefusal, isQuotaRefusal } from './refusal.js';
import type { WorkbookSource } from '../../app/ports/workbook-source.js';
import { GOOGLE_RETRY, isTransient, type RetryPolicy } from '../shared/retry.js';

/**
 * Google's quotas a call counts against, each with its own limiter: the Sheets API counts a user's
 * reads and writes separately (60 a minute each), Drive has its own, far larger quota.
 */
export type GoogleBudget = 'sheets-read' | 'sheets-write' | 'drive';

/** The Google API clients a source needs, already authenticated. */
export interface GoogleClients {
  sheets: sheets_v4.Sheets;
  drive: drive_v3.Drive;
  /** Wraps every call: the quota limiter of the budget it counts against. */
  limit: Record<GoogleBudget, <T>(call: () => Promise<T>) => Promise<T>>;
  /** Retries of server errors and dropped connections. */
  retry?: RetryPolicy;
  /** Longest wait for one call while Google answers «quota exceeded» (GOOGLE_QUOTA_WAIT_MS). */
  quotaWaitMs?: number;
  /** The tab layout each spreadsheet's read found, for the write of its findings (takeLayout). */
  layouts?: Map<string, { at: number; sheets: sheets_v4.Schema$Sheet[] }>;
}

/** A spreadsheet ID from an ID or a docs.google.com URL; undefined when it is neither. */
export function spreadsheetId(reference: string): string | undefined {
  const trimmed = reference.trim();
  const fromUrl = /\/spreadsheets\/d\/([A-Za-z0-9_-]{10,})/.exec(trimmed)?.[1];
  if (fromUrl) return fromUrl;
  return /^[A-Za-z0-9_-]{10,}$/.test(trimmed) ? trimmed : undefined;
}

/** The registry's spreadsheet ID from a registry reference «sheets:<ID or link>»; undefined for anything else. */
export function sheetsRegistryId(reference: string): string | undefined {
  return reference.startsWith('sheets:') ? spreadsheetId(reference.slice('sheets:'.length)) : undefined;
}

/** Longest wait for one call while Google keeps answering «quota exceeded» (default 5 minutes). */
export const GOOGLE_QUOTA_WAIT_MS = 300_000;

/**
 * Runs `attempt` (one or more Google calls) until it succeeds. Quota answers (Sheets 429, Drive
 * 403 rateLimitExceeded) are waited out with truncated exponential backoff (1 s doubling to 64 s,
 * full jitter) for up to `quotaWaitMs` in all — a minute's quota refills in a minute — and then
 * end as a 'busy' failure that callers try again later; server errors and dropped connections are
 * retried by `retry`; any other refusal is thrown at once.
 */
export async function retryGoogle<T>(
  clients: GoogleClients,
  attempt: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  const policy = clients.retry ?? GOOGLE_RETRY;
  const quotaWaitMs = clients.quotaWaitMs ?? GOOGLE_QUOTA_WAIT_MS;
  let failures = 0;
  let quotaFailures = 0;
  let waited = 0;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      let delay: number;
      if (isQuotaRefusal(error)) {
        delay = Math.floor(Math.random() * Math.min(64_000, 1000 * 2 ** quotaFailures++));
        if (waited + delay > quotaWaitMs) {
          throw new InfrastructureError(
            'sheets',
            `Google не принимает запросы: квота API исчерпана дольше ${Math.round(quotaWaitMs / 1000)} с. Повторите позже или уменьшите MONITOR500_GOOGLE_REQUESTS_PER_MINUTE.`,
            { cause: error, reason: 'busy' },
          );
        }
        waited += delay;
      } else {
        if (failures >= policy.retries || !isTransient(error)) throw error;
        delay = Math.floor(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** failures++));
      }
      await sleep(delay);
    }
  }
}

/** One Google API call with the limiter of its quota, waiting out quota and retrying transient failures. */
export function callGoogle<T>(clients: GoogleClients, budget: GoogleBudget, call: () => Promise<T>): Promise<T> {
  return retryGoogle(clients, () => clients.limit[budget](call));
}

/** What a write of findings needs to know of the tabs (sheet-feedback.ts): ids, titles, sizes, protections. */
export const LAYOUT_FIELDS =
  'properties(sheetId,title,gridProperties(rowCount,columnCount)),protectedRanges(range,warningOnly,requestingUserCanEdit)';

/**
 * What is asked of a spreadsheet in its one read: the title, each tab's title and, for every
 * cell, the value it holds (a formula's result), the type of its number format and its link —
 * never the text it is displayed as, which depends on the format and the spreadsheet's locale.
 * The tabs' layout comes with it, so writing the findings back needs no second read.
 */
const READ_FIELDS = `properties.title,sheets(${LAYOUT_FIELDS},data(startRow,startColumn,rowData.values(effectiveValue,effectiveFormat.numberFormat.type,hyperlink)))`;

/** How long the layout a read found stands in for a fresh look at the tabs before a write. */
const LAYOUT_FRESH_MS = 120_000;

/**
 * The tab layout the last read of this spreadsheet found, once, if it is recent: the write of the
 * findings of that read starts from the same snapshot as the values they answer. undefined: look.
 */
export function takeLayout(clients: GoogleClients, id: string): sheets_v4.Schema$Sheet[] | undefined {
  const layout = clients.layouts?.get(id);
  clients.layouts?.delete(id);
  return layout && Date.now() - layout.at <= LAYOUT_FRESH_MS ? layout.sheets : undefined;
}

/** The text a spreadsheet shows for an error value, as an .xlsx file keeps it. */
const ERROR_TEXT: Record<string, string> = {
  ERROR: '#ERROR!',
  NULL_VALUE: '#NULL!',
  DIVIDE_BY_ZERO: '#DIV/0!',
  VALUE: '#VALUE!',
  REF: '#REF!',
  NAME: '#NAME?',
  NUM: '#NUM!',
  N_A: '#N/A',
  LOADING: '#GETTING_DATA',
};

/** A Sheets cell by its stored value and number-format type: dates as dates, percents as fractions. */
export function rawCellOfSheets(cell: sheets_v4.Schema$CellData | undefined): RawCell {
  const value = cell?.effectiveValue;
  const link = cell?.hyperlink ? { link: cell.hyperlink } : {};
  if (!value) return cell?.hyperlink ? { value: null, ...link } : EMPTY_CELL;
  if (typeof value.numberValue === 'number') {
    const type = cell?.effectiveFormat?.numberFormat?.type;
    if (type === 'DATE' || type === 'DATE_TIME' || type === 'TIME') {
      return { value: dateFromSerial(value.numberValue, 'sheets'), ...link };
    }
    if (type === 'PERCENT') return { value: value.numberValue, percentFormat: true, ...link };
    return { value: value.numberValue, ...link };
  }
  if (typeof value.stringValue === 'string')
    return { value: value.stringValue === '' ? null : value.stringValue, ...link };
  if (typeof value.boolValue === 'boolean') return { value: value.boolValue, ...link };
  if (value.errorValue) return { value: ERROR_TEXT[value.errorValue.type ?? ''] ?? '#ERROR!', ...link };
  return cell?.hyperlink ? { value: null, ...link } : EMPTY_CELL;
}

/** The rows of a tab's grid data, placed at their row and column. */
function rowsOfGrid(data: sheets_v4.Schema$GridData[] | undefined): RawCell[][] {
  const rows: RawCell[][] = [];
  for (const grid of data ?? []) {
    const top = grid.startRow ?? 0;
    const left = grid.startColumn ?? 0;
    (grid.rowData ?? []).forEach((rowData, r) => {
      const cells = (rowData.values ?? []).map(rawCellOfSheets);
      if (cells.length === 0) return;
      const row = (rows[top + r] ??= []);
      cells.forEach((cell, c) => (row[left + c] = cell));
    });
  }
  return Array.from(rows, (row) => Array.from(row ?? [], (cell) => cell ?? EMPTY_CELL));
}

/**
 * Reads a whole spreadsheet in one request: every tab's cells by stored value and number-format
 * type (see READ_FIELDS). A refusal becomes a Russian reason that says what to do.
 */
export async function readSpreadsheet(clients: GoogleClients, id: string): Promise<RawWorkbook> {
  try {
    const answer = await callGoogle(clients, 'sheets-read', () =>
      clients.sheets.spreadsheets.get({ spreadsheetId: id, includeGridData: true, fields: READ_FIELDS }),
    );
    clients.layouts?.set(id, {
      at: Date.now(),
      sheets: (answer.data.sheets ?? []).map(({ properties, protectedRanges }) => ({
        ...(properties ? { properties } : {}),
        ...(protectedRanges ? { protectedRanges } : {}),
      })),
    });
    return {
      name: answer.data.properties?.title ?? id,
      tabs: (answer.data.sheets ?? [])
        .filter((sheet) => (sheet.properties?.title ?? '') !== '')
        .map((sheet) => ({ name: sheet.properties?.title ?? '', rows: rowsOfGrid(sheet.data) })),
    };
  } catch (error) {
    if (error instanceof InfrastructureError) throw error;
    throw readRefusal(id, error);
  }
}

/** Why Google refused to give a spreadsheet, in Russian, with what to do about it. */
function readRefusal(id: string, error: unknown): InfrastructureError {
  const refusal = googleRefusal(error);
  const fail = (message: string, reason: InfrastructureReason) =>
    new InfrastructureError('sheets', message, { cause: error, reason });
  if (refusal.status === 404) {
    return fail(
      `Google-таблица «${id}» не найдена: она удалена или в ссылке ошибка. Проверьте ссылку в столбце «Таблица школы».`,
      'not_found',
    );
  }
  if (refusal.status === 403) {
    return fail(
      `К Google-таблице «${id}» нет доступа: откройте её сервисному аккаунту программы (Настройки доступа → добавить адрес аккаунта → «Редактор», чтобы программа могла записывать замечания в лист «Проверка»).`,
      'not_found',
    );
  }
  if (refusal.status === 400 && refusal.statusName === 'FAILED_PRECONDITION') {
    return fail(
      `«${id}» — не Google-таблица, а файл (например, Excel), загруженный на Диск: откройте его и выберите «Файл → Сохранить как Google Таблицу», затем укажите ссылку на новую таблицу.`,
      'unreadable',
    );
  }
  return fail(
    `Google-таблица «${id}» не прочитана: Google ответил ${refusal.status ?? 'ошибкой соединения'}.`,
    'unreadable',
  );
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
