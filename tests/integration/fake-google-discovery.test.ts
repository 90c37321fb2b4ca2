/**
 * What the fake refuses, as Google does: requests checked against the discovery documents.
 * The fake (tests/support/fake-google/) is driven by the real client libraries over HTTP.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeGoogleApis, server, ID, sample, as, refusal, sheetsError } from '../support/fake-google-clients.js';

useFakeGoogleApis();

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
