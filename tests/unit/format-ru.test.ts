import { describe, expect, it } from 'vitest';
import { countOf, formatDate, formatNumber, formatShare, initialsAndSurname } from '../../functions/core/format-ru.js';

const SCHOOL = ['школа', 'школы', 'школ'] as const;

describe('Russian formatting', () => {
  it.each([
    [1, '1 школа'],
    [2, '2 школы'],
    [4, '4 школы'],
    [5, '5 школ'],
    [11, '11 школ'],
    [12, '12 школ'],
    [14, '14 школ'],
    [21, '21 школа'],
    [22, '22 школы'],
    [25, '25 школ'],
    [111, '111 школ'],
    [101, '101 школа'],
    [0, '0 школ'],
  ])('%i → %s', (n, expected) => {
    expect(countOf(n, SCHOOL)).toBe(expected);
  });

  it.each([
    ['2021-06-05', '5 июня 2021\u00a0г.'],
    ['2026-11-23', '23 ноября 2026\u00a0г.'],
    ['2027-03-01', '1 марта 2027\u00a0г.'],
  ])('date %s → %s', (iso, expected) => {
    expect(formatDate(iso)).toBe(expected);
  });

  it.each([
    [0.125, '12,5\u00a0%'],
    [1, '100\u00a0%'],
    [0, '0\u00a0%'],
    [2 / 3, '66,7\u00a0%'],
  ])('share %f → %s', (share, expected) => {
    expect(formatShare(share)).toBe(expected);
  });

  it.each([
    [12, '12'],
    [12.5, '12,5'],
    [12345.67, '12\u00a0345,7'],
    [1234, '1234'],
    [-3, '−3'],
  ])('number %f → %s', (n, expected) => {
    expect(formatNumber(n)).toBe(expected);
  });

  it('puts initials before the surname in a signature', () => {
    expect(initialsAndSurname('Иванова Мария Петровна')).toBe('М.П.\u00a0Иванова');
  });
});
