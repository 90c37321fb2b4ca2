import type { sheets_v4 } from '@googleapis/sheets';
import type { BlankColumn, BlankTab } from '../core/blank-workbook.js';
import { textKey } from '../core/text-key.js';
import { InfrastructureError } from '../errors.js';
import { callGoogle, type GoogleClients } from './google-sheets-source.js';
import { GOOGLE_RETRY, wasRefused, withRetry } from './retry.js';

const FORMATS: Partial<Record<BlankColumn['format'], sheets_v4.Schema$NumberFormat>> = {
  date: { type: 'DATE', pattern: 'dd.mm.yyyy' },
  percent: { type: 'PERCENT', pattern: '0%' },
  int: { type: 'NUMBER', pattern: '0' },
  text: { type: 'TEXT' },
};

/** Prepared rows under the header: dropdowns and formats reach this far. */
const PREPARED_ROWS = 1000;

/** Requests that lay out one tab: header with notes, protected header row, dropdowns, formats. */
function tabRequests(tab: BlankTab, sheetId: number): sheets_v4.Schema$Request[] {
  const requests: sheets_v4.Schema$Request[] = [];
  const cell = (text: string, note?: string): sheets_v4.Schema$CellData => ({
    userEnteredValue: { stringValue: text },
    ...(note ? { note } : {}),
  });
  if (tab.layout === 'key-value') {
    requests.push({
      updateCells: {
        start: { sheetId, rowIndex: 0, columnIndex: 0 },
        fields: 'userEnteredValue,note',
        rows: [
          { values: [cell('Параметр'), cell('Значение')] },
          ...tab.columns.map((c) => ({ values: [cell(c.header, c.note)] })),
        ],
      },
    });
    requests.push({
      addProtectedRange: {
        protectedRange: {
          range: { sheetId, startColumnIndex: 0, endColumnIndex: 1 },
          description: 'Названия параметров заданы формой',
          warningOnly: true,
        },
      },
    });
    return requests;
  }
  requests.push({
    updateCells: {
      start: { sheetId, rowIndex: 0, columnIndex: 0 },
      fields: 'userEnteredValue,note,userEnteredFormat.textFormat.bold',
      rows: [
        {
          values: tab.columns.map((c) => ({
            ...cell(c.header, c.note),
            userEnteredFormat: { textFormat: { bold: true } },
          })),
        },
      ],
    },
  });
  requests.push({
    addProtectedRange: {
      protectedRange: {
        range: { sheetId, startRowIndex: 0, endRowIndex: 1 },
        description: 'Заголовки заданы формой мониторинга',
        warningOnly: true,
      },
    },
  });
  tab.columns.forEach((column, index) => {
    const range = {
      sheetId,
      startRowIndex: 1,
      endRowIndex: PREPARED_ROWS + 1,
      startColumnIndex: index,
      endColumnIndex: index + 1,
    };
    if (column.list) {
      requests.push({
        setDataValidation: {
          range,
          rule: {
            condition: { type: 'ONE_OF_LIST', values: column.list.map((userEnteredValue) => ({ userEnteredValue })) },
            strict: true,
            showCustomUi: true,
            inputMessage: column.note,
          },
        },
      });
    }
    const numberFormat = FORMATS[column.format];
    if (numberFormat) {
      requests.push({
        repeatCell: { range, cell: { userEnteredFormat: { numberFormat } }, fields: 'userEnteredFormat.numberFormat' },
      });
    }
  });
  return requests;
}

/** A new Google spreadsheet laid out from the schemas and shared with the people who will fill it; returns its ID. */
export async function createBlankSpreadsheet(
  clients: GoogleClients,
  title: string,
  tabs: readonly BlankTab[],
  shareWith: readonly string[],
): Promise<string> {
  // create is not idempotent: it is retried only when Google answered that it did not create (429, 5xx).
  const created = await withRetry(
    () =>
      clients.limit(() =>
        clients.sheets.spreadsheets.create({
          requestBody: {
            properties: { title, locale: 'ru_RU', timeZone: 'Europe/Moscow' },
            sheets: tabs.map((tab, i) => ({
              properties: {
                sheetId: i + 1,
                title: tab.title,
                index: i,
                gridProperties: {
                  frozenRowCount: 1,
                  rowCount: PREPARED_ROWS + 1,
                  columnCount: Math.max(2, tab.columns.length),
                },
              },
            })),
          },
        }),
      ),
    clients.retry ?? GOOGLE_RETRY,
    undefined,
    undefined,
    wasRefused,
  ).catch((error: unknown) => {
    throw new InfrastructureError('sheets', `Не удалось создать Google-таблицу «${title}».`, { cause: error });
  });
  const id = created.data.spreadsheetId;
  if (!id) throw new InfrastructureError('sheets', `Google не вернул ID новой таблицы «${title}».`);
  const requests = tabs.flatMap((tab, i) => tabRequests(tab, i + 1));
  await callGoogle(clients, () =>
    clients.sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests } }),
  );
  for (const email of shareWith) {
    await callGoogle(clients, () =>
      clients.drive.permissions.create({
        fileId: id,
        sendNotificationEmail: true,
        requestBody: { type: 'user', role: 'writer', emailAddress: email },
      }),
    );
  }
  return id;
}

/** Puts a school's new spreadsheet ID into «Таблица школы» of its row in the registry's «Школы». */
export async function recordSchoolSpreadsheet(
  clients: GoogleClients,
  registryId: string,
  schoolCode: string,
  spreadsheetId: string,
): Promise<void> {
  const values = await callGoogle(clients, () =>
    clients.sheets.spreadsheets.values.get({
      spreadsheetId: registryId,
      range: "'Школы'",
      valueRenderOption: 'FORMATTED_VALUE',
    }),
  );
  const rows = (values.data.values ?? []) as string[][];
  const header = rows[0] ?? [];
  const codeColumn = header.findIndex((h) => textKey(String(h)) === textKey('Код ОО'));
  const tableColumn = header.findIndex((h) => textKey(String(h)) === textKey('Таблица школы'));
  const rowIndex = rows.findIndex((r, i) => i > 0 && String(r[codeColumn] ?? '').trim() === schoolCode);
  if (codeColumn < 0 || tableColumn < 0 || rowIndex < 0) {
    throw new InfrastructureError(
      'sheets',
      `В реестре на листе «Школы» нет строки с кодом ОО «${schoolCode}» или столбца «Таблица школы».`,
    );
  }
  const meta = await callGoogle(clients, () =>
    clients.sheets.spreadsheets.get({ spreadsheetId: registryId, fields: 'sheets.properties(sheetId,title)' }),
  );
  const sheetId =
    meta.data.sheets?.find((s) => textKey(s.properties?.title ?? '') === textKey('Школы'))?.properties?.sheetId ?? 0;
  // Setting one cell to the same value twice is harmless, so this write may be retried.
  await callGoogle(clients, () =>
    clients.sheets.spreadsheets.batchUpdate({
      spreadsheetId: registryId,
      requestBody: {
        requests: [
          {
            updateCells: {
              start: { sheetId, rowIndex, columnIndex: tableColumn },
              fields: 'userEnteredValue',
              rows: [{ values: [{ userEnteredValue: { stringValue: spreadsheetId } }] }],
            },
          },
        ],
      },
    }),
  );
}
