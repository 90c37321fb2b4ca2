import { formatIndicatorValue, formatNumber } from '../format-ru.js';
import { undeterminedText, type Indicator, type IndicatorTarget } from '../indicator.js';
import type { MonitoringIndicators } from '../indicators.js';
import { municipalityOrder, type RegistryFacts } from './registry-facts.js';

const COMPARATOR_TEXT = { '>=': '≥', '<=': '≤', '=': '=' } as const;

/**
 * «достигнуто», «не достигнуто», «не определено: …» (rows left out could have held values either
 * way), «нет данных» (a target but no value), or «—» (no target).
 */
export function verdictText(indicator: Indicator): string {
  if (indicator.met === true) return 'достигнуто';
  if (indicator.met === false) return 'не достигнуто';
  if (indicator.undetermined) return undeterminedText(indicator.undetermined);
  return indicator.target ? 'нет данных' : '—';
}

/** «по плану-графику, п. 4», «по настройкам мониторинга региона», or '' for the methodology's fixed rules. */
export function targetSourceText(target: IndicatorTarget | undefined): string {
  const source = target?.source;
  if (!source) return '';
  return source.kind === 'plan-graph'
    ? `по плану-графику, п.\u00a0${source.item}`
    : 'по настройкам мониторинга региона';
}

/** One line of an indicators table: name, value, target, verdict, change since the previous stage. */
export function indicatorLine(label: string, indicator: Indicator) {
  const change = indicator.change;
  return {
    label,
    value: formatIndicatorValue(indicator.value, indicator.unit),
    target: indicator.target
      ? `${COMPARATOR_TEXT[indicator.target.comparator]} ${formatIndicatorValue(indicator.target.value, indicator.unit)}${indicator.target.source?.kind === 'plan-graph' ? ` (${targetSourceText(indicator.target)})` : ''}`
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

/** The municipalities' table of a regional document, in the registry's order. */
export function municipalityRows(indicators: MonitoringIndicators, facts: Pick<RegistryFacts, 'municipalities'>) {
  const order = municipalityOrder(facts);
  return Object.values(indicators.municipalities)
    .sort((a, b) => order(a.code) - order(b.code))
    .map((m) => ({
      name: m.name,
      participants: formatNumber(m.participants),
      effectiveModeShare: formatIndicatorValue(m.effectiveModeShare.value, 'share'),
      documentsCompleteShare: formatIndicatorValue(m.documentsCompleteShare.value, 'share'),
      progress: formatIndicatorValue(m.roadmap.progress.value, 'share'),
      overdue: formatIndicatorValue(m.roadmap.overdue.value, 'count'),
    }));
}
