import { describe, expect, it } from 'vitest';
import { readRegistryWorkbook } from '../../functions/core/read-workbook.js';
import { openStage, stageRunId, stagesPast } from '../../functions/core/stage-calendar.js';
import { registryTabs } from '../support/fixture-region.js';
import { rawBook, rules } from '../support/workbook-content.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** The fixture registry with these «Регион» deadlines. */
function registryWith(deadlines: Record<string, Date | string>) {
  return readRegistryWorkbook(
    rawBook('реестр.xlsx', { ...registryTabs, region: { rows: [{ ...registryTabs.region.rows[0], ...deadlines }] } }),
    rules.specs,
    rules.settings,
  );
}

describe('the stage calendar of «Регион»', () => {
  const full = registryWith({
    entryDeadline: day('2026-10-01'),
    interimDeadline: day('2027-01-20'),
    finalDeadline: day('2027-05-25'),
  });

  it('is read from the three deadlines, in the year’s order', () => {
    expect(full.issues.filter((i) => i.code === 'stage_calendar')).toEqual([]);
    expect(full.stageCalendar?.stages).toEqual([
      { stage: 'входной', deadline: '2026-10-01' },
      { stage: 'промежуточный', deadline: '2027-01-20' },
      { stage: 'итоговый', deadline: '2027-05-25' },
    ]);
  });

  it('keeps a stage open through its deadline day and closes it the day after', () => {
    const calendar = full.stageCalendar!;
    expect(openStage(calendar, '2026-09-01')?.stage).toBe('входной');
    expect(openStage(calendar, '2026-10-01')?.stage).toBe('входной');
    expect(stagesPast(calendar, '2026-10-01')).toEqual([]);
    expect(openStage(calendar, '2026-10-02')?.stage).toBe('промежуточный');
    expect(stagesPast(calendar, '2026-10-02').map((s) => s.stage)).toEqual(['входной']);
    expect(openStage(calendar, '2027-05-26')).toBeUndefined();
    expect(stagesPast(calendar, '2027-05-26')).toHaveLength(3);
  });

  it('names stages in store keys by school year', () => {
    expect(stageRunId({ firstYear: 2026 }, 'промежуточный')).toBe('2026-2027-interim');
  });

  it('may state only some stages; none at all means no calendar and no finding', () => {
    expect(registryWith({ interimDeadline: day('2027-01-20') }).stageCalendar?.stages).toEqual([
      { stage: 'промежуточный', deadline: '2027-01-20' },
    ]);
    const none = registryWith({});
    expect(none.stageCalendar).toBeUndefined();
    expect(none.issues.filter((i) => i.tab === 'Регион')).toEqual([]);
  });

  it('refuses a deadline outside the school year or out of order, on its cell, and then uses no calendar', () => {
    const outside = registryWith({ entryDeadline: day('2026-08-25') });
    expect(outside.stageCalendar).toBeUndefined();
    expect(outside.issues.filter((i) => i.code === 'stage_calendar')).toEqual([
      expect.objectContaining({
        tab: 'Регион',
        cell: expect.stringMatching(/^B\d+$/),
        severity: 'error',
        row: 10,
        message:
          'Срок входного этапа 25 августа 2026\u00a0г. — вне 2026/2027 учебного года (с 1 сентября 2026\u00a0г. по 31 августа 2027\u00a0г.).',
      }),
    ]);
    const disordered = registryWith({ entryDeadline: day('2026-12-01'), interimDeadline: day('2026-11-20') });
    expect(disordered.stageCalendar).toBeUndefined();
    expect(disordered.issues.filter((i) => i.code === 'stage_calendar').map((i) => i.message)).toEqual([
      'Срок промежуточного этапа 20 ноября 2026\u00a0г. должен быть позже срока входного этапа (1 декабря 2026\u00a0г.).',
    ]);
  });

  it('takes a deadline typed as text ДД.ММ.ГГГГ', () => {
    expect(registryWith({ finalDeadline: '25.05.2027' }).stageCalendar?.stages).toEqual([
      { stage: 'итоговый', deadline: '2027-05-25' },
    ]);
  });
});
