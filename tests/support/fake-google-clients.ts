/**
 * Shared setup of the fake Google APIs tests (tests/integration/fake-google-*.test.ts): a fresh fake for every
 * test, real client libraries pointed at it, a sample spreadsheet, and helpers that catch what Google refuses.
 */
import { drive } from '@googleapis/drive';
import { sheets } from '@googleapis/sheets';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, beforeEach } from 'vitest';
import { dateToSerial, startFakeGoogleApis, type FakeGoogleApis, type FakeSpreadsheet } from './fake-google/index.js';

/** The fake of the running test (a live binding: a new one for every test, see useFakeGoogleApis). */
export let server: FakeGoogleApis;

/** Starts a fake before every test of the calling file and closes it after. */
export function useFakeGoogleApis(): void {
  beforeEach(async () => {
    server = await startFakeGoogleApis();
  });

  afterEach(async () => {
    await server.close();
  });
}

/** Real clients pointed at the fake; `retry`/`timeout` as gaxios options, omitted = library defaults. */
export function clients(options: { retry?: boolean; timeout?: number; auth?: boolean } = {}) {
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

export interface CaughtError {
  message: string;
  status?: number;
  code?: unknown;
}

export async function failure(call: Promise<unknown>): Promise<CaughtError> {
  try {
    await call;
  } catch (error) {
    return error as CaughtError;
  }
  throw new Error('the call was expected to fail');
}

export const count = (op: string) => server.requests.filter((r) => r.op === op).length;

export const ID = '1SampleSpreadsheetId_0001';
export const MAY_15_2027 = dateToSerial(new Date('2027-05-15T00:00:00Z'));

export const sample = (): FakeSpreadsheet => ({
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

/** Real clients for a given bearer token, without the library's retries. */
export function as(token: string) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token });
  const common = { rootUrl: server.url, auth, retry: false };
  return { sheets: sheets({ version: 'v4', ...common }), drive: drive({ version: 'v3', ...common }) };
}

/** The error body Google answered (the libraries keep it in response.data). */
export async function refusal(
  call: Promise<unknown>,
): Promise<{ status: number; body: { error: Record<string, unknown> } }> {
  const error = (await failure(call)) as CaughtError & { response?: { status: number; data: unknown } };
  return { status: error.response?.status ?? 0, body: error.response?.data as { error: Record<string, unknown> } };
}

export const sheetsError = (code: number, message: string, status: string) => ({ error: { code, message, status } });
