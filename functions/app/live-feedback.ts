import { dayIn } from '../core/calendar.js';
import type { Stage } from '../core/indicators.js';
import {
  channelNeedsRenewal,
  dueWorkbooks,
  laterEdit,
  nextDue,
  schoolEdits,
  unanswered,
  type LiveWorkbook,
} from '../core/live-feedback.js';
import { readRegistryWorkbook, usableRows } from '../core/read-workbook.js';
import { stageOnDay } from '../core/stage-calendar.js';
import type { MonitoringRules } from '../monitoring-rules.js';
import { underLease, WorkHeld } from './lease.js';
import type { Clock } from './ports/clock.js';
import type { DriveChanges, WatchChannel } from './ports/drive-changes.js';
import { json, readJson } from './ports/output-store.js';
import type { RunStateStore } from './ports/run-state-store.js';
import type { WorkbookSource } from './ports/workbook-source.js';
import { readRegion } from './read-region.js';
import { submissionOf } from './submission-status.js';
import { writeFeedback } from './write-feedback.js';

/** Where live feedback keeps its state, under the run state's root (`.state/`). */
export const LIVE_PAGE_TOKEN = 'live/page-token.json';
export const LIVE_CHANNEL = 'live/channel.json';
/** The channel being opened: kept before Drive is asked, since Drive's `sync` may come before its answer. */
const LIVE_CHANNEL_OPENING = 'live/channel-opening.json';
/** Channels replaced and not yet stopped (Drive did not answer the stop): tried again each tick until they end. */
const LIVE_CHANNELS_RETIRED = 'live/channels-retired.json';
/**
 * The last edit the change feed listed, per workbook (written by whoever lists it), and the edit
 * answered last (written only under the workbook's lease): a record per time, named by it —
 * `<prefix><fileId>/<ms>.json` — so one listing tells every workbook's times without reading a file.
 */
const PENDING = 'live/pending/';
const ANSWERED = 'live/answered/';

export interface LivePorts {
  changes: DriveChanges;
  /** The region's workbooks, with the write-back of findings (Google Sheets). */
  source: WorkbookSource;
  /** The run state's root (`.state/`). */
  state: RunStateStore;
  rules: MonitoringRules;
  clock: Clock;
}

export interface LiveOptions {
  /** How long after a workbook's last edit it is answered (MONITOR500_LIVE_QUIET_SECONDS). */
  quietSeconds: number;
  /** The region's time zone: «today» of the status block. */
  timeZone: string;
  /** The stage when the registry states no calendar (MONITOR500_STAGE). */
  stage: Stage;
  /** How long one answer may hold its workbook's lease (default 300 s). */
  leaseSeconds?: number;
}

/** What one call of onDriveChanges did. */
export interface LiveOutcome {
  /** The first call: the start token was stored and nothing read. */
  started: boolean;
  /** Changes the feed listed. */
  listed: number;
  /** Workbooks whose new edit was recorded as pending. */
  recorded: string[];
  /** Workbooks read and answered by this call. */
  answered: string[];
  /** Workbooks another call is answering now. */
  held: string[];
  /** When the next workbook still inside its quiet period is due; undefined: none waits. */
  nextDue: Date | undefined;
}

/** The latest time recorded under `prefix` for each workbook (or for `fileId` only), from the records' names. */
async function latestTimes(state: RunStateStore, prefix: string, fileId?: string): Promise<Map<string, string>> {
  const latest = new Map<string, number>();
  for (const key of await state.list(fileId ? `${prefix}${fileId}/` : prefix)) {
    const match = /^([^/]+)\/(\d+)\.json$/.exec(key.slice(prefix.length));
    if (match) latest.set(match[1]!, Math.max(latest.get(match[1]!) ?? 0, Number(match[2])));
  }
  return new Map([...latest].map(([id, ms]) => [id, new Date(ms).toISOString()]));
}

/**
 * Records `time` for a workbook under `prefix`, then removes its older records. The latest is never
 * removed (only records older than one just written are), so the time never goes back.
 */
async function recordTime(
  state: RunStateStore,
  prefix: string,
  fileId: string,
  time: string,
  more: Record<string, string> = {},
): Promise<void> {
  const ms = Date.parse(time);
  await state.write(`${prefix}${fileId}/${ms}.json`, json({ modifiedTime: time, ...more }));
  for (const key of await state.list(`${prefix}${fileId}/`)) {
    if (Number(/(\d+)\.json$/.exec(key)?.[1]) < ms) await state.remove(key);
  }
}

/** The modification time of a workbook's edit answered last; undefined: never answered. */
export async function lastAnswered(state: RunStateStore, fileId: string): Promise<string | undefined> {
  return (await latestTimes(state, ANSWERED, fileId)).get(fileId);
}

/** Every workbook with an edit recorded, with the edit answered last: two listings, no file read. */
async function liveWorkbooks(state: RunStateStore): Promise<LiveWorkbook[]> {
  const [pending, answered] = await Promise.all([latestTimes(state, PENDING), latestTimes(state, ANSWERED)]);
  return [...pending].map(([fileId, modifiedTime]) => {
    const last = answered.get(fileId);
    return { fileId, modifiedTime, ...(last ? { answered: last } : {}) };
  });
}

/** The participants' workbooks the registry names, by file. */
async function participantFiles(ports: LivePorts): Promise<Set<string>> {
  const registry = readRegistryWorkbook(await ports.source.readRegistry(), ports.rules.specs, ports.rules.settings);
  const files = new Set<string>();
  for (const row of usableRows(registry, 'schools')) {
    const id = row.values.participant && row.values.workbook ? ports.changes.fileIdOf(row.values.workbook) : undefined;
    if (id) files.add(id);
  }
  return files;
}

/**
 * Answers schools' edits within a minute, from Drive's change feed (docs/architecture.md, «Живая
 * обратная связь»):
 *
 * 1. the first call stores Drive's start token and reads nothing;
 * 2. the changes since the stored token are listed; each participant workbook's latest edit (not our
 *    own write-back) is kept as pending — the registry is read only when a spreadsheet changed; the
 *    new token is stored only after that, so a crash loses no change;
 * 3. each workbook not answered since its last edit, and last edited at least the quiet period ago,
 *    is answered under its lease: read once (with the registry), validated as a run validates one
 *    school, its findings and status block written back once; then the edit time listed *before*
 *    the read is recorded as answered — duplicated, late or reordered notifications find nothing
 *    more to do, and an edit during our read or write-back (a later time) is answered next time.
 *
 * No documents are printed, no reminders sent: that is the scheduled runs' work.
 */
export async function onDriveChanges(ports: LivePorts, options: LiveOptions): Promise<LiveOutcome> {
  const { state, changes } = ports;
  const outcome: LiveOutcome = {
    started: false,
    listed: 0,
    recorded: [],
    answered: [],
    held: [],
    nextDue: undefined,
  };
  const token = await readJson<{ pageToken?: unknown }>(state, LIVE_PAGE_TOKEN);
  if (typeof token?.pageToken !== 'string') {
    await state.write(LIVE_PAGE_TOKEN, json({ pageToken: await changes.startPageToken() }));
    return { ...outcome, started: true };
  }
  const listed = await changes.changesSince(token.pageToken);
  outcome.listed = listed.changes.length;
  const candidates = listed.changes.filter(
    (c) => c.spreadsheet && !c.removed && !c.ours && c.fileId !== changes.registryFileId,
  );
  if (candidates.length > 0) {
    const edits = schoolEdits(candidates, await participantFiles(ports), changes.registryFileId);
    const kept = await latestTimes(state, PENDING);
    for (const [fileId, modifiedTime] of edits) {
      const known = kept.get(fileId);
      if (laterEdit(known, modifiedTime) === known) continue;
      await recordTime(state, PENDING, fileId, modifiedTime);
      outcome.recorded.push(fileId);
    }
  }
  if (listed.newStartPageToken !== token.pageToken) {
    await state.write(LIVE_PAGE_TOKEN, json({ pageToken: listed.newStartPageToken }));
  }

  const now = ports.clock.now();
  const workbooks = await liveWorkbooks(state);
  for (const due of dueWorkbooks(workbooks, now, options.quietSeconds)) {
    try {
      // One lease per edit answered: two calls for the same edit answer it once; a later edit has its own.
      const done = await underLease(
        state,
        `live/${due.fileId}/${Date.parse(due.modifiedTime)}`,
        { now: () => ports.clock.now(), seconds: options.leaseSeconds ?? 300 },
        () => answer(ports, options, due.fileId),
      );
      if (done) outcome.answered.push(due.fileId);
    } catch (error) {
      if (!(error instanceof WorkHeld)) throw error;
      outcome.held.push(due.fileId);
    }
  }
  // Those answered now are not waiting; any edit newer than an answer is listed by the next call.
  const waiting = workbooks.filter((w) => !outcome.answered.includes(w.fileId));
  outcome.nextDue = nextDue(waiting, ports.clock.now(), options.quietSeconds);
  return outcome;
}

/** Answers one workbook's edit under its lease; false when another call answered it meanwhile. */
async function answer(ports: LivePorts, options: LiveOptions, fileId: string): Promise<boolean> {
  const { state, source, rules, changes } = ports;
  // Read again under the lease: the edit this answer covers is the one listed before the read.
  const modifiedTime = (await latestTimes(state, PENDING, fileId)).get(fileId);
  const answered = await lastAnswered(state, fileId);
  if (!modifiedTime || !unanswered({ fileId, modifiedTime, ...(answered ? { answered } : {}) })) return false;
  const reading = await readRegion(source, rules, {
    only: (school) => school.workbook !== undefined && changes.fileIdOf(school.workbook) === fileId,
  });
  if (reading.participants.length > 0) {
    const today = dayIn(ports.clock.now(), options.timeZone);
    const calendar = reading.registry.stageCalendar;
    const stage = calendar ? stageOnDay(calendar, today) : options.stage;
    const submission = submissionOf(reading, { asOf: today, stage, timeZone: options.timeZone }, rules);
    await writeFeedback(source, reading, 'schools', submission.heads);
  }
  // Never back: a slower answer of an older edit does not undo the record of a newer one.
  await recordTime(state, ANSWERED, fileId, modifiedTime, { at: ports.clock.now().toISOString() });
  return true;
}

/** The push channel in use, as kept in the state; undefined when none was opened. */
export async function currentChannel(state: RunStateStore): Promise<WatchChannel | undefined> {
  const channel = await readJson<Partial<WatchChannel>>(state, LIVE_CHANNEL);
  return channel &&
    typeof channel.id === 'string' &&
    typeof channel.token === 'string' &&
    typeof channel.resourceId === 'string' &&
    typeof channel.expiration === 'string' &&
    typeof channel.address === 'string'
    ? (channel as WatchChannel)
    : undefined;
}

/**
 * The channels whose notifications are ours: the one in use, and the one being opened (Drive posts
 * its `sync` before it answers the watch call). A stopped channel is in neither.
 */
export async function ourChannels(state: RunStateStore): Promise<{ id: string; token: string }[]> {
  const channels: { id: string; token: string }[] = [];
  const current = await currentChannel(state);
  if (current) channels.push({ id: current.id, token: current.token });
  const opening = await readJson<{ id?: unknown; token?: unknown }>(state, LIVE_CHANNEL_OPENING);
  if (typeof opening?.id === 'string' && typeof opening.token === 'string' && opening.id !== current?.id) {
    channels.push({ id: opening.id, token: opening.token });
  }
  return channels;
}

/**
 * Keeps a push channel open to `address`: when there is none, or the one in use expires within
 * `renewBeforeSeconds`, opens a new one (id and token from `secret`) and keeps it. The one it
 * replaces is retired: stopped now, or — when Drive does not answer — on a later call, until it
 * ends by itself (its notifications are refused meanwhile: it is no longer ours). Answers the
 * channel in use, whether it is new, and how many retired channels are still not stopped.
 */
export async function renewChannel(
  ports: Pick<LivePorts, 'changes' | 'state' | 'clock'>,
  options: { address: string; lifetimeSeconds: number; renewBeforeSeconds: number; secret: () => string },
): Promise<{ channel: WatchChannel; renewed: boolean; unstopped: number }> {
  const { state, changes, clock } = ports;
  const old = await currentChannel(state);
  const now = clock.now();
  if (old && old.address === options.address && !channelNeedsRenewal(old, now, options.renewBeforeSeconds)) {
    return { channel: old, renewed: false, unstopped: await stopRetired(ports, []) };
  }
  const token = await readJson<{ pageToken?: unknown }>(state, LIVE_PAGE_TOKEN);
  const pageToken = typeof token?.pageToken === 'string' ? token.pageToken : await changes.startPageToken();
  const opening = { id: `monitor500-${options.secret()}`, token: options.secret() };
  await state.write(LIVE_CHANNEL_OPENING, json(opening));
  const channel = await changes.watch(
    { ...opening, address: options.address, expiration: new Date(now.getTime() + options.lifetimeSeconds * 1000) },
    pageToken,
  );
  await state.write(LIVE_CHANNEL, json(channel));
  return { channel, renewed: true, unstopped: await stopRetired(ports, old ? [old] : []) };
}

/**
 * Stops the retired channels (those kept from earlier calls and `retiring`); keeps, for the next
 * call, those Drive did not answer, dropping any that have ended by themselves. Answers how many
 * are kept.
 */
async function stopRetired(
  ports: Pick<LivePorts, 'changes' | 'state' | 'clock'>,
  retiring: readonly WatchChannel[],
): Promise<number> {
  const { state, changes, clock } = ports;
  const kept = await readJson<WatchChannel[]>(state, LIVE_CHANNELS_RETIRED);
  const retired = [...(Array.isArray(kept) ? kept : []), ...retiring];
  if (retired.length === 0) return 0;
  // Kept first: a crash before the stop leaves the channel to be stopped next time.
  if (retiring.length > 0) await state.write(LIVE_CHANNELS_RETIRED, json(retired));
  const left: WatchChannel[] = [];
  for (const channel of retired) {
    if (Date.parse(channel.expiration) <= clock.now().getTime()) continue;
    try {
      await changes.stop(channel);
    } catch {
      left.push(channel);
    }
  }
  await state.write(LIVE_CHANNELS_RETIRED, json(left));
  return left.length;
}
