import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parsePlanYear, parseSchoolYear, type IsoDate } from '../../functions/core/calendar.js';
import { deadlineEnd, parsePeriod, type Period } from '../../functions/core/period.js';
import { parseTarget, type Target } from '../../functions/core/target.js';

/**
 * Every deadline and target written in the plan tables of the seed documents (tests/fixtures/seed-*.json),
 * with the reading a regional official would give it. `note` explains a value whose reading is not plain.
 */
interface SeedValue<E> {
  value: string;
  /** Seed file name in /work/shared/seeds, without «.txt». */
  seed: string;
  /** Where in the seed the value is written. */
  where: string;
  /** «Учебный год» the plan is read with. */
  schoolYear: string;
  expected: E;
  note?: string;
}

type ExpectedPeriod =
  | { kind: 'range'; start: IsoDate; end: IsoDate; deadlines: IsoDate[] }
  | { kind: 'open'; start: IsoDate }
  | { kind: 'quarterly' | 'none' | 'unparsed' };

type ExpectedTarget =
  { kind: 'measurable'; comparator: '>=' | '=' | '<='; value: number; unit: 'percent' | 'count' } | { kind: 'text' };

function load<E>(name: string): SeedValue<E>[] {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as SeedValue<E>[];
}

const deadlines = load<ExpectedPeriod>('seed-deadlines.json');
const targets = load<ExpectedTarget>('seed-targets.json');
const SEEDS = ['001_e3180c2ca448662e', '002_895a1ffee6e9f536', '003_46abcecb6086aeab'];

describe.each([
  ['seed-deadlines.json', deadlines],
  ['seed-targets.json', targets],
] as const)('%s', (_name, records) => {
  it('covers the three seeds, values verbatim and without exact duplicates', () => {
    expect(new Set(records.map((r) => r.seed))).toEqual(new Set(SEEDS));
    const keys = records.map((r) => `${r.seed}\u0000${r.value}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of records) {
      expect(r.value, r.where).not.toBe('');
      expect(r.value, r.where).toBe(r.value.trim());
      expect(r.where, r.value).not.toBe('');
      expect(parseSchoolYear(r.schoolYear), r.value).toBeDefined();
    }
  });
});

describe('seed deadlines', () => {
  it.each(deadlines.filter((r) => r.expected.kind === 'range'))(
    'fixture $seed «$value» is a well-formed range',
    ({ expected }) => {
      if (expected.kind !== 'range') return;
      expect(expected.start <= expected.end).toBe(true);
      expect(expected.deadlines).toEqual([...expected.deadlines].sort());
      expect(expected.deadlines.at(-1)).toBe(expected.end);
    },
  );

  it.each(deadlines)('$seed «$value»', ({ value, schoolYear, expected, note }) => {
    const year = parseSchoolYear(schoolYear);
    if (!year) throw new Error(`bad school year ${schoolYear}`);
    const period = parsePeriod(value, year);
    expect(period, note).toEqual({ ...expected, text: value } as Period);
    expect(deadlineEnd(period, '2021-03-10')).toBe(
      expected.kind === 'range' ? expected.end : period.kind === 'quarterly' ? '2021-03-31' : undefined,
    );
  });
});

/** The seed plan-graphs written for a calendar year, read with that year (registry «Год плана-графика»). */
const calendarDeadlines = JSON.parse(
  readFileSync(new URL('../fixtures/seed-deadlines-calendar.json', import.meta.url), 'utf8'),
) as (Omit<SeedValue<ExpectedPeriod>, 'schoolYear'> & { planYear: string })[];

describe('seed deadlines of calendar-year plan-graphs', () => {
  it('come verbatim from the seeds that plan by calendar year', () => {
    expect(new Set(calendarDeadlines.map((r) => r.seed))).toEqual(
      new Set(['001_e3180c2ca448662e', '003_46abcecb6086aeab']),
    );
    for (const r of calendarDeadlines) {
      expect(
        deadlines.some((d) => d.seed === r.seed && d.value === r.value),
        r.value,
      ).toBe(true);
      expect(parsePlanYear(r.planYear)?.kind, r.value).toBe('calendar');
    }
  });

  it.each(calendarDeadlines)('$seed «$value» in $planYear', ({ value, planYear, expected, note }) => {
    const year = parsePlanYear(planYear);
    if (!year) throw new Error(`bad plan year ${planYear}`);
    expect(parsePeriod(value, year), note).toEqual({ ...expected, text: value } as Period);
  });
});

describe('seed targets', () => {
  it.each(targets)('$seed «$value»', ({ value, expected, note }) => {
    expect(parseTarget(value), note).toEqual({ ...expected, text: value } as Target);
  });
});
