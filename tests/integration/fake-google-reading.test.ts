/**
 * Reading through the fake: spreadsheets.get, values.batchGet, and a demo workbook as a spreadsheet.
 * The fake (tests/support/fake-google/) is driven by the real client libraries over HTTP.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import { fakeSpreadsheetFromWorkbook } from '../support/fake-google/index.js';
import {
  useFakeGoogleApis,
  server,
  clients,
  failure,
  ID,
  MAY_15_2027,
  sample,
} from '../support/fake-google-clients.js';
import { root } from '../support/run-cli.js';

useFakeGoogleApis();

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
