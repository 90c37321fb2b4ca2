/** How an indicator's value reads: a share 0–1 (shown as percent), a count, or yes/no. */
export type IndicatorUnit = 'share' | 'count' | 'bool';

import { countOf, plural } from './format-ru.js';

/** Where a target comes from: an item of the region's plan-graph, or the monitoring settings. */
export type TargetSource = { kind: 'plan-graph'; item: string } | { kind: 'settings' };

/** A target an indicator is held to; source is absent for the methodology's fixed rules (e.g. no overdue measures). */
export interface IndicatorTarget {
  comparator: '>=' | '<=' | '=';
  value: number | boolean;
  source?: TargetSource;
}

/** Rows of one tab left out of the indicators because of errors in them. */
export interface RowsLeftOut {
  tab: string;
  rows: number;
}

/**
 * The values an indicator could take whatever the rows left out held: from low to high
 * (high null: no upper bound). For yes/no, false < true.
 */
export interface IndicatorBounds {
  low: number | boolean;
  high: number | boolean | null;
}

/** Why the verdict is not determined although there may be a value. */
export type Undetermined =
  { reason: 'rows-left-out'; rowsLeftOut: RowsLeftOut[] } | { reason: 'schools-undetermined'; schools: number };

/** What the rows left out allow an indicator to be: its bounds and the rows behind them. */
export interface Uncertainty {
  bounds: IndicatorBounds;
  rowsLeftOut: RowsLeftOut[];
}

/** One monitored number (or verdict), with its target and, after a stage comparison, its change. */
export interface Indicator<T extends number | boolean = number | boolean> {
  value: T | null;
  unit: IndicatorUnit;
  target?: IndicatorTarget;
  /**
   * Whether the target is met; null when the value is unknown, or when the rows left out could
   * have held values either way (then `undetermined` says why). Absent when there is no target.
   */
  met?: boolean | null;
  /** What the value could be, had the rows left out been read; only when such rows feed it. */
  bounds?: IndicatorBounds;
  /** Why met (or a yes/no value) is null although data were read. */
  undetermined?: Undetermined;
  /** The value at the previous monitoring stage (--previous), when it had one. */
  previous?: T | null;
  /** value − previous for numbers; absent for yes/no. */
  change?: number | null;
}

/** An indicator without a target. */
export function measure<T extends number | boolean>(value: T | null, unit: IndicatorUnit): Indicator<T> {
  return { value, unit };
}

/**
 * An indicator held to a target; met is computed here and nowhere else. With an uncertainty (rows
 * left out, or schools undetermined), met is true or false only when every value within the
 * bounds agrees; otherwise null, with the reason.
 */
export function measureAgainst<T extends number | boolean>(
  value: T | null,
  unit: IndicatorUnit,
  target: IndicatorTarget,
  uncertainty?: Uncertainty | { bounds: IndicatorBounds; schools: number },
): Indicator<T> {
  if (!uncertainty) return { value, unit, target, met: value === null ? null : meets(value, target) };
  const met = metWithin(uncertainty.bounds, target);
  const undetermined: Undetermined =
    'schools' in uncertainty
      ? { reason: 'schools-undetermined', schools: uncertainty.schools }
      : { reason: 'rows-left-out', rowsLeftOut: uncertainty.rowsLeftOut };
  return { value, unit, target, met, bounds: uncertainty.bounds, ...(met === null ? { undetermined } : {}) };
}

/** True when every value within the bounds meets the target, false when none does, else null. */
export function metWithin(bounds: IndicatorBounds, target: IndicatorTarget): boolean | null {
  const { low, high } = bounds;
  if (typeof low === 'boolean' || typeof high === 'boolean') {
    // false < true: a single point decides, a range [false, true] does not.
    return high === low ? meets(low, target) : null;
  }
  const lowMeets = meets(low, target);
  switch (target.comparator) {
    case '>=':
      // Values only grow from low: if low meets, all do; if high (bounded) fails, none does.
      if (lowMeets) return true;
      return high !== null && !meets(high, target) ? false : null;
    case '<=':
      if (!lowMeets) return false;
      return high !== null && meets(high, target) ? true : null;
    case '=': {
      const highMeets = high !== null && meets(high, target);
      if (lowMeets && highMeets) return true;
      const wanted = Number(target.value);
      const inside = (lowMeets || wanted > low) && (high === null || highMeets || wanted < high);
      return inside ? null : false;
    }
  }
}

/** «1 строка листа «Анкетирование» не прочитана; 2 строки листа «Документы» не прочитаны». */
export function rowsLeftOutText(rowsLeftOut: readonly RowsLeftOut[]): string {
  return rowsLeftOut
    .map(
      (t) =>
        `${countOf(t.rows, ['строка', 'строки', 'строк'])} листа «${t.tab}» не ${plural(t.rows, ['прочитана', 'прочитаны', 'прочитано'])}`,
    )
    .join('; ');
}

/** «не определено: 1 строка листа «Анкетирование» не прочитана», or the share's reason. */
export function undeterminedText(undetermined: Undetermined): string {
  return undetermined.reason === 'rows-left-out'
    ? `не определено: ${rowsLeftOutText(undetermined.rowsLeftOut)}`
    : `не определено: у ${countOf(undetermined.schools, ['школы', 'школ', 'школ'])} показатель не определён`;
}

function meets(value: number | boolean, target: IndicatorTarget): boolean {
  if (typeof value === 'boolean' || typeof target.value === 'boolean') return value === target.value;
  // Shares are sums of fractions: allow for floating-point noise at the boundary.
  const epsilon = 1e-9;
  switch (target.comparator) {
    case '>=':
      return value >= target.value - epsilon;
    case '<=':
      return value <= target.value + epsilon;
    case '=':
      return Math.abs(value - target.value) <= epsilon;
  }
}

/** a / b, or null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** True for an object shaped like an Indicator (used to walk indicators.json generically). */
export function isIndicator(value: unknown): value is Indicator {
  return (
    typeof value === 'object' &&
    value !== null &&
    'value' in value &&
    'unit' in value &&
    ['share', 'count', 'bool'].includes(String((value as { unit: unknown }).unit))
  );
}
