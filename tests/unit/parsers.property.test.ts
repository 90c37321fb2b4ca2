/** The parsers never throw, on any text, and keep their invariants (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSchoolYear } from '../../functions/core/calendar.js';
import { deadlineEnd, parsePeriod } from '../../functions/core/period.js';
import { judgeTarget, parseActual, parseTarget, type Actual } from '../../functions/core/target.js';
import {
  daysIn,
  iso,
  checkPeriod,
  monthNo,
  schoolYear,
  calendarYear,
  wordSoup,
  anyText,
  longText,
  LONG_RUNS,
} from '../support/parser-arbitraries.js';

// ───────────────────────────── never throws ─────────────────────────────

describe('parsePeriod', () => {
  it('never throws, keeps the text and returns a consistent period', () => {
    fc.assert(
      fc.property(anyText, schoolYear, (text, sy) => {
        checkPeriod(parsePeriod(text, sy), text);
      }),
    );
  });

  it('never throws on long text', () => {
    fc.assert(
      fc.property(longText, (text) => {
        checkPeriod(parsePeriod(text, { firstYear: 2020 }), text);
      }),
      LONG_RUNS,
    );
  });

  it('reads with any school year parseSchoolYear accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9998 }), wordSoup, (first, text) => {
        const sy = parseSchoolYear(`${first}/${first + 1}`);
        expect(sy).toEqual({ firstYear: first });
        if (sy) checkPeriod(parsePeriod(text, sy), text);
      }),
    );
  });
});

describe('parseSchoolYear', () => {
  it('never throws; a year it returns is the first of two consecutive years in the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc.tuple(calendarYear, calendarYear).map(([a, b]) => `${a}/${b}`),
        ),
        (text) => {
          const sy = parseSchoolYear(text);
          if (sy) {
            expect(Number.isInteger(sy.firstYear)).toBe(true);
            expect(text).toContain(String(sy.firstYear));
            expect(text).toContain(String(sy.firstYear + 1));
          }
        },
      ),
    );
  });

  it('never throws on long text', () => {
    fc.assert(
      fc.property(longText, (text) => {
        expect(parseSchoolYear(text)).toBeUndefined();
      }),
      LONG_RUNS,
    );
  });
});

describe('deadlineEnd', () => {
  const asOf = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.tuple(calendarYear, monthNo, fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => iso(y, m, d)),
  );

  it('never throws; a range ends at its end, a quarter at the end of the as-of quarter', () => {
    fc.assert(
      fc.property(anyText, schoolYear, asOf, (text, sy, date) => {
        const period = parsePeriod(text, sy);
        const end = deadlineEnd(period, date);
        if (period.kind === 'range') expect(end).toBe(period.end);
        else if (period.kind !== 'quarterly') expect(end).toBeUndefined();
      }),
    );
  });

  it('quarterly: the end of the quarter holding the as-of date', () => {
    fc.assert(
      fc.property(calendarYear, monthNo, fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const date = iso(y, m, Math.min(d, daysIn(y, m)));
        const end = deadlineEnd({ kind: 'quarterly', text: 'ежеквартально' }, date);
        const lastMonth = Math.ceil(m / 3) * 3;
        expect(end).toBe(iso(y, lastMonth, daysIn(y, lastMonth)));
        expect(end !== undefined && end >= date).toBe(true);
      }),
    );
  });
});

describe('parseTarget, parseActual, judgeTarget', () => {
  const status = fc.option(fc.oneof(fc.constantFrom('выполнено', ' Выполнено ', 'в работе', ''), fc.string()), {
    nil: undefined,
  });
  const actualInput = fc.oneof(
    anyText,
    fc.double(),
    fc.integer(),
    fc.constantFrom(null, undefined, Number.NaN, Number.POSITIVE_INFINITY, -0),
  );

  function checkActual(actual: Actual): void {
    if (actual.kind === 'number') expect(Number.isFinite(actual.value)).toBe(true);
  }

  it('never throw and keep what they read consistent', () => {
    fc.assert(
      fc.property(anyText, actualInput, status, (text, raw, st) => {
        const target = parseTarget(text);
        expect(target.text).toBe(text);
        if (target.kind === 'measurable') expect(Number.isFinite(target.value)).toBe(true);
        const actual = parseActual(raw);
        checkActual(actual);
        expect(['achieved', 'not_achieved', 'not_measurable']).toContain(judgeTarget(target, actual, st));
      }),
    );
  });

  it('never throw on long text', () => {
    fc.assert(
      fc.property(longText, (text) => {
        const target = parseTarget(text);
        expect(target.text).toBe(text);
        const actual = parseActual(text);
        checkActual(actual);
        judgeTarget(target, actual, text);
      }),
      LONG_RUNS,
    );
  });

  it('a words-only target is achieved exactly when the status says «выполнено»', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'абвгдежзийклмнопрстуфхцчшщыэюя '), maxLength: 30 }),
        status,
        (text, st) => {
          const target = parseTarget(text);
          expect(target.kind).toBe('text');
          const achieved = st !== undefined && st.trim().toLowerCase() === 'выполнено';
          expect(judgeTarget(target, parseActual(''), st)).toBe(achieved ? 'achieved' : 'not_measurable');
        },
      ),
    );
  });

  it('«не менее N %» is met by N % and more, missed below', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (n, got) => {
        const target = parseTarget(`Не менее ${n}% педагогов`);
        expect(target).toMatchObject({ kind: 'measurable', comparator: '>=', value: n, unit: 'percent' });
        expect(judgeTarget(target, parseActual(`${got} %`), undefined)).toBe(got >= n ? 'achieved' : 'not_achieved');
      }),
    );
  });
});

// ─────────────────────── generated valid deadlines ───────────────────────
