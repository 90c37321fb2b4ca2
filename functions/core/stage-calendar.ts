/**
 * The monitoring calendar of a school year: each stage (входной, промежуточный, итоговый) and the
 * day by which schools submit their tables for it, as the registry's «Регион» states them. A stage
 * is open up to and including its deadline and closed from the next day on; a closed stage is
 * frozen — its inputs, indicators and documents no longer change.
 */
import { formatSchoolYear, schoolYearStart, type IsoDate, type SchoolYear } from './calendar.js';
import { formatDate, stageGenitive } from './format-ru.js';
import { STAGES, type Stage } from './indicators.js';
import type { RegionRow } from './tab-types.generated.js';
import type { TabRow } from './read-tab.js';
import type { ValidationIssue } from './validation-issue.js';

/** A stage with its submission deadline. */
export interface StageDeadline {
  stage: Stage;
  deadline: IsoDate;
}

/** The stages of one school year with deadlines, in the order of the year. */
export interface StageCalendar {
  schoolYear: SchoolYear;
  stages: StageDeadline[];
}

/** The «Регион» keys of the deadlines, by stage. */
const DEADLINE_KEYS = {
  входной: 'entryDeadline',
  промежуточный: 'interimDeadline',
  итоговый: 'finalDeadline',
} as const satisfies Record<Stage, keyof RegionRow>;

/** Stages in store keys and run names (Latin, so keys read the same in every S3 console). */
export const STAGE_KEYS: Record<Stage, string> = { входной: 'entry', промежуточный: 'interim', итоговый: 'final' };

/** «2026/2027» in store keys: «2026-2027». */
export function schoolYearKey(year: SchoolYear): string {
  return `${year.firstYear}-${year.firstYear + 1}`;
}

/** Where a stage of a school year is named in store keys and run names: «2026-2027-entry». */
export function stageRunId(year: SchoolYear, stage: Stage): string {
  return `${schoolYearKey(year)}-${STAGE_KEYS[stage]}`;
}

/**
 * The calendar «Регион» states, and its findings: a deadline outside the school year, or out of the
 * stages' order, is an error on its cell and the calendar is not used (a run would close the wrong
 * stage). Undefined when no deadline is given: runs then take the stage they are told.
 */
export function stageCalendar(
  region: TabRow<RegionRow> | undefined,
  schoolYear: SchoolYear | undefined,
  context: { workbook: string; tab: string },
): { calendar: StageCalendar | undefined; issues: ValidationIssue[] } {
  if (!region || !schoolYear) return { calendar: undefined, issues: [] };
  const stages: StageDeadline[] = [];
  const issues: ValidationIssue[] = [];
  const start = schoolYearStart(schoolYear);
  const end = `${schoolYear.firstYear + 1}-08-31`;
  for (const stage of STAGES) {
    const key = DEADLINE_KEYS[stage];
    const deadline = region.values[key];
    if (!deadline) continue;
    const cell = region.cells[key];
    const finding = (message: string): ValidationIssue => ({
      ...context,
      cell,
      // «Регион» is a column of named rows: the deadline's own row, not the tab's one record.
      row: cell ? Number(cell.replace(/^[A-Z]+/, '')) : region.row,
      column: 'Значение',
      severity: 'error',
      code: 'stage_calendar',
      message,
      value: deadline,
    });
    const earlier = stages.at(-1);
    if (deadline < start || deadline > end) {
      issues.push(
        finding(
          `Срок ${stageGenitive(stage)} этапа ${formatDate(deadline)} — вне ${formatSchoolYear(schoolYear)} учебного года (с ${formatDate(start)} по ${formatDate(end)}).`,
        ),
      );
    } else if (earlier && deadline <= earlier.deadline) {
      issues.push(
        finding(
          `Срок ${stageGenitive(stage)} этапа ${formatDate(deadline)} должен быть позже срока ${stageGenitive(earlier.stage)} этапа (${formatDate(earlier.deadline)}).`,
        ),
      );
    } else {
      stages.push({ stage, deadline });
    }
  }
  if (issues.length > 0 || stages.length === 0) return { calendar: undefined, issues };
  return { calendar: { schoolYear, stages }, issues };
}

/** The stage open on a day: the first whose deadline is that day or later; undefined after the last. */
export function openStage(calendar: StageCalendar, day: IsoDate): StageDeadline | undefined {
  return calendar.stages.find((s) => s.deadline >= day);
}

/** The stage a run on a day is of: the open one; after the last deadline, the last stage. */
export function stageOnDay(calendar: StageCalendar, day: IsoDate): Stage {
  return (openStage(calendar, day) ?? calendar.stages.at(-1)!).stage;
}

/** The stages whose deadline is before the day: closed, or to be closed by the first run after it. */
export function stagesPast(calendar: StageCalendar, day: IsoDate): StageDeadline[] {
  return calendar.stages.filter((s) => s.deadline < day);
}

/** The stage before `stage` in a school year's order, if any. */
export function stageBefore(stage: Stage): Stage | undefined {
  return STAGES[STAGES.indexOf(stage) - 1];
}

/** A stage as the run's index lists it: closed (with where its documents are), open, or ahead. */
export interface StageListing {
  schoolYear: string;
  stage: Stage;
  deadline: IsoDate;
  /** «срок прошёл»: past its deadline, but no run has closed it in this store. */
  state: 'закрыт' | 'срок прошёл' | 'открыт' | 'впереди';
  /** The stage's own index page, relative to this run's, where its documents are kept apart. */
  href?: string;
}

/**
 * Every stage the run knows of, as of its day: the ones closed by then kept in the store (any school
 * year), then the calendar's other stages — past but not closed here, open on `asOf`, or ahead. `closed` gives each
 * closed stage's place in the store; a link is made when it is not this run's own place.
 */
export function stageListing(
  calendar: StageCalendar | undefined,
  closed: readonly { schoolYear: string; stage: Stage; deadline: IsoDate; location: string }[],
  asOf: IsoDate,
  location: string,
): StageListing[] {
  // As of the run's day: a stage closed later is listed as it stood then, so a rerun lists the same.
  const listed: StageListing[] = closed
    .filter(
      (c, i) =>
        c.deadline <= asOf && closed.findIndex((d) => d.schoolYear === c.schoolYear && d.stage === c.stage) === i,
    )
    .map((c) => ({
      schoolYear: c.schoolYear,
      stage: c.stage,
      deadline: c.deadline,
      state: 'закрыт',
      ...(c.location !== location ? { href: `${'../'.repeat(depth(location))}${c.location}index.html` } : {}),
    }));
  if (calendar) {
    const year = formatSchoolYear(calendar.schoolYear);
    const open = openStage(calendar, asOf);
    for (const s of calendar.stages) {
      if (listed.some((l) => l.schoolYear === year && l.stage === s.stage)) continue;
      listed.push({
        schoolYear: year,
        ...s,
        state: s.deadline < asOf ? 'срок прошёл' : s === open ? 'открыт' : 'впереди',
      });
    }
  }
  return listed.sort((a, b) => a.deadline.localeCompare(b.deadline));
}

/** How many folders deep a store place is: "runs/2026-10-02/" → 2. */
function depth(location: string): number {
  return location.split('/').filter(Boolean).length;
}
