import { describe, expect, it } from 'vitest';
import { schoolReportView } from '../../functions/core/documents/reports.js';
import { fixtureIndicators } from '../support/fixture-region.js';

describe('school report view', () => {
  it('lists at most 30 overdue measures, earliest first, and says how many more the school table has', () => {
    const indicators = fixtureIndicators();
    const school = Object.values(indicators.schools).find((s) => s.roadmap.overdueItems.length > 0)!;
    expect(school, 'a fixture school with an overdue measure').toBeDefined();
    const model = school.roadmap.overdueItems[0]!;
    // A school whose roadmap has 1 234 overdue rows (a careless or hostile sheet).
    const many = Array.from({ length: 1234 }, (_, i) => ({ ...model, number: String(i + 1) }));
    const view = schoolReportView(
      indicators,
      { region: {}, municipalities: [], schools: [] },
      {
        ...school,
        roadmap: { ...school.roadmap, overdueItems: many },
      },
    );
    expect(view.roadmap.overdueItems.map((i) => i.number)).toEqual(many.slice(0, 30).map((i) => i.number));
    expect(view.roadmap.overdueNotListed).toBe(
      'Показаны первые 30; ещё 1204 просроченных мероприятия — в таблице школы.',
    );
  });

  it('lists every overdue measure when there are few', () => {
    const indicators = fixtureIndicators();
    const school = Object.values(indicators.schools).find((s) => s.roadmap.overdueItems.length > 0)!;
    const view = schoolReportView(indicators, { region: {}, municipalities: [], schools: [] }, school);
    expect(view.roadmap.overdueItems).toHaveLength(school.roadmap.overdueItems.length);
    expect(view.roadmap.overdueNotListed).toBe('');
  });
});
