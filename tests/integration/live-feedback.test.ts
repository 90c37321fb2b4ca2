/**
 * Live feedback (app/live-feedback.ts) against the strict fake Google with the demo region: Drive's
 * change feed says which school workbooks changed; each is answered once its edits settle (quiet
 * period), read once and written once per burst, and never again for the same edit. A fake clock
 * (real time plus an offset) stands for the quiet period passing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as functions from '@google-cloud/functions-framework';
import { PDFDocument } from 'pdf-lib';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleDriveChanges } from '../../functions/adapters/google/drive-changes.js';
import { googleSheetsSource } from '../../functions/adapters/google/sheets-source.js';
import { skipUnchangedWorkbooks } from '../../functions/adapters/google/unchanged-workbook-cache.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { parseRawJson, type RawWorkbook } from '../../functions/core/raw-workbook.js';
import { currentChannel, onDriveChanges, type LivePorts } from '../../functions/app/live-feedback.js';
import { runMonitoring } from '../../functions/app/run-region.js';
import { dayIn } from '../../functions/core/calendar.js';
import { notifyHandler } from '../../functions/http-notify.js';
import type { LiveEntryPorts } from '../../functions/live-ports.js';
import { liveTick } from '../../functions/scheduled-live.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { startFakeGoogleApis, type FakeGoogleApis, type FakeSpreadsheet } from '../support/fake-google/index.js';
import { demoRegionSheets } from '../support/demo-region-sheets.js';
import { productClients } from '../support/product-google.js';

const REGISTRY_ID = 'registry-live-0001';
const schoolId = (code: string) => `school-${code}-sheet`;
const SCHOOL = schoolId('56-001');
const OTHER = schoolId('56-002');
const TEACHER = 'teacher@school56.ru';
const QUIET = 20;
const rules = monitoringRules();
const region: FakeSpreadsheet[] = [];

beforeAll(async () => {
  const { registry, schools } = await demoRegionSheets(REGISTRY_ID, schoolId);
  region.push(...schools.values(), registry);
});

let google: FakeGoogleApis;
let dir: string;
/** The fake clock: real time (the fake Google stamps edits with it) plus `offset` ms. */
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };

beforeEach(async () => {
  google = await startFakeGoogleApis();
  for (const spreadsheet of region) google.put(structuredClone(spreadsheet));
  dir = await mkdtemp(path.join(tmpdir(), 'm500-live-'));
  offset = 0;
});

afterEach(async () => {
  await google.close();
  await rm(dir, { recursive: true, force: true });
});

/** The ports of one call, as the cloud builds them: a fresh source (one Drive listing per call) over the same state. */
function ports(): LivePorts {
  const clients = productClients(google.url);
  const state = localOutputDir(dir);
  return {
    changes: googleDriveChanges(clients, REGISTRY_ID),
    source: skipUnchangedWorkbooks(googleSheetsSource(REGISTRY_ID, clients), REGISTRY_ID, clients, state),
    state,
    rules,
    clock,
  };
}

const tick = () => onDriveChanges(ports(), { quietSeconds: QUIET, timeZone: 'Europe/Moscow', stage: 'входной' });

/**
 * A teacher's edit, at the fake clock's «now»: «Требуется» of the first «Анкетирование» row becomes
 * `value` (the fake Google stamps it no earlier than the clock, then as the teacher's).
 */
function edit(id: string, value: number): void {
  const copy = structuredClone(google.spreadsheets.get(id)!);
  const survey = copy.sheets.find((s) => s.title === 'Анкетирование');
  if (survey) survey.rows[1]![1] = { ...survey.rows[1]![1]!, value };
  else copy.sheets[0]!.rows.push([{ value }]);
  const at = Math.max(clock.now().getTime(), Date.parse(copy.modifiedTime) + 1);
  google.put({ ...copy, modifiedTime: new Date(at).toISOString() });
  google.touch(id, TEACHER);
}

const since = (from: number) => google.requests.slice(from);
/** Sheets reads of a workbook: its values, or anything else (the write-back takes the tabs' layout from the read). */
const reads = (from: number, id: string) =>
  since(from).filter((r) => r.api === 'sheets' && r.kind === 'read' && r.spreadsheetId === id).length;
const writes = (from: number, id: string) =>
  since(from).filter((r) => r.api === 'sheets' && r.kind === 'write' && r.spreadsheetId === id).length;
const feedbackText = (id: string) =>
  JSON.stringify(google.spreadsheets.get(id)!.sheets.find((s) => s.title === 'Проверка')?.rows ?? []);

describe('onDriveChanges', () => {
  it('stores the start token on the first call and reads nothing; then nothing is read while nothing changes', async () => {
    const first = await tick();
    expect(first.started).toBe(true);
    expect(google.requests.map((r) => r.op)).toEqual(['changes.getStartPageToken']);
    for (let i = 0; i < 3; i++) {
      offset += 60_000;
      const from = google.requests.length;
      const quiet = await tick();
      expect(quiet).toMatchObject({ listed: 0, recorded: [], answered: [] });
      expect(since(from).map((r) => r.op)).toEqual(['changes.list']);
    }
  });

  it('answers an edit burst once its quiet period is over: one read and one write of the workbook', async () => {
    await tick();
    const from = google.requests.length;
    for (const value of [3, 4, 5, 6]) edit(SCHOOL, value);
    const inside = await tick();
    expect(inside.recorded).toEqual([SCHOOL]);
    expect(inside.answered).toEqual([]);
    expect(inside.nextDue).toBeDefined();
    expect(reads(from, SCHOOL)).toBe(0);

    offset += (QUIET + 1) * 1000;
    const settled = await tick();
    expect(settled.answered).toEqual([SCHOOL]);
    expect(reads(from, SCHOOL)).toBe(1);
    expect(writes(from, SCHOOL)).toBe(1);
    expect(
      since(from)
        .filter((r) => r.api === 'sheets' && r.spreadsheetId === SCHOOL)
        .map((r) => `${r.op} ${r.query.includeGridData?.[0] ?? ''}`.trim()),
    ).toEqual(['spreadsheets.get true', 'batchUpdate']);
    expect(feedbackText(SCHOOL)).toContain('Статус');
    // Nobody else's workbook was read.
    expect(reads(from, OTHER)).toBe(0);

    // Our own write-back is in the feed, and so are repeated calls (duplicated or late notifications): nothing more.
    const after = google.requests.length;
    for (let i = 0; i < 3; i++) {
      offset += 60_000;
      expect((await tick()).answered).toEqual([]);
    }
    expect(reads(after, SCHOOL) + writes(after, SCHOOL)).toBe(0);
  });

  it('writes into the sheet what a full run writes: the same findings, notes and status block', async () => {
    // Reminder lines are the scheduled run's alone; without reminder days the two writes compare whole.
    const noReminders = { ...rules, settings: { ...rules.settings, reminderDaysBefore: [] } };
    const answer = () =>
      onDriveChanges(
        { ...ports(), rules: noReminders },
        { quietSeconds: QUIET, timeZone: 'Europe/Moscow', stage: 'входной' },
      );
    await answer();
    // A teacher types a word where a number belongs.
    const copy = structuredClone(google.spreadsheets.get(SCHOOL)!);
    copy.sheets.find((s) => s.title === 'Анкетирование')!.rows[1]![1] = { value: 'много' };
    google.put(copy);
    google.touch(SCHOOL, TEACHER);
    offset += (QUIET + 1) * 1000;
    expect((await answer()).answered).toEqual([SCHOOL]);
    const written = () =>
      google.spreadsheets.get(SCHOOL)!.sheets.map((sheet) => ({
        title: sheet.title,
        cells: sheet.rows.flatMap((row, r) =>
          row.flatMap((cell, c) =>
            sheet.title === 'Проверка' || cell.note || cell.background
              ? [{ at: `${r}:${c}`, value: cell.value, note: cell.note, background: cell.background }]
              : [],
          ),
        ),
      }));
    const live = written();
    expect(JSON.stringify(live)).toContain('много');

    // A full run over the same sheets, with its own state (it remembers nothing the live answer wrote),
    // writes the school's findings again — over the live answer's, and the same.
    const from = google.requests.length;
    const out = path.join(dir, 'run');
    const base = ports();
    const runState = localOutputDir(path.join(out, '.state'));
    const clients = productClients(google.url);
    const document = await PDFDocument.create();
    document.addPage();
    const blankPdf = await document.save();
    await runMonitoring(
      { asOf: dayIn(clock.now(), 'Europe/Moscow'), timeZone: 'Europe/Moscow', closes: false },
      {
        source: skipUnchangedWorkbooks(googleSheetsSource(REGISTRY_ID, clients), REGISTRY_ID, clients, runState),
        renderer: { render: async () => blankPdf, close: async () => {} },
        output: localOutputDir(out),
        state: runState,
        rules: { ...base.rules, settings: noReminders.settings },
      },
    );
    expect(writes(from, SCHOOL)).toBe(1);
    expect(written()).toEqual(live);
  });

  it('a call reads no record per workbook: the edit times are in the names of the state’s records', async () => {
    await tick();
    edit(SCHOOL, 31);
    edit(OTHER, 32);
    await tick();
    // A later edit of the same workbook, listed by a later call: its record replaces the older one.
    offset += 5_000;
    edit(SCHOOL, 33);
    expect((await tick()).recorded).toEqual([SCHOOL]);
    offset += (QUIET + 1) * 1000;
    expect((await tick()).answered.sort()).toEqual([OTHER, SCHOOL].sort());
    const read: string[] = [];
    const state = localOutputDir(dir);
    const counting = { ...state, read: (key: string) => (read.push(key), state.read(key)) };
    offset += 60_000;
    const quiet = await onDriveChanges(
      { ...ports(), state: counting },
      { quietSeconds: QUIET, timeZone: 'Europe/Moscow', stage: 'входной' },
    );
    expect(quiet.answered).toEqual([]);
    expect(read).toEqual(['live/page-token.json']);
    // One record left per workbook and kind.
    expect((await state.list('live/pending/')).length).toBe(2);
    expect((await state.list('live/answered/')).length).toBe(2);
  });

  it('ignores edits of the registry and of spreadsheets the registry does not name', async () => {
    google.put({ ...structuredClone(region[0]!), id: 'stranger-sheet-0001', title: 'Чужая' });
    await tick();
    const from = google.requests.length;
    edit(REGISTRY_ID, 1);
    edit('stranger-sheet-0001', 1);
    offset += (QUIET + 1) * 1000;
    const outcome = await tick();
    expect(outcome).toMatchObject({ listed: 2, recorded: [], answered: [] });
    expect(reads(from, 'stranger-sheet-0001') + writes(from, REGISTRY_ID)).toBe(0);
  });

  it('reads next time an edit made during our write-back', async () => {
    await tick();
    edit(SCHOOL, 7);
    await tick();
    offset += (QUIET + 1) * 1000;
    let during: Promise<unknown> | undefined;
    const stop = google.beforeAnswer(async (request) => {
      if (during || request.kind !== 'write' || request.spreadsheetId !== SCHOOL) return;
      // The teacher types while we write; Drive's notification of it makes a call of its own meanwhile.
      edit(SCHOOL, 8);
      during = tick();
      await during;
    });
    expect((await tick()).answered).toEqual([SCHOOL]);
    stop();
    expect(await during).toMatchObject({ recorded: [SCHOOL], answered: [] });
    const from = google.requests.length;
    offset += (QUIET + 1) * 1000;
    expect((await tick()).answered).toEqual([SCHOOL]);
    expect(reads(from, SCHOOL)).toBe(1);
    // The answer read the teacher's later value.
    const kept = await localOutputDir(dir).read(`drive/raw/${SCHOOL}.json`);
    const { workbook } = parseRawJson<{ workbook: RawWorkbook }>(Buffer.from(kept!).toString('utf8'));
    expect(workbook.tabs.find((t) => t.name === 'Анкетирование')?.rows[1]?.[1]?.value).toBe(8);
  });
});

/** The entry points' ports over the same fake Google and state, with `notify` served on a real port. */
let notifyServer: Server | undefined;
let secrets = 0;
const logged: string[] = [];
function entryPorts(notifyUrl: string | undefined, more: Partial<LiveEntryPorts> = {}): LiveEntryPorts {
  return {
    state: localOutputDir(dir),
    live: ports,
    options: { quietSeconds: QUIET, timeZone: 'Europe/Moscow', stage: 'входной' },
    maxWaitMs: 0,
    notifyUrl,
    channelSeconds: 3600,
    renewBeforeSeconds: 600,
    secret: () => `secret-${++secrets}-${Math.random().toString(36).slice(2)}`,
    sleep: async () => undefined,
    log: (severity, message, fields) => logged.push(`${severity} ${message} ${JSON.stringify(fields)}`),
    ...more,
  };
}

let registered = 0;
async function serveNotify(more: Partial<LiveEntryPorts> = {}): Promise<string> {
  const name = `notify-test-${++registered}`;
  let url = '';
  functions.http(
    name,
    notifyHandler(() => entryPorts(url, more)),
  );
  notifyServer = getTestServer(name);
  await new Promise<void>((resolve) => notifyServer!.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(notifyServer.address() as AddressInfo).port}/`;
  return url;
}

describe('notify (HTTP) and live (every minute)', () => {
  afterEach(async () => {
    await google.notificationsSettled();
    if (notifyServer) await new Promise<void>((resolve) => notifyServer!.close(() => resolve()));
    notifyServer = undefined;
  });

  it('opens a channel, answers Drive’s sync and change notifications, and refuses strangers', async () => {
    const url = await serveNotify();
    const first = await liveTick(entryPorts(url));
    expect(first.started).toBe(true);
    const channel = await currentChannel(localOutputDir(dir));
    expect(channel?.address).toBe(url);
    await new Promise((resolve) => setImmediate(resolve));
    await google.notificationsSettled();
    expect(google.notifications.map((n) => [n.state, n.status])).toEqual([['sync', 200]]);

    // A burst inside the quiet period: each notification lists the changes, none reads the workbook.
    const from = google.requests.length;
    edit(SCHOOL, 11);
    edit(SCHOOL, 12);
    await google.notificationsSettled();
    expect(google.notifications.filter((n) => n.state === 'change').every((n) => n.status === 200)).toBe(true);
    expect(reads(from, SCHOOL)).toBe(0);

    // The next tick after the quiet period answers it: one read, one write.
    offset += (QUIET + 1) * 1000;
    expect((await liveTick(entryPorts(url))).answered).toEqual([SCHOOL]);
    expect(reads(from, SCHOOL)).toBe(1);
    expect(writes(from, SCHOOL)).toBe(1);

    // A duplicated or late notification (Drive's own headers again) changes nothing more.
    const replay = google.notifications.find((n) => n.state === 'change')!;
    const after = google.requests.length;
    for (let i = 0; i < 2; i++) {
      const again = await fetch(url, { method: 'POST', headers: replay.headers });
      expect(again.status).toBe(200);
    }
    expect(reads(after, SCHOOL) + writes(after, SCHOOL)).toBe(0);

    // Without our token, with a wrong one, for another channel, or not a POST: refused, nothing listed.
    const before = google.requests.length;
    const { 'x-goog-channel-token': _token, ...noToken } = replay.headers;
    expect((await fetch(url, { method: 'POST', headers: noToken })).status).toBe(401);
    const wrong = { ...replay.headers, 'x-goog-channel-token': 'guess' };
    expect((await fetch(url, { method: 'POST', headers: wrong })).status).toBe(401);
    const stranger = { ...replay.headers, 'x-goog-channel-id': 'someone-else' };
    const refused = await fetch(url, { method: 'POST', headers: stranger });
    expect(refused.status).toBe(404);
    expect(await refused.text()).toBe('');
    expect((await fetch(url)).status).toBe(405);
    expect(google.requests.length).toBe(before);
  });

  it('renews a channel about to expire: a new one is opened, the old one stopped and refused', async () => {
    const url = await serveNotify();
    await liveTick(entryPorts(url));
    const old = (await currentChannel(localOutputDir(dir)))!;
    // A quiet minute later nothing changes.
    offset += 60_000;
    await liveTick(entryPorts(url));
    expect((await currentChannel(localOutputDir(dir)))?.id).toBe(old.id);
    expect(google.requests.filter((r) => r.op === 'changes.watch')).toHaveLength(1);

    // Within ten minutes of its end it is replaced.
    offset = Date.parse(old.expiration) - Date.now() - 5 * 60_000;
    await liveTick(entryPorts(url));
    const renewed = (await currentChannel(localOutputDir(dir)))!;
    expect(renewed.id).not.toBe(old.id);
    expect(renewed.token).not.toBe(old.token);
    expect(google.requests.filter((r) => r.op === 'changes.watch')).toHaveLength(2);
    const stopped = google.requests.filter((r) => r.op === 'channels.stop');
    expect(stopped.map((r) => r.body)).toEqual([{ id: old.id, resourceId: old.resourceId }]);
    expect(google.channels().find((c) => c.id === old.id)?.stopped).toBe(true);
    await google.notificationsSettled();
    // The old channel's messages are no longer ours.
    const oldSync = google.notifications.find((n) => n.channelId === old.id)!;
    expect((await fetch(url, { method: 'POST', headers: oldSync.headers })).status).toBe(404);
  });

  it('a replaced channel Drive did not stop then is stopped by a later tick, once', async () => {
    const url = await serveNotify();
    await liveTick(entryPorts(url));
    const old = (await currentChannel(localOutputDir(dir)))!;
    // Renewal while Drive does not answer the stop (the connection times out, after retries).
    offset = Date.parse(old.expiration) - Date.now() - 5 * 60_000;
    const unreachable = () => {
      const live = ports();
      return {
        ...live,
        changes: {
          ...live.changes,
          stop: async () => {
            throw Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
          },
        },
      };
    };
    logged.length = 0;
    await liveTick(entryPorts(url, { live: unreachable }));
    const renewed = (await currentChannel(localOutputDir(dir)))!;
    expect(renewed.id).not.toBe(old.id);
    expect(google.channels().find((c) => c.id === old.id)?.stopped).toBe(false);
    expect(logged.some((l) => l.startsWith('WARNING') && l.includes('не остановлен'))).toBe(true);
    await google.notificationsSettled();
    const oldSync = google.notifications.find((n) => n.channelId === old.id)!;
    expect((await fetch(url, { method: 'POST', headers: oldSync.headers })).status).toBe(404);

    // The next tick stops it; the one after asks Drive for nothing more.
    offset += 60_000;
    await liveTick(entryPorts(url));
    expect(google.channels().find((c) => c.id === old.id)?.stopped).toBe(true);
    expect(google.channels().find((c) => c.id === renewed.id)?.stopped).toBe(false);
    const stops = google.requests.filter((r) => r.op === 'channels.stop').length;
    offset += 60_000;
    await liveTick(entryPorts(url));
    expect(google.requests.filter((r) => r.op === 'channels.stop')).toHaveLength(stops);
    expect(stops).toBe(1);
  });

  it('a change notification inside the quiet period waits for it once (bounded) and answers the burst once', async () => {
    // The wait passes on the fake clock.
    const url = await serveNotify({ maxWaitMs: (QUIET + 5) * 1000, sleep: async (ms) => void (offset += ms) });
    await liveTick(entryPorts(url));
    await new Promise((resolve) => setImmediate(resolve));
    await google.notificationsSettled();
    const from = google.requests.length;
    edit(SCHOOL, 21);
    await google.notificationsSettled();
    expect(reads(from, SCHOOL)).toBe(1);
    expect(writes(from, SCHOOL)).toBe(1);
    expect(google.notifications.filter((n) => n.state === 'change').every((n) => n.status === 200)).toBe(true);
  });
});
