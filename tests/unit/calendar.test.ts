import { describe, expect, it } from 'vitest';
import {
  dayIn,
  formatSchoolYear,
  isoFromDateCell,
  isoFromIsoText,
  isoFromRussianDate,
  monthsLater,
  parseSchoolYear,
  schoolYearContaining,
  schoolYearStart,
} from '../../functions/core/calendar.js';

describe('calendar', () => {
  it.each([
    ['2026-08-31', '2025/2026'],
    ['2026-09-01', '2026/2027'],
    ['2027-01-15', '2026/2027'],
    ['2027-05-31', '2026/2027'],
  ])('puts %s in the school year %s, which starts on 1 September', (day, year) => {
    const schoolYear = schoolYearContaining(day);
    expect(formatSchoolYear(schoolYear)).toBe(year);
    expect(schoolYearStart(schoolYear)).toBe(`${year.slice(0, 4)}-09-01`);
    expect(parseSchoolYear(year)).toEqual(schoolYear);
  });

  it.each([
    ['2026-11-20', 1, '2026-12-20'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2027-01-31', 1, '2027-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-10-31', 12, '2027-10-31'],
  ])('moves %s by %i months to %s, keeping the day or the month’s last', (day, months, expected) => {
    expect(monthsLater(day, months)).toBe(expected);
  });

  it('reads the day as typed only when it exists', () => {
    expect(isoFromIsoText(' 2026-02-28 ')).toBe('2026-02-28');
    expect(isoFromIsoText('2026-02-29')).toBeUndefined();
    expect(isoFromIsoText('28.02.2026')).toBeUndefined();
    expect(isoFromRussianDate('5.6.2021 г.')).toBe('2021-06-05');
    expect(isoFromRussianDate('31.04.2021')).toBeUndefined();
    expect(isoFromDateCell(new Date(Date.UTC(2026, 9, 15, 23, 30)))).toBe('2026-10-15');
    expect(isoFromDateCell(new Date(Date.UTC(99999, 0, 1)))).toBeUndefined();
  });

  it('gives «today» in the region’s time zone, not the machine’s', () => {
    const instant = new Date('2026-11-30T20:30:00Z');
    expect(dayIn(instant, 'Asia/Yekaterinburg')).toBe('2026-12-01');
    expect(dayIn(instant, 'Europe/Kaliningrad')).toBe('2026-11-30');
  });
});
