import { formatIndicatorValue, formatNumber } from '../format-ru.js';
import type { Indicator } from '../indicator.js';

const COMPARATOR_TEXT = { '>=': '≥', '<=': '≤', '=': '=' } as const;

/** «достигнуто», «не достигнуто», «нет данных» (a target but no value), or «—» (no target). */
export function verdictText(indicator: Indicator): string {
  if (indicator.met === true) return 'достигнуто';
  if (indicator.met === false) return 'не достигнуто';
  return indicator.target ? 'нет данных' : '—';
}

/** One line of an indicators table: name, value, target, verdict, change since the previous stage. */
export function indicatorLine(label: string, indicator: Indicator) {
  const change = indicator.change;
  return {
    label,
    value: formatIndicatorValue(indicator.value, indicator.unit),
    target: indicator.target
      ? `${COMPARATOR_TEXT[indicator.target.comparator]} ${formatIndicatorValue(indicator.target.value, indicator.unit)}`
      : '—',
    verdict: verdictText(indicator),
    missed: indicator.met === false,
    previous: indicator.previous === undefined ? '' : formatIndicatorValue(indicator.previous, indicator.unit),
    change:
      change === undefined || change === null
        ? ''
        : `${change > 0 ? '+' : change < 0 ? '−' : '±'}${formatNumber(Math.abs(indicator.unit === 'share' ? change * 100 : change))}${indicator.unit === 'share' ? '\u00a0п.\u00a0п.' : ''}`,
  };
}
