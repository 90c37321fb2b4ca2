/**
 * `monitor500 template school --google` run by a region's service account: it has no Drive storage of
 * its own, so the spreadsheet can only be made in a shared drive folder (MONITOR500_GOOGLE_FOLDER); each
 * way that goes wrong must end with a Russian message saying what to set up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { startFakeGoogleApis, type FakeGoogleApis } from '../support/fake-google/index.js';
import { runCli } from '../support/run-cli.js';

const SA_TOKEN = 'sa-token';
const SA_EMAIL = 'monitor500@project.iam.gserviceaccount.com';
const REGION_DRIVE = 'drive-region-56';
const FOLDER = 'folder-schools-56';
const READONLY_DRIVE = 'drive-readonly';
const READONLY_FOLDER = 'folder-readonly';
const MY_DRIVE_FOLDER = 'folder-in-my-drive';
const MISSING_FOLDER = 'folder-that-does-not-exist';

let google: FakeGoogleApis;

beforeAll(async () => {
  google = await startFakeGoogleApis();
  google.addCaller(SA_TOKEN, { email: SA_EMAIL, kind: 'serviceAccount' });
  // «Участник» of a shared drive is the 'writer' role: it may add files.
  google.addSharedDrive(REGION_DRIVE, 'Мониторинг 500+ — Оренбургская область', { [SA_EMAIL]: 'writer' });
  google.addFolder(FOLDER, 'Таблицы школ', REGION_DRIVE);
  google.addSharedDrive(READONLY_DRIVE, 'Только чтение', { [SA_EMAIL]: 'reader' });
  google.addFolder(READONLY_FOLDER, 'Архив', READONLY_DRIVE);
  // A folder in a person's My Drive, shared with the service account as an editor.
  google.addFolder(MY_DRIVE_FOLDER, 'Моя папка');
  google.share(MY_DRIVE_FOLDER, SA_EMAIL, 'writer');
});

afterAll(async () => {
  await google.close();
});

const env = (folder?: string) => ({
  MONITOR500_GOOGLE_API_ROOT: google.url,
  MONITOR500_GOOGLE_ACCESS_TOKEN: SA_TOKEN,
  // Set to empty (not left out) so that a MONITOR500_GOOGLE_FOLDER of the environment running the tests is not used.
  MONITOR500_GOOGLE_FOLDER: folder ?? '',
});

const template = (args: string[], folder?: string) => runCli(['template', 'school', '--google', ...args], env(folder));

/** Runs a template that must fail: no spreadsheet is made, the exit code is 1, and the message is returned. */
async function refused(folder?: string): Promise<string> {
  const before = google.spreadsheets.size;
  const result = await template([], folder);
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  expect(google.spreadsheets.size).toBe(before);
  expect(result.stderr).toMatch(/^Ошибка: Не удалось создать Google-таблицу «Мониторинг «500\+»: школа»: /);
  expect(result.stderr).not.toMatch(/Внутренняя ошибка|Error:|at /);
  return result.stderr;
}

describe('template school --google as a service account', () => {
  it('without MONITOR500_GOOGLE_FOLDER: says the account has no Drive storage and how to set up a shared drive', async () => {
    const message = await refused();
    expect(message).toContain('у сервисного аккаунта нет своего места на Google Диске');
    expect(message).toContain('общий диск');
    expect(message).toContain('MONITOR500_GOOGLE_FOLDER');
    const create = google.requests.filter((r) => r.op === 'files.create' && r.caller === SA_EMAIL);
    expect(create.at(-1)?.status).toBe(403);
  });

  it('in a folder of the shared drive: makes the school spreadsheet there and shares it', async () => {
    const from = google.requests.length;
    const result = await template(['--share', 'a@school.ru'], FOLDER);
    expect(result.code, result.stderr).toBe(0);
    const id = /spreadsheets\/d\/([^/]+)\/edit/.exec(result.stdout)?.[1];
    expect(id).toBeDefined();
    expect(result.stdout).toContain('Создана Google-таблица «Мониторинг «500+»: школа»');

    const created = google.spreadsheets.get(id!)!;
    expect(created.title).toBe('Мониторинг «500+»: школа');
    expect(created.parents).toEqual([FOLDER]);
    expect(created.driveId).toBe(REGION_DRIVE);
    expect(created.locale).toBe('ru_RU');

    const schoolTabs = [...monitoringRules().specs.values()].filter((spec) => spec.workbook === 'school');
    expect(created.sheets.map((s) => s.title)).toEqual(schoolTabs.map((spec) => spec.title));
    for (const spec of schoolTabs) {
      const tab = created.sheets.find((s) => s.title === spec.title)!;
      expect(tab.rows[0]!.map((c) => c.value)).toEqual(spec.columns.map((c) => c.header));
      expect(tab.rows[0]!.every((c) => (c.note ?? '').length > 10)).toBe(true);
      expect(tab.protectedRanges?.length).toBe(1);
      const lists = spec.columns.filter((c) => c.cell.type === 'enum' || c.cell.type === 'bool').length;
      expect(tab.validations ?? []).toHaveLength(lists);
    }

    expect([...(google.permissions.get(id!) ?? [])].map((p) => [p.type, p.emailAddress, p.role])).toEqual([
      ['user', 'a@school.ru', 'writer'],
    ]);

    // Every call was the service account's, and the file was made in the folder, in the shared drive.
    const calls = google.requests.slice(from);
    expect(calls.every((r) => r.caller === SA_EMAIL)).toBe(true);
    expect(calls.every((r) => r.status === 200)).toBe(true);
    const create = calls.filter((r) => r.op === 'files.create');
    expect(create).toHaveLength(1);
    expect(create[0]!.query.supportsAllDrives).toEqual(['true']);
    expect(create[0]!.body).toMatchObject({ parents: [FOLDER], mimeType: 'application/vnd.google-apps.spreadsheet' });
  });

  it('a folder that does not exist: names the folder and MONITOR500_GOOGLE_FOLDER', async () => {
    const message = await refused(MISSING_FOLDER);
    expect(message).toContain(`папка «${MISSING_FOLDER}» не найдена`);
    expect(message).toContain('MONITOR500_GOOGLE_FOLDER');
  });

  it('a folder where the account may only read: says it has no right to add files there', async () => {
    const message = await refused(READONLY_FOLDER);
    expect(message).toContain('нет права добавлять файлы');
    expect(message).toContain(`«${READONLY_FOLDER}»`);
    expect(message).toContain('«Менеджер контента»');
  });

  it('a folder in My Drive the account may edit: still no storage, the folder must be on a shared drive', async () => {
    const message = await refused(MY_DRIVE_FOLDER);
    expect(message).toContain(`«${MY_DRIVE_FOLDER}»`);
    expect(message).toContain('должна быть на общем диске');
  });
});
