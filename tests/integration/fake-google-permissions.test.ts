/**
 * Callers, rights and protected ranges.
 * The fake (tests/support/fake-google/) is driven by the real client libraries over HTTP.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeGoogleApis, server, ID, sample, as, refusal, sheetsError } from '../support/fake-google-clients.js';

useFakeGoogleApis();

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
