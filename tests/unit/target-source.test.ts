import { describe, expect, it } from 'vitest';
import { computeIndicators } from '../../functions/core/compute-indicators.js';
import { monitoringResultsOrderView } from '../../functions/core/documents/order-monitoring-results.js';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import { monitorPlanGraph, planGraphTargetFor } from '../../functions/core/plan-graph.js';
import type { RawCell, RawWorkbook } from '../../functions/core/raw-workbook.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type ParticipantReading,
} from '../../functions/core/read-workbook.js';
import type { PlanGraphRow } from '../../functions/core/tab-types.generated.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { registry, schoolA, schoolB } from '../support/fixture-region.js';
import { facts, NB, texts } from '../support/order-facts.js';

const rules = monitoringRules();

function compute(reg: RawWorkbook): MonitoringIndicators {
  const read = readRegistryWorkbook(reg, rules.specs, rules.settings);
  const books: Record<string, RawWorkbook> = { 'a.xlsx': schoolA, 'b.xlsx': schoolB };
  const participants: ParticipantReading[] = usableRows(read, 'schools')
    .filter((r) => r.values.participant)
    .map((row) => {
      const raw = books[row.values.workbook ?? ''];
      return raw
        ? { row, status: 'read', reading: readSchoolWorkbook(raw, rules.specs, rules.settings, read.schoolYear) }
        : { row, status: 'missing', reading: undefined };
    });
  return computeIndicators({
    registry: read,
    participants,
    issues: [],
    asOf: '2026-11-20',
    stage: 'промежуточный',
    settings: rules.settings,
    recommendations: rules.recommendations,
  });
}

/** The registry with one more «План-график» row, given by its headers. */
function withPlanItem(item: Record<string, RawCell['value']>): RawWorkbook {
  return {
    ...registry,
    tabs: registry.tabs.map((t) => {
      if (t.name !== 'План-график') return t;
      const header = t.rows[0]!;
      return { name: t.name, rows: [...t.rows, header.map((h) => ({ value: item[String(h.value)] ?? null }))] };
    }),
  };
}

const CONTRACTS_ITEM = {
  '№': '5',
  Направление: 'Организационно-управленческое',
  Мероприятие: 'Организация сетевого партнёрства',
  Сроки: 'октябрь',
  Ответственный: 'ИРО',
  'Показатель результативности': 'Не менее 6 договоров о сетевом взаимодействии',
  'Фактическое значение': '2',
  Статус: 'не выполнено',
};

/** Every clause and every item of a clause, each on its own. */
const sentences = (indicators: MonitoringIndicators) =>
  monitoringResultsOrderView(indicators, facts).clauses.flatMap((c) => texts([{ ...c, items: [] }]).concat(c.items));
const contractsClause = (indicators: MonitoringIndicators) =>
  sentences(indicators).find((t) => t.includes('договоров о сетевом'));

describe('targets cited from their real source', () => {
  it('the plan-graph item that sets 6 contracts wins over the setting of 10, and the order cites it', () => {
    expect(rules.settings.targets.partnershipContracts).toBe(10);
    const indicators = compute(withPlanItem(CONTRACTS_ITEM));
    expect(indicators.region.partnershipContracts.target).toEqual({
      comparator: '>=',
      value: 6,
      source: { kind: 'plan-graph', item: '5' },
    });
    expect(rules.checkIndicators(indicators)).toBe(true);
    const clause = contractsClause(indicators);
    expect(clause).toContain(`целевое значение — не менее 6 по плану-графику, п.${NB}5, фактически —`);
    expect(clause).not.toContain('не менее 10');
    const line = monitoringResultsOrderView(indicators, facts).lines.find(
      (l) => l.label === 'Договоров сетевого партнёрства',
    );
    expect(line?.target).toBe(`не менее 6 (по плану-графику, п.${NB}5)`);
  });

  it('without such an item the setting applies, and the order says so instead of claiming the plan-graph', () => {
    const indicators = compute(registry);
    expect(indicators.region.partnershipContracts.target).toEqual({
      comparator: '>=',
      value: 10,
      source: { kind: 'settings' },
    });
    const view = monitoringResultsOrderView(indicators, facts);
    const clause = contractsClause(indicators);
    expect(clause).toContain('целевое значение — не менее 10 по настройкам мониторинга региона, фактически —');
    // No clause calls a settings' target «предусмотренный планом-графиком».
    for (const text of sentences(indicators).filter((t) => t.includes('целевое значение')))
      expect(text.includes('по плану-графику') || !text.includes('планом-графиком')).toBe(true);
    expect(view.lines.find((l) => l.label === 'Договоров сетевого партнёрства')?.target).toBe('не менее 10');
  });

  it('maps plan-graph items conservatively: the same kind of number, and items that disagree leave the setting', () => {
    const item = (number: string, indicator: string): PlanGraphRow =>
      ({
        number,
        direction: 'Методическое',
        activity: 'Мероприятие',
        deadline: { text: 'октябрь' },
        responsible: 'ИРО',
        indicator,
        status: 'в работе',
      }) as unknown as PlanGraphRow;
    const items = (rows: PlanGraphRow[]) => monitorPlanGraph(rows, '2026-11-20').items;
    const phrases = ['договор'];
    expect(planGraphTargetFor(items([item('4', 'Не менее 6 договоров')]), phrases, 'count')).toEqual({
      value: 6,
      item: '4',
    });
    // A percent is not a number of contracts; words only set nothing.
    expect(
      planGraphTargetFor(items([item('4', 'Не менее 60 % договоров продлены')]), phrases, 'count'),
    ).toBeUndefined();
    expect(planGraphTargetFor(items([item('4', 'Договоры заключены')]), phrases, 'count')).toBeUndefined();
    // Two items that disagree: no plan-graph target.
    expect(
      planGraphTargetFor(
        items([item('4', 'Не менее 6 договоров'), item('7', 'Не менее 8 договоров')]),
        phrases,
        'count',
      ),
    ).toBeUndefined();
    // A share target from a percent: «не ниже 80 %» → 0.8.
    expect(
      planGraphTargetFor(items([item('10', 'Уровень удовлетворённости не ниже 80 %')]), ['удовлетворенност'], 'share'),
    ).toEqual({ value: 0.8, item: '10' });
  });
});
