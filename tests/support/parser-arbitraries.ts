/**
 * What the parser property tests (tests/unit/parsers*.property.test.ts) generate text from and check periods
 * against: month names in three cases, a calendar of their own, fast-check arbitraries.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { IsoDate, SchoolYear } from '../../functions/core/calendar.js';
import { deadlineEnd, type Period } from '../../functions/core/period.js';

// The month names and the calendar below are the tests' own oracle, written out independently of the code under
// test (functions/core/period.ts, and functions/core/format-ru.ts, which has the same genitive names): a copy kept
// on purpose, so a wrong name in the product cannot agree with itself.
export const NOMINATIVE = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
];
export const GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];
export const PREPOSITIONAL = [
  'январе',
  'феврале',
  'марте',
  'апреле',
  'мае',
  'июне',
  'июле',
  'августе',
  'сентябре',
  'октябре',
  'ноябре',
  'декабре',
];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
export function daysIn(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}
export function iso(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}
/** September–December belong to the school year's first calendar year, January–August to the second. */
export function placed(month: number, sy: SchoolYear): number {
  return month >= 9 ? sy.firstYear : sy.firstYear + 1;
}
/** Position of a month inside the school year: September 0 … August 11. */
export function schoolIndex(month: number): number {
  return (month + 3) % 12;
}

/** The invariants every period must keep, whatever the text. */
export function checkPeriod(period: Period, text: string): void {
  expect(period.text).toBe(text);
  if (period.kind === 'open') expect(isIsoDate(period.start)).toBe(true);
  if (period.kind !== 'range') return;
  expect(isIsoDate(period.start), period.start).toBe(true);
  expect(isIsoDate(period.end), period.end).toBe(true);
  expect(period.start <= period.end).toBe(true);
  expect(period.deadlines.length).toBeGreaterThan(0);
  for (const [i, d] of period.deadlines.entries()) {
    expect(isIsoDate(d), d).toBe(true);
    expect(d >= period.start && d <= period.end).toBe(true);
    const prev = period.deadlines[i - 1];
    if (prev !== undefined) expect(prev < d).toBe(true);
  }
  expect(period.deadlines.at(-1)).toBe(period.end);
  expect(deadlineEnd(period, '2021-03-10')).toBe(period.end);
}

export const casing = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.charAt(0).toUpperCase() + s.slice(1),
  (s: string) => s.toUpperCase(),
);
export const monthNo = fc.integer({ min: 1, max: 12 });
export const schoolYear: fc.Arbitrary<SchoolYear> = fc
  .integer({ min: 1990, max: 2100 })
  .map((firstYear) => ({ firstYear }));
export const calendarYear = fc.integer({ min: 1990, max: 2100 });
export const yearSuffix = fc.constantFrom(' года', ' год', ' г.', ' г', 'г', 'г.', '');
export const dash = fc.constantFrom('-', ' - ', '–', ' – ', '—', '- ', ' -', '−');
export const space = fc.constantFrom(' ', '  ', '\t', '\u00a0');

// ───────────────────────── text from anywhere ─────────────────────────

/** Words, numbers and marks deadlines and targets are made of. */
const VOCABULARY = [
  ...NOMINATIVE,
  ...GENITIVE,
  ...PREPOSITIONAL,
  'Май',
  'ДЕКАБРЬ',
  'с',
  'до',
  'по',
  'в',
  'к',
  'и',
  'не',
  'позднее',
  'конца',
  'концу',
  'начиная',
  'в течение',
  'в течении',
  'года',
  'году',
  'год',
  'г.',
  'гг.',
  'учебного',
  'учебный',
  'всего',
  'периода',
  'квартал',
  'IV',
  'II',
  'ежеквартально',
  'постоянно',
  'плану',
  'не менее',
  'не более',
  'более',
  'от',
  '%',
  'процентов',
  '№',
  '500+',
  '0',
  '1',
  '9',
  '15',
  '29',
  '31',
  '2020',
  '2021',
  '0000',
  '9999',
  '12,5',
  '1 000',
  '29.02.2021',
  '31.02.2021',
  '15.05.2021',
  '1.1.2021',
  '2020/2021',
  '2020-2021',
  '.',
  '..',
  '-',
  '–',
  '—',
  ',',
  ';',
  '/',
  '(',
  ')',
  '«',
  '»',
  ' ',
  '  ',
  '\n',
  '\u00a0',
  '😀',
  'ё',
];
export const wordSoup = fc
  .array(fc.tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(' ', '', ' ', ', ', '-', '.')), { maxLength: 14 })
  .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

export const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'0123456789.,-–— /%№+ябвгдеёжзийклмнопрстуфхцчшщъыьэюяАМДСИ'), maxLength: 40 }),
  wordSoup,
);
export const longText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 10_000 }),
  fc.string({ unit: 'binary', minLength: 1000, maxLength: 10_000 }),
  fc
    .array(fc.constantFrom(...VOCABULARY), { minLength: 500, maxLength: 3000 })
    .map((words) => words.join(' ').slice(0, 10_000)),
  fc.constantFrom('.', '-', '1', '1 ', 'май, ', '1.', ' ').map((unit) => unit.repeat(10_000 / unit.length)),
);
export const LONG_RUNS = { numRuns: 15 };
