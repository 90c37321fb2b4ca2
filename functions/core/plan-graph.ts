import type { IsoDate } from './calendar.js';
import { deadlineEnd } from './period.js';
import { byNumber } from './school-indicators.js';
import { judgeTarget, parseActual, parseTarget, type Target, type TargetVerdict } from './target.js';
import type { PlanGraphRow } from './tab-types.generated.js';
import { textKey } from './text-key.js';

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

/**
 * The target a plan-graph item sets for a region-wide indicator: the items whose «Показатель
 * результативности» holds one of the phrases and reads «не менее N» of the indicator's kind (a
 * count, or a percent for a share). None, or items that disagree: undefined (the setting applies).
 */
export function planGraphTargetFor(
  items: readonly PlanGraphItem[],
  phrases: readonly string[] | undefined,
  unit: 'share' | 'count',
): { value: number; item: string } | undefined {
  const keys = (phrases ?? []).map(textKey).filter((k) => k !== '');
  if (keys.length === 0) return undefined;
  const found = items.flatMap((item) => {
    const target = item.target;
    if (target.kind !== 'measurable' || target.comparator !== '>=') return [];
    if (target.unit !== (unit === 'share' ? 'percent' : 'count')) return [];
    const text = textKey(item.indicatorText);
    if (!keys.some((k) => text.includes(k))) return [];
    return [{ value: unit === 'share' ? target.value / 100 : target.value, item: item.number }];
  });
  const [first] = found;
  return first && found.every((f) => f.value === first.value) ? first : undefined;
}
