/**
 * A school year of the monitoring cycle, run through the cloud functions (the scheduler's message →
 * `monitor` → Pub/Sub → `worker`) with a fake clock: входной → промежуточный → итоговый by the
 * registry's stage calendar, with edits between stages, one school late, one message lost and one
 * delivered twice at once.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as functions from '@google-cloud/functions-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChromiumPdfRenderer } from '../../functions/adapters/chromium/pdf-renderer.js';
import type { PdfRenderer } from '../../functions/app/ports/pdf-renderer.js';
import type { ManifestEntry } from '../../functions/app/print-documents.js';
import type { ClosedStage } from '../../functions/app/stage-archive.js';
import { cloudPorts, monitorHandler, workerHandler } from '../../functions/cloud-entry.js';
import { parseConfig } from '../../functions/config.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { jsonLog } from '../../functions/log.js';
import type { ScheduledRunPorts } from '../../functions/scheduled-run.js';
import { pushToFunction, startFakePubSub, type FakePubSub, type PublishedMessage } from '../support/fake-pubsub.js';
import { registryTabs, schoolATabs, schoolBTabs } from '../support/fixture-region.js';
import { readPdf } from '../support/pdf-text.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { writeBook } from '../support/workbook-content.js';

let pubsub: FakePubSub;
let smtp: SmtpCapture;
let chromium: PdfRenderer;
let ports: ScheduledRunPorts;
let dir: string;
let storeDir: string;
const logLines: string[] = [];

/** The fake clock every function reads; the scheduler's messages carry its time. */
let now = new Date('2026-09-28T03:00:00Z');
/** Documents printed, by the title of their page: each must be printed once. */
const printed: string[] = [];
const countingRenderer: PdfRenderer = {
  async render(html) {
    printed.push(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
    return chromium.render(html);
  },
  close: async () => {},
};

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
/** «Регион»: the stages' deadlines, typed as dates. */
const calendar = {
  entryDeadline: day('2026-10-01'),
  interimDeadline: day('2027-01-20'),
  finalDeadline: day('2027-05-25'),
};
const registryFile = () => path.join(dir, 'реестр.xlsx');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-year-'));
  storeDir = path.join(dir, 'store');
  // The fixture region (schools А, Б, В) with a stage calendar; school В has no table yet: it is late.
  await writeBook(registryFile(), {
    ...registryTabs,
    region: { rows: [{ ...registryTabs.region.rows[0], ...calendar }] },
    // Each school's address: reminders go there too.
    schools: {
      rows: registryTabs.schools.rows.map((row) => ({ ...row, schoolEmail: `${row.code}@school.example.ru` })),
    },
  });
  await writeBook(path.join(dir, 'a.xlsx'), schoolATabs);
  await writeBook(path.join(dir, 'b.xlsx'), schoolBTabs);
  pubsub = await startFakePubSub();
  smtp = await startSmtpCapture();
  const config = parseConfig({
    MONITOR500_STORE: storeDir,
    MONITOR500_REGISTRY: registryFile(),
    MONITOR500_PUBSUB_PROJECT: 'monitor500-test',
    PUBSUB_EMULATOR_HOST: pubsub.host,
    MONITOR500_RUN_MINUTES: '360',
    MONITOR500_LEASE_SECONDS: '600',
    MONITOR500_RENDER_CONCURRENCY: '2',
    MONITOR500_SMTP_URL: smtp.url,
    MONITOR500_SMTP_FROM: 'monitor500@example.ru',
    MONITOR500_SMTP_TLS: 'none',
  });
  chromium = createChromiumPdfRenderer({
    executablePath: config.chromiumPath,
    timeoutMs: config.renderTimeoutMs,
    concurrency: config.renderConcurrency,
  });
  ports = {
    ...cloudPorts(config),
    renderer: () => countingRenderer,
    clock: { now: () => now },
    log: jsonLog((line) => logLines.push(line)),
  };
  functions.cloudEvent(
    'year-monitor',
    monitorHandler(
      () => config,
      () => ports,
    ),
  );
  functions.cloudEvent(
    'year-worker',
    workerHandler(() => ports),
  );
});

afterAll(async () => {
  await chromium?.close();
  await pubsub?.close();
  await smtp?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Delivers a message as Pub/Sub's push does, stamped with the fake clock. */
const deliver = (functionName: 'year-monitor' | 'year-worker', payload: object) =>
  pushToFunction(functionName, payload, now);

/**
 * Acts as Pub/Sub: delivers every work message (and what they publish in turn) until none is left; a
 * delivery that fails is delivered again after the others, as Pub/Sub redelivers an unacknowledged
 * message. `intercept` may take a message out of the normal flow (lose it, deliver it twice at once).
 */
async function drain(intercept?: (message: PublishedMessage) => Promise<'handled' | undefined>): Promise<void> {
  let queue = pubsub.take();
  for (let round = 0; queue.length > 0 && round < 50; round++) {
    const failed: PublishedMessage[] = [];
    for (const message of queue) {
      if ((await intercept?.(message)) === 'handled') continue;
      if ((await deliver('year-worker', message.payload)) >= 400) failed.push(message);
    }
    queue = [...pubsub.take(), ...failed];
  }
  expect(queue, 'messages left undelivered').toEqual([]);
}

/** The scheduler fires at the fake clock's time. */
async function tick(at: string): Promise<void> {
  now = new Date(at);
  expect(await deliver('year-monitor', {})).toBeLessThan(300);
}

async function readStored(key: string): Promise<Buffer | undefined> {
  return readFile(path.join(storeDir, key)).catch(() => undefined);
}
async function storedJson<T>(key: string): Promise<T | undefined> {
  const bytes = await readStored(key);
  return bytes ? (JSON.parse(bytes.toString('utf8')) as T) : undefined;
}
const manifestOf = (runId: string) =>
  storedJson<{ stage: string; asOf: string; documents: ManifestEntry[] }>(`runs/${runId}/manifest.json`);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every file under a run's deliverables, with its bytes' hash. */
async function snapshot(runId: string): Promise<Record<string, string>> {
  const base = path.join(storeDir, 'runs', runId);
  const files = (await readdir(base, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
  const entries = await Promise.all(
    files.map(async (f) => {
      const full = path.join(f.parentPath, f.name);
      return [path.relative(base, full), sha256(await readFile(full))] as const;
    }),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

/** The manifest lists every stored document once, with the stored bytes, and each was printed once. */
async function expectDocumentsOnce(runId: string, printedBefore: number): Promise<ManifestEntry[]> {
  const manifest = await manifestOf(runId);
  expect(manifest, `${runId}: manifest.json`).toBeDefined();
  const files = Object.keys(await snapshot(runId)).filter((k) => /^(reports|orders)\/.*\.pdf$/.test(k));
  const paths = manifest!.documents.map((d) => d.path);
  expect([...paths].sort()).toEqual(files.sort());
  expect(printed.length - printedBefore, `${runId}: documents printed`).toBe(paths.length);
  return manifest!.documents;
}

const stageReportText = async (runId: string) =>
  (await readPdf(new Uint8Array((await readStored(`runs/${runId}/reports/stage.pdf`))!))).text;

/** Schools whose submission status is below «готово» in a run's submission.json. */
async function notReady(runId: string): Promise<string[]> {
  const submission = await storedJson<{ schools: { code: string; status: string }[] }>(`runs/${runId}/submission.json`);
  return submission!.schools
    .filter((s) => s.status !== 'готово' && s.status !== 'подтверждено куратором')
    .map((s) => s.code)
    .sort();
}

/** Schools with a reminder recorded in a run's state (one record per deadline, day and school). */
async function remindedOn(runId: string): Promise<string[]> {
  const base = path.join(storeDir, '.state', 'runs', runId, 'reminders');
  const files = await readdir(base, { recursive: true }).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => decodeURIComponent(path.basename(f, '.json')))
    .sort();
}

/** Addresses of the reminders e-mailed so far, one entry per message. */
const reminderMails = () =>
  smtp.messages
    .filter((m) => m.subject === 'Мониторинг «500+»: напоминание о сроке сдачи таблиц')
    .flatMap((m) => m.to)
    .sort();

/** The schools the worker's log says were reminded, one entry per reminder. */
const reminderLogs = () =>
  logLines
    .map((line) => JSON.parse(line) as { message: string; schoolCode?: string })
    .filter((e) => e.message === 'Школе напомнено о сроке этапа.')
    .map((e) => e.schoolCode);

describe('a simulated school year through the cloud functions', () => {
  it('входной stage: the scheduler starts the open stage’s run by the calendar', async () => {
    const before = printed.length;
    await tick('2026-09-28T03:00:00Z');
    await drain();
    const manifest = await manifestOf('2026-09-28');
    expect(manifest).toMatchObject({ stage: 'входной', asOf: '2026-09-28' });
    await expectDocumentsOnce('2026-09-28', before);
    // No stage is closed yet: nothing to compare with.
    expect(await stageReportText('2026-09-28')).not.toContain('«Было» — по данным');
    // Three days before the deadline is a reminder day: each school not ready is reminded, once.
    expect(await remindedOn('2026-09-28')).toEqual(await notReady('2026-09-28'));
    // School А has filled everything without errors; Б has an empty tab, В no table at all.
    expect(await remindedOn('2026-09-28')).toEqual(['01-002', '02-001']);
    // …by e-mail too, one message each.
    expect(reminderMails()).toEqual(['01-002@school.example.ru', '02-001@school.example.ru']);
  });

  it('a second scheduler message the same day prints nothing again and reminds nobody again', async () => {
    const before = printed.length;
    const reminders = reminderLogs();
    await tick('2026-09-28T09:00:00Z');
    await drain();
    expect(printed.length).toBe(before);
    expect(reminderLogs()).toEqual(reminders);
    expect(reminderMails()).toHaveLength(2);
    expect(new Set(reminders).size).toBe(reminders.length);
  });

  let entry: Record<string, string>;

  it('the day after the deadline the входной stage closes; a message delivered twice at once is done once', async () => {
    // School А finishes a measure on time.
    const roadmap = schoolATabs.roadmap.rows.map((row) =>
      row.number === '5' ? { ...row, status: 'выполнено', completedOn: day('2026-09-30') } : row,
    );
    await writeBook(path.join(dir, 'a.xlsx'), { ...schoolATabs, roadmap: { rows: roadmap } });
    const before = printed.length;
    await tick('2026-10-02T03:00:00Z');
    let doubled = 0;
    await drain(async (message) => {
      if (doubled > 0 || message.payload.runId !== '2026-2027-entry' || !('school' in message.payload))
        return undefined;
      doubled += 1;
      // Pub/Sub delivers the same message to two instances at once: one does the work, the other is told to come back.
      const statuses = await Promise.all([
        deliver('year-worker', message.payload),
        deliver('year-worker', message.payload),
      ]);
      expect(statuses.filter((s) => s < 300)).toHaveLength(1);
      // The refused delivery comes back later and finds the school done.
      expect(await deliver('year-worker', message.payload)).toBeLessThan(300);
      return 'handled';
    });
    expect(doubled).toBe(1);
    // The open stage's run waits for the stage before it to close: it starts with the next message.
    expect(await manifestOf('2026-10-02')).toBeUndefined();
    await tick('2026-10-02T09:00:00Z');
    await drain();
    const closed = await storedJson<ClosedStage>('.state/stages/2026-2027/entry.json');
    expect(closed).toMatchObject({
      stage: 'входной',
      deadline: '2026-10-01',
      asOf: '2026-10-01',
      location: 'runs/2026-2027-entry/',
    });
    expect(await manifestOf('2026-2027-entry')).toMatchObject({ stage: 'входной', asOf: '2026-10-01' });
    // The day's run is of the stage now open, and compares with the closed one.
    expect(await manifestOf('2026-10-02')).toMatchObject({ stage: 'промежуточный' });
    expect(await stageReportText('2026-10-02')).toContain(
      '«Было» — по данным входного мониторинга на 1 октября 2026 г.',
    );
    // Its index lists the stages: the closed one linked to its own documents, the open one, the one ahead.
    const index = (await readStored('runs/2026-10-02/index.html'))!.toString('utf8');
    expect(index).toContain(
      '<a href="../../runs/2026-2027-entry/index.html">Входной мониторинг, 2026/2027 учебный год</a>',
    );
    expect(index).toMatch(
      /Промежуточный мониторинг, 2026\/2027 учебный год<\/td><td>20 января 2027.г\.<\/td><td>открыт/,
    );
    expect(index).toMatch(/Итоговый мониторинг, 2026\/2027 учебный год<\/td><td>25 мая 2027.г\.<\/td><td>впереди/);
    const documents =
      (await manifestOf('2026-2027-entry'))!.documents.length + (await manifestOf('2026-10-02'))!.documents.length;
    expect(printed.length - before).toBe(documents);
    entry = await snapshot('2026-2027-entry');
  });

  it('the промежуточный stage closes with the late school in it and compares with входной; входной never changes', async () => {
    // School В hands in its table after the входной deadline: it counts from the промежуточный stage on.
    await writeBook(path.join(dir, 'v.xlsx'), schoolBTabs);
    await tick('2027-01-21T03:00:00Z');
    await drain();
    await tick('2027-01-21T09:00:00Z');
    await drain();
    expect(await manifestOf('2026-2027-interim')).toMatchObject({ stage: 'промежуточный', asOf: '2027-01-20' });
    expect(await stageReportText('2026-2027-interim')).toContain(
      '«Было» — по данным входного мониторинга на 1 октября 2026 г.',
    );
    expect(await manifestOf('2027-01-21')).toMatchObject({ stage: 'итоговый' });
    expect(await stageReportText('2027-01-21')).toContain(
      '«Было» — по данным промежуточного мониторинга на 20 января 2027 г.',
    );
    // The closed stage's files are exactly as they were.
    expect(await snapshot('2026-2027-entry')).toEqual(entry);
    // The late school had no table at входной, and has one now.
    const entryIssues = (await storedJson<{ issues: ValidationIssue[] }>('runs/2026-2027-entry/validation.json'))!
      .issues;
    expect(entryIssues.some((i) => i.code === 'workbook_unreadable' && i.value === 'v.xlsx')).toBe(true);
    const interimIssues = (await storedJson<{ issues: ValidationIssue[] }>('runs/2026-2027-interim/validation.json'))!
      .issues;
    expect(interimIssues.some((i) => i.code === 'workbook_unreadable')).toBe(false);
  });

  it('a lost message does not stop the итоговый stage: after the run’s time it finishes without that school and names it', async () => {
    const before = printed.length;
    await tick('2027-05-26T03:00:00Z');
    let lost: string | undefined;
    await drain(async (message) => {
      if (lost || !('school' in message.payload)) return undefined;
      lost = String(message.payload.school);
      return 'handled';
    });
    expect(lost).toBeDefined();
    expect(await manifestOf('2026-2027-final')).toBeUndefined();
    // Later the same day, past the run's time, the scheduler finishes it without the lost school.
    await tick('2027-05-26T10:00:00Z');
    await drain();
    const documents = await expectDocumentsOnce('2026-2027-final', before);
    expect(documents.some((d) => d.path === `reports/schools/${lost}.pdf`)).toBe(false);
    const issues = (await storedJson<{ issues: ValidationIssue[] }>('runs/2026-2027-final/validation.json'))!.issues;
    expect(issues.filter((i) => i.code === 'school_not_arrived').map((i) => i.message)).toEqual([
      expect.stringContaining(lost!),
    ]);
    expect(await stageReportText('2026-2027-final')).toContain(lost!);
    expect(await stageReportText('2026-2027-final')).toContain(
      '«Было» — по данным промежуточного мониторинга на 20 января 2027 г.',
    );
    expect(await storedJson('.state/stages/2026-2027/final.json')).toMatchObject({ stage: 'итоговый' });
    // After the last stage the scheduler starts nothing new.
    const runs = await readdir(path.join(storeDir, 'runs'));
    await tick('2027-06-10T03:00:00Z');
    await drain();
    expect(await readdir(path.join(storeDir, 'runs'))).toEqual(runs);
  });

  it('rerunning a closed stage from its kept inputs reproduces its documents byte for byte', async () => {
    // The deliverables and print records are lost; the kept inputs are not.
    await rm(path.join(storeDir, 'runs', '2026-2027-entry'), { recursive: true });
    await rm(path.join(storeDir, '.state', 'runs', '2026-2027-entry', 'printed'), { recursive: true });
    // The sheets have changed since; the rerun does not read them.
    await writeBook(path.join(dir, 'b.xlsx'), schoolATabs);
    expect(await deliver('year-worker', { runId: '2026-2027-entry', finish: true })).toBeLessThan(300);
    await drain();
    expect(await snapshot('2026-2027-entry')).toEqual(entry);
  });

  it('e-mailed each closed stage to each address once, through all the redeliveries and the rerun', () => {
    const closing = smtp.messages.filter((m) => !m.subject.includes('напоминание'));
    const stages = ['входной', 'промежуточный', 'итоговый'];
    for (const stage of stages)
      expect(
        closing.some((m) => m.subject.includes(`${stage} этап`)),
        stage,
      ).toBe(true);
    const sent = closing.map((m) => `${m.subject} → ${m.to.join(', ')}`);
    expect(new Set(sent).size).toBe(sent.length);
  });
});
