import type { CloudEvent } from '@google-cloud/functions-framework';
import type { PubSubEventData, ScheduleRequest, WorkMessage } from './scheduled-messages.js';
import { deliverRun, sendReminders } from './app/deliver.js';
import { keepingInputs, keptInputs } from './app/kept-inputs.js';
import { underLease, WorkHeld } from './app/lease.js';
import type { Clock } from './app/ports/clock.js';
import type { Mailer } from './app/ports/mailer.js';
import { json, readJson, within, type OutputStore } from './app/ports/output-store.js';
import type { Publisher } from './app/ports/publisher.js';
import type { WorkbookSource } from './app/ports/workbook-source.js';
import { stateFor, type RunStateStore } from './app/ports/run-state-store.js';
import { runMonitoring } from './app/run-region.js';
import { runSchool } from './app/run-school.js';
import { closedStage, closedStages, closeStage, isClosed, previousClosed } from './app/stage-archive.js';
import { formatSchoolYear, parseSchoolYear, type IsoDate } from './core/calendar.js';
import type { MonitoringIndicators, Stage } from './core/indicators.js';
import { readRegistryWorkbook, usableRows, type WorkbookReading } from './core/read-workbook.js';
import { openStage, stageRunId, stagesPast } from './core/stage-calendar.js';
import { errorFields } from './log.js';
import type { RegionPorts } from './region-ports.js';

/** A scheduled run as planned when it starts: `.state/runs/<runId>/run.json`. */
export interface RunPlan {
  runId: string;
  asOf: IsoDate;
  stage: Stage;
  /** Codes of the participant schools, one worker message each. */
  schools: string[];
  /** When the run was planned. */
  startedAt: string;
  /** From then on the last step goes without the schools whose work has not arrived, and names them. */
  finishBy: string;
  /** The stage this run closes (the first run after its deadline): recorded as closed when the run is done. */
  closes?: { schoolYear: string; deadline: IsoDate };
  /** The closed stage its «было / стало» compares with, fixed when planned: the workers and the last step agree. */
  compareWith?: { schoolYear: string; stage: Stage };
}

/** What the scheduled run works with: the region's ports, the topic that fans the run out, the clock, and how long work may take. */
export interface ScheduledRunPorts extends RegionPorts {
  publisher: Publisher;
  workTopic: string;
  clock: Clock;
  timing: {
    /** How long a run waits for its schools before its last step goes without the late ones. */
    finishAfterMinutes: number;
    /** How long one delivery holds a school's part or the last step before another may take it over. */
    leaseSeconds: number;
  };
  /** The stage of runs when the registry states no calendar (MONITOR500_STAGE). */
  defaultStage: Stage;
  /** The region's time zone (MONITOR500_TIME_ZONE), for the times of the schools' last changes. */
  timeZone: string;
  /** E-mail of finished runs' documents by scope (app/deliver.ts); without it nothing is sent. */
  mail?: ScheduledMail;
}

/** How finished scheduled runs are e-mailed (MONITOR500_MAIL_*, MONITOR500_SMTP_*). */
export interface ScheduledMail {
  mailer: Mailer;
  /** close: runs that close a stage; finish: every run; off: none. */
  on: 'close' | 'finish' | 'off';
  attachBytes: number;
  linkSeconds: number;
  /** Where the store is, for messages naming a file too large to attach where the store signs no links. */
  place: string;
}

/** Where a run's deliverables go (`runs/<runId>/`) and where its state is kept (`.state/runs/<runId>/`). */
function runPlaces(ports: ScheduledRunPorts, runId: string): { output: OutputStore; state: RunStateStore } {
  return { output: within(ports.store, `runs/${runId}/`), state: stateFor(ports.store, `runs/${runId}/`) };
}
const doneKey = (school: string) => `schools/${encodeURIComponent(school)}.json`;
/** The store's own state: closed stages, the list of runs started and finished. */
const rootState = (ports: ScheduledRunPorts) => stateFor(ports.store);
const startedKey = (runId: string) => `run-index/started/${runId}.json`;
const finishedKey = (runId: string) => `run-index/finished/${runId}.json`;
/** A finished run whose e-mail is due and not done yet (an address failed, or the process stopped). */
const mailPendingKey = (runId: string) => `run-index/mail-pending/${runId}.json`;
/** A finished run whose every address has its message. */
const mailDoneKey = (runId: string) => `run-index/mail-done/${runId}.json`;

/**
 * The scheduled run (CloudEvent `monitor`). Reads the registry and, by its stage calendar, starts
 * what is due: a closing run for every stage whose deadline has passed and that is not closed yet
 * (dated by its deadline), and the day's run of the open stage. Runs started earlier and not
 * finished are continued: the schools not done are sent again, or, once a run's time is up, its last
 * step goes without them. A redelivered or repeated message continues the same runs.
 */
export async function onSchedule(request: ScheduleRequest, ports: ScheduledRunPorts): Promise<void> {
  const live = ports.source(rootState(ports));
  const raw = await live.readRegistry();
  const registry = readRegistryWorkbook(raw, ports.rules.specs, ports.rules.settings);
  await live.writeFeedback?.(registry.name, registry.issues);
  const due = await runsDue(request, registry, ports);
  await continueEarlierRuns(new Set(due.map((r) => r.runId)), ports);
  for (const run of due) {
    const { output, state } = runPlaces(ports, run.runId);
    if (await output.read('manifest.json')) {
      await recordFinished(run.runId, ports);
      await deliverFinished(run.runId, ports);
      continue;
    }
    let plan = await readJson<RunPlan>(state, 'run.json');
    if (!plan) {
      await keepingInputs(
        { readRegistry: async () => raw, readSchoolWorkbook: live.readSchoolWorkbook },
        state,
      ).readRegistry();
      const schools = usableRows(registry, 'schools')
        .filter((r) => r.values.participant)
        .map((r) => r.values.code);
      const now = ports.clock.now();
      const previous = previousClosed(await closedStages(rootState(ports)), {
        ...run,
        schoolYear: registry.schoolYear,
      });
      const planned: RunPlan = {
        ...run,
        ...(previous ? { compareWith: { schoolYear: previous.schoolYear, stage: previous.stage } } : {}),
        schools: [...new Set(schools)],
        startedAt: now.toISOString(),
        finishBy: new Date(now.getTime() + ports.timing.finishAfterMinutes * 60_000).toISOString(),
      };
      // Two deliveries of one scheduler message plan once: the first plan written stands.
      if (await state.create('run.json', json(planned))) {
        await rootState(ports).write(startedKey(run.runId), json({ runId: run.runId, startedAt: planned.startedAt }));
        ports.log('INFO', 'Прогон начат.', { runId: run.runId, schools: planned.schools.length, asOf: planned.asOf });
      }
      plan = (await readJson<RunPlan>(state, 'run.json')) ?? planned;
    }
    await dispatch(plan, state, ports);
  }
}

type DueRun = Pick<RunPlan, 'runId' | 'asOf' | 'stage' | 'closes'>;

/**
 * The runs a scheduler message starts or continues: the one it names (a stage given), or by the
 * registry's calendar the closing runs of past stages not closed yet and the open stage's run of
 * the day; without a calendar, the day's run of the default stage.
 */
async function runsDue(
  request: ScheduleRequest,
  registry: WorkbookReading,
  ports: ScheduledRunPorts,
): Promise<DueRun[]> {
  const calendar = registry.stageCalendar;
  if (request.stage || !calendar) {
    return [{ runId: request.runId ?? request.asOf, asOf: request.asOf, stage: request.stage ?? ports.defaultStage }];
  }
  const due: DueRun[] = [];
  for (const past of stagesPast(calendar, request.asOf)) {
    if (await isClosed(rootState(ports), calendar.schoolYear, past.stage)) continue;
    due.push({
      runId: stageRunId(calendar.schoolYear, past.stage),
      asOf: past.deadline,
      stage: past.stage,
      closes: { schoolYear: formatSchoolYear(calendar.schoolYear), deadline: past.deadline },
    });
  }
  const open = openStage(calendar, request.asOf);
  if (due.length > 0) {
    // The open stage's run compares with the stages before it: it starts once they are closed.
    ports.log('INFO', 'Закрываются прошедшие этапы; прогон открытого этапа начнётся после их закрытия.', {
      asOf: request.asOf,
      closing: due.length,
    });
  } else if (open) {
    due.push({ runId: request.runId ?? request.asOf, asOf: request.asOf, stage: open.stage });
  } else {
    ports.log('INFO', 'Все этапы учебного года закрыты; новый прогон не начат.', { asOf: request.asOf });
  }
  return due;
}

/** Runs started earlier and not finished (a message lost, a worker gone): continued, or finished without the late schools. */
async function continueEarlierRuns(dueNow: ReadonlySet<string>, ports: ScheduledRunPorts): Promise<void> {
  const state = rootState(ports);
  const ids = (keys: string[], prefix: string) => keys.map((k) => k.slice(prefix.length, -'.json'.length));
  const finished = new Set(ids(await state.list('run-index/finished/'), 'run-index/finished/'));
  for (const runId of ids(await state.list('run-index/started/'), 'run-index/started/')) {
    if (finished.has(runId) || dueNow.has(runId)) continue;
    const places = runPlaces(ports, runId);
    if (await places.output.read('manifest.json')) {
      await recordFinished(runId, ports);
      await deliverFinished(runId, ports);
      continue;
    }
    const plan = await readJson<RunPlan>(places.state, 'run.json');
    if (plan) await dispatch(plan, places.state, ports);
  }
  // Finished runs whose e-mail is not all sent: each monitor tick tries the failed addresses again.
  if (!ports.mail || ports.mail.on === 'off') return;
  const done = new Set(ids(await state.list('run-index/mail-done/'), 'run-index/mail-done/'));
  for (const runId of ids(await state.list('run-index/mail-pending/'), 'run-index/mail-pending/')) {
    if (!done.has(runId)) await deliverFinished(runId, ports);
  }
}

/** Sends the work still to do: the schools not done yet, or the last step when all are done or the run's time is up. */
async function dispatch(plan: RunPlan, state: RunStateStore, ports: ScheduledRunPorts): Promise<void> {
  const done = await doneSchools(state);
  const pending = plan.schools.filter((code) => !done.has(code));
  const late = ports.clock.now() >= new Date(plan.finishBy);
  const messages: WorkMessage[] =
    pending.length > 0 && !late
      ? pending.map((school) => ({ runId: plan.runId, school }))
      : [{ runId: plan.runId, finish: true }];
  await ports.publisher.publish(ports.workTopic, messages);
  ports.log(
    'INFO',
    pending.length === 0
      ? 'Все школы готовы; отправлен последний шаг.'
      : late
        ? 'Время прогона вышло; отправлен последний шаг без школ, чья работа не завершилась.'
        : 'Школы отправлены в работу.',
    { runId: plan.runId, sent: late ? 0 : pending.length, done: done.size },
  );
}

async function doneSchools(state: RunStateStore): Promise<Set<string>> {
  const keys = await state.list('schools/');
  return new Set(keys.map((k) => decodeURIComponent(k.slice('schools/'.length, -'.json'.length))));
}

/**
 * The worker (CloudEvent): one school's part — read and keep its workbook, validate, write the
 * findings into it, compute, print its report — or the run's last step, which prints the
 * municipal and regional documents from the kept inputs. Each runs under a lease: of two deliveries
 * at once, one does the work and the other fails with WorkHeld (Pub/Sub delivers it again later,
 * when it finds the work done); a school done is not redone, a finished run not finished again.
 */
export async function doWork(message: WorkMessage, ports: ScheduledRunPorts): Promise<void> {
  const { output, state } = runPlaces(ports, message.runId);
  const plan = await readJson<RunPlan>(state, 'run.json');
  if (!plan) {
    ports.log('WARNING', 'Сообщение о неизвестном прогоне пропущено.', { runId: message.runId });
    return;
  }
  const lease = { now: () => ports.clock.now(), seconds: ports.timing.leaseSeconds };
  if ('finish' in message) {
    if (await output.read('manifest.json')) {
      ports.log('INFO', 'Прогон уже завершён; повторное сообщение пропущено.', { runId: plan.runId });
      await recordFinished(plan.runId, ports);
      // The delivery that finished the run may have stopped before its e-mail: the ledger sends only what is not sent.
      await deliverFinished(plan.runId, ports);
      return;
    }
    await underLease(state, 'finish', lease, () => finishRun(plan, output, state, ports));
    return;
  }
  const fields = { runId: plan.runId, schoolCode: message.school };
  if (!plan.schools.includes(message.school)) {
    ports.log('WARNING', 'Школы нет среди участников прогона; сообщение пропущено.', fields);
    return;
  }
  if (await state.read(doneKey(message.school))) {
    ports.log('INFO', 'Школа уже обработана; повторное сообщение пропущено.', fields);
  } else {
    await underLease(state, `school-${encodeURIComponent(message.school)}`, lease, async () => {
      const source = {
        ...keepingInputs(ports.source(rootState(ports)), state),
        readRegistry: keptInputs(state).readRegistry,
      };
      const summary = await runSchool(
        { asOf: plan.asOf, stage: plan.stage, timeZone: ports.timeZone, ...(await comparedWith(plan, ports)) },
        { source, renderer: ports.renderer(), output, state, rules: ports.rules },
        message.school,
      );
      const errors = summary.issues.filter((i) => i.severity === 'error').length;
      const result = { school: message.school, document: summary.document?.path ?? null, errors };
      await state.write(doneKey(message.school), json(result));
      ports.log('INFO', 'Школа обработана.', { ...fields, errors, rendered: summary.rendered });
      // Once per reminder day: the record behind `reminded` is created once, however often the school is run.
      if (summary.reminded.length > 0) {
        ports.log('INFO', 'Школе напомнено о сроке этапа.', fields);
        if (ports.mail && ports.mail.on !== 'off') {
          await sendReminders(ports.mail.mailer, summary.reminders, (severity, message, more) =>
            ports.log(severity, message, { ...fields, ...more }),
          );
        }
      }
    });
  }
  const done = await doneSchools(state);
  if (plan.schools.every((code) => done.has(code)) && !(await output.read('manifest.json'))) {
    // Several workers may see the run complete at once; the last step runs once, under its lease.
    await ports.publisher.publish(ports.workTopic, [{ runId: plan.runId, finish: true }]);
  }
  ports.log('INFO', `Готово школ: ${done.size} из ${plan.schools.length}.`, { runId: plan.runId, done: done.size });
}

async function finishRun(
  plan: RunPlan,
  output: OutputStore,
  state: RunStateStore,
  ports: ScheduledRunPorts,
): Promise<void> {
  const fields = { runId: plan.runId };
  if (await output.read('manifest.json')) {
    ports.log('INFO', 'Прогон уже завершён; повторное сообщение пропущено.', fields);
    return;
  }
  const done = await doneSchools(state);
  const notArrived = plan.schools.filter((code) => !done.has(code));
  if (notArrived.length > 0 && ports.clock.now() < new Date(plan.finishBy)) {
    ports.log('WARNING', 'Последний шаг отложен: не все школы готовы.', { ...fields, missing: notArrived.length });
    return;
  }
  if (notArrived.length > 0) {
    ports.log('WARNING', 'Время прогона вышло: последний шаг без школ, чья работа не завершилась.', {
      ...fields,
      notArrived: notArrived.join(', '),
    });
  }
  // The kept inputs answer a write-back only where the region's own source takes one (Google Sheets):
  // the school reports say where each school reads its findings, as the workers' did.
  const kept = keptInputs(state);
  const live = ports.source(rootState(ports));
  const source: WorkbookSource =
    live.writeFeedback === undefined
      ? { readRegistry: kept.readRegistry, readSchoolWorkbook: kept.readSchoolWorkbook }
      : kept;
  // The registry's «Сдача таблиц» shows where the open stage stands now; a closing run's status stays in its submission.json.
  if (live.writeTab && !plan.closes) source.writeTab = live.writeTab.bind(live);
  const summary = await runMonitoring(
    {
      asOf: plan.asOf,
      stage: plan.stage,
      closes: plan.closes !== undefined,
      timeZone: ports.timeZone,
      notArrived,
      ...(await comparedWith(plan, ports)),
    },
    {
      source,
      renderer: ports.renderer(),
      output,
      state,
      rules: ports.rules,
      stages: { state: rootState(ports), location: `runs/${plan.runId}/`, now: () => ports.clock.now() },
    },
  );
  await recordFinished(plan.runId, ports);
  const errors = summary.issues.filter((i) => i.severity === 'error').length;
  ports.log('INFO', 'Прогон завершён.', {
    ...fields,
    documents: summary.documents.length,
    rendered: summary.rendered,
    errors,
    warnings: summary.issues.length - errors,
  });
  await deliverFinished(plan.runId, ports);
}

/**
 * E-mails a finished run's documents by scope, when the configuration asks for it for this run
 * (MONITOR500_MAIL_ON: close — runs that close a stage; finish — every run). Never fails the run:
 * its documents and manifest are stored already. The run is marked «mail pending» first and «mail
 * done» once every address has its message; a pending run is tried again by the next monitor tick,
 * and the send ledger (app/deliver.ts) sends each address once however often this is called.
 */
async function deliverFinished(runId: string, ports: ScheduledRunPorts): Promise<void> {
  const mail = ports.mail;
  if (!mail || mail.on === 'off') return;
  const fields = { runId };
  try {
    const { output, state } = runPlaces(ports, runId);
    const plan = await readJson<RunPlan>(state, 'run.json');
    if (!plan || (mail.on === 'close' && !plan.closes)) return;
    const root = rootState(ports);
    if (await root.read(mailDoneKey(runId))) return;
    await root.create(mailPendingKey(runId), json({ runId }));
    const summary = await deliverRun(
      {
        output,
        state,
        ledger: state,
        mailer: mail.mailer,
        rules: ports.rules,
        now: () => ports.clock.now(),
        log: (severity, message, more) => ports.log(severity, message, { ...fields, ...more }),
      },
      {
        attachBytes: mail.attachBytes,
        linkSeconds: mail.linkSeconds,
        place: `${mail.place.replace(/\/+$/, '')}/runs/${runId}`,
        staleSeconds: ports.timing.leaseSeconds,
      },
    );
    if (summary.complete) await root.create(mailDoneKey(runId), json({ runId, at: ports.clock.now().toISOString() }));
  } catch (error) {
    ports.log('WARNING', 'Рассылка по прогону не выполнена; monitor повторит её.', {
      ...fields,
      ...errorFields(error),
    });
  }
}

/** The indicators of the closed stage a run's plan compares with, as the request's `previous`. */
async function comparedWith(plan: RunPlan, ports: ScheduledRunPorts): Promise<{ previous?: MonitoringIndicators }> {
  const year = plan.compareWith && parseSchoolYear(plan.compareWith.schoolYear);
  const closed = year && (await closedStage(rootState(ports), year, plan.compareWith!.stage));
  return closed ? { previous: closed.indicators } : {};
}

/**
 * Notes a run as finished, once its manifest is stored; a closing run's stage is closed here too, if
 * the run stopped between its manifest and the stage's record.
 */
async function recordFinished(runId: string, ports: ScheduledRunPorts): Promise<void> {
  const { output, state } = runPlaces(ports, runId);
  const plan = await readJson<RunPlan>(state, 'run.json');
  const indicators = await readJson<MonitoringIndicators>(output, 'indicators.json');
  const schoolYear = plan?.closes && parseSchoolYear(plan.closes.schoolYear);
  if (plan?.closes && schoolYear && indicators && !(await isClosed(rootState(ports), schoolYear, plan.stage))) {
    await closeStage(rootState(ports), schoolYear, {
      stage: plan.stage,
      deadline: plan.closes.deadline,
      asOf: plan.asOf,
      location: `runs/${runId}/`,
      closedAt: ports.clock.now().toISOString(),
      indicators,
    });
  }
  await rootState(ports).create(finishedKey(runId), json({ runId }));
}

/** CloudEvent handlers that log what failed (without data) and fail the delivery, so Pub/Sub delivers it again. */
export function pubsubHandler(
  name: string,
  ports: () => ScheduledRunPorts,
  handle: (event: CloudEvent<PubSubEventData>, ports: ScheduledRunPorts) => Promise<void>,
) {
  return async (event: CloudEvent<PubSubEventData>): Promise<void> => {
    const current = ports();
    try {
      await handle(event, current);
    } catch (error) {
      if (error instanceof WorkHeld) {
        // Not a failure: another delivery is doing the work. This one comes back later and finds it done.
        current.log('INFO', `${name}: работу выполняет другая доставка; сообщение будет доставлено снова.`, {
          messageId: event.data?.message?.messageId,
        });
        throw error;
      }
      current.log('ERROR', `${name}: сбой, сообщение будет доставлено снова.`, {
        messageId: event.data?.message?.messageId,
        ...errorFields(error),
      });
      throw error;
    }
  };
}
