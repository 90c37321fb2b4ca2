import { describe, it, expect } from 'vitest';
import { parsePlanYear, planYearBounds } from '../../functions/core/calendar.js';
import { areaIndicators } from '../../functions/core/indicators.js';
import { monitorPlanGraph } from '../../functions/core/plan-graph.js';
import { parsePeriod } from '../../functions/core/period.js';
import { readRegistryWorkbook, usableRows } from '../../functions/core/read-workbook.js';
import { CONDITIONAL_REGION, rawBook, rules } from '../support/workbook-content.js';

const Y2021 = { kind: 'calendar', year: 2021 } as const;
const range = (start: string, end: string, deadlines = [end]) => ({ kind: 'range', start, end, deadlines });

describe('parsePeriod in a calendar-year plan', () => {
  it.each([
    ['июнь – ноябрь', range('2021-06-01', '2021-11-30')],
    ['сентябрь', range('2021-09-01', '2021-09-30')],
    ['декабрь', range('2021-12-01', '2021-12-31')],
    ['Июнь, ноябрь', range('2021-06-01', '2021-11-30', ['2021-06-30', '2021-11-30'])],
    ['март, октябрь, ноябрь', range('2021-03-01', '2021-11-30', ['2021-03-31', '2021-10-31', '2021-11-30'])],
    ['в течение года', range('2021-01-01', '2021-12-31')],
    ['весь период', range('2021-01-01', '2021-12-31')],
    ['IV квартал', range('2021-10-01', '2021-12-31')],
    ['1 квартал', range('2021-01-01', '2021-03-31')],
    ['III квартал 2022 года', range('2022-07-01', '2022-09-30')],
    ['15 ноября', range('2021-11-15', '2021-11-15')],
    ['до конца ноября', range('2021-01-01', '2021-11-30')],
    ['ноябрь 2020 года', range('2020-11-01', '2020-11-30')],
    // A range across the year end starts in the plan's year.
    ['декабрь – январь', range('2021-12-01', '2022-01-31')],
    ['октябрь - февраль', range('2021-10-01', '2022-02-28')],
  ])('«%s»', (text, expected) => {
    expect(parsePeriod(text, Y2021)).toEqual({ ...expected, text });
  });

  it('rejects a range running backwards within the year, as in a school year', () => {
    expect(parsePeriod('май - апрель', Y2021).kind).toBe('unparsed');
  });

  it('a school plan year reads as the school year', () => {
    expect(parsePeriod('июнь – ноябрь', { kind: 'school', firstYear: 2020 })).toEqual(
      parsePeriod('июнь – ноябрь', { firstYear: 2020 }),
    );
    expect(parsePeriod('июнь – ноябрь', { firstYear: 2020 })).toEqual({
      ...range('2020-06-01', '2020-11-30'),
      text: 'июнь – ноябрь',
    });
  });
});

describe('parsePlanYear', () => {
  it('reads a calendar year, a school year, or nothing', () => {
    expect(parsePlanYear('2021')).toEqual(Y2021);
    expect(parsePlanYear(' 2021 год ')).toEqual(Y2021);
    expect(parsePlanYear('2020/2021')).toEqual({ kind: 'school', firstYear: 2020 });
    expect(parsePlanYear(undefined)).toBeUndefined();
    expect(parsePlanYear('2020/2022')).toBeUndefined();
    expect(planYearBounds(Y2021)).toEqual({ start: '2021-01-01', end: '2021-12-31' });
  });
});

describe('a registry whose «Регион» states the plan-graph year 2021', () => {
  const item = {
    number: '1',
    direction: 'Методическое',
    activity: 'Мониторинг',
    deadline: 'июнь – ноябрь',
    responsible: 'Региональный координатор',
    indicator: 'Отчёт',
    status: 'в работе',
  };
  const registry = (planYear?: string | number) =>
    readRegistryWorkbook(
      rawBook('Реестр', {
        region: { rows: [{ ...CONDITIONAL_REGION, schoolYear: '2020/2021', ...(planYear ? { planYear } : {}) }] },
        'plan-graph': { rows: [item] },
      }),
      rules.specs,
      rules.settings,
    );

  it('places «июнь – ноябрь» in June–November 2021: overdue only after 30 November 2021', () => {
    const reading = registry('2021');
    expect(reading.planYear).toEqual(Y2021);
    const rows = usableRows(reading, 'plan-graph').map((r) => r.values);
    expect(rows).toHaveLength(1);
    const before = monitorPlanGraph(rows, '2021-11-30');
    expect(before.items[0]?.deadlineEnd).toBe('2021-11-30');
    expect(before.items[0]?.overdue).toBe(false);
    expect(monitorPlanGraph(rows, '2021-12-01').items[0]?.overdue).toBe(true);
    expect(monitorPlanGraph(rows, '2021-03-10').overdue).toBe(0);
  });

  it('reads the year typed as a number cell', () => {
    expect(registry(2021).planYear).toEqual(Y2021);
  });

  it('without the column the school year 2020/2021 places it in 2020, as before', () => {
    const reading = registry();
    expect(reading.planYear).toBeUndefined();
    const rows = usableRows(reading, 'plan-graph').map((r) => r.values);
    expect(monitorPlanGraph(rows, '2021-03-10').items[0]?.deadlineEnd).toBe('2020-11-30');
  });

  it('a school roadmap read with the same registry keeps the school year', () => {
    expect(registry('2021').schoolYear).toEqual({ firstYear: 2020 });
  });
});

describe('annual targets of a calendar-year plan-graph', () => {
  const work = (date: string) => ({
    date,
    curator: 'Куратор',
    kind: 'консультация' as const,
    topic: 'Тема',
  });
  const contract = (contractDate: string) => ({
    schoolCode: 'S1',
    partnerSchoolCode: 'S2',
    contractNumber: contractDate,
    contractDate,
    directions: 'Методическое',
  });
  const rows = {
    // March 2021 is in the calendar year 2021, not in the school year 2021/2022 of 20 November 2021.
    curatorWork: [work('2021-03-15'), work('2021-10-01'), work('2020-12-01')],
    partnerships: [contract('2021-02-01'), contract('2021-12-20'), contract('2022-03-01')],
    satisfaction: [],
  };

  it('counts facts over the plan year, not the current school year', () => {
    const asOf = '2021-11-20';
    const school = areaIndicators([], rows, asOf, rules.settings, 'region');
    const plan = areaIndicators([], rows, asOf, rules.settings, 'region', [], planYearBounds(Y2021));
    expect(school.consultations.value).toBe(1);
    expect(plan.consultations.value).toBe(2);
    expect(school.partnershipContracts.value).toBe(2);
    expect(plan.partnershipContracts.value).toBe(2);
    // Not a day of 2022 counts for the plan of 2021, even a year later.
    const later = areaIndicators([], rows, '2022-06-01', rules.settings, 'region', [], planYearBounds(Y2021));
    expect(later.consultations.value).toBe(2);
    expect(later.partnershipContracts.value).toBe(2);
  });
});
