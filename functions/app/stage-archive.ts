import { formatSchoolYear, type IsoDate, type SchoolYear } from '../core/calendar.js';
import type { MonitoringIndicators, Stage } from '../core/indicators.js';
import { schoolYearKey, STAGE_KEYS } from '../core/stage-calendar.js';
import { readJson } from './ports/output-store.js';
import type { RunStateStore } from './ports/run-state-store.js';

/**
 * A closed stage, as kept in the run state (`.state/stages/<2026-2027>/<entry>.json`): when it
 * closed, where its documents are, and its indicators — what later stages compare with
 * («было / стало»). Written once; a closed stage never changes.
 */
export interface ClosedStage {
  schoolYear: string;
  stage: Stage;
  deadline: IsoDate;
  /** The day its documents are dated. */
  asOf: IsoDate;
  /** Where its deliverables are, relative to the store's root ("" for the root itself). */
  location: string;
  closedAt: string;
  indicators: MonitoringIndicators;
}

const STAGES_PREFIX = 'stages/';

function stageKey(schoolYear: SchoolYear, stage: Stage): string {
  return `${STAGES_PREFIX}${schoolYearKey(schoolYear)}/${STAGE_KEYS[stage]}.json`;
}

/**
 * Records a stage as closed, once: true when this call closed it, false when it was closed already
 * (then the record kept is the one that stands).
 */
export async function closeStage(
  state: RunStateStore,
  schoolYear: SchoolYear,
  record: Omit<ClosedStage, 'schoolYear'>,
): Promise<boolean> {
  const full: ClosedStage = { schoolYear: formatSchoolYear(schoolYear), ...record };
  return state.create(stageKey(schoolYear, record.stage), `${JSON.stringify(full, null, 2)}\n`);
}

/** The record of a closed stage, if it is closed. */
export async function closedStage(
  state: RunStateStore,
  schoolYear: SchoolYear,
  stage: Stage,
): Promise<ClosedStage | undefined> {
  return readJson<ClosedStage>(state, stageKey(schoolYear, stage));
}

/** Whether a stage of a school year is closed. */
export async function isClosed(state: RunStateStore, schoolYear: SchoolYear, stage: Stage): Promise<boolean> {
  return (await state.read(stageKey(schoolYear, stage))) !== undefined;
}

/** Every closed stage in the store, the earliest deadline first. */
export async function closedStages(state: RunStateStore): Promise<ClosedStage[]> {
  const keys = (await state.list(STAGES_PREFIX)).filter((k) => k.endsWith('.json'));
  const records: ClosedStage[] = [];
  for (const key of keys) {
    const record = await readJson<ClosedStage>(state, key);
    if (record) records.push(record);
  }
  return records.sort((a, b) => a.deadline.localeCompare(b.deadline));
}

/**
 * The stage a run compares with: the latest stage closed before the run's day, other than the run's
 * own stage of the same year (a closing run compares with the stage before it, not with itself).
 */
export function previousClosed(
  closed: readonly ClosedStage[],
  run: { asOf: IsoDate; stage: Stage; schoolYear: SchoolYear | undefined },
): ClosedStage | undefined {
  const own = run.schoolYear && formatSchoolYear(run.schoolYear);
  return closed.filter((c) => c.deadline < run.asOf && !(c.schoolYear === own && c.stage === run.stage)).at(-1);
}
