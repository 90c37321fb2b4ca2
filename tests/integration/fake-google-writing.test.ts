/**
 * Writing through the fake: batchUpdate, create and permissions.
 * The fake (tests/support/fake-google/) is driven by the real client libraries over HTTP.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeGoogleApis, server, clients, failure, ID, sample } from '../support/fake-google-clients.js';

useFakeGoogleApis();

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
