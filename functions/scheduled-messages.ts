import type { CloudEvent } from '@google-cloud/functions-framework';
import { systemClock } from './app/ports/clock.js';
import { dayIn, isoFromIsoText, type IsoDate } from './core/calendar.js';
import { stageNamed, type Stage } from './core/indicators.js';

/**
 * The messages of the scheduled run: what the scheduler's message asks for, and the work topic's
 * messages (one school's part of a run, or its last step), read from Pub/Sub CloudEvents.
 */

/** What a scheduler message asks for; without a stage, the registry's calendar decides. */
export interface ScheduleRequest {
  asOf: IsoDate;
  stage?: Stage;
  runId?: string;
}

/** A message of the work topic: one school's part of a run, or the run's last step. */
export type WorkMessage = { runId: string; school: string } | { runId: string; finish: true };

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
 * every field optional. The run is dated by the day the scheduler fired in the region's time zone;
 * without a stage, the registry's calendar gives it.
 */
export function scheduledRequest(event: CloudEvent<PubSubEventData>, timeZone: string): ScheduleRequest | string {
  const body = messageObject(event);
  if (!body) return 'сообщение расписания — не JSON-объект';
  const asOf =
    typeof body.asOf === 'string'
      ? isoFromIsoText(body.asOf)
      : dayIn(event.time ? new Date(event.time) : systemClock.now(), timeZone);
  if (!asOf) return 'asOf — не дата ГГГГ-ММ-ДД';
  const stage = typeof body.stage === 'string' ? stageNamed(body.stage) : undefined;
  if (typeof body.stage === 'string' && !stage) return 'stage — нет такого этапа';
  const runId = typeof body.runId === 'string' ? body.runId : undefined;
  if (runId !== undefined && !RUN_ID.test(runId)) return 'runId — только латиница, цифры, точка, дефис, подчёркивание';
  return { asOf, ...(stage ? { stage } : {}), ...(runId ? { runId } : {}) };
}

/** A work message, or undefined for anything else. */
export function workMessage(event: CloudEvent<PubSubEventData>): WorkMessage | undefined {
  const body = messageObject(event);
  if (!body || typeof body.runId !== 'string' || !RUN_ID.test(body.runId)) return undefined;
  if (body.finish === true) return { runId: body.runId, finish: true };
  if (typeof body.school === 'string' && body.school.length > 0) return { runId: body.runId, school: body.school };
  return undefined;
}
