/**
 * Live feedback (app/live-feedback.ts) against the strict fake Google with the demo region: Drive's
 * change feed says which school workbooks changed; each is answered once its edits settle (quiet
 * period), read once and written once per burst, and never again for the same edit. A fake clock
 * (real time plus an offset) stands for the quiet period passing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients } from '../../functions/adapters/google/clients.js';
import { googleDriveChanges } from '../../functions/adapters/google/drive-changes.js';
import { googleSheetsSource } from '../../functions/adapters/google/sheets-source.js';
import { skipUnchangedWorkbooks } from '../../functions/adapters/google/unchanged-workbook-cache.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { parseRawJson, type RawWorkbook } from '../../functions/core/raw-workbook.js';
import { onDriveChanges, type LivePorts } from '../../functions/app/live-feedback.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { startFakeGoogleApis, type FakeGoogleApis, type FakeSpreadsheet } from '../support/fake-google/index.js';
import { demoRegionSheets } from '../support/demo-region-sheets.js';

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
  const clients = createGoogleClients({
    apiRoot: google.url,
    accessToken: 'test-token',
    requestsPerMinute: 100_000,
    concurrency: 4,
    timeoutMs: 10_000,
  });
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
/** Reads of a workbook's values (the write-back's look-up of its tab list before its one batchUpdate is not one). */
const reads = (from: number, id: string) =>
  since(from).filter(
    (r) => r.op === 'spreadsheets.get' && r.spreadsheetId === id && r.query.includeGridData?.[0] === 'true',
  ).length;
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
