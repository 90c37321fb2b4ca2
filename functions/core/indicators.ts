import {
  measure,
  measureAgainst,
  ratio,
  type Indicator,
  type IndicatorTarget,
  type IndicatorUnit,
  type RowsLeftOut,
  type Uncertainty,
} from './indicator.js';
import type { IsoDate } from './calendar.js';
import { coverageBounds, uncertain, type LeftOut } from './left-out-bounds.js';
import { countBounds } from './registry-bounds.js';
import { planGraphTargetFor, type PlanGraphItem, type PlanGraphMonitoring } from './plan-graph.js';
import type { SchoolWorkbookStatus, WorkbookReading } from './read-workbook.js';
import { currentYearWindow, type SchoolMeasures } from './school-indicators.js';
import type { MonitoringSettings, PlanGraphTargetKey } from './settings.js';
import type { CuratorWorkRow, NetworkPartnershipRow, SatisfactionRow, SchoolsRow } from './tab-types.generated.js';

/** Monitoring stages of the school year. */
export const STAGES = ['входной', 'промежуточный', 'итоговый'] as const;
/** A monitoring stage. */
export type Stage = (typeof STAGES)[number];

/** The stage a person typed («Итоговый», « входной »), or undefined. */
export function stageNamed(text: string): Stage | undefined {
  return STAGES.find((s) => s === text.trim().toLowerCase());
}

export type { RowsLeftOut } from './indicator.js';

/** Recommendations generated from a school's gaps, for the school and for its curator. */
export interface Recommendations {
  school: string[];
  curator: string[];
}

/** Indicators of one participant school, with who it is and how good its data were. */
export interface SchoolIndicators extends SchoolMeasures {
  code: string;
  name: string;
  fullName?: string;
  municipalityCode: string;
  category?: string;
  /** ФИО of the curator from the registry (curator.* are the curator's work). */
  curatorName?: string;
  workbook: { status: SchoolWorkbookStatus; name?: string };
  /** Findings in the school's workbook and in its registry rows. */
  errors: number;
  warnings: number;
  rowsLeftOut: RowsLeftOut[];
  recommendations: Recommendations;
}

/** Indicators of a municipality or the region. */
export interface AreaIndicators {
  participants: number;
  /** Participants whose workbook was read. */
  reported: number;
  effectiveModeShare: Indicator<number>;
  surveyCoveredShare: Indicator<number>;
  documentsCompleteShare: Indicator<number>;
  pdCoveredShare: Indicator<number>;
  eventsCoveredShare: Indicator<number>;
  consultations: Indicator<number>;
  meetings: Indicator<number>;
  partnershipContracts: Indicator<number>;
  satisfaction: Indicator<number>;
  roadmap: {
    total: Indicator<number>;
    done: Indicator<number>;
    overdue: Indicator<number>;
    progress: Indicator<number>;
    schoolsWithOverdue: Indicator<number>;
  };
}

/** Everything a monitoring run computes (indicators.json). */
export interface MonitoringIndicators {
  asOf: IsoDate;
  stage: Stage;
  schoolYear: string;
  /** The stage compared against (--previous), when given. */
  previous?: { asOf: IsoDate; stage: Stage };
  region: AreaIndicators & { name: string; planGraph: PlanGraphMonitoring };
  municipalities: Record<string, AreaIndicators & { code: string; name: string }>;
  schools: Record<string, SchoolIndicators>;
}

/** Registry rows that an area's indicators count. */
export interface AreaRows {
  curatorWork: CuratorWorkRow[];
  partnerships: NetworkPartnershipRow[];
  satisfaction: SatisfactionRow[];
  /** Rows of the same tabs left out because of errors that may count for the area. */
  leftOut?: {
    curatorWork: LeftOut<CuratorWorkRow>;
    partnerships: LeftOut<NetworkPartnershipRow>;
    satisfaction: LeftOut<SatisfactionRow>;
  };
}

/** Whether a school's indicator meets its target: yes, no (or no data), or undetermined by rows left out. */
type SchoolState = boolean | 'undetermined';

/** The state of a school's indicator held to a target. */
function stateOf(indicator: Indicator): SchoolState {
  return indicator.met === true ? true : indicator.undetermined ? 'undetermined' : false;
}

/**
 * Sums and shares over a municipality's or the region's participants; region-wide targets only for
 * the region. The region's plan-graph items, when given, set the targets they name (settings.planGraphTargets).
 * Counts run over the current school year, or over planYear (the plan-graph's own year) when given.
 */
export function areaIndicators(
  schools: readonly SchoolIndicators[],
  rows: AreaRows,
  asOf: IsoDate,
  settings: MonitoringSettings,
  level: 'region' | 'municipality',
  planGraph?: readonly PlanGraphItem[],
  planYear?: { start: IsoDate; end: IsoDate },
): AreaIndicators {
  const t = settings.targets;
  const n = schools.length;
  const targetOf = (key: PlanGraphTargetKey, unit: IndicatorUnit): IndicatorTarget => {
    const fromPlan =
      planGraph &&
      planGraphTargetFor(planGraph, settings.planGraphTargets?.[key], unit === 'share' ? 'share' : 'count');
    return fromPlan
      ? { comparator: '>=', value: fromPlan.value, source: { kind: 'plan-graph', item: fromPlan.item } }
      : { comparator: '>=', value: t[key], source: { kind: 'settings' } };
  };
  // A school whose own indicator is undetermined makes the share a range.
  const shareOf = (state: (s: SchoolIndicators) => SchoolState, key: PlanGraphTargetKey) => {
    const yes = schools.filter((s) => state(s) === true).length;
    const undetermined = schools.filter((s) => state(s) === 'undetermined').length;
    return measureAgainst(
      ratio(yes, n),
      'share',
      targetOf(key, 'share'),
      undetermined > 0
        ? { bounds: { low: yes / n, high: (yes + undetermined) / n }, schools: undetermined }
        : undefined,
    );
  };
  const schoolWindow = currentYearWindow(asOf);
  const window = planYear ?? { start: schoolWindow.start, end: undefined };
  const inYear = (date: IsoDate) =>
    date >= window.start && date <= asOf && (window.end === undefined || date <= window.end);
  const yearEnd = `${Number(window.start.slice(0, 4)) + 1}${window.start.slice(4)}`;
  const countOf = (value: number, key: PlanGraphTargetKey, uncertainty?: Uncertainty) =>
    level === 'region' ? measureAgainst(value, 'count', targetOf(key, 'count'), uncertainty) : measure(value, 'count');
  // A left-out row counts unless a cell read rules it out (another kind, a date outside the window).
  const curatorCount = (kind: CuratorWorkRow['kind'], key: PlanGraphTargetKey) => {
    const count = rows.curatorWork.filter((w) => w.kind === kind && inYear(w.date)).length;
    const out = rows.leftOut?.curatorWork;
    const may = (out?.rows ?? []).filter(
      (w) => (w.kind === undefined || w.kind === kind) && (w.date === undefined || inYear(w.date)),
    ).length;
    return countOf(count, key, uncertain(out?.title ?? '', may, countBounds(count, may)));
  };
  // «contracts dated in the current school year» (or the plan's year): the whole year, a contract may be signed ahead.
  const inContractYear = (date: IsoDate) =>
    date >= window.start && (window.end === undefined ? date < yearEnd : date <= window.end);
  const contracts = rows.partnerships.filter((p) => inContractYear(p.contractDate)).length;
  const contractsOut = rows.leftOut?.partnerships;
  const mayBeContracts = (contractsOut?.rows ?? []).filter(
    (p) => p.contractDate === undefined || inContractYear(p.contractDate),
  ).length;
  const reported = schools.filter((s) => s.roadmap.total.value !== null);
  const sum = (pick: (s: SchoolIndicators) => number | null) =>
    reported.reduce((total, s) => total + (pick(s) ?? 0), 0);
  const total = sum((s) => s.roadmap.total.value);
  const done = sum((s) => s.roadmap.done.value);
  const surveyed = rows.satisfaction.reduce((acc, r) => acc + r.surveyed, 0);
  const satisfied = rows.satisfaction.reduce((acc, r) => acc + r.satisfied, 0);
  // A left-out row adds 0..its «Опрошено» to the denominator and up to its «Удовлетворены» to the numerator.
  const satisfactionOut = rows.leftOut?.satisfaction;
  const satisfactionUncertainty = uncertain(
    satisfactionOut?.title ?? '',
    satisfactionOut?.rows.length ?? 0,
    coverageBounds(
      satisfied,
      surveyed,
      (satisfactionOut?.rows ?? []).map((r) => ({ required: r.surveyed, participated: r.satisfied })),
    ),
  );
  return {
    participants: n,
    reported: reported.length,
    effectiveModeShare: shareOf(
      (s) => (s.effectiveMode.undetermined ? 'undetermined' : s.effectiveMode.value === true),
      'effectiveModeShare',
    ),
    surveyCoveredShare: shareOf((s) => stateOf(s.survey.coverage), 'surveyCoveredShare'),
    documentsCompleteShare: shareOf((s) => stateOf(s.documents.complete), 'documentsCompleteShare'),
    pdCoveredShare: shareOf((s) => stateOf(s.pd.trainedLong), 'pdCoveredShare'),
    eventsCoveredShare: shareOf((s) => stateOf(s.events.long), 'eventsCoveredShare'),
    consultations: curatorCount('консультация', 'consultations'),
    meetings: curatorCount('совещание', 'meetings'),
    partnershipContracts: countOf(
      contracts,
      'partnershipContracts',
      uncertain(contractsOut?.title ?? '', mayBeContracts, countBounds(contracts, mayBeContracts)),
    ),
    satisfaction: measureAgainst(
      ratio(satisfied, surveyed),
      'share',
      targetOf('satisfaction', 'share'),
      satisfactionUncertainty,
    ),
    roadmap: {
      total: measure(total, 'count'),
      done: measure(done, 'count'),
      overdue: measureAgainst(
        sum((s) => s.roadmap.overdue.value),
        'count',
        { comparator: '<=', value: 0 },
      ),
      progress: measure(ratio(done, total), 'share'),
      schoolsWithOverdue: measure(reported.filter((s) => (s.roadmap.overdue.value ?? 0) > 0).length, 'count'),
    },
  };
}

/** Per tab, how many rows errors kept out of the indicators. */
export function rowsLeftOut(reading: WorkbookReading): RowsLeftOut[] {
  return Object.values(reading.tabs).flatMap((tab) => {
    const rows = (tab?.rows ?? []).filter((r) => !r.usable).length;
    return tab && rows > 0 ? [{ tab: tab.title, rows }] : [];
  });
}

/** The school's registry facts that every indicator carries. */
export function schoolIdentity(
  row: SchoolsRow,
): Pick<SchoolIndicators, 'code' | 'name' | 'fullName' | 'municipalityCode' | 'category' | 'curatorName'> {
  return {
    code: row.code,
    name: row.name,
    ...(row.fullName ? { fullName: row.fullName } : {}),
    municipalityCode: row.municipalityCode,
    ...(row.category ? { category: row.category } : {}),
    ...(row.curator ? { curatorName: row.curator } : {}),
  };
}
