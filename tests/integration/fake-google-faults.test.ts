/**
 * Auth and injected faults, with the client libraries’ own retry behaviour.
 * The fake (tests/support/fake-google/) is driven by the real client libraries over HTTP.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeGoogleApis, server, clients, failure, count, ID, sample } from '../support/fake-google-clients.js';

useFakeGoogleApis();

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
