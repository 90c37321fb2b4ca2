/**
 * Drive through the fake: metadata, modifiedTime lag, quota, shared drives, Excel files, service accounts.
 * The fake (tests/support/fake-google/) is driven by the real client libraries over HTTP.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SPREADSHEET_MIME, XLSX_MIME } from '../support/fake-google/index.js';
import {
  useFakeGoogleApis,
  server,
  clients,
  failure,
  ID,
  sample,
  as,
  refusal,
  sheetsError,
} from '../support/fake-google-clients.js';

useFakeGoogleApis();

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
