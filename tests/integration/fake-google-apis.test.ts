/**
 * The fake Google APIs (tests/support/fake-google-apis.ts) driven by the real client libraries over HTTP:
 * what our Google adapters will see, including how the libraries themselves react to 401/429/5xx/drops.
 */
import path from 'node:path';
import { drive } from '@googleapis/drive';
import { sheets } from '@googleapis/sheets';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import {
  dateToSerial,
  fakeSpreadsheetFromWorkbook,
  SPREADSHEET_MIME,
  startFakeGoogleApis,
  XLSX_MIME,
  type FakeGoogleApis,
  type FakeSpreadsheet,
} from '../support/fake-google/index.js';
import { root } from '../support/run-cli.js';

let server: FakeGoogleApis;

beforeEach(async () => {
  server = await startFakeGoogleApis();
});

afterEach(async () => {
  await server.close();
});

/** Real clients pointed at the fake; `retry`/`timeout` as gaxios options, omitted = library defaults. */
function clients(options: { retry?: boolean; timeout?: number; auth?: boolean } = {}) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'test-token' });
  const common = {
    rootUrl: server.url,
    ...(options.auth === false ? {} : { auth }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  };
  return { sheets: sheets({ version: 'v4', ...common }), drive: drive({ version: 'v3', ...common }) };
}

interface CaughtError {
  message: string;
  status?: number;
  code?: unknown;
}

async function failure(call: Promise<unknown>): Promise<CaughtError> {
  try {
    await call;
  } catch (error) {
    return error as CaughtError;
  }
  throw new Error('the call was expected to fail');
}

const count = (op: string) => server.requests.filter((r) => r.op === op).length;

const ID = '1SampleSpreadsheetId_0001';
const MAY_15_2027 = dateToSerial(new Date('2027-05-15T00:00:00Z'));

const sample = (): FakeSpreadsheet => ({
  id: ID,
  title: 'Школа 56-001',
  modifiedTime: '2026-11-01T09:00:00.000Z',
  sheets: [
    {
      sheetId: 0,
      title: 'Показатели',
      rows: [
        [{ value: 'Дата' }, { value: 'Доля' }, { value: 'Среднее' }, { value: 'Готово' }, { value: null }],
        [
          { value: MAY_15_2027, format: 'date' },
          { value: 0.455, format: 'percent' },
          { value: 12.5 },
          { value: true },
          { value: null },
        ],
        [
          { value: 'текст' },
          { value: 0.45, format: 'percent' },
          { value: 1234567.25, format: 'number' },
          { value: null },
          { value: null, note: 'только заметка' },
        ],
        [],
        [{ value: null }],
      ],
    },
    {
      sheetId: 7,
      title: 'Дорожная карта',
      rows: [[{ value: '№' }, { value: null }, { value: 'Мероприятие' }], [{ value: '1.1' }]],
    },
  ],
});

describe('reading (spreadsheets.get, values.batchGet)', () => {
  beforeEach(() => server.put(sample()));

  it('answers metadata without cell data, as a ru_RU spreadsheet', async () => {
    const { sheets } = clients();
    // A `fields` mask keeps exactly the fields it names, as Google does.
    const masked = await sheets.spreadsheets.get({
      spreadsheetId: ID,
      fields: 'properties.title,sheets.properties(sheetId,title)',
    });
    expect(masked.data).toEqual({
      properties: { title: 'Школа 56-001' },
      sheets: [
        { properties: { sheetId: 0, title: 'Показатели' } },
        { properties: { sheetId: 7, title: 'Дорожная карта' } },
      ],
    });
    const meta = await sheets.spreadsheets.get({ spreadsheetId: ID });
    expect(meta.data.spreadsheetId).toBe(ID);
    expect(meta.data.properties).toMatchObject({ title: 'Школа 56-001', locale: 'ru_RU', timeZone: 'Europe/Moscow' });
    expect(meta.data.sheets?.map((s) => s.properties)).toEqual([
      {
        sheetId: 0,
        title: 'Показатели',
        index: 0,
        sheetType: 'GRID',
        gridProperties: { rowCount: 1000, columnCount: 26 },
      },
      {
        sheetId: 7,
        title: 'Дорожная карта',
        index: 1,
        sheetType: 'GRID',
        gridProperties: { rowCount: 1000, columnCount: 26 },
      },
    ]);
    expect(meta.data.sheets?.some((s) => 'data' in s)).toBe(false);
    expect(server.requests.slice(0, 1)).toMatchObject([
      {
        method: 'GET',
        path: `/v4/spreadsheets/${ID}`,
        api: 'sheets',
        op: 'spreadsheets.get',
        spreadsheetId: ID,
        status: 200,
      },
    ]);
  });

  it('gives grid data only with includeGridData, limited to the ranges asked', async () => {
    const { sheets } = clients();
    const grid = await sheets.spreadsheets.get({
      spreadsheetId: ID,
      includeGridData: true,
      ranges: ["'Показатели'!A1:E3"],
    });
    expect(grid.data.sheets).toHaveLength(1);
    const rows = grid.data.sheets?.[0]?.data?.[0]?.rowData ?? [];
    expect(rows).toHaveLength(3);
    expect(rows[1]?.values?.[0]).toMatchObject({
      formattedValue: '15.05.2027',
      effectiveValue: { numberValue: MAY_15_2027 },
      effectiveFormat: { numberFormat: { type: 'DATE' } },
    });
    expect(rows[1]?.values?.[1]).toMatchObject({
      formattedValue: '45,5%',
      effectiveValue: { numberValue: 0.455 },
      effectiveFormat: { numberFormat: { type: 'PERCENT' } },
    });
    expect(rows[2]?.values?.[4]).toMatchObject({ note: 'только заметка' });
    expect(rows[2]?.values?.[3]).toEqual({});
  });

  it('renders FORMATTED_VALUE as the sheet shows it and drops trailing empty cells and rows', async () => {
    const { sheets } = clients();
    const res = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: ID,
      ranges: ["'Показатели'", "'Дорожная карта'!A1:ZZ"],
      valueRenderOption: 'FORMATTED_VALUE',
      majorDimension: 'ROWS',
    });
    expect(res.data).toEqual({
      spreadsheetId: ID,
      valueRanges: [
        {
          range: "'Показатели'!A1:Z1000",
          majorDimension: 'ROWS',
          values: [
            ['Дата', 'Доля', 'Среднее', 'Готово'],
            ['15.05.2027', '45,5%', '12,5', 'TRUE'],
            ['текст', '45%', '1234567,25'],
          ],
        },
        {
          range: "'Дорожная карта'!A1:Z1000",
          majorDimension: 'ROWS',
          values: [['№', '', 'Мероприятие'], ['1.1']],
        },
      ],
    });
    const only = server.requests.at(-1);
    expect(only?.op).toBe('values.batchGet');
    expect(only?.query.ranges).toEqual(["'Показатели'", "'Дорожная карта'!A1:ZZ"]);
  });

  it('renders UNFORMATTED_VALUE as numbers, fractions, booleans and date serials (or strings on request)', async () => {
    const { sheets } = clients();
    const serial = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: ID,
      ranges: ["'Показатели'!A2:D3"],
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    expect(serial.data.valueRanges?.[0]).toEqual({
      range: "'Показатели'!A2:D3",
      majorDimension: 'ROWS',
      values: [
        [MAY_15_2027, 0.455, 12.5, true],
        ['текст', 0.45, 1234567.25],
      ],
    });
    expect(MAY_15_2027).toBe(46522);
    const dated = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: ID,
      ranges: ["'Показатели'!A2:D2"],
      valueRenderOption: 'UNFORMATTED_VALUE',
      dateTimeRenderOption: 'FORMATTED_STRING',
    });
    expect(dated.data.valueRanges?.[0]?.values).toEqual([['15.05.2027', 0.455, 12.5, true]]);
  });

  it('understands the usual A1 forms: bare or quoted titles, open ranges, no title (first tab)', async () => {
    const { sheets } = clients();
    const res = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: ID,
      ranges: ['Показатели!A1:B1', 'Дорожная карта', "'Дорожная карта'!C:C", 'A2:B', "'Показатели'!B2"],
    });
    expect(res.data.valueRanges?.map((v) => [v.range, v.values])).toEqual([
      ["'Показатели'!A1:B1", [['Дата', 'Доля']]],
      ["'Дорожная карта'!A1:Z1000", [['№', '', 'Мероприятие'], ['1.1']]],
      ["'Дорожная карта'!C1:C1000", [['Мероприятие']]],
      [
        "'Показатели'!A2:B1000",
        [
          ['15.05.2027', '45,5%'],
          ['текст', '45%'],
        ],
      ],
      ["'Показатели'!B2", [['45,5%']]],
    ]);
    const beyond = await failure(
      sheets.spreadsheets.values.batchGet({ spreadsheetId: ID, ranges: ["'Показатели'!AA1"] }),
    );
    expect(beyond.message).toBe("Range ('Показатели'!AA1) exceeds grid limits. Max rows: 1000, max columns: 26");
  });

  it('answers an empty range without `values`, and COLUMNS transposed', async () => {
    const { sheets } = clients();
    const res = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: ID,
      ranges: ["'Показатели'!F1:G5", "'Дорожная карта'!A1:C2"],
      majorDimension: 'COLUMNS',
    });
    expect(res.data.valueRanges).toEqual([
      { range: "'Показатели'!F1:G5", majorDimension: 'COLUMNS' },
      { range: "'Дорожная карта'!A1:C2", majorDimension: 'COLUMNS', values: [['№', '1.1'], [], ['Мероприятие']] },
    ]);
  });

  it('answers 400 «Unable to parse range» for an unknown tab, and 404 for an unknown spreadsheet', async () => {
    const { sheets } = clients();
    const unknownTab = await failure(
      sheets.spreadsheets.values.batchGet({ spreadsheetId: ID, ranges: ["'Нет такого листа'!A1:B2"] }),
    );
    expect(unknownTab.status).toBe(400);
    expect(unknownTab.message).toBe("Unable to parse range: 'Нет такого листа'!A1:B2");
    const unknownFile = await failure(sheets.spreadsheets.get({ spreadsheetId: 'no-such-spreadsheet-id' }));
    expect(unknownFile.status).toBe(404);
    expect(unknownFile.code).toBe(404);
  });
});

describe('a demo workbook as a Google spreadsheet', () => {
  it('reads back every tab of 56-001.xlsx as the sheet would show it', async () => {
    const workbook = await readXlsxWorkbook(path.join(root, 'examples/demo-region/schools/56-001.xlsx'), 20);
    const fake = fakeSpreadsheetFromWorkbook('1Demo56001SpreadsheetId', workbook, '2026-11-01T00:00:00Z');
    server.put(fake);
    const { sheets } = clients();

    const meta = await sheets.spreadsheets.get({ spreadsheetId: fake.id });
    expect(meta.data.properties?.title).toBe('56-001');
    const titles = (meta.data.sheets ?? []).map((s) => s.properties?.title ?? '');
    expect(titles).toEqual(workbook.tabs.map((t) => t.name));

    const res = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: fake.id,
      ranges: titles.map((t) => `'${t.replace(/'/g, "''")}'`),
      valueRenderOption: 'FORMATTED_VALUE',
    });
    const shown = (value: RawWorkbook['tabs'][number]['rows'][number][number]['value']): string => {
      if (value === null) return '';
      if (value instanceof Date) {
        const [y, m, d] = value.toISOString().slice(0, 10).split('-');
        return `${d}.${m}.${y}`;
      }
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
      return typeof value === 'number' ? String(value).replace('.', ',') : value;
    };
    const expected = workbook.tabs.map((tab) => {
      const rows = tab.rows.map((row) => row.map((cell) => shown(cell.value)));
      for (const row of rows) while (row.at(-1) === '') row.pop();
      while (rows.length > 0 && rows.at(-1)?.length === 0) rows.pop();
      return rows;
    });
    expect(res.data.valueRanges?.map((v) => v.values ?? [])).toEqual(expected);
    // A date cell: «Документы», first document, column «Дата».
    expect(res.data.valueRanges?.[2]?.values?.[1]?.[3]).toBe('20.05.2025');
    expect(fake.sheets[2]?.rows[1]?.[3]).toEqual({ value: 45797, format: 'date' });
  });

  it('converts Date and percentFormat cells', () => {
    const fake = fakeSpreadsheetFromWorkbook('1Converted0000000', {
      name: 'школа.xlsx',
      tabs: [
        {
          name: 'Лист',
          rows: [
            [
              { value: new Date('2026-10-30T00:00:00Z') },
              { value: 0.455, percentFormat: true },
              { value: 3.5 },
              { value: 'да' },
              { value: null },
            ],
          ],
        },
      ],
    });
    expect(fake.title).toBe('школа');
    expect(fake.sheets[0]?.rows[0]).toEqual([
      { value: 46325, format: 'date' },
      { value: 0.455, format: 'percent' },
      { value: 3.5 },
      { value: 'да' },
      { value: null },
    ]);
  });
});

describe('writing (batchUpdate, create, permissions)', () => {
  beforeEach(() => server.put(sample()));

  it('adds a tab, writes notes and text starting with «=» as text, then deletes the tab', async () => {
    const { sheets } = clients();
    const added = await sheets.spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: {
        requests: [
          { addSheet: { properties: { title: 'Замечания', gridProperties: { rowCount: 50, columnCount: 5 } } } },
        ],
      },
    });
    const props = added.data.replies?.[0]?.addSheet?.properties;
    expect(props).toMatchObject({ title: 'Замечания', index: 2, gridProperties: { rowCount: 50, columnCount: 5 } });
    const sheetId = props?.sheetId ?? -1;
    expect(sheetId).toBeGreaterThan(0);

    const written = await sheets.spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: {
        requests: [
          {
            updateCells: {
              start: { sheetId, rowIndex: 0, columnIndex: 0 },
              rows: [
                {
                  values: [
                    {
                      userEnteredValue: { stringValue: '=HYPERLINK("http://evil","x")' },
                      note: 'Проверьте дату',
                      userEnteredFormat: { backgroundColor: { red: 1, green: 0.8, blue: 0.8 } },
                    },
                    { userEnteredValue: { formulaValue: '=1+1' } },
                  ],
                },
              ],
              fields: 'userEnteredValue,note,userEnteredFormat.backgroundColor',
            },
          },
          {
            updateCells: {
              range: { sheetId: 0, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 2, endColumnIndex: 3 },
              rows: [{ values: [{ note: 'Среднее вне диапазона' }] }],
              fields: 'note',
            },
          },
        ],
      },
    });
    expect(written.data.replies).toEqual([{}, {}]);

    const stored = server.spreadsheets.get(ID);
    const tab = stored?.sheets.find((s) => s.sheetId === sheetId);
    expect(tab?.rows[0]?.[0]).toEqual({
      value: '=HYPERLINK("http://evil","x")',
      note: 'Проверьте дату',
      background: { red: 1, green: 0.8, blue: 0.8 },
    });
    expect(tab?.rows[0]?.[1]).toEqual({ value: '=1+1', formula: true });
    // fields: 'note' leaves the value alone.
    expect(stored?.sheets[0]?.rows[1]?.[2]).toEqual({ value: 12.5, note: 'Среднее вне диапазона' });

    const back = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: ID,
      ranges: ["'Замечания'"],
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    expect(back.data.valueRanges?.[0]).toEqual({
      range: "'Замечания'!A1:E50",
      majorDimension: 'ROWS',
      values: [['=HYPERLINK("http://evil","x")', '=1+1']],
    });
    const grid = await sheets.spreadsheets.get({
      spreadsheetId: ID,
      includeGridData: true,
      ranges: ["'Замечания'!A1:B1"],
    });
    expect(grid.data.sheets?.[0]?.data?.[0]?.rowData?.[0]?.values?.map((v) => v.userEnteredValue)).toEqual([
      { stringValue: '=HYPERLINK("http://evil","x")' },
      { formulaValue: '=1+1' },
    ]);

    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: { requests: [{ deleteSheet: { sheetId } }] },
    });
    const meta = await sheets.spreadsheets.get({ spreadsheetId: ID });
    expect(meta.data.sheets?.map((s) => s.properties?.title)).toEqual(['Показатели', 'Дорожная карта']);
  });

  it('is atomic: a duplicate title or an unknown request fails the whole batch with 400', async () => {
    const { sheets } = clients();
    const before = server.spreadsheets.get(ID)?.modifiedTime;
    const duplicate = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: [
            { addSheet: { properties: { title: 'Новый' } } },
            { addSheet: { properties: { title: 'Показатели' } } },
          ],
        },
      }),
    );
    expect(duplicate.status).toBe(400);
    expect(duplicate.message).toContain('A sheet with the name "Показатели" already exists');
    expect(server.spreadsheets.get(ID)?.sheets.map((s) => s.title)).toEqual(['Показатели', 'Дорожная карта']);
    expect(server.spreadsheets.get(ID)?.modifiedTime).toBe(before);

    const unknown = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: { requests: [{ mergeCells: { range: { sheetId: 0 }, mergeType: 'MERGE_ALL' } }] },
      }),
    );
    expect(unknown.status).toBe(400);

    const outside = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: [
            {
              updateCells: {
                start: { sheetId: 7, rowIndex: 0, columnIndex: 26 },
                rows: [{ values: [{ userEnteredValue: { stringValue: 'AA1' } }] }],
                fields: 'userEnteredValue',
              },
            },
          ],
        },
      }),
    );
    expect(outside.status).toBe(400);
    expect(outside.message).toContain('exceeds grid limits');
  });

  it('formats, validates and protects a header', async () => {
    const { sheets } = clients();
    const res = await sheets.spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: {
        requests: [
          {
            repeatCell: {
              range: { sheetId: 7, startRowIndex: 0, endRowIndex: 1 },
              cell: {
                userEnteredFormat: { textFormat: { bold: true }, backgroundColor: { red: 0.9, green: 0.9, blue: 0.9 } },
              },
              fields: 'userEnteredFormat(textFormat,backgroundColor)',
            },
          },
          {
            updateSheetProperties: {
              properties: { sheetId: 7, gridProperties: { frozenRowCount: 1 } },
              fields: 'gridProperties.frozenRowCount',
            },
          },
          {
            setDataValidation: {
              range: { sheetId: 7, startRowIndex: 1, endRowIndex: 100, startColumnIndex: 7, endColumnIndex: 8 },
              rule: { condition: { type: 'ONE_OF_LIST', values: [{ userEnteredValue: 'выполнено' }] }, strict: true },
            },
          },
          {
            addProtectedRange: {
              protectedRange: { range: { sheetId: 7, startRowIndex: 0, endRowIndex: 1 }, warningOnly: true },
            },
          },
          { autoResizeDimensions: { dimensions: { sheetId: 7, dimension: 'COLUMNS', startIndex: 0, endIndex: 3 } } },
          {
            updateDimensionProperties: {
              range: { sheetId: 7, dimension: 'COLUMNS', startIndex: 2, endIndex: 3 },
              properties: { pixelSize: 300 },
              fields: 'pixelSize',
            },
          },
        ],
      },
    });
    expect(res.data.replies).toHaveLength(6);
    expect(res.data.replies?.[3]?.addProtectedRange?.protectedRange?.protectedRangeId).toBeTypeOf('number');
    const tab = server.spreadsheets.get(ID)?.sheets[1];
    expect(tab?.rows[0]?.[0]).toEqual({ value: '№', bold: true, background: { red: 0.9, green: 0.9, blue: 0.9 } });
    expect(tab?.rows[0]?.[25]).toEqual({ value: null, bold: true, background: { red: 0.9, green: 0.9, blue: 0.9 } });
    expect(tab?.protectedHeader).toBe(true);
    expect(tab?.validations).toHaveLength(1);
    const meta = await sheets.spreadsheets.get({ spreadsheetId: ID });
    expect(meta.data.sheets?.[1]?.properties?.gridProperties?.frozenRowCount).toBe(1);
    expect(meta.data.sheets?.[1]?.protectedRanges).toHaveLength(1);
  });

  it('creates a spreadsheet and shares it', async () => {
    const { sheets, drive } = clients();
    const created = await sheets.spreadsheets.create({
      requestBody: { properties: { title: 'Сводка по региону' }, sheets: [{ properties: { title: 'Итоги' } }] },
    });
    const id = created.data.spreadsheetId ?? '';
    expect(id).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    expect(created.data.properties?.title).toBe('Сводка по региону');
    expect(created.data.sheets?.map((s) => s.properties?.title)).toEqual(['Итоги']);
    expect(server.spreadsheets.get(id)?.title).toBe('Сводка по региону');

    const shared = await drive.permissions.create({
      fileId: id,
      sendNotificationEmail: false,
      requestBody: { type: 'user', role: 'writer', emailAddress: 'kurator@example.ru' },
    });
    expect(shared.data).toMatchObject({ type: 'user', role: 'writer', emailAddress: 'kurator@example.ru' });
    expect(shared.data.id).toBeTypeOf('string');
    expect(server.permissions.get(id)).toEqual([
      { id: shared.data.id, type: 'user', role: 'writer', emailAddress: 'kurator@example.ru' },
    ]);
    const recorded = server.requests.find((r) => r.op === 'permissions.create');
    expect(recorded).toMatchObject({
      method: 'POST',
      path: `/drive/v3/files/${id}/permissions`,
      api: 'drive',
      spreadsheetId: id,
      body: { type: 'user', role: 'writer', emailAddress: 'kurator@example.ru' },
      query: { sendNotificationEmail: ['false'] },
    });
    expect(server.requests.map((r) => r.op)).toEqual(['create', 'permissions.create']);

    const missingEmail = await failure(
      drive.permissions.create({ fileId: id, requestBody: { type: 'user', role: 'reader' } }),
    );
    expect(missingEmail.status).toBe(400);
  });
});

describe('Drive metadata (files.get, files.list)', () => {
  beforeEach(() => server.put(sample()));

  it('moves modifiedTime forward on touch and on batchUpdate', async () => {
    const { drive, sheets } = clients();
    const fields = 'id,name,mimeType,modifiedTime,version';
    const first = await drive.files.get({ fileId: ID, fields });
    expect(first.data).toEqual({
      id: ID,
      name: 'Школа 56-001',
      mimeType: 'application/vnd.google-apps.spreadsheet',
      modifiedTime: '2026-11-01T09:00:00.000Z',
      version: '1',
    });

    server.touch(ID);
    const touched = await drive.files.get({ fileId: ID, fields });
    expect(Date.parse(touched.data.modifiedTime ?? '')).toBeGreaterThan(Date.parse(first.data.modifiedTime ?? ''));
    expect(touched.data.version).toBe('2');

    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: { requests: [{ addSheet: { properties: { title: 'Ещё' } } }] },
    });
    const updated = await drive.files.get({ fileId: ID, fields });
    expect(Date.parse(updated.data.modifiedTime ?? '')).toBeGreaterThan(Date.parse(touched.data.modifiedTime ?? ''));
    expect(updated.data.version).toBe('3');
  });

  it('answers only kind, id, name and mimeType without `fields`, and 404 for an unknown file', async () => {
    const { drive } = clients();
    const plain = await drive.files.get({ fileId: ID });
    expect(plain.data).toEqual({
      kind: 'drive#file',
      id: ID,
      name: 'Школа 56-001',
      mimeType: 'application/vnd.google-apps.spreadsheet',
    });
    const missing = await failure(drive.files.get({ fileId: 'no-such-file', fields: 'id' }));
    expect(missing.status).toBe(404);
    expect(missing.message).toBe('File not found: no-such-file.');
  });

  it('lists spreadsheets modified after a moment', async () => {
    const { drive } = clients();
    server.put({
      ...sample(),
      id: '1OtherSpreadsheet000',
      title: 'Школа 56-002',
      modifiedTime: '2026-10-01T00:00:00Z',
    });
    const all = await drive.files.list({
      q: "mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false",
      fields: 'nextPageToken,files(id,modifiedTime)',
    });
    expect(all.data.files?.map((f) => f.id).sort()).toEqual(['1OtherSpreadsheet000', ID]);
    expect(all.data.nextPageToken).toBeUndefined();

    const recent = await drive.files.list({
      q: "modifiedTime > '2026-10-15T00:00:00' and trashed = false",
      fields: 'files(id,name,modifiedTime)',
    });
    expect(recent.data.files).toEqual([{ id: ID, name: 'Школа 56-001', modifiedTime: '2026-11-01T09:00:00.000Z' }]);

    server.touch('1OtherSpreadsheet000');
    const after = await drive.files.list({ q: "modifiedTime > '2026-11-01T09:00:00Z'", fields: 'files(id)' });
    expect(after.data.files).toEqual([{ id: '1OtherSpreadsheet000' }]);

    const paged = await drive.files.list({ pageSize: 1, fields: 'nextPageToken,files(id)' });
    expect(paged.data.files).toHaveLength(1);
    const rest = await drive.files.list({
      pageSize: 1,
      pageToken: paged.data.nextPageToken ?? '',
      fields: 'nextPageToken,files(id)',
    });
    expect(rest.data.files).toHaveLength(1);
    expect(rest.data.nextPageToken).toBeUndefined();

    const bad = await failure(drive.files.list({ q: "fullText has 'x'" }));
    expect(bad.status).toBe(400);
  });
});

describe('auth and faults, with the libraries’ own retry behaviour', () => {
  beforeEach(() => server.put(sample()));

  it('answers 401 without a bearer token (not retried)', async () => {
    const { sheets } = clients({ auth: false });
    const error = await failure(sheets.spreadsheets.get({ spreadsheetId: ID }));
    expect(error.status).toBe(401);
    expect(error.code).toBe(401);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.status).toBe(401);
  });

  it('by default retries a GET 3 times on 429 (4 requests in all), then surfaces code 429', async () => {
    const { sheets } = clients();
    server.inject('values.batchGet', { kind: 'status', status: 429 }, 4);
    const started = Date.now();
    const error = await failure(sheets.spreadsheets.values.batchGet({ spreadsheetId: ID, ranges: ["'Показатели'"] }));
    expect(error.status).toBe(429);
    expect(error.code).toBe(429);
    expect(error.message).toContain('Quota exceeded');
    expect(count('values.batchGet')).toBe(4);
    expect(server.requests.every((r) => r.fault === 'status' && r.status === 429)).toBe(true);
    // gaxios backoff: 100 ms, then 500 ms, then 1500 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('by default a GET recovers from one 503 by itself', async () => {
    const { drive } = clients();
    server.inject('files.get', { kind: 'status', status: 503 });
    const res = await drive.files.get({ fileId: ID, fields: 'id' });
    expect(res.data.id).toBe(ID);
    expect(server.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('never retries a POST (batchUpdate) by default', async () => {
    const { sheets } = clients();
    server.inject('batchUpdate', { kind: 'status', status: 503 });
    const error = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: { requests: [{ addSheet: { properties: { title: 'Новый' } } }] },
      }),
    );
    expect(error.status).toBe(503);
    expect(count('batchUpdate')).toBe(1);
    expect(server.spreadsheets.get(ID)?.sheets).toHaveLength(2);
  });

  it('with retry: false (as our adapter configures) a 429 fails on the first request', async () => {
    const { sheets } = clients({ retry: false });
    server.inject('values.batchGet', { kind: 'status', status: 429 });
    const error = await failure(sheets.spreadsheets.values.batchGet({ spreadsheetId: ID, ranges: ["'Показатели'"] }));
    expect(error.code).toBe(429);
    expect(count('values.batchGet')).toBe(1);
    const ok = await sheets.spreadsheets.values.batchGet({ spreadsheetId: ID, ranges: ["'Показатели'"] });
    expect(ok.status).toBe(200);
  });

  it('a dropped connection: GET retried by default, not with retry: false', async () => {
    server.inject('spreadsheets.get', { kind: 'drop' });
    const res = await clients().sheets.spreadsheets.get({ spreadsheetId: ID });
    expect(res.status).toBe(200);
    expect(count('spreadsheets.get')).toBe(2);

    server.inject('spreadsheets.get', { kind: 'drop' });
    const error = await failure(clients({ retry: false }).sheets.spreadsheets.get({ spreadsheetId: ID }));
    expect(error.status).toBeUndefined();
    expect(count('spreadsheets.get')).toBe(3);
    expect(server.requests.at(-1)?.fault).toBe('drop');
    expect(server.requests.at(-1)?.status).toBeUndefined();
  });

  it('a slow answer arrives late, or trips the client timeout', async () => {
    server.inject('files.get', { kind: 'slow', ms: 150 });
    const started = Date.now();
    const res = await clients().drive.files.get({ fileId: ID, fields: 'id' });
    expect(res.data.id).toBe(ID);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    server.inject('files.get', { kind: 'slow', ms: 2000 });
    const error = await failure(clients({ retry: false, timeout: 100 }).drive.files.get({ fileId: ID, fields: 'id' }));
    expect(error.status).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// What Google refuses, and what Google does: discovery validation, rights, protection, quota, shared drives.

/** Real clients for a given bearer token, without the library's retries. */
function as(token: string) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token });
  const common = { rootUrl: server.url, auth, retry: false };
  return { sheets: sheets({ version: 'v4', ...common }), drive: drive({ version: 'v3', ...common }) };
}

/** The error body Google answered (the libraries keep it in response.data). */
async function refusal(call: Promise<unknown>): Promise<{ status: number; body: { error: Record<string, unknown> } }> {
  const error = (await failure(call)) as CaughtError & { response?: { status: number; data: unknown } };
  return { status: error.response?.status ?? 0, body: error.response?.data as { error: Record<string, unknown> } };
}

const sheetsError = (code: number, message: string, status: string) => ({ error: { code, message, status } });

describe('requests checked against the discovery documents', () => {
  beforeEach(() => server.put(sample()));

  it('refuses a misspelt fields mask (Sheets, then Drive)', async () => {
    const { sheets, drive } = as('t');
    const s = await refusal(sheets.spreadsheets.get({ spreadsheetId: ID, fields: 'sheets.propertes(sheetId,title)' }));
    expect(s.status).toBe(400);
    expect(s.body).toMatchObject(
      sheetsError(
        400,
        "Error expanding 'fields' parameter. Cannot find matching fields for path 'sheets.propertes.sheetId'.",
        'INVALID_ARGUMENT',
      ),
    );
    const d = await refusal(drive.files.get({ fileId: ID, fields: 'id,modifedTime' }));
    expect(d.status).toBe(400);
    expect(d.body).toEqual({
      error: {
        errors: [
          {
            domain: 'global',
            reason: 'invalidParameter',
            message: 'Invalid field selection modifedTime',
            locationType: 'parameter',
            location: 'fields',
          },
        ],
        code: 400,
        message: 'Invalid field selection modifedTime',
      },
    });
    // Nested selections and '*' are fine.
    await drive.files.list({ fields: 'nextPageToken,files(id,capabilities/canEdit),*' });
  });

  it('refuses a wrong enum or type in a query parameter', async () => {
    const { sheets, drive } = as('t');
    const render = await refusal(
      sheets.spreadsheets.values.batchGet({ spreadsheetId: ID, ranges: ['A1'], valueRenderOption: 'FORMATTED' }),
    );
    expect(render.body).toMatchObject(
      sheetsError(
        400,
        `Invalid value at 'value_render_option' (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), "FORMATTED"`,
        'INVALID_ARGUMENT',
      ),
    );
    const grid = await refusal(
      sheets.spreadsheets.get({ spreadsheetId: ID, includeGridData: 'yes' as unknown as boolean }),
    );
    expect(grid.body.error.message).toBe(`Invalid value at 'include_grid_data' (TYPE_BOOL), "yes"`);
    const corpora = await refusal(drive.files.list({ corpora: 'everything' }));
    expect(corpora.status).toBe(400);
    expect(corpora.body.error.errors).toEqual([
      { domain: 'global', reason: 'invalid', message: 'Invalid Value', locationType: 'parameter', location: 'corpora' },
    ]);
    const page = await refusal(drive.files.list({ pageSize: 5000 }));
    expect(page.body.error.message).toBe("Invalid value '5000'. Values must be within the range: [1, 1000]");
  });

  it('refuses an unknown body field, a wrong enum and a wrong type, naming the proto path', async () => {
    const { sheets } = as('t');
    const unknown = await refusal(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: [
            {
              updateCells: {
                start: { sheetId: 0 },
                fields: 'userEnteredValue',
                rows: [],
                foo: 1,
              } as unknown as object,
            },
          ],
        },
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject(
      sheetsError(
        400,
        `Invalid JSON payload received. Unknown name "foo" at 'requests[0].update_cells': Cannot find field.`,
        'INVALID_ARGUMENT',
      ),
    );
    const dimension = await refusal(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: { requests: [{ appendDimension: { sheetId: 0, dimension: 'ROW', length: 1 } }] },
      }),
    );
    expect(dimension.body.error.message).toBe(
      `Invalid value at 'requests[0].append_dimension.dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), "ROW"`,
    );
    const type = await refusal(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: [
            { updateCells: { start: { sheetId: 0, rowIndex: 'first' as unknown as number }, fields: 'note' } },
          ],
        },
      }),
    );
    expect(type.body.error.message).toBe(
      `Invalid value at 'requests[0].update_cells.start.row_index' (TYPE_INT32), "first"`,
    );
    expect(server.spreadsheets.get(ID)?.modifiedTime).toBe('2026-11-01T09:00:00.000Z');
  });

  it('refuses a cell over 50 000 characters and a body over 10 MiB', async () => {
    const { sheets } = as('t');
    const long = 'я'.repeat(50_001);
    const cell = await refusal(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: [
            {
              updateCells: {
                start: { sheetId: 0, rowIndex: 5, columnIndex: 0 },
                fields: 'userEnteredValue',
                rows: [{ values: [{ userEnteredValue: { stringValue: long } }] }],
              },
            },
          ],
        },
      }),
    );
    expect(cell.body).toMatchObject(
      sheetsError(
        400,
        'Invalid requests[0].updateCells: Your input contains more than the maximum of 50000 characters in a single cell.',
        'INVALID_ARGUMENT',
      ),
    );
    const viaValues = await refusal(
      sheets.spreadsheets.values.update({
        spreadsheetId: ID,
        range: "'Показатели'!A6",
        valueInputOption: 'RAW',
        requestBody: { values: [[long]] },
      }),
    );
    expect(viaValues.body.error.message).toBe(
      'Your input contains more than the maximum of 50000 characters in a single cell.',
    );
    const note = 'x'.repeat(40_000);
    const huge = await refusal(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: Array.from({ length: 300 }, (_, i) => ({
            updateCells: {
              start: { sheetId: 0, rowIndex: i, columnIndex: 10 },
              fields: 'note',
              rows: [{ values: [{ note }] }],
            },
          })),
        },
      }),
    );
    expect(huge.body).toMatchObject(
      sheetsError(400, 'Request payload size exceeds the limit: 10485760 bytes.', 'INVALID_ARGUMENT'),
    );
  });

  it('refuses 20 deliberately invalid requests, all of them', async () => {
    const { sheets, drive } = as('t');
    const cells = (extra: object) =>
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: [{ updateCells: { start: { sheetId: 0, rowIndex: 9 }, fields: 'userEnteredValue', ...extra } }],
        },
      });
    const bad: Promise<unknown>[] = [
      sheets.spreadsheets.get({ spreadsheetId: ID, fields: 'properties.titel' }),
      sheets.spreadsheets.get({ spreadsheetId: ID, fields: 'properties, sheets.properties' }),
      sheets.spreadsheets.values.get({ spreadsheetId: ID, range: 'A1', majorDimension: 'ROW' }),
      sheets.spreadsheets.values.get({ spreadsheetId: ID, range: 'A1', dateTimeRenderOption: 'SERIAL' }),
      sheets.spreadsheets.values.batchGet({ spreadsheetId: ID, ranges: ['A1'], valueRenderOption: 'formatted_value' }),
      sheets.spreadsheets.get({ spreadsheetId: ID, includeGridData: 'да' as unknown as boolean }),
      sheets.spreadsheets.get({ spreadsheetId: ID, foo: 'bar' } as never),
      cells({ rowz: [] }),
      cells({ rows: [{ values: [{ userEnteredValue: { stringValue: 'x'.repeat(50_001) } }] }] }),
      cells({ rows: [{ values: [{ userEnteredValue: { numberValue: 'много' } }] }] }),
      cells({ fields: 'userEnteredValu' }),
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: { requests: [{ addSheet: { properties: { title: 'X', sheetType: 'TABLE' } } }] },
      }),
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: [
            {
              repeatCell: {
                range: { sheetId: 0 },
                cell: { userEnteredFormat: { numberFormat: { type: 'DATUM' } } },
                fields: 'userEnteredFormat.numberFormat',
              },
            },
          ],
        },
      }),
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: Array.from({ length: 30_000 }, (_, i) => ({
            updateCells: {
              start: { sheetId: 0, rowIndex: i % 900, columnIndex: 12 },
              fields: 'note',
              rows: [{ values: [{ note: 'заметка '.repeat(50) }] }],
            },
          })),
        },
      }),
      sheets.spreadsheets.create({ requestBody: { properties: { title: 'T', autoRecalc: 'ALWAYS' } } }),
      sheets.spreadsheets.values.update({ spreadsheetId: ID, range: 'A1', requestBody: { values: [['x']] } }),
      drive.files.get({ fileId: ID, fields: 'id,nmae' }),
      drive.files.list({ corpora: 'allDrive' }),
      drive.files.list({ pageSize: 'сто' as unknown as number }),
      drive.files.get({ fileId: ID, supportsAllDrives: 'yes' as unknown as boolean }),
    ];
    expect(bad).toHaveLength(20);
    const answers = await Promise.all(bad.map((call) => refusal(call)));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 400));
    expect(server.spreadsheets.get(ID)?.modifiedTime).toBe('2026-11-01T09:00:00.000Z');
    expect(server.spreadsheets.size).toBe(1);
  });
});

describe('callers, rights and protected ranges', () => {
  beforeEach(() => {
    server.put(sample());
    server.addCaller('reader-token', { email: 'reader@school.ru', kind: 'user' });
    server.addCaller('writer-token', { email: 'writer@school.ru', kind: 'user' });
    server.addCaller('stranger-token', { email: 'stranger@school.ru', kind: 'user' });
    server.share(ID, 'reader@school.ru', 'reader');
    server.share(ID, 'writer@school.ru', 'writer');
  });

  const note = (sheetId: number, rowIndex: number) => ({
    updateCells: { start: { sheetId, rowIndex, columnIndex: 0 }, fields: 'note', rows: [{ values: [{ note: 'x' }] }] },
  });

  it('lets a reader read but not write; a stranger gets 403 from Sheets and 404 from Drive', async () => {
    const reader = as('reader-token');
    await reader.sheets.spreadsheets.values.get({ spreadsheetId: ID, range: 'A1' });
    const write = await refusal(
      reader.sheets.spreadsheets.batchUpdate({ spreadsheetId: ID, requestBody: { requests: [note(0, 1)] } }),
    );
    expect(write.status).toBe(403);
    expect(write.body).toEqual(sheetsError(403, 'The caller does not have permission', 'PERMISSION_DENIED'));
    const values = await refusal(
      reader.sheets.spreadsheets.values.update({
        spreadsheetId: ID,
        range: 'A1',
        valueInputOption: 'RAW',
        requestBody: { values: [['x']] },
      }),
    );
    expect(values.status).toBe(403);

    const stranger = as('stranger-token');
    const read = await refusal(stranger.sheets.spreadsheets.get({ spreadsheetId: ID }));
    expect(read.body).toEqual(sheetsError(403, 'The caller does not have permission', 'PERMISSION_DENIED'));
    const file = await refusal(stranger.drive.files.get({ fileId: ID }));
    expect(file.status).toBe(404);
    expect(file.body.error).toMatchObject({ code: 404, message: `File not found: ${ID}.` });
    expect(file.body.error.errors).toMatchObject([{ reason: 'notFound', location: 'fileId' }]);
    expect((await stranger.drive.files.list({})).data.files).toEqual([]);
    // An unknown token is still the owner of everything.
    await as('anyone').sheets.spreadsheets.batchUpdate({ spreadsheetId: ID, requestBody: { requests: [note(0, 1)] } });
  });

  it('refuses a writer editing a protected range it is not an editor of; warningOnly does not block', async () => {
    const ss = sample();
    ss.sheets[0]!.protectedRanges = [
      {
        protectedRangeId: 1,
        range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1 },
        editors: { users: ['boss@school.ru'] },
      },
    ];
    ss.sheets[1]!.protectedRanges = [{ protectedRangeId: 2, range: { sheetId: 7 }, warningOnly: true }];
    server.put(ss);
    const writer = as('writer-token');
    const message =
      'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';
    const header = await refusal(
      writer.sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: { requests: [note(0, 1), note(0, 0)] },
      }),
    );
    expect(header.body).toMatchObject(
      sheetsError(400, `Invalid requests[1].updateCells: ${message}`, 'INVALID_ARGUMENT'),
    );
    expect(server.spreadsheets.get(ID)?.sheets[0]?.rows[1]?.[0]?.note).toBeUndefined();
    const values = await refusal(
      writer.sheets.spreadsheets.values.update({
        spreadsheetId: ID,
        range: "'показатели'!A1",
        valueInputOption: 'RAW',
        requestBody: { values: [['x']] },
      }),
    );
    expect(values.body.error.message).toBe(message);
    const drop = await refusal(
      writer.sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: { requests: [{ deleteSheet: { sheetId: 0 } }] },
      }),
    );
    expect(drop.body.error.message).toBe(`Invalid requests[0].deleteSheet: ${message}`);
    // Below the header, and on a warningOnly sheet, the writer may write; the owner may write anywhere.
    await writer.sheets.spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: { requests: [note(0, 1), note(7, 0)] },
    });
    await as('owner').sheets.spreadsheets.batchUpdate({ spreadsheetId: ID, requestBody: { requests: [note(0, 0)] } });
  });

  it('compares sheet titles ignoring case', async () => {
    const { sheets } = as('t');
    const dup = await refusal(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: { requests: [{ addSheet: { properties: { title: 'показатели' } } }] },
      }),
    );
    expect(dup.body.error.message).toBe(
      'Invalid requests[0].addSheet: A sheet with the name "показатели" already exists. Please enter another name.',
    );
    const rename = await refusal(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: ID,
        requestBody: {
          requests: [{ updateSheetProperties: { properties: { sheetId: 7, title: 'ПОКАЗАТЕЛИ' }, fields: 'title' } }],
        },
      }),
    );
    expect(rename.status).toBe(400);
    const read = await sheets.spreadsheets.values.get({ spreadsheetId: ID, range: "'показатели'!A1" });
    expect(read.data).toMatchObject({ range: "'Показатели'!A1", values: [['Дата']] });
  });
});

describe('Drive details: modifiedTime lag, quota, shared drives, Excel files, service accounts', () => {
  beforeEach(() => server.put(sample()));

  it('keeps answering the previous modifiedTime until the lag has passed', async () => {
    const { drive, sheets } = as('t');
    server.setModifiedTimeLag(400);
    server.touch(ID);
    const soon = await drive.files.get({ fileId: ID, fields: 'modifiedTime,version' });
    expect(soon.data).toEqual({ modifiedTime: '2026-11-01T09:00:00.000Z', version: '1' });
    await new Promise((resolve) => setTimeout(resolve, 450));
    const later = await drive.files.get({ fileId: ID, fields: 'modifiedTime,version' });
    expect(later.data.modifiedTime).toBe(server.spreadsheets.get(ID)?.modifiedTime);
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: { requests: [{ addSheet: { properties: { title: 'Ещё' } } }] },
    });
    const listed = await drive.files.list({ fields: 'files(id,modifiedTime)' });
    expect(listed.data.files).toEqual([{ id: ID, modifiedTime: later.data.modifiedTime }]);
  });

  it('counts one quota across every client: Sheets 429 RESOURCE_EXHAUSTED, Drive 403 rateLimitExceeded', async () => {
    server.setQuota({ readsPerWindow: 2, writesPerWindow: 1, windowMs: 60_000 });
    await as('a').sheets.spreadsheets.get({ spreadsheetId: ID });
    await as('b').sheets.spreadsheets.values.get({ spreadsheetId: ID, range: 'A1' });
    const third = await refusal(as('c').sheets.spreadsheets.get({ spreadsheetId: ID }));
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message:
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
    });
    await as('a').sheets.spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: { requests: [{ addSheet: { properties: { title: 'Ещё' } } }] },
    });
    const write = await refusal(as('b').sheets.spreadsheets.values.clear({ spreadsheetId: ID, range: 'A1' }));
    expect(write.body.error.message).toContain("'Write requests per minute'");
    await as('a').drive.files.get({ fileId: ID });
    await as('b').drive.files.get({ fileId: ID });
    const drive = await refusal(as('c').drive.files.list({}));
    expect(drive.status).toBe(403);
    expect(drive.body.error).toMatchObject({ code: 403, message: 'Rate Limit Exceeded' });
    expect(drive.body.error.errors).toMatchObject([{ reason: 'rateLimitExceeded' }]);

    server.setQuota({ readsPerWindow: 1, writesPerWindow: 1, windowMs: 60_000, perUser: true });
    await as('a').sheets.spreadsheets.get({ spreadsheetId: ID });
    await as('b').sheets.spreadsheets.get({ spreadsheetId: ID });
    const again = await refusal(as('a').sheets.spreadsheets.get({ spreadsheetId: ID }));
    expect(again.body.error.message).toContain("limit 'Read requests per minute per user'");
  });

  it('hides shared-drive files from Drive calls without supportsAllDrives; Sheets reads them', async () => {
    server.addSharedDrive('0DriveMonitoring', 'Мониторинг');
    server.put({ ...sample(), id: '1InSharedDrive', title: 'В общем диске', driveId: '0DriveMonitoring' });
    const { drive, sheets } = as('t');
    const hidden = await refusal(drive.files.get({ fileId: '1InSharedDrive' }));
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toBe('File not found: 1InSharedDrive.');
    const seen = await drive.files.get({ fileId: '1InSharedDrive', supportsAllDrives: true, fields: 'id,driveId' });
    expect(seen.data).toEqual({ id: '1InSharedDrive', driveId: '0DriveMonitoring' });
    const plain = await drive.files.list({ fields: 'files(id)' });
    expect(plain.data.files?.map((f) => f.id)).toEqual([ID]);
    const all = await drive.files.list({
      corpora: 'allDrives',
      includeItemsFromAllDrives: true,
      supportsAllDrives: true,
      fields: 'files(id)',
    });
    expect(all.data.files?.map((f) => f.id).sort()).toEqual(['1InSharedDrive', ID]);
    const one = await drive.files.list({
      corpora: 'drive',
      driveId: '0DriveMonitoring',
      includeItemsFromAllDrives: true,
      supportsAllDrives: true,
      fields: 'files(id)',
    });
    expect(one.data.files).toEqual([{ id: '1InSharedDrive' }]);
    const values = await sheets.spreadsheets.values.get({ spreadsheetId: '1InSharedDrive', range: 'A1' });
    expect(values.data.values).toEqual([['Дата']]);
  });

  it('lists an Excel file with its mimeType; the Sheets API refuses it with FAILED_PRECONDITION', async () => {
    server.put({ ...sample(), id: '1ExcelFile', title: 'Школа.xlsx', mimeType: XLSX_MIME });
    const { drive, sheets } = as('t');
    const listed = await drive.files.list({ q: `mimeType = '${XLSX_MIME}'`, fields: 'files(id,mimeType)' });
    expect(listed.data.files).toEqual([{ id: '1ExcelFile', mimeType: XLSX_MIME }]);
    const read = await refusal(sheets.spreadsheets.get({ spreadsheetId: '1ExcelFile' }));
    expect(read.status).toBe(400);
    expect(read.body).toEqual(
      sheetsError(400, 'This operation is not supported for this document', 'FAILED_PRECONDITION'),
    );
  });

  it('a service account without storage creates only in a shared drive', async () => {
    const email = 'monitor@project.iam.gserviceaccount.com';
    server.addCaller('sa-token', { email, kind: 'serviceAccount' });
    server.addSharedDrive('0DriveMonitoring', 'Мониторинг', { [email]: 'writer' });
    server.addFolder('1FolderSchools', 'Таблицы школ', '0DriveMonitoring');
    server.addFolder('1MyFolder', 'Моя папка');
    const sa = as('sa-token');
    const create = await refusal(sa.sheets.spreadsheets.create({ requestBody: { properties: { title: 'Школа' } } }));
    expect(create.status).toBe(403);
    expect(create.body.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
    const mine = await refusal(
      sa.drive.files.create({ requestBody: { name: 'Школа', mimeType: SPREADSHEET_MIME }, fields: 'id' }),
    );
    expect(mine.status).toBe(403);
    expect(mine.body.error.errors).toMatchObject([{ reason: 'storageQuotaExceeded', domain: 'usageLimits' }]);
    server.share('1MyFolder', email, 'writer');
    const inMyFolder = await refusal(
      sa.drive.files.create({ requestBody: { name: 'Школа', mimeType: SPREADSHEET_MIME, parents: ['1MyFolder'] } }),
    );
    expect(inMyFolder.body.error.errors).toMatchObject([{ reason: 'storageQuotaExceeded' }]);
    const noFlag = await refusal(
      sa.drive.files.create({
        requestBody: { name: 'Школа', mimeType: SPREADSHEET_MIME, parents: ['1FolderSchools'] },
      }),
    );
    expect(noFlag.status).toBe(404);
    const created = await sa.drive.files.create({
      supportsAllDrives: true,
      requestBody: { name: 'Школа 56-003', mimeType: SPREADSHEET_MIME, parents: ['1FolderSchools'] },
      fields: 'id,name,mimeType,driveId,parents',
    });
    expect(created.data).toMatchObject({
      name: 'Школа 56-003',
      mimeType: SPREADSHEET_MIME,
      driveId: '0DriveMonitoring',
      parents: ['1FolderSchools'],
    });
    const id = created.data.id ?? '';
    await sa.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: 'A1',
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [['Код ОО', '12,5']] },
    });
    const back = await sa.sheets.spreadsheets.values.get({
      spreadsheetId: id,
      range: 'A1:B1',
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    expect(back.data.values).toEqual([['Код ОО', 12.5]]);
  });
});

describe('typed reads and the hook between calls', () => {
  const typed = (locale: 'ru_RU' | 'en_US'): FakeSpreadsheet => ({
    id: ID,
    title: 'Типы',
    modifiedTime: '2026-11-01T09:00:00.000Z',
    locale,
    sheets: [
      {
        sheetId: 0,
        title: 'Лист1',
        rows: [
          [
            { value: MAY_15_2027, format: 'date' },
            { value: 1234.5, numberFormat: { type: 'NUMBER', pattern: '#,##0.##' } },
            { value: 0.455, numberFormat: { type: 'PERCENT', pattern: '0.0%' } },
            { value: true },
            { value: 'сайт', link: 'https://school.ru/' },
            { value: MAY_15_2027 + 0.5, format: 'datetime' },
          ],
        ],
      },
    ],
  });
  const MASK =
    'properties(title,locale),sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),data(rowData(values(effectiveValue,effectiveFormat/numberFormat,formattedValue,hyperlink))))';

  it('answers exactly the masked fields, typed, rendered in the spreadsheet locale', async () => {
    const { sheets } = as('t');
    server.put(typed('en_US'));
    const en = await sheets.spreadsheets.get({ spreadsheetId: ID, includeGridData: true, fields: MASK });
    expect(en.data).toEqual({
      properties: { title: 'Типы', locale: 'en_US' },
      sheets: [
        {
          properties: { sheetId: 0, title: 'Лист1', gridProperties: { rowCount: 1000, columnCount: 26 } },
          data: [
            {
              rowData: [
                {
                  values: [
                    {
                      effectiveValue: { numberValue: MAY_15_2027 },
                      effectiveFormat: { numberFormat: { type: 'DATE', pattern: 'M/d/yyyy' } },
                      formattedValue: '5/15/2027',
                    },
                    {
                      effectiveValue: { numberValue: 1234.5 },
                      effectiveFormat: { numberFormat: { type: 'NUMBER', pattern: '#,##0.##' } },
                      formattedValue: '1,234.5',
                    },
                    {
                      effectiveValue: { numberValue: 0.455 },
                      effectiveFormat: { numberFormat: { type: 'PERCENT', pattern: '0.0%' } },
                      formattedValue: '45.5%',
                    },
                    { effectiveValue: { boolValue: true }, effectiveFormat: {}, formattedValue: 'TRUE' },
                    {
                      effectiveValue: { stringValue: 'сайт' },
                      effectiveFormat: {},
                      formattedValue: 'сайт',
                      hyperlink: 'https://school.ru/',
                    },
                    {
                      effectiveValue: { numberValue: MAY_15_2027 + 0.5 },
                      effectiveFormat: { numberFormat: { type: 'DATE_TIME', pattern: 'M/d/yyyy H:mm:ss' } },
                      formattedValue: '5/15/2027 12:00:00',
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    server.put(typed('ru_RU'));
    const ru = await sheets.spreadsheets.values.get({ spreadsheetId: ID, range: 'A1:F1' });
    expect(ru.data.values).toEqual([['15.05.2027', '1\u00a0234,5', '45,5%', 'TRUE', 'сайт', '15.05.2027 12:00:00']]);
  });

  it('stores number formats written by a template and reads them back in effectiveFormat', async () => {
    const { sheets } = as('t');
    server.put(typed('ru_RU'));
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: ID,
      requestBody: {
        requests: [
          {
            repeatCell: {
              range: { sheetId: 0, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 2 },
              cell: { userEnteredFormat: { numberFormat: { type: 'PERCENT', pattern: '0%' } } },
              fields: 'userEnteredFormat.numberFormat',
            },
          },
          {
            updateCells: {
              start: { sheetId: 0, rowIndex: 1, columnIndex: 0 },
              fields: 'userEnteredValue',
              rows: [{ values: [{ userEnteredValue: { numberValue: 0.37 } }] }],
            },
          },
        ],
      },
    });
    const grid = await sheets.spreadsheets.get({
      spreadsheetId: ID,
      ranges: ['A2:B2'],
      includeGridData: true,
      fields: 'sheets.data.rowData.values(effectiveFormat.numberFormat,formattedValue)',
    });
    expect(grid.data.sheets?.[0]?.data?.[0]?.rowData?.[0]?.values).toEqual([
      { effectiveFormat: { numberFormat: { type: 'PERCENT', pattern: '0%' } }, formattedValue: '37%' },
      { effectiveFormat: { numberFormat: { type: 'PERCENT', pattern: '0%' } } },
    ]);
  });

  it('runs beforeAnswer after validation, before the answer: a school edits between two calls', async () => {
    server.put(sample());
    const { sheets } = as('t');
    const seen: string[] = [];
    const stop = server.beforeAnswer((request) => {
      seen.push(request.op);
      if (request.op === 'values.batchGet') {
        const edited = sample();
        edited.sheets[0]!.rows[0]![0] = { value: 'Изменено' };
        server.put(edited);
      }
    });
    await refusal(sheets.spreadsheets.get({ spreadsheetId: ID, fields: 'nope' }));
    await sheets.spreadsheets.get({ spreadsheetId: ID, fields: 'sheets.properties.title' });
    const read = await sheets.spreadsheets.values.batchGet({ spreadsheetId: ID, ranges: ['A1'] });
    expect(read.data.valueRanges?.[0]?.values).toEqual([['Изменено']]);
    expect(seen).toEqual(['spreadsheets.get', 'values.batchGet']);
    stop();
    await sheets.spreadsheets.get({ spreadsheetId: ID, fields: 'spreadsheetId' });
    expect(seen).toHaveLength(2);
  });
});
