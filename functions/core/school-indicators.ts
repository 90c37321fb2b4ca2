import { formatShare } from './format-ru.js';
import { measure, measureAgainst, ratio, rowsLeftOutText, type Indicator, type RowsLeftOut } from './indicator.js';
import { schoolYearContaining, schoolYearStart, type IsoDate } from './calendar.js';
import {
  coverageBounds,
  documentsCompleteUncertainty,
  leftOutOf,
  type LeftOut,
  mergeRowsLeftOut,
  uncertain,
} from './left-out-bounds.js';
import { deadlineEnd } from './period.js';
import type { TabRow } from './read-tab.js';
import { usableRows, type WorkbookReading } from './read-workbook.js';
import type { MonitoringSettings } from './settings.js';
import type { AssessmentResultsRow, CuratorWorkRow, RoadmapRow, SchoolsRow } from './tab-types.generated.js';

/** The window «in the current school year up to the as-of date». */
export interface YearWindow {
  start: IsoDate;
  asOf: IsoDate;
}

/** The school year containing a date, from its first day up to the date. */
export function currentYearWindow(asOf: IsoDate): YearWindow {
  return { start: schoolYearStart(schoolYearContaining(asOf)), asOf };
}

function within(date: IsoDate | undefined, window: YearWindow): boolean {
  return date !== undefined && date >= window.start && date <= window.asOf;
}

/** A roadmap measure whose deadline has passed while it is not done. */
export interface OverdueItem {
  number: string;
  riskFactor: string;
  activity: string;
  deadlineText: string;
  deadlineEnd: IsoDate;
  status: string;
  responsible: string;
}

/** Roadmap progress of one school. */
export interface RoadmapIndicators {
  total: Indicator<number>;
  done: Indicator<number>;
  overdue: Indicator<number>;
  progress: Indicator<number>;
  onTime: Indicator<number>;
  overdueItems: OverdueItem[];
}

/** One year of assessment results of a school. */
export interface ResultsYear {
  year: number;
  participants: number;
  failShare: number | null;
  qualityShare: number | null;
}

/** Everything monitored about one participant school, as in domain.md. */
export interface SchoolMeasures {
  survey: { coverage: Indicator<number> };
  risks: { high: Indicator<number>; chosen: Indicator<number>; chosenFactors: string[]; verified: boolean | null };
  documents: { complete: Indicator<boolean>; missing: string[] };
  roadmap: RoadmapIndicators;
  pd: { trainedLong: Indicator<number> };
  events: { long: Indicator<number> };
  curator: { visits: Indicator<number>; consultations: Indicator<number> };
  results: { years: ResultsYear[]; failShare: Indicator<number>; qualityShare: Indicator<number> };
  effectiveMode: Indicator<boolean>;
  /** Why the school is not (yet) in the effective mode, in Russian. */
  effectiveModeGaps: string[];
}

/** What the registry knows about a school besides its own workbook. */
export interface SchoolRegistryRows {
  school: SchoolsRow;
  curatorWork: CuratorWorkRow[];
  results: AssessmentResultsRow[];
  /** Rows of «Результаты оценочных процедур» left out because of errors that may be the school's. */
  resultsLeftOut?: LeftOut<AssessmentResultsRow>;
}

const APPROVED = new Set(['согласован куратором', 'размещён в ИС МЭДК']);
const SETTINGS = { kind: 'settings' } as const;

/** Every school indicator of domain.md for one participant; workbook-based ones are null without a workbook. */
export function schoolMeasures(
  reading: WorkbookReading | undefined,
  registry: SchoolRegistryRows,
  asOf: IsoDate,
  settings: MonitoringSettings,
): SchoolMeasures {
  const t = settings.targets;
  const window = currentYearWindow(asOf);
  const survey = reading ? usableRows(reading, 'survey').map((r) => r.values) : undefined;
  const required = survey?.reduce((sum, r) => sum + r.required, 0) ?? 0;
  const counted = survey?.reduce((sum, r) => sum + Math.min(r.participated, r.required), 0) ?? 0;
  const surveyOut = leftOutOf(reading, 'survey');
  const surveyUncertainty = uncertain(
    surveyOut.title,
    surveyOut.rows.length,
    coverageBounds(counted, required, surveyOut.rows),
  );

  const profile = reading ? usableRows(reading, 'risk-profile').map((r) => r.values) : undefined;
  // In the configured order of factors, not the sheet's: the same profile always reads the same.
  const factorOrder = (factor: string) => settings.riskFactors.indexOf(factor);
  const chosen = (profile?.filter((r) => r.chosen) ?? []).sort(
    (x, y) => factorOrder(x.riskFactor) - factorOrder(y.riskFactor),
  );

  // A left-out profile row may have been one more chosen factor (unless its «да/нет» was read as «нет»).
  const profileOut = leftOutOf(reading, 'risk-profile');
  const mayBeChosen = profileOut.rows.filter((r) => r.chosen !== false).length;

  const documents = reading ? usableRows(reading, 'documents').map((r) => r.values) : undefined;
  const missing = documents
    ? missingDocuments(
        documents,
        chosen.map((c) => c.riskFactor),
      )
    : [];
  // A left-out document row may have been one of the missing documents, approved.
  const documentsOut = leftOutOf(reading, 'documents');
  const mayBeApproved = documentsOut.rows.filter((r) => r.status === undefined || APPROVED.has(r.status)).length;
  const documentsUncertainty = documentsCompleteUncertainty(
    missing.length,
    { tab: documentsOut.title, rows: mayBeApproved },
    { tab: profileOut.title, rows: mayBeChosen },
  );

  const roadmapOut = leftOutOf(reading, 'roadmap');
  const roadmap = roadmapMeasures(reading ? usableRows(reading, 'roadmap') : undefined, asOf, roadmapOut);
  const roadmapLeftOut = roadmapOut.rows.filter((r) => r.status !== 'отменено').length;
  const roadmapRows: RowsLeftOut[] = roadmapLeftOut > 0 ? [{ tab: roadmapOut.title, rows: roadmapLeftOut }] : [];

  const courses = reading ? usableRows(reading, 'professional-development').map((r) => r.values) : undefined;
  const trainedLong = courses
    ?.filter((c) => c.hours >= t.pdLongCourseHours && within(c.finishedOn, window))
    .reduce((sum, c) => sum + c.listeners, 0);
  // A left-out course counts unless a cell read rules it out (too short, finished outside the year).
  const coursesOut = leftOutOf(reading, 'professional-development');
  const mayBeLong = coursesOut.rows.filter(
    (c) =>
      !(c.hours !== undefined && c.hours < t.pdLongCourseHours) &&
      !(c.finishedOn !== undefined && !within(c.finishedOn, window)),
  );
  const moreListeners = mayBeLong.some((c) => c.listeners === undefined)
    ? null
    : mayBeLong.reduce((sum, c) => sum + (c.listeners ?? 0), 0);
  const pdUncertainty = uncertain(coursesOut.title, mayBeLong.length, {
    low: trainedLong ?? 0,
    high: moreListeners === null ? null : (trainedLong ?? 0) + moreListeners,
  });
  const events = reading ? usableRows(reading, 'events').map((r) => r.values) : undefined;
  const longEvents = events?.filter((e) => e.hours >= t.eventLongHours && within(e.date, window)).length;
  const eventsOut = leftOutOf(reading, 'events');
  const mayBeLongEvents = eventsOut.rows.filter(
    (e) => !(e.hours !== undefined && e.hours < t.eventLongHours) && !(e.date !== undefined && !within(e.date, window)),
  ).length;
  const eventsUncertainty = uncertain(eventsOut.title, mayBeLongEvents, {
    low: longEvents ?? 0,
    high: (longEvents ?? 0) + mayBeLongEvents,
  });

  const work = registry.curatorWork.filter((w) => within(w.date, window));
  const results = resultsMeasures(registry.results, asOf, registry.resultsLeftOut);

  const gaps: string[] = [];
  // Conditions that the rows left out could make hold or fail: the mode is then undetermined.
  const unsure: RowsLeftOut[] = [];
  const docsComplete = documents ? missing.length === 0 : null;
  const complete = measureAgainst(docsComplete, 'bool', { comparator: '=', value: true }, documentsUncertainty);
  if (complete.undetermined?.reason === 'rows-left-out') unsure.push(...complete.undetermined.rowsLeftOut);
  else if (complete.met !== true)
    gaps.push(docsComplete === null ? 'нет данных о документах' : 'не все документы согласованы');
  const progress = roadmap.progress.value;
  const progressTarget = { comparator: '>=', value: t.roadmapProgressForEffectiveMode } as const;
  const progressMet = measureAgainst(
    progress,
    'share',
    progressTarget,
    roadmap.progress.bounds && { bounds: roadmap.progress.bounds, rowsLeftOut: roadmapRows },
  );
  if (progress === null) gaps.push('нет данных о дорожной карте');
  else if (progressMet.met === null) unsure.push(...roadmapRows);
  else if (!progressMet.met)
    gaps.push(`дорожная карта выполнена меньше чем на ${formatShare(t.roadmapProgressForEffectiveMode)}`);
  if (roadmap.overdue.met === false) gaps.push('есть просроченные мероприятия');
  else if (roadmap.overdue.undetermined?.reason === 'rows-left-out')
    unsure.push(...roadmap.overdue.undetermined.rowsLeftOut);
  if (results.failShare.met === false) gaps.push('доля «2» выросла по сравнению с прошлым годом');
  if (results.failShare.undetermined?.reason === 'rows-left-out')
    unsure.push(...results.failShare.undetermined.rowsLeftOut);
  else if (results.failShare.met === null || results.failShare.met === undefined)
    gaps.push('нет результатов двух лет для сравнения');
  const unsureRows = mergeRowsLeftOut(unsure);
  // A condition that surely fails decides; otherwise the rows left out leave the mode open.
  const effectiveMode: Indicator<boolean> =
    gaps.length === 0 && unsureRows.length > 0
      ? {
          ...measure<boolean>(null, 'bool'),
          bounds: { low: false, high: true },
          undetermined: { reason: 'rows-left-out', rowsLeftOut: unsureRows },
        }
      : measure(gaps.length === 0, 'bool');
  if (effectiveMode.value === null) gaps.push(`не определено: ${rowsLeftOutText(unsureRows)}`);

  return {
    survey: {
      coverage: measureAgainst(
        survey ? ratio(counted, required) : null,
        'share',
        { comparator: '>=', value: t.surveyCoverage, source: SETTINGS },
        surveyUncertainty,
      ),
    },
    risks: {
      high: measure(profile ? profile.filter((r) => r.level === 'высокий').length : null, 'count'),
      chosen: measureAgainst(
        profile ? chosen.length : null,
        'count',
        { comparator: '<=', value: settings.maxChosenRiskFactors, source: SETTINGS },
        uncertain(profileOut.title, mayBeChosen, { low: chosen.length, high: chosen.length + mayBeChosen }),
      ),
      chosenFactors: chosen.map((c) => c.riskFactor),
      verified: profile && chosen.length > 0 ? chosen.every((c) => c.verified) : null,
    },
    documents: { complete, missing },
    roadmap,
    pd: {
      trainedLong: measureAgainst(
        trainedLong ?? null,
        'count',
        { comparator: '>=', value: t.pdTrainedLong, source: SETTINGS },
        pdUncertainty,
      ),
    },
    events: {
      long: measureAgainst(
        longEvents ?? null,
        'count',
        { comparator: '>=', value: t.eventsLong, source: SETTINGS },
        eventsUncertainty,
      ),
    },
    curator: {
      visits: measure(work.filter((w) => w.kind === 'посещение').length, 'count'),
      consultations: measure(work.filter((w) => w.kind === 'консультация').length, 'count'),
    },
    results,
    effectiveMode,
    effectiveModeGaps: gaps,
  };
}

function missingDocuments(
  documents: { document: string; riskFactor?: string; status: string }[],
  chosenFactors: string[],
): string[] {
  const approved = (name: string, factor?: string) =>
    documents.some(
      (d) => d.document === name && (factor === undefined || d.riskFactor === factor) && APPROVED.has(d.status),
    );
  const missing: string[] = [];
  for (const name of ['Концепция развития', 'Среднесрочная программа развития'])
    if (!approved(name)) missing.push(`«${name}»`);
  for (const factor of chosenFactors) {
    if (!approved('Антирисковая программа', factor)) missing.push(`«Антирисковая программа» по фактору «${factor}»`);
  }
  return missing;
}

/** Roadmap indicators as of a date; null values when the school's workbook was not read. */
export function roadmapMeasures(
  rows: TabRow<RoadmapRow>[] | undefined,
  asOf: IsoDate,
  leftOut?: LeftOut<RoadmapRow>,
): RoadmapIndicators {
  const active = rows?.map((r) => r.values).filter((v) => v.status !== 'отменено');
  const done = active?.filter((v) => v.status === 'выполнено') ?? [];
  const overdueItems = (active ?? []).flatMap((v) => {
    if (v.status === 'выполнено') return [];
    const end = deadlineEnd(v.deadline, asOf);
    if (end === undefined || end >= asOf) return [];
    return [
      {
        number: v.number,
        riskFactor: v.riskFactor,
        activity: v.activity,
        deadlineText: v.deadline.text,
        deadlineEnd: end,
        status: v.status,
        responsible: v.responsible,
      },
    ];
  });
  overdueItems.sort((x, y) => x.deadlineEnd.localeCompare(y.deadlineEnd) || byNumber(x.number, y.number));
  const dated = done.flatMap((v) => {
    const end = deadlineEnd(v.deadline, asOf);
    return end === undefined ? [] : [{ end, completedOn: v.completedOn }];
  });
  const onTime = dated.filter((d) => d.completedOn !== undefined && d.completedOn <= d.end).length;
  // A left-out row may have been cancelled, done or not done, unless a cell read says which;
  // not done, it is overdue unless its deadline, read, has not passed.
  const out = active && leftOut ? leftOut.rows.filter((v) => v.status !== 'отменено') : [];
  const mayBeDone = out.filter((v) => v.status === undefined || v.status === 'выполнено').length;
  const mayBeOpen = out.filter((v) => v.status !== 'выполнено').length;
  const mayBeOverdue = out.filter((v) => {
    if (v.status === 'выполнено') return false;
    if (v.deadline === undefined) return true;
    const end = deadlineEnd(v.deadline, asOf);
    return end !== undefined && end < asOf;
  }).length;
  const progress = measure(active ? ratio(done.length, active.length) : null, 'share');
  const activeCount = active?.length ?? 0;
  const lowest = ratio(done.length, activeCount + mayBeOpen) ?? 0;
  const highest = ratio(done.length + mayBeDone, activeCount + mayBeDone) ?? lowest;
  return {
    total: measure(active ? active.length : null, 'count'),
    done: measure(active ? done.length : null, 'count'),
    overdue: measureAgainst(
      active ? overdueItems.length : null,
      'count',
      { comparator: '<=', value: 0 },
      mayBeOverdue > 0 && leftOut
        ? {
            bounds: { low: overdueItems.length, high: overdueItems.length + mayBeOverdue },
            rowsLeftOut: [{ tab: leftOut.title, rows: mayBeOverdue }],
          }
        : undefined,
    ),
    progress: out.length > 0 ? { ...progress, bounds: { low: lowest, high: Math.max(lowest, highest) } } : progress,
    onTime: measure(active ? ratio(onTime, dated.length) : null, 'share'),
    overdueItems,
  };
}

/** Yearly shares of «2» and of «4»/«5»; the latest year ≤ the as-of year is held to the year before. */
function resultsMeasures(
  rows: AssessmentResultsRow[],
  asOf: IsoDate,
  leftOut?: LeftOut<AssessmentResultsRow>,
): SchoolMeasures['results'] {
  const asOfYear = Number(asOf.slice(0, 4));
  const byYear = new Map<number, { participants: number; failed: number; good: number }>();
  for (const row of rows) {
    if (row.year > asOfYear) continue;
    const sum = byYear.get(row.year) ?? { participants: 0, failed: 0, good: 0 };
    sum.participants += row.participants;
    sum.failed += row.failed;
    sum.good += row.good;
    byYear.set(row.year, sum);
  }
  const years = [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, s]) => ({
      year,
      participants: s.participants,
      failShare: ratio(s.failed, s.participants),
      qualityShare: ratio(s.good, s.participants),
    }));
  const latest = years.at(-1);
  const before = years.at(-2);
  // A left-out row of the compared years (or of one between, or of an unknown year) may move either
  // share, the target included: nothing bounds the comparison then.
  const mayMatter = (row: Partial<AssessmentResultsRow>) =>
    before !== undefined && (row.year === undefined || (row.year >= before.year && row.year <= asOfYear));
  const open = leftOut?.rows.filter(mayMatter).length ?? 0;
  const failShare =
    latest && before && before.failShare !== null
      ? measureAgainst(
          latest.failShare,
          'share',
          { comparator: '<=', value: before.failShare },
          uncertain(leftOut?.title ?? '', open, { low: 0, high: null }),
        )
      : measure(latest?.failShare ?? null, 'share');
  return { years, failShare, qualityShare: measure(latest?.qualityShare ?? null, 'share') };
}

/** Compares item numbers as people do: "2" before "10", "1.2" before "1.10". */
export function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'ru', { numeric: true });
}
