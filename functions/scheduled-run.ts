import type { CloudEvent } from '@google-cloud/functions-framework';
import { keepingInputs, keptInputs } from './app/kept-inputs.js';
import { systemClock } from './app/ports/clock.js';
import { within, type OutputStore } from './app/ports/output-store.js';
import { stateFor, type RunStateStore } from './app/ports/run-state-store.js';
import type { RegionPorts } from './region-ports.js';
import { dayIn, isoFromIsoText, type IsoDate } from './core/calendar.js';
import type { Publisher } from './app/ports/publisher.js';
import { stageNamed, type Stage } from './core/indicators.js';
import { readRegistryWorkbook, usableRows } from './core/read-workbook.js';
import { errorFields } from './log.js';
import { runMonitoring } from './app/run-region.js';
import { runSchool } from './app/run-school.js';

/** A scheduled run as planned when it starts: `.state/runs/<runId>/run.json`. */
export interface RunPlan {
  runId: string;
  asOf: IsoDate;
  stage: Stage;
  /** Codes of the participant schools, one worker message each. */
  schools: string[];
}

/** A message of the work topic: one school's part of a run, or the run's last step. */
export type WorkMessage = { runId: string; school: string } | { runId: string; finish: true };

/** What the scheduled run works with: the region's ports and the topic that fans the run out. */
export interface ScheduledRunPorts extends RegionPorts {
  publisher: Publisher;
  workTopic: string;
}

/** The data of a Pub/Sub CloudEvent (google.cloud.pubsub.topic.v1.messagePublished). */
export interface PubSubEventData {
  message?: { data?: string; messageId?: string };
}

const RUN_ID = /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/;

/** The JSON object a Pub/Sub message carries; undefined when it carries none. */
function messageObject(event: CloudEvent<PubSubEventData>): Record<string, unknown> | undefined {
  const data = event.data?.message?.data;
  if (!data) return {};
  try {
    const value = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a scheduler message asks for: `{"stage": "итоговый", "asOf": "2027-05-20", "runId": "…"}`,
 * every field optional. The run is dated by the day the scheduler fired in the region's time zone
 * and named by its date, so a redelivered message continues the same run.
 */
export function scheduledRequest(
  event: CloudEvent<PubSubEventData>,
  defaults: { stage: Stage; timeZone: string },
): { runId: string; asOf: IsoDate; stage: Stage } | string {
  const body = messageObject(event);
  if (!body) return 'сообщение расписания — не JSON-объект';
  const asOf =
    typeof body.asOf === 'string'
      ? isoFromIsoText(body.asOf)
      : dayIn(event.time ? new Date(event.time) : systemClock.now(), defaults.timeZone);
  if (!asOf) return 'asOf — не дата ГГГГ-ММ-ДД';
  const stage = typeof body.stage === 'string' ? stageNamed(body.stage) : defaults.stage;
  if (!stage) return 'stage — нет такого этапа';
  const runId = typeof body.runId === 'string' ? body.runId : asOf;
  if (!RUN_ID.test(runId)) return 'runId — только латиница, цифры, точка, дефис, подчёркивание';
  return { runId, asOf, stage };
}

/** A work message, or undefined for anything else. */
export function workMessage(event: CloudEvent<PubSubEventData>): WorkMessage | undefined {
  const body = messageObject(event);
  if (!body || typeof body.runId !== 'string' || !RUN_ID.test(body.runId)) return undefined;
  if (body.finish === true) return { runId: body.runId, finish: true };
  if (typeof body.school === 'string' && body.school.length > 0) return { runId: body.runId, school: body.school };
  return undefined;
}

/** Where a run's deliverables go (`runs/<runId>/`) and where its state is kept (`.state/runs/<runId>/`). */
function runPlaces(ports: ScheduledRunPorts, runId: string): { output: OutputStore; state: RunStateStore } {
  return { output: within(ports.store, `runs/${runId}/`), state: stateFor(ports.store, `runs/${runId}/`) };
}
const doneKey = (school: string) => `schools/${encodeURIComponent(school)}.json`;

async function readJson<T>(store: RunStateStore, path: string): Promise<T | undefined> {
  const bytes = await store.read(path);
  return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : undefined;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The scheduled run (CloudEvent `monitor`): reads and keeps the registry, plans the run, and sends
 * one work message per participant school. A redelivered or repeated message continues the same
 * run: the plan is kept, and only schools not yet done are sent again (or the last step, if all are).
 */
export async function startRun(
  request: { runId: string; asOf: IsoDate; stage: Stage },
  ports: ScheduledRunPorts,
): Promise<void> {
  const { output, state } = runPlaces(ports, request.runId);
  const fields = { runId: request.runId };
  if (await output.read('manifest.json')) {
    ports.log('INFO', 'Прогон уже завершён; повторное сообщение пропущено.', fields);
    return;
  }
  let plan = await readJson<RunPlan>(state, 'run.json');
  if (!plan) {
    const source = keepingInputs(ports.source(stateFor(ports.store)), state);
    const registry = readRegistryWorkbook(await source.readRegistry(), ports.rules.specs, ports.rules.settings);
    await source.writeFeedback?.(registry.name, registry.issues);
    const schools = usableRows(registry, 'schools')
      .filter((r) => r.values.participant)
      .map((r) => r.values.code);
    plan = { ...request, schools: [...new Set(schools)] };
    await state.write('run.json', json(plan));
    ports.log('INFO', 'Прогон начат.', { ...fields, schools: plan.schools.length, asOf: plan.asOf });
  }
  await dispatch(plan, state, ports);
}

/** Sends the work still to do: the schools not done yet, or the last step when all are done. */
async function dispatch(plan: RunPlan, state: RunStateStore, ports: ScheduledRunPorts): Promise<void> {
  const done = await doneSchools(state);
  const pending = plan.schools.filter((code) => !done.has(code));
  const messages: WorkMessage[] =
    pending.length > 0
      ? pending.map((school) => ({ runId: plan.runId, school }))
      : [{ runId: plan.runId, finish: true }];
  await ports.publisher.publish(ports.workTopic, messages);
  ports.log('INFO', pending.length > 0 ? 'Школы отправлены в работу.' : 'Все школы готовы; отправлен последний шаг.', {
    runId: plan.runId,
    sent: pending.length,
    done: done.size,
  });
}

async function doneSchools(state: RunStateStore): Promise<Set<string>> {
  const keys = await state.list('schools/');
  return new Set(keys.map((k) => decodeURIComponent(k.slice('schools/'.length, -'.json'.length))));
}

/**
 * The worker (CloudEvent): one school's part — read and keep its workbook, validate, write the
 * findings into it, compute, print its report — or the run's last step, which prints the
 * municipal and regional documents from the kept inputs once every school is done. A duplicate
 * message does nothing twice: a school done is not redone, and no document is printed again from
 * the same content.
 */
export async function doWork(message: WorkMessage, ports: ScheduledRunPorts): Promise<void> {
  const { output, state } = runPlaces(ports, message.runId);
  const plan = await readJson<RunPlan>(state, 'run.json');
  if (!plan) {
    ports.log('WARNING', 'Сообщение о неизвестном прогоне пропущено.', { runId: message.runId });
    return;
  }
  const request = { asOf: plan.asOf, stage: plan.stage };
  if ('finish' in message) {
    await finishRun(plan, output, state, ports);
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
    const source = {
      ...keepingInputs(ports.source(stateFor(ports.store)), state),
      readRegistry: keptInputs(state).readRegistry,
    };
    const summary = await runSchool(
      request,
      { source, renderer: ports.renderer(), output, state, rules: ports.rules },
      message.school,
    );
    const errors = summary.issues.filter((i) => i.severity === 'error').length;
    const result = { school: message.school, document: summary.document?.path ?? null, errors };
    await state.write(doneKey(message.school), json(result));
    ports.log('INFO', 'Школа обработана.', { ...fields, errors, rendered: summary.rendered });
  }
  const done = await doneSchools(state);
  if (plan.schools.every((code) => done.has(code)) && !(await output.read('manifest.json'))) {
    // Several workers may see the run complete at once; the last step is idempotent.
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
  const missing = plan.schools.filter((code) => !done.has(code)).length;
  if (missing > 0) {
    ports.log('WARNING', 'Последний шаг отложен: не все школы готовы.', { ...fields, missing });
    return;
  }
  // The kept inputs answer a write-back only where the region's own source takes one (Google Sheets):
  // the school reports say where each school reads its findings, as the workers' did.
  const kept = keptInputs(state);
  const source =
    ports.source(stateFor(ports.store)).writeFeedback === undefined
      ? { readRegistry: kept.readRegistry, readSchoolWorkbook: kept.readSchoolWorkbook }
      : kept;
  const summary = await runMonitoring(
    { asOf: plan.asOf, stage: plan.stage },
    { source, renderer: ports.renderer(), output, state, rules: ports.rules },
  );
  const errors = summary.issues.filter((i) => i.severity === 'error').length;
  ports.log('INFO', 'Прогон завершён.', {
    ...fields,
    documents: summary.documents.length,
    rendered: summary.rendered,
    errors,
    warnings: summary.issues.length - errors,
  });
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
      current.log('ERROR', `${name}: сбой, сообщение будет доставлено снова.`, {
        messageId: event.data?.message?.messageId,
        ...errorFields(error),
      });
      throw error;
    }
  };
}
