/**
 * Live feedback at regional scale (issue 19): schools' edit bursts at a busy hour's rate (3–8 edits
 * 2–10 s apart, bursts starting at seeded random times) over 500 participant spreadsheets in the local fake of Sheets v4 / Drive v3 (tests/support/fake-google/), answered by the
 * product's own onDriveChanges (app/live-feedback.ts) through the real Google clients, source and
 * state, as the two entry points call it: `notify` on each Drive push notification (one per change,
 * some late, some twice; waiting once for a quiet period ending within MONITOR500_LIVE_WAIT_SECONDS)
 * and `live` every minute.
 *
 * Time is simulated: Date.now (which the fake stamps edits with) and the use case's clock both read a
 * simulated clock the harness moves from event to event; a call takes no simulated time. The requests
 * are real HTTP requests the fake receives and counts. `notify` runs on one instance, one request at
 * a time (Cloud Functions gen1): a notification arriving while it waits for a quiet period is
 * handled when the wait ends. The quota limiters (clients.ts: Sheets reads, Sheets writes, Drive,
 * each per instance) work in real time, so here they are left unbounded and their queueing is
 * computed afterwards from the requests each instance made and when: an instance's requests one
 * after another, each starting no earlier than it was issued, than the one before it, and than 60 s
 * after the request of the same quota `budget` places before it (the limiter's sliding minute).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lastAnswered, onDriveChanges, type LiveOptions, type LivePorts } from '../../functions/app/live-feedback.js';
import { createGoogleClients } from '../../functions/adapters/google/clients.js';
import { googleDriveChanges } from '../../functions/adapters/google/drive-changes.js';
import { googleSheetsSource } from '../../functions/adapters/google/sheets-source.js';
import { skipUnchangedWorkbooks } from '../../functions/adapters/google/unchanged-workbook-cache.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { fakeSpreadsheetFromWorkbook, startFakeGoogleApis, type FakeRequest } from '../support/fake-google/index.js';
import { DEFAULT_REGION, generateRegion } from './region-generator.js';
import { prng } from './synthetic-values.js';

export interface LiveFeedbackSize {
  participants: number;
  /** Edit bursts over `minutes` (a busy hour: 300 in 60 minutes). */
  bursts: number;
  minutes: number;
  quietSeconds: number;
  /** MONITOR500_LIVE_WAIT_SECONDS of `notify`. */
  maxWaitSeconds: number;
  /** MONITOR500_GOOGLE_REQUESTS_PER_MINUTE of `notify` (serverless.yml): Sheets reads, and writes, a minute. */
  requestsPerMinute: number;
  /** The same of `live`. */
  liveRequestsPerMinute: number;
  /** MONITOR500_DRIVE_REQUESTS_PER_MINUTE of each instance. */
  driveRequestsPerMinute: number;
  /**
   * Rows of «Результаты оценочных процедур» per school in the registry, which here lists the
   * participants only. Each call that sees a school's change parses the cached registry (an answer:
   * twice); with the data stage's registry (1 500 schools × 30 results) an answer costs about two
   * seconds of processor time, and the hour's calls would take an hour of real time. Requests and
   * simulated time do not depend on it; `callMs` does.
   */
  resultsPerSchool: number;
  /** Drive pushes notifications to `notify`; false: a region without push, the `live` tick alone. */
  push: boolean;
  seed: number;
}

export const DEFAULT_LIVE: LiveFeedbackSize = {
  participants: 500,
  bursts: 300,
  minutes: 60,
  quietSeconds: 20,
  maxWaitSeconds: 20,
  requestsPerMinute: 10,
  liveRequestsPerMinute: 5,
  driveRequestsPerMinute: 600,
  resultsPerSchool: 1,
  push: true,
  seed: 19,
};

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
}

export interface LiveFeedbackResult {
  participants: number;
  /** Push notifications to `notify`; false: the `live` tick alone. */
  push: boolean;
  bursts: number;
  minutes: number;
  edits: number;
  /** Drive push notifications handled (duplicates included), and of them duplicates. */
  notifications: number;
  duplicates: number;
  ticks: number;
  /** Answers (one per workbook per settled burst; overlapping bursts of one school are answered together). */
  answers: number;
  /** Bursts never answered by the end of the span plus two quiet minutes. */
  unanswered: number;
  /** Seconds from a burst's last edit to the write of its feedback, with requests starting at once. */
  latency: Percentiles;
  /** The same with the production budgets' queueing (`notify`'s Sheets budget requestsPerMinute), computed. */
  latencyUnderQuota: Percentiles & { requestsPerMinute: number };
  /** The smallest Sheets budget of `notify` whose computed p95 is ≤ 60 s (up to 60 a minute); null: none. */
  budgetForTarget: number | null;
  /** Per answer: cell reads of the answered workbook (target exactly 1), writes to it (target ≤ 1). */
  perAnswer: {
    readsMin: number;
    readsMax: number;
    writesMax: number;
    /** Answers with ≠ 1 read, or > 1 write. */
    offTarget: number;
  };
  /** School workbooks read outside an answer of theirs (target 0). */
  strayReads: number;
  requests: {
    total: number;
    byOp: Record<string, number>;
    /** changes.list requests per call of onDriveChanges (notification or tick). */
    changesListPerCall: number;
    changesListPerTick: number;
    /** All Google requests per burst answered. */
    perAnswer: number;
    /** Requests a minute per instance: mean over the hour, busiest minute. */
    perMinute: { notify: { mean: number; max: number }; live: { mean: number; max: number } };
  };
  /** Real time of one call of onDriveChanges on this machine (ms): median, and of calls that answered. */
  callMs: { median: number; answering: number };
  simulatedSeconds: number;
  wallSeconds: number;
}

type Instance = 'notify' | 'live';
interface Call {
  instance: Instance;
  at: number;
  requests: FakeRequest[];
  answered: string[];
  ms: number;
}

const REGISTRY_ID = 'bench-live-registry';
const TEACHER = 'teacher@school.bench';

function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: NaN, p95: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

const isCellRead = (r: FakeRequest) => r.op === 'spreadsheets.get' && r.query.includeGridData?.[0] === 'true';
const isWrite = (r: FakeRequest) => r.api === 'sheets' && r.kind === 'write';

type Budget = 'sheets-read' | 'sheets-write' | 'drive';
const budgetOf = (r: FakeRequest): Budget =>
  r.api === 'drive' ? 'drive' : r.kind === 'write' ? 'sheets-write' : 'sheets-read';

/**
 * When each request of each instance would start behind its limiters (`perMinute` starts of each
 * quota in a sliding minute), given when it was issued (ms): an instance's requests one after another.
 */
function queued(calls: readonly Call[], perMinute: Record<Instance, Record<Budget, number>>): Map<FakeRequest, number> {
  const start = new Map<FakeRequest, number>();
  for (const instance of ['notify', 'live'] as const) {
    let previous = -Infinity;
    const started: Record<Budget, number[]> = { 'sheets-read': [], 'sheets-write': [], drive: [] };
    for (const call of calls.filter((c) => c.instance === instance)) {
      for (const request of call.requests) {
        const budget = budgetOf(request);
        const window = started[budget];
        const limit = perMinute[instance][budget];
        let t = Math.max(call.at, previous);
        if (window.length >= limit) t = Math.max(t, window[window.length - limit]! + 60_000);
        window.push(t);
        previous = t;
        start.set(request, t);
      }
    }
  }
  return start;
}

export async function liveFeedback(size: LiveFeedbackSize = DEFAULT_LIVE): Promise<LiveFeedbackResult> {
  const wallStart = performance.now();
  const random = prng(size.seed);
  const realNow = Date.now;
  // The simulated clock: the fake stamps edits with Date.now, the use case reads `clock`.
  const hour = 3_600_000;
  const t0 = Math.ceil(realNow() / hour) * hour;
  let now = t0;
  Date.now = () => now;
  const clock = { now: () => new Date(now) };

  const google = await startFakeGoogleApis();
  const dir = await mkdtemp(path.join(tmpdir(), 'monitor500-bench-live-'));
  try {
    // The region: 500 participants' spreadsheets, the registry naming them by ID.
    const region = generateRegion({
      ...DEFAULT_REGION,
      participants: size.participants,
      schools: size.participants,
    });
    const idOf = (reference: string) => `bench-live-${reference.replace(/[^A-Za-z0-9]/g, '-')}`;
    const registry = structuredClone(region.registry);
    const schools = registry.tabs.find((t) => t.name === 'Школы');
    const column = schools?.rows[0]?.findIndex((c) => c.value === 'Таблица школы') ?? -1;
    for (const row of schools?.rows.slice(1) ?? []) {
      const cell = row[column];
      if (cell && typeof cell.value === 'string' && region.schoolWorkbooks.has(cell.value))
        row[column] = { value: idOf(cell.value) };
    }
    const ids: string[] = [];
    for (const [reference, workbook] of region.schoolWorkbooks) {
      ids.push(idOf(reference));
      google.put(fakeSpreadsheetFromWorkbook(idOf(reference), workbook, new Date(t0 - 86_400_000).toISOString()));
    }
    google.put(fakeSpreadsheetFromWorkbook(REGISTRY_ID, registry, new Date(t0 - 86_400_000).toISOString()));

    const rules = monitoringRules();
    const clients = createGoogleClients({
      apiRoot: google.url,
      accessToken: 'bench-token',
      // Unbounded here; the production budget's queueing is computed afterwards (queued()).
      requestsPerMinute: 1_000_000,
      driveRequestsPerMinute: 1_000_000,
      concurrency: 4,
      timeoutMs: 30_000,
    });
    const state = localOutputDir(dir);
    // A fresh source per call, as the cloud builds it (one Drive listing per call), over the same state.
    const ports = (): LivePorts => ({
      changes: googleDriveChanges(clients, REGISTRY_ID),
      source: skipUnchangedWorkbooks(googleSheetsSource(REGISTRY_ID, clients), REGISTRY_ID, clients, state),
      state,
      rules,
      clock,
    });
    const options: LiveOptions = { quietSeconds: size.quietSeconds, timeZone: 'Europe/Moscow', stage: 'входной' };

    const calls: Call[] = [];
    const call = async (instance: Instance) => {
      const from = google.requests.length;
      const started = performance.now();
      const outcome = await onDriveChanges(ports(), options);
      const ms = performance.now() - started;
      const requests = google.requests.slice(from);
      calls.push({ instance, at: now, requests, answered: outcome.answered, ms });
      return { outcome, requests };
    };

    // The events of the hour, by simulated time.
    type Event =
      { at: number; kind: 'edit'; id: string; burst: number } | { at: number; kind: 'notify' | 'tick' | 'wait' };
    const events: Event[] = [];
    const push = (event: Event) => {
      // Keeps the list ordered; ties keep insertion order.
      let i = events.length;
      while (i > 0 && events[i - 1]!.at > event.at) i--;
      events.splice(i, 0, event);
    };
    const bursts: { id: string; lastEdit: number; answeredAt?: number; answeredAtWrite?: FakeRequest }[] = [];
    let edits = 0;
    for (let b = 0; b < size.bursts; b++) {
      const id = ids[Math.floor(random() * ids.length)]!;
      let at = t0 + Math.floor(random() * size.minutes * 60_000);
      const count = 3 + Math.floor(random() * 6);
      bursts.push({ id, lastEdit: 0 });
      for (let e = 0; e < count; e++) {
        push({ at, kind: 'edit', id, burst: b });
        edits++;
        at += 2_000 + Math.floor(random() * 8_000);
      }
    }
    const end = t0 + size.minutes * 60_000 + 2 * 60_000;
    for (let t = t0 + 60_000; t <= end; t += 60_000) push({ at: t, kind: 'tick' });

    let notifications = 0;
    let duplicates = 0;
    let ticks = 0;
    /** `notify` handles one request at a time: busy until its wait for a quiet period ends. */
    let notifyFreeAt = 0;
    /** Drive's notification of one change: usually within seconds, sometimes late, sometimes twice. */
    const notifyLater = (at: number) => {
      if (!size.push) return;
      const late = random() < 0.1;
      push({ at: at + (late ? 10_000 + random() * 50_000 : 500 + random() * 4_500), kind: 'notify' });
      if (random() < 0.05) {
        duplicates++;
        push({ at: at + 1_000 + random() * 30_000, kind: 'notify' });
      }
    };

    // The start token first, as the first tick stores it.
    await call('live');
    const answeredTime = async (id: string) => Date.parse((await lastAnswered(state, id)) ?? '1970-01-01T00:00:00Z');
    const settle = async (done: { requests: FakeRequest[]; outcome: { answered: string[] } }) => {
      for (const id of done.outcome.answered) {
        const covered = await answeredTime(id);
        const write = done.requests.find((r) => isWrite(r) && r.spreadsheetId === id);
        for (const burst of bursts) {
          if (burst.id === id && burst.answeredAt === undefined && burst.lastEdit > 0 && burst.lastEdit <= covered) {
            burst.answeredAt = now;
            if (write) burst.answeredAtWrite = write;
          }
        }
      }
      // Our own write-backs are changes too: Drive notifies them like any other.
      for (const r of done.requests) if (isWrite(r)) notifyLater(now);
    };

    while (events.length > 0) {
      const event = events.shift()!;
      now = Math.max(now, Math.floor(event.at));
      if (event.kind === 'edit') {
        const ss = google.spreadsheets.get(event.id)!;
        const sheet = ss.sheets.find((s) => s.title !== 'Проверка' && s.rows.length > 1);
        const row = sheet?.rows[1];
        const at = row?.findIndex((c) => typeof c?.value === 'number') ?? -1;
        if (row && at >= 0) row[at] = { ...row[at]!, value: (row[at]!.value as number) + 1 };
        google.touch(event.id, TEACHER);
        bursts[event.burst]!.lastEdit = Date.parse(google.spreadsheets.get(event.id)!.modifiedTime);
        notifyLater(now);
      } else if (event.kind === 'tick') {
        ticks++;
        await settle(await call('live'));
      } else {
        if (event.kind === 'notify' && now < notifyFreeAt) {
          // The instance is waiting: this notification is handled after the wait (queued behind it).
          push({ ...event, at: notifyFreeAt });
          continue;
        }
        if (event.kind === 'notify') notifications++;
        const done = await call('notify');
        await settle(done);
        // notify waits once (bounded) for a quiet period about to end, then lists again.
        const next = done.outcome.nextDue?.getTime();
        if (
          event.kind === 'notify' &&
          next !== undefined &&
          next - now > 0 &&
          next - now <= size.maxWaitSeconds * 1000
        ) {
          notifyFreeAt = next;
          push({ at: next, kind: 'wait' });
        }
      }
    }

    // What was measured.
    const answers = calls.flatMap((c) => c.answered.map((id) => ({ call: c, id })));
    let readsMin = Infinity;
    let readsMax = 0;
    let writesMax = 0;
    let offTarget = 0;
    for (const { call: c, id } of answers) {
      const reads = c.requests.filter((r) => isCellRead(r) && r.spreadsheetId === id).length;
      const writes = c.requests.filter((r) => isWrite(r) && r.spreadsheetId === id).length;
      readsMin = Math.min(readsMin, reads);
      readsMax = Math.max(readsMax, reads);
      writesMax = Math.max(writesMax, writes);
      if (reads !== 1 || writes > 1) offTarget++;
    }
    const schoolIds = new Set(ids);
    const strayReads = calls.flatMap((c) =>
      c.requests.filter(
        (r) => isCellRead(r) && schoolIds.has(r.spreadsheetId ?? '') && !c.answered.includes(r.spreadsheetId!),
      ),
    ).length;
    const all = calls.flatMap((c) => c.requests);
    const byOp: Record<string, number> = {};
    for (const r of all) byOp[r.op] = (byOp[r.op] ?? 0) + 1;
    const listPer = (cs: Call[]) =>
      cs.reduce((n, c) => n + c.requests.filter((r) => r.op === 'changes.list').length, 0) / Math.max(1, cs.length);
    const tickCalls = calls.filter((c) => c.instance === 'live').slice(1);
    const perMinute = (instance: Instance) => {
      const minutes = new Map<number, number>();
      for (const c of calls.filter((x) => x.instance === instance))
        minutes.set(
          Math.floor((c.at - t0) / 60_000),
          (minutes.get(Math.floor((c.at - t0) / 60_000)) ?? 0) + c.requests.length,
        );
      const counts = [...minutes.values()];
      return {
        mean: counts.reduce((a, b) => a + b, 0) / Math.max(1, Math.ceil((end - t0) / 60_000)),
        max: Math.max(0, ...counts),
      };
    };

    const answeredBursts = bursts.filter((b) => b.answeredAt !== undefined);
    const latency = percentiles(answeredBursts.map((b) => (b.answeredAt! - b.lastEdit) / 1000));
    const underQuota = (notifyPerMinute: number) => {
      const start = queued(calls, {
        notify: { 'sheets-read': notifyPerMinute, 'sheets-write': notifyPerMinute, drive: size.driveRequestsPerMinute },
        live: {
          'sheets-read': size.liveRequestsPerMinute,
          'sheets-write': size.liveRequestsPerMinute,
          drive: size.driveRequestsPerMinute,
        },
      });
      return percentiles(
        answeredBursts.map(
          (b) => ((b.answeredAtWrite ? start.get(b.answeredAtWrite)! : b.answeredAt!) - b.lastEdit) / 1000,
        ),
      );
    };
    let budgetForTarget: number | null = null;
    for (let budget = 1; budget <= 60; budget++) {
      if (underQuota(budget).p95 <= 60) {
        budgetForTarget = budget;
        break;
      }
    }
    return {
      participants: ids.length,
      push: size.push,
      bursts: bursts.length,
      minutes: size.minutes,
      edits,
      notifications,
      duplicates,
      ticks,
      answers: answers.length,
      unanswered: bursts.length - answeredBursts.length,
      latency,
      latencyUnderQuota: { ...underQuota(size.requestsPerMinute), requestsPerMinute: size.requestsPerMinute },
      budgetForTarget,
      perAnswer: { readsMin: answers.length ? readsMin : 0, readsMax, writesMax, offTarget },
      strayReads,
      requests: {
        total: all.length,
        byOp,
        changesListPerCall: listPer(calls),
        changesListPerTick: listPer(tickCalls),
        perAnswer: all.length / Math.max(1, answers.length),
        perMinute: { notify: perMinute('notify'), live: perMinute('live') },
      },
      callMs: {
        median: percentiles(calls.map((c) => c.ms)).p50,
        answering: percentiles(calls.filter((c) => c.answered.length > 0).map((c) => c.ms)).p50,
      },
      simulatedSeconds: (now - t0) / 1000,
      wallSeconds: (performance.now() - wallStart) / 1000,
    };
  } finally {
    Date.now = realNow;
    await google.close();
    await rm(dir, { recursive: true, force: true });
  }
}
