import type { sheets_v4 } from '@googleapis/sheets';
import { FEEDBACK_TAB, type FeedbackPlan } from '../core/sheet-feedback.js';
import { textKey } from '../core/text-key.js';
import { GOOGLE_RETRY, withRetry } from './retry.js';
import type { GoogleClients } from './google-sheets-source.js';

const ERROR_FILL = { red: 1, green: 0.8, blue: 0.8 };
const WARNING_FILL = { red: 1, green: 0.95, blue: 0.7 };

/** 0-based grid position of an A1 address. */
function gridOf(cell: string): { row: number; column: number } | undefined {
  const m = /^([A-Z]+)(\d+)$/.exec(cell);
  if (!m) return undefined;
  let column = 0;
  for (const letter of m[1]!) column = column * 26 + (letter.charCodeAt(0) - 64);
  return { row: Number(m[2]) - 1, column: column - 1 };
}

function cellRange(sheetId: number, cell: string): sheets_v4.Schema$GridRange | undefined {
  const at = gridOf(cell);
  return (
    at && {
      sheetId,
      startRowIndex: at.row,
      endRowIndex: at.row + 1,
      startColumnIndex: at.column,
      endColumnIndex: at.column + 1,
    }
  );
}

/** The requests of one batchUpdate that replaces the findings tab and sets or clears cell marks. */
function feedbackRequests(plan: FeedbackPlan, sheets: sheets_v4.Schema$Sheet[]): sheets_v4.Schema$Request[] {
  const idOf = new Map(sheets.map((s) => [textKey(s.properties?.title ?? ''), s.properties?.sheetId ?? 0]));
  const existing = sheets.find((s) => s.properties?.title === FEEDBACK_TAB)?.properties?.sheetId;
  const feedbackId = existing ?? Math.max(0, ...sheets.map((s) => s.properties?.sheetId ?? 0)) + 1;
  const requests: sheets_v4.Schema$Request[] = [];
  if (existing !== undefined) requests.push({ deleteSheet: { sheetId: existing } });
  requests.push({
    addSheet: {
      properties: {
        sheetId: feedbackId,
        title: FEEDBACK_TAB,
        index: 0,
        gridProperties: { rowCount: Math.max(100, plan.rows.length + 10), columnCount: 6, frozenRowCount: 1 },
      },
    },
  });
  requests.push({
    updateCells: {
      start: { sheetId: feedbackId, rowIndex: 0, columnIndex: 0 },
      fields: 'userEnteredValue,textFormatRuns,userEnteredFormat.textFormat.bold',
      rows: plan.rows.map((row, r) => ({
        values: row.map((text, c) => {
          const link = r > 0 && c === 1 ? plan.links[r - 1] : undefined;
          const target = link && idOf.get(textKey(link.tab));
          return {
            // RAW: a string value stays a string; inert() already defused formula starters.
            userEnteredValue: { stringValue: text },
            ...(r === 0 ? { userEnteredFormat: { textFormat: { bold: true } } } : {}),
            ...(link && target !== undefined && text
              ? { textFormatRuns: [{ startIndex: 0, format: { link: { uri: `#gid=${target}&range=${link.cell}` } } }] }
              : {}),
          };
        }),
      })),
    },
  });
  for (const mark of plan.marks) {
    const sheetId = idOf.get(textKey(mark.tab));
    const range = sheetId === undefined ? undefined : cellRange(sheetId, mark.cell);
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
    const sheetId = idOf.get(textKey(stale.tab));
    const range = sheetId === undefined ? undefined : cellRange(sheetId, stale.cell);
    // An empty cell under the field mask clears exactly our note and fill.
    if (range)
      requests.push({
        updateCells: { range, fields: 'note,userEnteredFormat.backgroundColor', rows: [{ values: [{}] }] },
      });
  }
  return requests;
}

/**
 * Writes the findings into the spreadsheet in one batchUpdate. Each attempt re-reads the tab list
 * and rebuilds the requests, so a retry after a lost answer replaces the tab again instead of
 * failing on it or adding a second one.
 */
export async function writeSheetFeedback(
  clients: GoogleClients,
  spreadsheetId: string,
  plan: FeedbackPlan,
): Promise<void> {
  await withRetry(async () => {
    const meta = await clients.limit(() =>
      clients.sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(sheetId,title)' }),
    );
    const requests = feedbackRequests(plan, meta.data.sheets ?? []);
    await clients.limit(() => clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }));
  }, clients.retry ?? GOOGLE_RETRY);
}
