import type { sheets_v4 } from '@googleapis/sheets';
import { FEEDBACK_TAB, inert, type FeedbackPlan } from '../../core/sheet-feedback.js';
import { textKey } from '../../core/text-key.js';
import { cellPosition } from '../../core/validation-issue.js';
import { googleRefusal } from './refusal.js';
import { LAYOUT_FIELDS, retryGoogle, takeLayout, type GoogleClients } from './sheets-source.js';

const ERROR_FILL = { red: 1, green: 0.8, blue: 0.8 };
const WARNING_FILL = { red: 1, green: 0.95, blue: 0.7 };

function cellRange(sheetId: number, cell: string): sheets_v4.Schema$GridRange | undefined {
  const at = cellPosition(cell);
  return (
    at && {
      sheetId,
      startRowIndex: at.row - 1,
      endRowIndex: at.row,
      startColumnIndex: at.column - 1,
      endColumnIndex: at.column,
    }
  );
}

/**
 * The title of a tab we own (`base`: «Проверка», «Сдача таблиц»): `base`, unless the workbook has
 * a tab of its own whose name differs from it only in case — Google's titles ignore case, so
 * «Проверка» could not be added beside «проверка»; ours is then «Проверка 500+».
 */
function ownTitle(sheets: sheets_v4.Schema$Sheet[], base: string): string {
  const titles = sheets.map((s) => s.properties?.title ?? '');
  if (titles.includes(base)) return base;
  const lower = base.toLocaleLowerCase('ru-RU');
  return titles.some((t) => t.toLocaleLowerCase('ru-RU') === lower) ? `${base} 500+` : base;
}

/** A tab we own and replace wholesale: rows of plain text, the rows in bold, links in column B. */
interface OwnedTab {
  base: string;
  rows: readonly (readonly string[])[];
  bold: ReadonlySet<number>;
  /** By row index: the cell of another tab that column B links to. */
  links: ReadonlyMap<number, { tab: string; cell: string }>;
  frozenRows: number;
}

/** The requests that delete our tab (when there) and add it again, first, with its rows. */
function ownedTabRequests(
  tab: OwnedTab,
  sheets: sheets_v4.Schema$Sheet[],
  idOf: ReadonlyMap<string, number>,
): sheets_v4.Schema$Request[] {
  const title = ownTitle(sheets, tab.base);
  const existing = sheets.find((s) => s.properties?.title === title)?.properties?.sheetId;
  const sheetId = existing ?? Math.max(0, ...sheets.map((s) => s.properties?.sheetId ?? 0)) + 1;
  const requests: sheets_v4.Schema$Request[] = [];
  if (existing !== undefined) requests.push({ deleteSheet: { sheetId: existing } });
  const columnCount = Math.max(6, ...tab.rows.map((r) => r.length));
  requests.push({
    addSheet: {
      properties: {
        sheetId,
        title,
        index: 0,
        gridProperties: {
          rowCount: Math.max(100, tab.rows.length + 10),
          columnCount,
          ...(tab.frozenRows > 0 ? { frozenRowCount: tab.frozenRows } : {}),
        },
      },
    },
  });
  requests.push({
    updateCells: {
      start: { sheetId, rowIndex: 0, columnIndex: 0 },
      fields: 'userEnteredValue,textFormatRuns,userEnteredFormat.textFormat.bold',
      rows: tab.rows.map((row, r) => ({
        values: row.map((text, c) => {
          const link = c === 1 ? tab.links.get(r) : undefined;
          const target = link && idOf.get(textKey(link.tab));
          return {
            // RAW: a string value stays a string; inert() defuses formula starters (again: it is idempotent).
            userEnteredValue: { stringValue: inert(text) },
            ...(tab.bold.has(r) ? { userEnteredFormat: { textFormat: { bold: true } } } : {}),
            ...(link && target !== undefined && text
              ? { textFormatRuns: [{ startIndex: 0, format: { link: { uri: `#gid=${target}&range=${link.cell}` } } }] }
              : {}),
          };
        }),
      })),
    },
  });
  return requests;
}

/** A tab's grid size and the ranges protected from us, to send only edits Google accepts. */
interface TabLimits {
  sheetId: number;
  rows: number;
  columns: number;
  locked: sheets_v4.Schema$GridRange[];
}

/** True when the cell lies inside the tab's grid and outside every range protected from us. */
function writable(limits: TabLimits, range: sheets_v4.Schema$GridRange): boolean {
  const row = range.startRowIndex ?? 0;
  const column = range.startColumnIndex ?? 0;
  if (row >= limits.rows || column >= limits.columns) return false;
  return !limits.locked.some(
    (r) =>
      row >= (r.startRowIndex ?? 0) &&
      row < (r.endRowIndex ?? Infinity) &&
      column >= (r.startColumnIndex ?? 0) &&
      column < (r.endColumnIndex ?? Infinity),
  );
}

/** The requests of one batchUpdate that replaces the findings tab and sets or clears cell marks. */
function feedbackRequests(plan: FeedbackPlan, sheets: sheets_v4.Schema$Sheet[]): sheets_v4.Schema$Request[] {
  const limitsOf = new Map<string, TabLimits>();
  for (const sheet of sheets) {
    const sheetId = sheet.properties?.sheetId ?? 0;
    limitsOf.set(textKey(sheet.properties?.title ?? ''), {
      sheetId,
      rows: sheet.properties?.gridProperties?.rowCount ?? 0,
      columns: sheet.properties?.gridProperties?.columnCount ?? 0,
      // A range we may not edit (the school protected it): our note there would fail the whole batch.
      locked: (sheet.protectedRanges ?? [])
        .filter((p) => p.requestingUserCanEdit === false && p.warningOnly !== true)
        .map((p) => p.range ?? { sheetId })
        .filter((r) => (r.sheetId ?? 0) === sheetId),
    });
  }
  const idOf = new Map([...limitsOf].map(([key, limits]) => [key, limits.sheetId]));
  // The status block (when any) on top, an empty row, then the findings table with its links.
  const head = plan.head ?? [];
  const top = head.length > 0 ? head.length + 1 : 0;
  const links = new Map<number, { tab: string; cell: string }>();
  plan.links.forEach((link, i) => link && links.set(top + 1 + i, link));
  const requests = ownedTabRequests(
    {
      base: FEEDBACK_TAB,
      rows: [...head, ...(top > 0 ? [[]] : []), ...plan.rows],
      bold: new Set(top > 0 ? [0, top] : [0]),
      links,
      frozenRows: top > 0 ? 0 : 1,
    },
    sheets,
    idOf,
  );
  const writableRange = (tab: string, cell: string) => {
    const limits = limitsOf.get(textKey(tab));
    const range = limits && cellRange(limits.sheetId, cell);
    return range && limits && writable(limits, range) ? range : undefined;
  };
  for (const mark of plan.marks) {
    const range = writableRange(mark.tab, mark.cell);
    if (!range) continue;
    requests.push({
      updateCells: {
        range,
        fields: 'note,userEnteredFormat.backgroundColor',
        rows: [
          {
            values: [
              {
                note: mark.note,
                userEnteredFormat: { backgroundColor: mark.severity === 'error' ? ERROR_FILL : WARNING_FILL },
              },
            ],
          },
        ],
      },
    });
  }
  for (const stale of plan.clear) {
    // A cell now outside the grid (rows deleted) has nothing left to clear.
    const range = writableRange(stale.tab, stale.cell);
    // An empty cell under the field mask clears exactly our note and fill.
    if (range)
      requests.push({
        updateCells: { range, fields: 'note,userEnteredFormat.backgroundColor', rows: [{ values: [{}] }] },
      });
  }
  return requests;
}

/** Writes the findings into the spreadsheet in one batchUpdate (rebuilt on each attempt); a refusal is answered in Russian, for a finding. */
export async function writeSheetFeedback(
  clients: GoogleClients,
  spreadsheetId: string,
  plan: FeedbackPlan,
): Promise<string | undefined> {
  return rebuildAndUpdate(clients, spreadsheetId, `sheets(${LAYOUT_FIELDS})`, (sheets) =>
    feedbackRequests(plan, sheets),
  );
}

/**
 * Replaces a tab we own (`base`, e.g. the registry's «Сдача таблиц») with these rows of plain text,
 * already inert, the first in bold and frozen, in one batchUpdate; added first when missing. A
 * refusal is answered in Russian, as for the findings.
 */
export async function writeOwnedTab(
  clients: GoogleClients,
  spreadsheetId: string,
  base: string,
  rows: readonly (readonly string[])[],
): Promise<string | undefined> {
  return rebuildAndUpdate(clients, spreadsheetId, 'sheets(properties(sheetId,title))', (sheets) =>
    ownedTabRequests({ base, rows, bold: new Set([0]), links: new Map(), frozenRows: 1 }, sheets, new Map()),
  );
}

/**
 * One batchUpdate whose requests are built from the tab layout. The first attempt starts from the
 * layout the spreadsheet's read found (takeLayout), when there is one: no second read. Any later
 * attempt — or the first, when there is none — looks at the tabs (`fields`) anew, so a retry after
 * a lost answer replaces a tab again instead of failing on it or adding a second one, and tabs
 * changed since the read (Google refuses the stale batch whole) are seen as they are. A refusal (no
 * right to edit, a protected tab, a file removed or not a Google Sheet) is answered as its reason
 * in Russian; other failures are thrown.
 */
async function rebuildAndUpdate(
  clients: GoogleClients,
  spreadsheetId: string,
  fields: string,
  requestsFor: (sheets: sheets_v4.Schema$Sheet[]) => sheets_v4.Schema$Request[],
): Promise<string | undefined> {
  const update = (requests: sheets_v4.Schema$Request[]) =>
    clients.limit['sheets-write'](() =>
      clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }),
    );
  try {
    const known = takeLayout(clients, spreadsheetId);
    if (known) {
      try {
        await update(requestsFor(known));
        return undefined;
      } catch (error) {
        if (writeRefusal(error) !== undefined) throw error;
      }
    }
    await retryGoogle(clients, async () => {
      const meta = await clients.limit['sheets-read'](() => clients.sheets.spreadsheets.get({ spreadsheetId, fields }));
      await update(requestsFor(meta.data.sheets ?? []));
    });
    return undefined;
  } catch (error) {
    const why = writeRefusal(error);
    if (why === undefined) throw error;
    return why;
  }
}

/** Why Google did not let us write the findings, in Russian with what to do; undefined for other failures. */
function writeRefusal(error: unknown): string | undefined {
  const refusal = googleRefusal(error);
  if (refusal.status === 403) {
    return 'у сервисного аккаунта программы нет права на редактирование таблицы. Откройте ему доступ на редактирование (Настройки доступа → адрес аккаунта → «Редактор»).';
  }
  if (refusal.status === 400 && /protected/i.test(refusal.message)) {
    return 'лист или диапазон, куда пишутся замечания, защищён. Снимите защиту или добавьте сервисный аккаунт программы в редакторы защищённого диапазона.';
  }
  if (refusal.status === 404) return 'таблица не найдена: она удалена или ссылка неверна.';
  if (refusal.status === 400 && refusal.statusName === 'FAILED_PRECONDITION') {
    return 'это не Google-таблица, а загруженный на Диск файл: замечания в него записать нельзя.';
  }
  return undefined;
}
