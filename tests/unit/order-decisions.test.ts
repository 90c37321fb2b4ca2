import { describe, expect, it } from 'vitest';
import { monitoringResultsOrderView } from '../../functions/core/documents/order-monitoring-results.js';
import { isIndicator, type Indicator } from '../../functions/core/indicator.js';
import type { MonitoringIndicators, SchoolIndicators } from '../../functions/core/indicators.js';
import { fixtureIndicators } from '../support/fixture-region.js';
import { facts } from '../support/order-facts.js';

/** Paths of the region's indicators that have a target: «consultations», «roadmap.overdue»… */
function targetPaths(value: unknown, prefix = ''): string[] {
  if (isIndicator(value)) return value.target ? [prefix] : [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'planGraph' || key === 'previous' ? [] : targetPaths(v, prefix ? `${prefix}.${key}` : key),
  );
}
const at = (root: object, path: string) =>
  path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], root) as Indicator;

/** The fixture region with every target met: every school in order, every regional indicator on target. */
function allMet(): MonitoringIndicators {
  const copy = structuredClone(fixtureIndicators());
  for (const s of Object.values(copy.schools)) {
    s.workbook = { status: 'read' };
    s.roadmap.overdueItems = [];
    s.roadmap.overdue = { ...s.roadmap.overdue, value: 0, met: true };
    s.documents = { complete: { value: true, unit: 'bool', met: true }, missing: [] };
    s.survey.coverage = { ...s.survey.coverage, value: 1, met: true };
    s.risks = { ...s.risks, chosen: { ...s.risks.chosen, value: 2, met: true }, verified: true };
    s.pd.trainedLong = { ...s.pd.trainedLong, value: 6, met: true };
    s.events.long = { ...s.events.long, value: 1, met: true };
    s.results.failShare = { ...s.results.failShare, value: 0.1, target: { comparator: '<=', value: 0.2 }, met: true };
  }
  for (const path of targetPaths(copy.region)) Object.assign(at(copy.region, path), { met: true });
  copy.region.planGraph.items = copy.region.planGraph.items.map((item) => ({ ...item, overdue: false }));
  return copy;
}

const firstSchool = (i: MonitoringIndicators): SchoolIndicators => Object.values(i.schools)[0]!;
const overdueItem = {
  number: '1.1',
  riskFactor: 'Низкая учебная мотивация обучающихся',
  activity: 'Педсовет',
  deadlineText: 'октябрь',
  deadlineEnd: '2026-10-31',
  status: 'в работе',
  responsible: 'Директор',
};

/** How a school's indicator misses its target — the problems the order's appendix 2 lists. */
const SCHOOL_GAPS: Record<string, (s: SchoolIndicators) => void> = {
  'roadmap.overdue': (s) => {
    s.roadmap.overdueItems = [overdueItem];
    s.roadmap.overdue = { ...s.roadmap.overdue, value: 1, met: false };
  },
  'documents.complete': (s) => {
    s.documents = { complete: { value: false, unit: 'bool', met: false }, missing: ['«Концепция развития»'] };
  },
  'survey.coverage': (s) => (s.survey.coverage = { ...s.survey.coverage, value: 0.5, met: false }),
  'risks.chosen': (s) => (s.risks.chosen = { ...s.risks.chosen, value: 4, met: false }),
  'risks.verified': (s) => (s.risks.verified = false),
  'pd.trainedLong': (s) => (s.pd.trainedLong = { ...s.pd.trainedLong, value: 2, met: false }),
  'events.long': (s) => (s.events.long = { ...s.events.long, value: 0, met: false }),
  'results.failShare': (s) => (s.results.failShare = { ...s.results.failShare, value: 0.3, met: false }),
  workbook: (s) => (s.workbook = { status: 'missing' }),
};

/** Each region indicator with a target missed — with the school gap behind it where the region's share is made of schools. */
const REGION_GAPS: Record<string, string | undefined> = {
  effectiveModeShare: undefined,
  surveyCoveredShare: 'survey.coverage',
  documentsCompleteShare: 'documents.complete',
  pdCoveredShare: 'pd.trainedLong',
  eventsCoveredShare: 'events.long',
  consultations: undefined,
  meetings: undefined,
  partnershipContracts: undefined,
  satisfaction: undefined,
  'roadmap.overdue': 'roadmap.overdue',
};

/** Every decision of the order: a clause, or a sub-clause read with its clause. */
const decisions = (i: MonitoringIndicators) =>
  monitoringResultsOrderView(i, facts).clauses.flatMap((c) =>
    c.items.length > 0 ? c.items.map((item) => `${c.text} ${item}`) : [c.text],
  );
const DEADLINE = /до \d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря) \d{4}/;
const ADDRESSEE = /^(Руководителям|Кураторам|Региональному координатору|Рекомендовать)/;

describe('the monitoring-results order answers every unmet target with a decision', () => {
  const baseline = new Set(decisions(allMet()));

  it('knows how each of the region’s indicators with a target can be missed', () => {
    expect(Object.keys(REGION_GAPS).sort()).toEqual(targetPaths(allMet().region).sort());
  });

  it.each(Object.entries(REGION_GAPS))(
    'a missed «%s» gets a clause naming who does what by when',
    (path, schoolGap) => {
      const missed = allMet();
      const indicator = at(missed.region, path);
      Object.assign(indicator, { met: false, value: indicator.unit === 'share' ? 0.5 : 1 });
      if (schoolGap) SCHOOL_GAPS[schoolGap]!(firstSchool(missed));
      const added = decisions(missed).filter((d) => !baseline.has(d));
      const answers = added.filter((d) => ADDRESSEE.test(d) && DEADLINE.test(d));
      expect(answers, `новые решения: ${added.join(' | ')}`).not.toEqual([]);
    },
  );

  it.each(Object.keys(SCHOOL_GAPS))(
    'a school’s problem «%s» is listed in appendix 2 and answered by a decision naming the school, by a date',
    (gap) => {
      const missed = allMet();
      const school = firstSchool(missed);
      SCHOOL_GAPS[gap]!(school);
      const view = monitoringResultsOrderView(missed, facts);
      expect(view.problemGroups.flatMap((g) => g.schools).find((s) => s.code === school.code)?.problems).toHaveLength(
        1,
      );
      const added = decisions(missed).filter((d) => !baseline.has(d));
      expect(
        added.filter((d) => ADDRESSEE.test(d) && DEADLINE.test(d) && d.includes(school.name)),
        `новые решения: ${added.join(' | ')}`,
      ).not.toEqual([]);
    },
  );
});
