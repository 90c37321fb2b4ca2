/** How an indicator's value reads: a share 0–1 (shown as percent), a count, or yes/no. */
export type IndicatorUnit = 'share' | 'count' | 'bool';

/** A target an indicator is held to. */
export interface IndicatorTarget {
  comparator: '>=' | '<=' | '=';
  value: number | boolean;
}

/** One monitored number (or verdict), with its target and, after a stage comparison, its change. */
export interface Indicator<T extends number | boolean = number | boolean> {
  value: T | null;
  unit: IndicatorUnit;
  target?: IndicatorTarget;
  /** Whether the target is met; null when the value is unknown. Absent when there is no target. */
  met?: boolean | null;
  /** The value at the previous monitoring stage (--previous), when it had one. */
  previous?: T | null;
  /** value − previous for numbers; absent for yes/no. */
  change?: number | null;
}

/** An indicator without a target. */
export function measure<T extends number | boolean>(value: T | null, unit: IndicatorUnit): Indicator<T> {
  return { value, unit };
}

/** An indicator held to a target; met is computed here and nowhere else. */
export function measureAgainst<T extends number | boolean>(
  value: T | null,
  unit: IndicatorUnit,
  target: IndicatorTarget,
): Indicator<T> {
  return { value, unit, target, met: value === null ? null : meets(value, target) };
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
