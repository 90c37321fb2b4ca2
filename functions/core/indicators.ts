import { deadlineEnd, type IsoDate } from './period.js';
import type { TabRow } from './read-tab.js';
import { usableRows, type WorkbookReading } from './read-workbook.js';
import type { RoadmapRow, SchoolsRow } from './tab-types.generated.js';

/** Monitoring stages of the school year. */
export const STAGES = ['входной', 'промежуточный', 'итоговый'] as const;
/** A monitoring stage. */
export type Stage = (typeof STAGES)[number];

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
  /** Measures not cancelled. */
  total: number;
  done: number;
  overdue: number;
  /** done / total; null when there is nothing to do. */
  progress: number | null;
  overdueItems: OverdueItem[];
}

/** How a school's own workbook fared. */
export type SchoolWorkbookStatus = 'read' | 'missing' | 'unreadable' | 'not_named';

/** Rows of one tab left out of the indicators because of errors in them. */
export interface RowsLeftOut {
  tab: string;
  rows: number;
}

/** Indicators of one participant school. */
export interface SchoolIndicators {
  code: string;
  name: string;
  fullName?: string;
  municipalityCode: string;
  category?: string;
  curator?: string;
  workbook: { status: SchoolWorkbookStatus; name?: string };
  roadmap: RoadmapIndicators | null;
  /** Findings in the school's workbook and in its registry rows. */
  errors: number;
  warnings: number;
  rowsLeftOut: RowsLeftOut[];
}

/** Roadmap sums over a group of schools. */
export interface RoadmapTotals {
  total: number;
  done: number;
  overdue: number;
  progress: number | null;
  schoolsWithOverdue: number;
}

/** Indicators of a municipality or the region. */
export interface AreaIndicators {
  participants: number;
  /** Participants whose workbook was read. */
  reported: number;
  roadmap: RoadmapTotals;
}

/** Everything a monitoring run computes. */
export interface MonitoringIndicators {
  asOf: IsoDate;
  stage: Stage;
  schoolYear: string;
  region: AreaIndicators & { name: string };
  municipalities: (AreaIndicators & { code: string; name: string })[];
  schools: SchoolIndicators[];
}

/** Roadmap indicators of one school as of a date. */
export function roadmapIndicators(reading: WorkbookReading, asOf: IsoDate): RoadmapIndicators {
  const rows = usableRows(reading, 'roadmap').filter((r) => r.values.status !== 'отменено');
  const done = rows.filter((r) => r.values.status === 'выполнено');
  const overdueItems = rows.flatMap((r) => overdueItem(r, asOf));
  return {
    total: rows.length,
    done: done.length,
    overdue: overdueItems.length,
    progress: rows.length === 0 ? null : done.length / rows.length,
    overdueItems,
  };
}

function overdueItem(row: TabRow<RoadmapRow>, asOf: IsoDate): OverdueItem[] {
  const v = row.values;
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
}

/** Sums school roadmaps into a municipality's or the region's. */
export function areaIndicators(schools: readonly SchoolIndicators[]): AreaIndicators {
  const reported = schools.filter((s) => s.roadmap !== null);
  const total = reported.reduce((sum, s) => sum + (s.roadmap?.total ?? 0), 0);
  const done = reported.reduce((sum, s) => sum + (s.roadmap?.done ?? 0), 0);
  return {
    participants: schools.length,
    reported: reported.length,
    roadmap: {
      total,
      done,
      overdue: reported.reduce((sum, s) => sum + (s.roadmap?.overdue ?? 0), 0),
      progress: total === 0 ? null : done / total,
      schoolsWithOverdue: reported.filter((s) => (s.roadmap?.overdue ?? 0) > 0).length,
    },
  };
}

/** The school's registry facts that every indicator carries. */
export function schoolIdentity(
  row: SchoolsRow,
): Pick<SchoolIndicators, 'code' | 'name' | 'fullName' | 'municipalityCode' | 'category' | 'curator'> {
  return {
    code: row.code,
    name: row.name,
    ...(row.fullName ? { fullName: row.fullName } : {}),
    municipalityCode: row.municipalityCode,
    ...(row.category ? { category: row.category } : {}),
    ...(row.curator ? { curator: row.curator } : {}),
  };
}

/** Per tab, how many rows errors kept out of the indicators. */
export function rowsLeftOut(reading: WorkbookReading): RowsLeftOut[] {
  return Object.values(reading.tabs).flatMap((tab) => {
    const rows = (tab?.rows ?? []).filter((r) => !r.usable).length;
    return tab && rows > 0 ? [{ tab: tab.title, rows }] : [];
  });
}
