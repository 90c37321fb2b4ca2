/**
 * Drive's changes API and push notifications through the fake (tests/support/fake-google/drive-changes.ts),
 * driven by the real @googleapis/drive client: start page token, changes since a token (paged, fields,
 * shared drives), watch channels whose notifications arrive by real HTTP POST, and channels.stop.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, clients, count, ID, refusal, sample, server, useFakeGoogleApis } from '../support/fake-google-clients.js';

useFakeGoogleApis();

const OTHER = '1OtherSpreadsheetId_0002';
const FIELDS = 'nextPageToken,newStartPageToken,changes(fileId,removed,time,file(modifiedTime,mimeType))';

beforeEach(() => {
  server.put(sample());
  server.put({ ...sample(), id: OTHER, title: 'Школа 56-002' });
});

describe('changes.getStartPageToken and changes.list', () => {
  it('lists nothing from a fresh start token, then each edited file once with its latest modifiedTime', async () => {
    const { drive, sheets } = clients();
    const start = await drive.changes.getStartPageToken({});
    expect(start.data).toEqual({ kind: 'drive#startPageToken', startPageToken: expect.any(String) as string });
    const token = start.data.startPageToken ?? '';

    const empty = await drive.changes.list({ pageToken: token, fields: FIELDS });
    expect(empty.data).toEqual({ newStartPageToken: token, changes: [] });

    server.touch(ID);
    await sheets.spreadsheets.values.update({
      spreadsheetId: OTHER,
      range: 'Показатели!A1',
      valueInputOption: 'RAW',
      requestBody: { values: [['x']] },
    });
    server.touch(ID);
    const listed = await drive.changes.list({ pageToken: token, fields: FIELDS });
    expect(listed.data.changes?.map((c) => c.fileId)).toEqual([OTHER, ID]);
    const mine = listed.data.changes?.find((c) => c.fileId === ID);
    expect(mine?.removed).toBe(false);
    expect(mine?.file?.modifiedTime).toBe(server.spreadsheets.get(ID)?.modifiedTime);
    expect(Date.parse(mine?.time ?? '')).not.toBeNaN();
    expect(listed.data.nextPageToken).toBeUndefined();
    expect(listed.data.newStartPageToken).not.toBe(token);

    const after = await drive.changes.list({ pageToken: listed.data.newStartPageToken ?? '', fields: FIELDS });
    expect(after.data.changes).toEqual([]);
  });

  it('answers the documented default fields without `fields`', async () => {
    const { drive } = clients();
    const token = (await drive.changes.getStartPageToken({})).data.startPageToken ?? '';
    server.touch(ID);
    const listed = await drive.changes.list({ pageToken: token });
    expect(listed.data.kind).toBe('drive#changeList');
    expect(listed.data.changes?.[0]).toEqual({
      kind: 'drive#change',
      changeType: 'file',
      time: expect.any(String) as string,
      removed: false,
      fileId: ID,
      file: { kind: 'drive#file', id: ID, name: 'Школа 56-001', mimeType: 'application/vnd.google-apps.spreadsheet' },
    });
  });

  it('pages with pageSize: nextPageToken, then newStartPageToken on the last page', async () => {
    const { drive } = clients();
    const token = (await drive.changes.getStartPageToken({})).data.startPageToken ?? '';
    server.touch(ID);
    server.touch(OTHER);
    const first = await drive.changes.list({ pageToken: token, pageSize: 1, fields: FIELDS });
    expect(first.data.changes?.map((c) => c.fileId)).toEqual([ID]);
    expect(first.data.newStartPageToken).toBeUndefined();
    const second = await drive.changes.list({ pageToken: first.data.nextPageToken ?? '', pageSize: 1, fields: FIELDS });
    expect(second.data.changes?.map((c) => c.fileId)).toEqual([OTHER]);
    expect(second.data.nextPageToken).toBeUndefined();
    expect(second.data.newStartPageToken).toEqual(expect.any(String));
  });

  it('refuses what Google refuses: no pageToken, a foreign token, an unknown parameter, pageSize 0', async () => {
    const { drive } = as('owner-token');
    // The client library itself will not send a call without pageToken; the fake refuses it too.
    const bare = await fetch(`${server.url}drive/v3/changes`, { headers: { authorization: 'Bearer owner-token' } });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason).toBe(
      'required',
    );
    expect((await refusal(drive.changes.list({ pageToken: 'not-a-token' }))).status).toBe(400);
    expect((await refusal(drive.changes.list({ pageToken: '999999' }))).status).toBe(400);
    expect((await refusal(drive.changes.list({ pageToken: '1', pageSize: 0 }))).status).toBe(400);
    const unknown = await refusal(drive.changes.list({ pageToken: '1', q: 'x' } as { pageToken: string }));
    expect(unknown.status).toBe(400);
  });

  it('shows a caller only files it can see, and shared-drive files only with includeItemsFromAllDrives', async () => {
    server.addCaller('sa', { email: 'sa@project.iam.gserviceaccount.com', kind: 'serviceAccount' });
    server.addSharedDrive('0ADrive', 'Мониторинг', { 'sa@project.iam.gserviceaccount.com': 'writer' });
    server.put({ ...sample(), id: '1InDrive', driveId: '0ADrive', parents: ['0ADrive'] });
    const { drive } = as('sa');
    const token = (await drive.changes.getStartPageToken({ supportsAllDrives: true })).data.startPageToken ?? '';
    server.touch(ID);
    server.touch('1InDrive');
    const mine = await drive.changes.list({ pageToken: token, fields: FIELDS });
    expect(mine.data.changes).toEqual([]);
    const all = await drive.changes.list({
      pageToken: token,
      fields: FIELDS,
      includeItemsFromAllDrives: true,
      supportsAllDrives: true,
    });
    expect(all.data.changes?.map((c) => c.fileId)).toEqual(['1InDrive']);
  });
});

/** A web-hook receiver: every POST it got, with its headers. */
interface Receiver {
  url: string;
  got: { method: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function receiver(status = 200): Promise<Receiver> {
  const got: Receiver['got'] = [];
  const http: Server = createServer((req, res) => {
    got.push({ method: req.method ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => res.writeHead(status).end());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/notify`,
    got,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

describe('changes.watch and channels.stop', () => {
  let hook: Receiver;
  beforeEach(async () => {
    hook = await receiver();
  });
  afterEach(async () => {
    await hook.close();
  });

  it('makes a channel, POSTs sync, then one change message per modification, until stopped', async () => {
    const { drive } = clients();
    const token = (await drive.changes.getStartPageToken({})).data.startPageToken ?? '';
    const expiration = String(Date.now() + 10 * 60_000);
    const watched = await drive.changes.watch({
      pageToken: token,
      requestBody: { id: 'channel-1', type: 'web_hook', address: hook.url, token: 'secret-1', expiration },
    });
    expect(watched.data).toEqual({
      kind: 'api#channel',
      id: 'channel-1',
      resourceId: expect.any(String) as string,
      resourceUri: expect.any(String) as string,
      token: 'secret-1',
      expiration,
    });
    await new Promise((resolve) => setImmediate(resolve));
    await server.notificationsSettled();
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]?.method).toBe('POST');
    expect(hook.got[0]?.headers).toMatchObject({
      'x-goog-channel-id': 'channel-1',
      'x-goog-channel-token': 'secret-1',
      'x-goog-resource-state': 'sync',
      'x-goog-message-number': '1',
      'x-goog-resource-id': watched.data.resourceId,
      'x-goog-channel-expiration': new Date(Number(expiration)).toUTCString(),
    });

    server.touch(ID);
    server.touch(OTHER);
    await server.notificationsSettled();
    expect(hook.got.map((g) => [g.headers['x-goog-resource-state'], g.headers['x-goog-message-number']])).toEqual([
      ['sync', '1'],
      ['change', '2'],
      ['change', '3'],
    ]);
    expect(server.notifications.map((n) => n.status)).toEqual([200, 200, 200]);

    await drive.channels.stop({ requestBody: { id: 'channel-1', resourceId: watched.data.resourceId ?? '' } });
    server.touch(ID);
    await server.notificationsSettled();
    expect(hook.got).toHaveLength(3);
    expect(server.channels()[0]?.stopped).toBe(true);
    expect(count('channels.stop')).toBe(1);
  });

  it('caps expiration at a week, defaults it to an hour, and refuses http addresses, a bad type, stopping twice', async () => {
    const { drive } = as('owner-token');
    const token = (await drive.changes.getStartPageToken({})).data.startPageToken ?? '';
    const now = Date.now();
    const long = await drive.changes.watch({
      pageToken: token,
      requestBody: { id: 'c-long', type: 'web_hook', address: hook.url, expiration: String(now + 30 * 86_400_000) },
    });
    expect(Number(long.data.expiration)).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    expect(Number(long.data.expiration)).toBeGreaterThan(now + 6 * 86_400_000);
    const plain = await drive.changes.watch({
      pageToken: token,
      requestBody: { id: 'c-plain', type: 'web_hook', address: hook.url },
    });
    expect(Math.abs(Number(plain.data.expiration) - (now + 3_600_000))).toBeLessThan(60_000);

    const http = await refusal(
      drive.changes.watch({
        pageToken: token,
        requestBody: { id: 'c-http', type: 'web_hook', address: 'http://example.com/notify' },
      }),
    );
    expect(http.status).toBe(400);
    const badType = await refusal(
      drive.changes.watch({ pageToken: token, requestBody: { id: 'c-type', type: 'email', address: hook.url } }),
    );
    expect(badType.status).toBe(400);
    const noToken = await fetch(`${server.url}drive/v3/changes/watch`, {
      method: 'POST',
      headers: { authorization: 'Bearer owner-token', 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'c-none', type: 'web_hook', address: hook.url }),
    });
    expect(noToken.status).toBe(400);

    await drive.channels.stop({ requestBody: { id: 'c-plain', resourceId: plain.data.resourceId ?? '' } });
    const again = await refusal(
      drive.channels.stop({ requestBody: { id: 'c-plain', resourceId: plain.data.resourceId ?? '' } }),
    );
    expect(again.status).toBe(404);
    const wrong = await refusal(drive.channels.stop({ requestBody: { id: 'c-long', resourceId: 'other' } }));
    expect(wrong.status).toBe(404);
    await server.notificationsSettled();
  });

  it('sends nothing after the channel expires', async () => {
    const { drive } = clients();
    const token = (await drive.changes.getStartPageToken({})).data.startPageToken ?? '';
    await drive.changes.watch({
      pageToken: token,
      requestBody: { id: 'c-short', type: 'web_hook', address: hook.url, expiration: String(Date.now() + 50) },
    });
    await new Promise((resolve) => setTimeout(resolve, 80));
    await server.notificationsSettled();
    server.touch(ID);
    await server.notificationsSettled();
    expect(hook.got.map((g) => g.headers['x-goog-resource-state'])).toEqual(['sync']);
  });
});
