import type { IsoDate } from './calendar.js';
import { deadlineEnd } from './period.js';
import { byNumber } from './school-indicators.js';
import { judgeTarget, parseActual, parseTarget, type Target, type TargetVerdict } from './target.js';
import type { PlanGraphRow } from './tab-types.generated.js';

/** One item of the regional plan-graph as monitored. */
export interface PlanGraphItem {
  number: string;
  direction: string;
  activity: string;
  responsible: string;
  status: string;
  deadlineText: string;
  deadlineEnd: IsoDate | null;
  overdue: boolean;
  indicatorText: string;
  target: Target;
  actualText: string | null;
  verdict: TargetVerdict;
}

/** The plan-graph's items and their totals. */
export interface PlanGraphMonitoring {
  items: PlanGraphItem[];
  total: number;
  done: number;
  overdue: number;
  achieved: number;
  notAchieved: number;
  notMeasurable: number;
}

/** Deadlines, overdue flags and target verdicts of the regional plan-graph as of a date. */
export function monitorPlanGraph(rows: PlanGraphRow[], asOf: IsoDate): PlanGraphMonitoring {
  const ordered = [...rows].sort((a, b) => byNumber(a.number, b.number));
  const items = ordered.map((row): PlanGraphItem => {
    const end = deadlineEnd(row.deadline, asOf) ?? null;
    const target = parseTarget(row.indicator);
    return {
      number: row.number,
      direction: row.direction,
      activity: row.activity,
      responsible: row.responsible,
      status: row.status,
      deadlineText: row.deadline.text,
      deadlineEnd: end,
      // «перенесено» keeps the old deadline in the sheet, so it is overdue once that has passed.
      overdue: row.status !== 'выполнено' && end !== null && end < asOf,
      indicatorText: row.indicator,
      target,
      actualText: row.actualValue ?? null,
      verdict: judgeTarget(target, parseActual(row.actualValue), row.status),
    };
  });
  const count = (predicate: (item: PlanGraphItem) => boolean) => items.filter(predicate).length;
  return {
    items,
    total: items.length,
    done: count((i) => i.status === 'выполнено'),
    overdue: count((i) => i.overdue),
    achieved: count((i) => i.verdict === 'achieved'),
    notAchieved: count((i) => i.verdict === 'not_achieved'),
    notMeasurable: count((i) => i.verdict === 'not_measurable'),
  };
}
