import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deadlineEnd,
  parsePeriod,
  parseSchoolYear,
  type IsoDate,
  type Period,
  type SchoolYear,
} from '../../functions/core/period.js';
import { judgeTarget, parseActual, parseTarget, type Actual } from '../../functions/core/target.js';

// ───────────────────────────── helpers ─────────────────────────────

const NOMINATIVE = [
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
const GENITIVE = [
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
const PREPOSITIONAL = [
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
function daysIn(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}
function iso(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}
/** September–December belong to the school year's first calendar year, January–August to the second. */
function placed(month: number, sy: SchoolYear): number {
  return month >= 9 ? sy.firstYear : sy.firstYear + 1;
}
/** Position of a month inside the school year: September 0 … August 11. */
function schoolIndex(month: number): number {
  return (month + 3) % 12;
}

/** The invariants every period must keep, whatever the text. */
function checkPeriod(period: Period, text: string): void {
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

const casing = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.charAt(0).toUpperCase() + s.slice(1),
  (s: string) => s.toUpperCase(),
);
const monthNo = fc.integer({ min: 1, max: 12 });
const schoolYear: fc.Arbitrary<SchoolYear> = fc.integer({ min: 1990, max: 2100 }).map((firstYear) => ({ firstYear }));
const calendarYear = fc.integer({ min: 1990, max: 2100 });
const yearSuffix = fc.constantFrom(' года', ' год', ' г.', ' г', 'г', 'г.', '');
const dash = fc.constantFrom('-', ' - ', '–', ' – ', '—', '- ', ' -', '−');
const space = fc.constantFrom(' ', '  ', '\t', '\u00a0');

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
const wordSoup = fc
  .array(fc.tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(' ', '', ' ', ', ', '-', '.')), { maxLength: 14 })
  .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'0123456789.,-–— /%№+ябвгдеёжзийклмнопрстуфхцчшщъыьэюяАМДСИ'), maxLength: 40 }),
  wordSoup,
);
const longText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 10_000 }),
  fc.string({ unit: 'binary', minLength: 1000, maxLength: 10_000 }),
  fc
    .array(fc.constantFrom(...VOCABULARY), { minLength: 500, maxLength: 3000 })
    .map((words) => words.join(' ').slice(0, 10_000)),
  fc.constantFrom('.', '-', '1', '1 ', 'май, ', '1.', ' ').map((unit) => unit.repeat(10_000 / unit.length)),
);
const LONG_RUNS = { numRuns: 15 };

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
