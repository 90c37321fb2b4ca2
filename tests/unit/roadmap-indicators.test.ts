import { describe, expect, it } from 'vitest';
import { rowsLeftOut } from '../../functions/core/indicators.js';
import { roadmapMeasures } from '../../functions/core/school-indicators.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import { readSchoolWorkbook, usableRows, type WorkbookReading } from '../../functions/core/read-workbook.js';
import { chosenFactor, measure, rawBook, rules } from '../support/workbook-content.js';

/** A school workbook: one chosen factor and these roadmap rows [№, Срок, Статус, Дата выполнения]. */
function workbook(rows: [string, string, string, string?][]): RawWorkbook {
  return rawBook('школа.xlsx', {
    'risk-profile': { rows: [chosenFactor()] },
    roadmap: {
      rows: rows.map(([number, deadline, status, completedOn]) => measure(number, { deadline, status, completedOn })),
    },
  });
}

const roadmapOf = (reading: WorkbookReading, asOf: string) => {
  const m = roadmapMeasures(usableRows(reading, 'roadmap'), asOf);
  return {
    total: m.total.value,
    done: m.done.value,
    overdue: m.overdue.value,
    progress: m.progress.value,
    onTime: m.onTime.value,
    overdueItems: m.overdueItems,
  };
};
const indicatorsOf = (rows: [string, string, string, string?][], asOf: string) =>
  roadmapOf(readSchoolWorkbook(workbook(rows), rules.specs, rules.settings, { firstYear: 2026 }), asOf);

describe('roadmap indicators', () => {
  it('counts measures, done, overdue and progress as of a date', () => {
    const result = indicatorsOf(
      [
        ['1', 'сентябрь', 'выполнено', '20.09.2026'],
        ['2', 'октябрь', 'в работе'], // ended 31.10 — overdue on 20.11
        ['3', 'ноябрь', 'запланировано'], // ends 30.11 — not yet
        ['4', 'сентябрь-октябрь', 'не выполнено'], // overdue
        ['5', 'октябрь', 'отменено'], // not counted at all
        ['6', 'постоянно', 'в работе'], // no deadline, never overdue
        ['7', 'по мере необходимости', 'в работе'], // unreadable deadline: kept, never overdue
      ],
      '2026-11-20',
    );
    expect(result).toMatchObject({ total: 6, done: 1, overdue: 2 });
    expect(result.progress).toBeCloseTo(1 / 6);
    expect(result.overdueItems.map((i) => [i.number, i.deadlineEnd])).toEqual([
      ['2', '2026-10-31'],
      ['4', '2026-10-31'],
    ]);
  });

  it('is not overdue on the last day of the deadline', () => {
    expect(indicatorsOf([['1', 'октябрь', 'в работе']], '2026-10-31').overdue).toBe(0);
    expect(indicatorsOf([['1', 'октябрь', 'в работе']], '2026-11-01').overdue).toBe(1);
  });

  it('leaves out a row whose status cannot be read, and says how many', () => {
    const reading = readSchoolWorkbook(
      workbook([
        ['1', 'сентябрь', 'выполнено', '01.09.2026'],
        ['2', 'сентябрь', 'выполнен'],
      ]),
      rules.specs,
      rules.settings,
      { firstYear: 2026 },
    );
    expect(roadmapOf(reading, '2026-11-20')).toMatchObject({ total: 1, done: 1 });
    expect(rowsLeftOut(reading)).toEqual([{ tab: 'Дорожная карта', rows: 1 }]);
  });

  it('has no progress when there is nothing to do', () => {
    expect(indicatorsOf([], '2026-11-20')).toMatchObject({ total: 0, progress: null });
  });

  it('counts a measure done on time only when its completion date is within the deadline', () => {
    const result = indicatorsOf(
      [
        ['1', 'сентябрь', 'выполнено', '30.09.2026'], // on the last day: on time
        ['2', 'сентябрь', 'выполнено', '01.10.2026'], // a day late
        ['3', 'постоянно', 'выполнено', '01.10.2026'], // no deadline: not judged
      ],
      '2026-11-20',
    );
    expect(result.onTime).toBe(1 / 2);
  });
});
