/**
 * Golden test: every expected number below was worked out by hand from tests/support/fixture-region.ts
 * (the arithmetic is in the comments), not produced by the code under test.
 * As of 20.11.2026; the current school year runs from 01.09.2026.
 */
import { describe, expect, it } from 'vitest';
import { compareWithPrevious } from '../../functions/core/stage-comparison.js';
import { fixtureIndicators, MOTIVATION, PARENTS } from '../support/fixture-region.js';

const indicators = fixtureIndicators();
const a = indicators.schools['01-001']!;
const b = indicators.schools['01-002']!;
const v = indicators.schools['02-001']!;
const value = <T>(indicator: { value: T }) => indicator.value;

describe('school А (everything in order)', () => {
  it('survey coverage caps each group at its requirement', () => {
    // (10 + min(25, 20) + 24) / (10 + 20 + 30) = 54 / 60 = 0.9 → meets ≥ 0.9
    expect(a.survey.coverage).toMatchObject({ value: 0.9, met: true });
  });
  it('risks: two high, two chosen, verified', () => {
    expect(value(a.risks.high)).toBe(2);
    expect(a.risks.chosen).toMatchObject({ value: 2, met: true });
    // listed in the configured order of factors (9 before 10), not the sheet's
    expect(a.risks.chosenFactors).toEqual([PARENTS, MOTIVATION]);
    expect(a.risks.verified).toBe(true);
  });
  it('documents complete: both programmes and an anti-risk programme per chosen factor, all approved', () => {
    expect(a.documents.complete).toMatchObject({ value: true, met: true });
    expect(a.documents.missing).toEqual([]);
  });
  it('roadmap', () => {
    // rows 1–5 count (6 is cancelled): total 5; done 1–4 = 4; progress 4/5 = 0.8
    // overdue: row 5 «декабрь» ends 31.12 → none. On time: 1 (25.09 ≤ 30.09), 3 (31.10 ≤ 31.10),
    // 4 (10.11 ≤ 30.11); 2 is late (05.11 > 31.10) → 3/4 = 0.75
    expect(
      [a.roadmap.total, a.roadmap.done, a.roadmap.overdue, a.roadmap.progress, a.roadmap.onTime].map(value),
    ).toEqual([5, 4, 0, 0.8, 0.75]);
    expect(a.roadmap.overdue.met).toBe(true);
  });
  it('professional development counts long courses finished this school year up to the as-of date', () => {
    // 36 h × 4 (15.10) + 72 h × 3 (01.11) = 7; the 16-h course, last year's and December's do not count
    expect(a.pd.trainedLong).toMatchObject({ value: 7, met: true });
  });
  it('events of at least 4 hours this school year', () => {
    // 10.10 seminar 4 h counts; the 2-h webinar and August's council (last school year) do not
    expect(a.events.long).toMatchObject({ value: 1, met: true });
  });
  it('curator work this school year up to the as-of date', () => {
    // visit 10.09; consultations 15.09 and 01.10 (10.05 is last school year)
    expect([value(a.curator.visits), value(a.curator.consultations)]).toEqual([1, 2]);
  });
  it('results: shares per year, the latest held to the year before; a future year ignored', () => {
    // 2025: 10/40 = 0.25, quality 12/40 = 0.3; 2026: 8/40 = 0.2, quality 14/40 = 0.35; 2027 > as-of year
    expect(a.results.years).toEqual([
      { year: 2025, participants: 40, failShare: 0.25, qualityShare: 0.3 },
      { year: 2026, participants: 40, failShare: 0.2, qualityShare: 0.35 },
    ]);
    expect(a.results.failShare).toMatchObject({ value: 0.2, target: { comparator: '<=', value: 0.25 }, met: true });
  });
  it('is in the effective mode', () => {
    // documents complete, progress 0.8 ≥ 0.8, overdue 0, fail share 0.2 ≤ 0.25
    expect(value(a.effectiveMode)).toBe(true);
    expect(a.effectiveModeGaps).toEqual([]);
  });
  it('gets only the recommendations of its chosen risk factors', () => {
    expect(a.recommendations.school).toHaveLength(2);
    expect(a.recommendations.school[0]).toMatch(/^По фактору «Низкий уровень вовлечённости родителей»: /);
    expect(a.recommendations.curator).toEqual([]);
  });
});

describe('school Б (gaps everywhere)', () => {
  it('measures the gaps', () => {
    // survey (5 + 10) / (10 + 20) = 0.5
    expect(b.survey.coverage).toMatchObject({ value: 0.5, met: false });
    expect(b.risks.verified).toBe(false);
    expect(b.documents.missing).toEqual([
      '«Концепция развития»',
      `«Антирисковая программа» по фактору «${MOTIVATION}»`,
    ]);
    // row 5 («выполнен») is left out; rows 1–4: done 1 (row 2); overdue row 1 (сентябрь, in progress);
    // row 3 is March 2027; row 4's deadline is unreadable → never overdue. progress 1/4; on time 1/1
    expect(
      [b.roadmap.total, b.roadmap.done, b.roadmap.overdue, b.roadmap.progress, b.roadmap.onTime].map(value),
    ).toEqual([4, 1, 1, 0.25, 1]);
    expect(b.rowsLeftOut).toEqual([{ tab: 'Дорожная карта', rows: 1 }]);
    expect(b.pd.trainedLong).toMatchObject({ value: 2, met: false });
    expect(b.events.long).toMatchObject({ value: 0, met: false });
    // 2025: 4/20 = 0.2; 2026: 6/20 = 0.3 > 0.2
    expect(b.results.failShare).toMatchObject({ value: 0.3, met: false });
    expect(value(b.effectiveMode)).toBe(false);
  });
  it('turns each unmet target into a recommendation with the numbers', () => {
    expect(b.recommendations.school.slice(0, 6)).toEqual([
      'Довести участие в анкетировании до 90\u00a0% требуемых респондентов (сейчас 50\u00a0%).',
      `Доработать и согласовать с куратором документы: «Концепция развития», «Антирисковая программа» по фактору «${MOTIVATION}».`,
      'Выполнить просроченные мероприятия дорожной карты (1: № 1) или перенести сроки решением рабочей группы.',
      'Направить на курсы повышения квалификации объёмом от 32 часов не менее 6 педагогов (прошли 2).',
      'Провести в школе не менее 1 методического мероприятия продолжительностью от 4 часов (проведено 0).',
      'Проанализировать причины роста доли неудовлетворительных результатов (30\u00a0% против 20\u00a0% годом ранее) и скорректировать работу с обучающимися группы риска.',
    ]);
    expect(b.recommendations.curator).toContain(
      'Верифицировать рисковый профиль школы: не все выбранные факторы подтверждены куратором.',
    );
  });
});

describe('school В (workbook missing)', () => {
  it('has no workbook indicators, but the registry ones', () => {
    expect(v.workbook.status).toBe('missing');
    expect([v.survey.coverage, v.roadmap.total, v.pd.trainedLong].map(value)).toEqual([null, null, null]);
    expect(v.survey.coverage.met).toBeNull();
    expect(value(v.curator.consultations)).toBe(1); // 01.11
    // only 2026: 3/30 = 0.1, no year before → no target
    expect(v.results.failShare).toEqual({ value: 0.1, unit: 'share' });
    expect(v.recommendations.school[0]).toContain('файл таблицы школы не найден');
  });
});

describe('region and municipalities', () => {
  const region = indicators.region;
  it('shares over all three participants', () => {
    // only А meets each: 1/3
    for (const share of [
      region.effectiveModeShare,
      region.surveyCoveredShare,
      region.documentsCompleteShare,
      region.pdCoveredShare,
      region.eventsCoveredShare,
    ]) {
      expect(share.value).toBeCloseTo(1 / 3);
      expect(share.met).toBe(false);
    }
    expect([region.participants, region.reported]).toEqual([3, 2]);
  });
  it('curator work, partnerships and satisfaction', () => {
    // consultations 15.09, 01.10, 05.10, 01.11 = 4 (25.11 after as-of, 10.05 last year); meetings 12.10 = 1
    expect(region.consultations).toMatchObject({ value: 4, met: false });
    expect(region.meetings).toMatchObject({ value: 1, met: false });
    // contracts 20.09.2026 and 01.03.2027 fall in 2026/2027; 01.05.2026 does not
    expect(region.partnershipContracts).toMatchObject({ value: 2, met: false });
    // participants only: (18 + 8 + 5) / (20 + 10 + 10) = 31/40 = 0.775 < 0.8
    expect(region.satisfaction).toMatchObject({ value: 0.775, met: false });
  });
  it('roadmap sums', () => {
    // total 5 + 4 = 9, done 4 + 1 = 5, overdue 0 + 1 = 1, progress 5/9
    expect(
      [region.roadmap.total, region.roadmap.done, region.roadmap.overdue, region.roadmap.schoolsWithOverdue].map(value),
    ).toEqual([9, 5, 1, 1]);
    expect(region.roadmap.progress.value).toBeCloseTo(5 / 9);
  });
  it('municipalities count their own schools and rows, without the region-wide targets', () => {
    const north = indicators.municipalities['МО-01']!;
    const south = indicators.municipalities['МО-02']!;
    expect([north.participants, north.reported, south.participants, south.reported]).toEqual([2, 2, 1, 0]);
    expect(north.effectiveModeShare.value).toBe(0.5);
    // consultations: А 2 + Б 1 = 3; В 1. Contracts: А and Б → 2; В's is last year → 0
    expect([value(north.consultations), value(south.consultations)]).toEqual([3, 1]);
    expect(north.consultations.target).toBeUndefined();
    expect([value(north.partnershipContracts), value(south.partnershipContracts)]).toEqual([2, 0]);
    expect([value(north.satisfaction), value(south.satisfaction)]).toEqual([0.775, null]);
    expect([value(south.roadmap.total), value(south.roadmap.progress)]).toEqual([0, null]);
  });
  it('monitors the plan-graph items', () => {
    const items = region.planGraph.items.map((i) => [i.number, i.deadlineEnd, i.overdue, i.verdict]);
    expect(items).toEqual([
      ['1', '2027-08-31', false, 'not_achieved'], // ≥ 50 consultations, actual 4
      ['2', '2026-09-30', false, 'achieved'], // not measurable, status «выполнено»
      ['3', '2026-10-31', true, 'not_achieved'], // ≥ 90 %, actual 85 %, October passed
      ['4', '2026-12-31', false, 'not_measurable'], // quarterly: ends with the 4th quarter
    ]);
    expect(region.planGraph).toMatchObject({
      total: 4,
      done: 1,
      overdue: 1,
      achieved: 1,
      notAchieved: 2,
      notMeasurable: 1,
    });
  });
});

describe('stage comparison', () => {
  it('adds «было / стало» to every indicator', () => {
    const entry = fixtureIndicators('2026-09-30', 'входной');
    const compared = compareWithPrevious(indicators, entry);
    expect(compared.previous).toEqual({ asOf: '2026-09-30', stage: 'входной' });
    // By 30.09 А had one consultation (15.09); by 20.11 two → +1. Region: 1 then 4 → +3.
    expect(compared.schools['01-001']!.curator.consultations).toMatchObject({ value: 2, previous: 1, change: 1 });
    expect(compared.region.consultations).toMatchObject({ value: 4, previous: 1, change: 3 });
    // Б's row 1 («сентябрь») was not yet overdue on 30.09 (deadline ends that day): 0 → 1.
    expect(compared.schools['01-002']!.roadmap.overdue).toMatchObject({ value: 1, previous: 0, change: 1 });
    // Yes/no indicators get «было» but no arithmetic change.
    expect(compared.schools['01-001']!.effectiveMode).toEqual({ value: true, unit: 'bool', previous: true });
  });
});
