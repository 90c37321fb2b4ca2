/**
 * Typed reads in the spreadsheet locale, and the hook between two calls.
 * The fake (tests/support/fake-google/) is driven by the real client libraries over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { type FakeSpreadsheet } from '../support/fake-google/index.js';
import { useFakeGoogleApis, server, ID, MAY_15_2027, sample, as, refusal } from '../support/fake-google-clients.js';

useFakeGoogleApis();

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
