/** Valid deadlines, generated in every form a school writes them, parse to the range they name (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../functions/core/period.js';
import {
  NOMINATIVE,
  GENITIVE,
  PREPOSITIONAL,
  daysIn,
  iso,
  placed,
  schoolIndex,
  checkPeriod,
  casing,
  monthNo,
  schoolYear,
  calendarYear,
  yearSuffix,
  dash,
  space,
  wordSoup,
} from '../support/parser-arbitraries.js';

describe('valid deadlines always parse to the range they name', () => {
  it('a month, in any case and grammatical form, lies in the school year', () => {
    const form = fc.constantFrom(
      (m: number) => NOMINATIVE[m - 1] ?? '',
      (m: number) => `в ${PREPOSITIONAL[m - 1] ?? ''}`,
      (m: number) => `в течение ${GENITIVE[m - 1] ?? ''}`,
    );
    fc.assert(
      fc.property(monthNo, form, casing, schoolYear, (m, write, cased, sy) => {
        const text = cased(write(m));
        const y = placed(m, sy);
        expect(parsePeriod(text, sy)).toEqual({
          kind: 'range',
          text,
          start: iso(y, m, 1),
          end: iso(y, m, daysIn(y, m)),
          deadlines: [iso(y, m, daysIn(y, m))],
        });
      }),
    );
  });

  it('a month with a year lies in that year', () => {
    fc.assert(
      fc.property(monthNo, calendarYear, yearSuffix, casing, schoolYear, (m, y, suffix, cased, sy) => {
        const text = cased(`${NOMINATIVE[m - 1] ?? ''} ${y}${suffix}`);
        expect(parsePeriod(text, sy)).toMatchObject({
          kind: 'range',
          start: iso(y, m, 1),
          end: iso(y, m, daysIn(y, m)),
        });
      }),
    );
  });

  /** Two months written in the order they come: inside the school year, or across its start. */
  const monthPair = fc.tuple(monthNo, monthNo).filter(([a, b]) => schoolIndex(a) <= schoolIndex(b) || a <= b);

  it('a range of months ends at its last month in the school year', () => {
    const form = fc.constantFrom(
      (a: number, b: number, d: string) => `${NOMINATIVE[a - 1] ?? ''}${d}${NOMINATIVE[b - 1] ?? ''}`,
      (a: number, b: number) => `с ${GENITIVE[a - 1] ?? ''} по ${NOMINATIVE[b - 1] ?? ''}`,
      (a: number, b: number, d: string) => `в ${PREPOSITIONAL[a - 1] ?? ''}${d}${PREPOSITIONAL[b - 1] ?? ''}`,
    );
    fc.assert(
      fc.property(monthPair, form, dash, casing, schoolYear, ([a, b], write, d, cased, sy) => {
        const text = cased(write(a, b, d));
        const yb = placed(b, sy);
        const ya = a <= b ? yb : yb - 1;
        const period = parsePeriod(text, sy);
        expect(period).toEqual({
          kind: 'range',
          text,
          start: iso(ya, a, 1),
          end: iso(yb, b, daysIn(yb, b)),
          deadlines: [iso(yb, b, daysIn(yb, b))],
        });
      }),
    );
  });

  it('a range of months with a year ends in that year', () => {
    fc.assert(
      fc.property(monthPair, dash, calendarYear, yearSuffix, schoolYear, ([a, b], d, y, suffix, sy) => {
        const text = `${NOMINATIVE[a - 1] ?? ''}${d}${NOMINATIVE[b - 1] ?? ''} ${y}${suffix}`;
        const ya = a <= b ? y : y - 1;
        expect(parsePeriod(text, sy)).toMatchObject({
          kind: 'range',
          start: iso(ya, a, 1),
          end: iso(y, b, daysIn(y, b)),
          deadlines: [iso(y, b, daysIn(y, b))],
        });
      }),
    );
  });

  it('a list of months in school-year order has every month as a deadline', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(monthNo, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(', ', ',', '; ', ' и '),
        schoolYear,
        (months, sep, sy) => {
          const ordered = [...months].sort((a, b) => schoolIndex(a) - schoolIndex(b));
          const text = ordered.map((m) => NOMINATIVE[m - 1] ?? '').join(sep);
          const ends = ordered.map((m) => {
            const y = placed(m, sy);
            return iso(y, m, daysIn(y, m));
          });
          const first = ordered[0] ?? 1;
          expect(parsePeriod(text, sy)).toEqual({
            kind: 'range',
            text,
            start: iso(placed(first, sy), first, 1),
            end: ends.at(-1),
            deadlines: ends,
          });
        },
      ),
    );
  });

  it('a dd.mm.yyyy date, alone or after «до» / «не позднее», is that day', () => {
    const date = calendarYear.chain((y) =>
      monthNo.chain((m) => fc.integer({ min: 1, max: daysIn(y, m) }).map((d) => [y, m, d] as const)),
    );
    fc.assert(
      fc.property(
        date,
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('', 'до ', 'не позднее ', 'к ', 'по '),
        fc.constantFrom('', ' г.', ' года', 'г.', '.'),
        schoolYear,
        ([y, m, d], padDay, padMonth, prefix, suffix, sy) => {
          const dd = padDay ? String(d).padStart(2, '0') : String(d);
          const mm = padMonth ? String(m).padStart(2, '0') : String(m);
          const text = `${prefix}${dd}.${mm}.${y}${suffix}`;
          const day = iso(y, m, d);
          expect(parsePeriod(text, sy)).toEqual({ kind: 'range', text, start: day, end: day, deadlines: [day] });
        },
      ),
    );
  });

  it('«dd месяца [yyyy]» after «до» is that day', () => {
    fc.assert(
      fc.property(
        monthNo,
        fc.integer({ min: 1, max: 31 }),
        fc.option(calendarYear, { nil: undefined }),
        schoolYear,
        (m, d, year, sy) => {
          const y = year ?? placed(m, sy);
          fc.pre(d <= daysIn(y, m));
          const text = `до ${d} ${GENITIVE[m - 1] ?? ''}${year === undefined ? '' : ` ${year} года`}`;
          const day = iso(y, m, d);
          expect(parsePeriod(text, sy)).toEqual({ kind: 'range', text, start: day, end: day, deadlines: [day] });
        },
      ),
    );
  });

  it('a word soup with a valid deadline around it still never throws and keeps its invariants', () => {
    fc.assert(
      fc.property(wordSoup, monthNo, space, schoolYear, (soup, m, sp, sy) => {
        const text = `${soup}${sp}${NOMINATIVE[m - 1] ?? ''}`;
        checkPeriod(parsePeriod(text, sy), text);
      }),
    );
  });
});
