import type { sheets_v4 } from '@googleapis/sheets';
import type { BlankColumn, BlankTab } from '../../core/blank-workbook.js';
import { textKey } from '../../core/text-key.js';
import { InfrastructureError } from '../../errors.js';
import { googleRefusal, isQuotaRefusal } from './refusal.js';
import { callGoogle, type GoogleClients } from './sheets-source.js';
import { GOOGLE_RETRY, wasRefused, withRetry } from '../shared/retry.js';

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

const SPREADSHEET_MIME = 'application/vnd.google-apps.spreadsheet';

/**
 * A new Google spreadsheet laid out from the schemas and shared with the people who will fill it;
 * returns its ID. It is made through Drive, in `folder` when one is given: a service account has
 * no Drive storage of its own, so for it the folder must be in a shared drive of the region (or
 * the file could not be created); a person's account may leave it out (My Drive).
 */
export async function createBlankSpreadsheet(
  clients: GoogleClients,
  title: string,
  tabs: readonly BlankTab[],
  shareWith: readonly string[],
  folder?: string,
): Promise<string> {
  // create is not idempotent: it is retried only when Google answered that it did not create (429, 5xx, quota).
  const created = await withRetry(
    () =>
      clients.limit.drive(() =>
        clients.drive.files.create({
          supportsAllDrives: true,
          fields: 'id',
          requestBody: { name: title, mimeType: SPREADSHEET_MIME, ...(folder ? { parents: [folder] } : {}) },
        }),
      ),
    clients.retry ?? GOOGLE_RETRY,
    undefined,
    undefined,
    (error) => wasRefused(error) || isQuotaRefusal(error),
  ).catch((error: unknown) => {
    throw createRefusal(title, folder, error);
  });
  const id = created.data.id;
  if (!id) throw new InfrastructureError('sheets', `Google не вернул ID новой таблицы «${title}».`);
  // A new spreadsheet has one empty tab; ours replace it, all in one batch (all or nothing).
  const meta = await callGoogle(clients, 'sheets-read', () =>
    clients.sheets.spreadsheets.get({ spreadsheetId: id, fields: 'sheets.properties.sheetId' }),
  );
  const existing = (meta.data.sheets ?? []).map((s) => s.properties?.sheetId ?? 0);
  const firstId = Math.max(0, ...existing) + 1;
  const requests: sheets_v4.Schema$Request[] = [
    {
      updateSpreadsheetProperties: {
        properties: { locale: 'ru_RU', timeZone: 'Europe/Moscow' },
        fields: 'locale,timeZone',
      },
    },
    ...tabs.map((tab, i): sheets_v4.Schema$Request => ({
      addSheet: {
        properties: {
          sheetId: firstId + i,
          title: tab.title,
          index: i,
          gridProperties: {
            frozenRowCount: 1,
            rowCount: PREPARED_ROWS + 1,
            columnCount: Math.max(2, tab.columns.length),
          },
        },
      },
    })),
    ...existing.map((sheetId): sheets_v4.Schema$Request => ({ deleteSheet: { sheetId } })),
    ...tabs.flatMap((tab, i) => tabRequests(tab, firstId + i)),
  ];
  await callGoogle(clients, 'sheets-write', () =>
    clients.sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests } }),
  );
  for (const email of shareWith) {
    await callGoogle(clients, 'drive', () =>
      clients.drive.permissions.create({
        fileId: id,
        supportsAllDrives: true,
        sendNotificationEmail: true,
        requestBody: { type: 'user', role: 'writer', emailAddress: email },
      }),
    ).catch((error: unknown) => {
      throw new InfrastructureError(
        'drive',
        `Таблица «${title}» создана (https://docs.google.com/spreadsheets/d/${id}/edit), но доступ для ${email} не открыт: ${googleRefusal(error).message || 'Google отказал'}. Откройте его в настройках доступа таблицы.`,
        { cause: error },
      );
    });
  }
  return id;
}

/** Why Google did not create the spreadsheet, in Russian, with what to set up; one message per reason. */
function createRefusal(title: string, folder: string | undefined, error: unknown): InfrastructureError {
  const refusal = googleRefusal(error);
  const reasons = new Set(refusal.reasons);
  const into = folder ? `папку «${folder}»` : 'папку общего диска региона';
  const inside = folder ? `папке «${folder}»` : 'папке общего диска региона';
  let why: string;
  if (reasons.has('storageQuotaExceeded') || reasons.has('quotaExceeded')) {
    why = folder
      ? `папка «${folder}» — не на общем диске, а новый файл в ней принадлежал бы самому аккаунту, у которого нет места на Google Диске (у сервисного аккаунта его нет совсем). Для сервисного аккаунта папка должна быть на общем диске региона: укажите такую в MONITOR500_GOOGLE_FOLDER.`
      : 'у сервисного аккаунта нет своего места на Google Диске, и создавать таблицы он может только на общем диске. Создайте общий диск региона (или папку на нём), добавьте сервисный аккаунт участником с ролью «Менеджер контента» и укажите ID папки в MONITOR500_GOOGLE_FOLDER.';
  } else if (folder && (refusal.status === 404 || reasons.has('notFound'))) {
    why = `папка «${folder}» не найдена или не открыта этому аккаунту: проверьте MONITOR500_GOOGLE_FOLDER и добавьте аккаунт участником общего диска.`;
  } else if (reasons.has('insufficientFilePermissions') || reasons.has('insufficientPermissions')) {
    why = `у аккаунта нет права добавлять файлы в ${into}: дайте ему роль «Менеджер контента» на общем диске (или «Редактор» папки).`;
  } else if (reasons.has('teamDriveFileLimitExceeded') || reasons.has('numChildrenInNonRootLimitExceeded')) {
    why = `в ${inside} больше файлов, чем разрешает Google: укажите другую папку.`;
  } else if (reasons.has('domainPolicy') || reasons.has('appNotAuthorizedToFile')) {
    why =
      'правила домена Google Workspace запрещают этому аккаунту создавать файлы здесь: обратитесь к администратору домена.';
  } else if (refusal.status === 401) {
    why = 'учётные данные не приняты: проверьте ключ сервисного аккаунта (GOOGLE_APPLICATION_CREDENTIALS).';
  } else {
    why = `Google ответил ${refusal.status ?? 'ошибкой соединения'}${refusal.message ? ` («${refusal.message}»)` : ''}.`;
  }
  return new InfrastructureError('sheets', `Не удалось создать Google-таблицу «${title}»: ${why}`, { cause: error });
}

/** Puts a school's new spreadsheet ID into «Таблица школы» of its row in the registry's «Школы». */
export async function recordSchoolSpreadsheet(
  clients: GoogleClients,
  registryId: string,
  schoolCode: string,
  spreadsheetId: string,
): Promise<void> {
  const values = await callGoogle(clients, 'sheets-read', () =>
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
  const meta = await callGoogle(clients, 'sheets-read', () =>
    clients.sheets.spreadsheets.get({ spreadsheetId: registryId, fields: 'sheets.properties(sheetId,title)' }),
  );
  const sheetId =
    meta.data.sheets?.find((s) => textKey(s.properties?.title ?? '') === textKey('Школы'))?.properties?.sheetId ?? 0;
  // Setting one cell to the same value twice is harmless, so this write may be retried.
  await callGoogle(clients, 'sheets-write', () =>
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
