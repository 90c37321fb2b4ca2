/** identifySchools beyond the golden region: the worst-10 % cut-off and ties, the window of years, the rural rule. */
import { describe, expect, it } from 'vitest';
import { identifySchools, worstCutoff } from '../../functions/core/identification.js';
import type { MonitoringSettings } from '../../functions/core/settings.js';
import type { SchoolsRow } from '../../functions/core/tab-types.generated.js';
import { context, DEFAULTS, NB, result, school, settingsWith } from '../support/identification-rows.js';

/** The non-breaking hyphen of «2‑е место». */
const NH = '\u2011';

/** One school per failed count, 40 participants each, all in 2026. */
function oneYearRegion(failed: number[]) {
  const codes = failed.map((_, i) => `S${String(i + 1).padStart(2, '0')}`);
  const out = identifySchools({
    asOf: '2026-12-31',
    schools: codes.map((c) => school(c)),
    results: failed.map((f, i) => result(codes[i] ?? '', 2026, 40, f)),
    context: [],
    settings: settingsWith(),
  });
  const worst = out.schools.filter((s) => s.lowResults.years[0]?.worst).map((s) => s.code);
  const ranks = codes.map((c) => out.schools.find((s) => s.code === c)?.lowResults.years[0]?.rank);
  return { worst: worst.sort(), ranks };
}

describe('the worst 10 %: cut-off and ties', () => {
  it.each<[string, number[], string[], number[]]>([
    // floor(0.1 × 10) = 1: only the first
    ['10 ranked, no tie', [10, 8, 8, 6, 5, 4, 3, 2, 1, 0], ['S01'], [1, 2, 2, 4, 5, 6, 7, 8, 9, 10]],
    // floor(0.1 × 10) = 1, but S02 ties with rank 1 → both
    [
      '10 ranked, tie at the cut-off',
      [10, 10, 8, 6, 5, 4, 3, 2, 1, 0],
      ['S01', 'S02'],
      [1, 1, 3, 4, 5, 6, 7, 8, 9, 10],
    ],
    // floor(0.1 × 11) = 1; S02–S04 tie at rank 2, outside the worst 10 % (2 of 11 is 18,2 %)
    [
      '11 ranked, three tied at rank 2',
      [10, 9, 9, 9, 5, 4, 3, 2, 1, 0, 0],
      ['S01'],
      [1, 2, 2, 2, 5, 6, 7, 8, 9, 10, 10],
    ],
    // floor(0.1 × 11) = 1; a tie below the cut-off changes nothing
    [
      '11 ranked, tie below the cut-off',
      [10, 9, 8, 8, 5, 4, 3, 2, 1, 0, 0],
      ['S01'],
      [1, 2, 3, 3, 5, 6, 7, 8, 9, 10, 10],
    ],
    // floor(0.1 × 20) = 2; S03 ties with S02 at rank 2 → three schools
    [
      '20 ranked, tie at the cut-off',
      [20, 19, 19, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
      ['S01', 'S02', 'S03'],
      [1, 2, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
    ],
    // floor(0.1 × 9) = 0, but at least the first place
    ['9 ranked', [9, 8, 7, 6, 5, 4, 3, 2, 1], ['S01'], [1, 2, 3, 4, 5, 6, 7, 8, 9]],
    // floor(0.1 × 1) = 0, but at least the first place
    ['a single ranked school', [0], ['S01'], [1]],
    // all tied: every school shares rank 1
    ['everyone tied', [3, 3, 3, 3, 3], ['S01', 'S02', 'S03', 'S04', 'S05'], [1, 1, 1, 1, 1]],
  ])('%s', (_, failed, worst, ranks) => {
    const got = oneYearRegion(failed);
    expect(got.worst).toEqual(worst);
    expect(got.ranks).toEqual(ranks);
  });

  it('0.1 × 30 = 3 places', () => {
    // 30 schools with 39, 38, …, 10 «2» of 40: distinct, floor(0.1 × 30) = 3 → S01–S03.
    expect(oneYearRegion(Array.from({ length: 30 }, (_, i) => 39 - i)).worst).toEqual(['S01', 'S02', 'S03']);
    expect(worstCutoff(0.1, 30)).toBe(3);
    expect(worstCutoff(0.3, 10)).toBe(3);
    expect(worstCutoff(0.1, 0)).toBe(0);
    expect(worstCutoff(0, 12)).toBe(0);
    expect(worstCutoff(1, 12)).toBe(12);
  });

  // domain.md: a rank within 10 % of the ranked schools, rounded down, at least the first place.
  it.each<[number, number]>([
    [9, 1], // 0,9 → at least 1
    [10, 1],
    [12, 1], // 2 of 12 is 16,7 %: not in the worst 10 %
    [19, 1], // 2 of 19 is 10,5 %
    [20, 2], // 2 of 20 is exactly 10 %
    [21, 2],
    [29, 2],
    [31, 3],
  ])('of %i ranked schools the worst 10 %% are the first %i places', (ranked, places) => {
    expect(worstCutoff(0.1, ranked)).toBe(places);
    // The same through identifySchools: distinct shares, the first `places` schools are the worst.
    const got = oneYearRegion(Array.from({ length: ranked }, (_, i) => 39 - i));
    expect(got.worst).toEqual(Array.from({ length: places }, (_, i) => `S${String(i + 1).padStart(2, '0')}`));
  });

  it('rounds down after the floating-point noise: 0.29 × 100 = 28.999999999999996 gives 29 places', () => {
    expect(worstCutoff(0.29, 100)).toBe(29);
  });
});

describe('explanations cite the rank and the number ranked', () => {
  // 12 schools, 40 participants each, in 2025 and 2026. S01 is 1st in 2025 and 2nd in 2026; S02 the
  // other way round. Of 12 ranked only the 1st place is in the worst 10 %.
  const codes = Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
  const failed2025 = [20, 18, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const failed2026 = [18, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const out = identifySchools({
    asOf: '2026-11-20',
    schools: codes.map((c) => school(c)),
    results: codes.flatMap((c, i) => [
      result(c, 2025, 40, failed2025[i] ?? 0),
      result(c, 2026, 40, failed2026[i] ?? 0),
    ]),
    context: [],
    settings: settingsWith(),
  });
  const reasonsOf = (code: string) => out.schools.find((s) => s.code === code)?.reasons ?? [];

  it('rank 2 of 12 is said to be outside the worst 10 %, with its place', () => {
    expect(reasonsOf('S01').slice(0, 2)).toEqual([
      `Доля «2» в худших 10${NB}% школ региона только в 1 году из 2 (нужно не менее чем в 2): ` +
        `в 2025${NB}г. — 50${NB}%, 1${NH}е${NB}место из 12.`,
      `Доля «2» не входила в худшие 10${NB}% школ региона: в 2026${NB}г. — 45${NB}%, 2${NH}е${NB}место из 12.`,
    ]);
    expect(out.schools.every((s) => s.category === null)).toBe(true);
  });

  it('a school in the worst 10 % in both years is ШНОР, each year with its place', () => {
    const both = identifySchools({
      asOf: '2026-11-20',
      schools: codes.map((c) => school(c)),
      results: codes.flatMap((c, i) => [
        result(c, 2025, 40, failed2025[i] ?? 0),
        result(c, 2026, 40, failed2025[i] ?? 0),
      ]),
      context: [],
      settings: settingsWith(),
    }).schools.find((s) => s.code === 'S01');
    expect(both?.category).toBe('ШНОР');
    expect(both?.reasons[0]).toBe(
      `Доля «2» в худших 10${NB}% школ региона: в 2025${NB}г. — 50${NB}%, 1${NH}е${NB}место из 12; ` +
        `в 2026${NB}г. — 50${NB}%, 1${NH}е${NB}место из 12.`,
    );
  });
});

describe('the window of years', () => {
  // School A has results every year 2022–2027.
  const years = [2022, 2023, 2024, 2025, 2026, 2027];
  const run = (asOf: string, identification: Partial<MonitoringSettings['identification']> = {}, ys = years) =>
    identifySchools({
      asOf,
      schools: [school('A')],
      results: ys.map((y) => result('A', y, 20, 1)),
      context: [],
      settings: settingsWith(identification),
    });

  it.each<[string, Partial<MonitoringSettings['identification']>, number[], number[]]>([
    ['2026-11-20', {}, years, [2024, 2025, 2026]],
    ['2025-12-31', {}, years, [2023, 2024, 2025]], // 2026 and 2027 are after the as-of year
    ['2027-01-10', {}, years, [2025, 2026, 2027]],
    ['2026-11-20', { lowResultsYearsWindow: 2 }, years, [2025, 2026]],
    ['2026-11-20', {}, [2021, 2026], [2021, 2026]], // the latest years present, not calendar years
    ['2020-06-01', {}, years, []],
  ])('as of %s %j → %j', (asOf, identification, present, expected) => {
    const out = run(asOf, identification, present);
    expect(out.years).toEqual(expected);
    expect(out.schools[0]?.lowResults.years.map((y) => y.year)).toEqual(expected);
  });

  it('a worst year after the as-of date does not count', () => {
    // B and C: 40 participants; B is worse in 2026 and 2027, C in 2025 only.
    // As of 2026: years 2025, 2026 present; ranked 2 each year, floor(0.1 × 2) = 0 → at least 1 place.
    //   2025: C 10/40 = 0.25 rank 1 (worst), B 1/40 rank 2; 2026: B 10/40 rank 1 (worst), C 1/40 rank 2
    //   → each has one worst year → no ШНОР. With 2027 (B 10/40 again) B would have two.
    const rows = [
      result('B', 2025, 40, 1),
      result('C', 2025, 40, 10),
      result('B', 2026, 40, 10),
      result('C', 2026, 40, 1),
      result('B', 2027, 40, 10),
      result('C', 2027, 40, 1),
    ];
    const ask = (asOf: string) =>
      identifySchools({
        asOf,
        schools: [school('B'), school('C')],
        results: rows,
        context: [],
        settings: settingsWith(),
      }).schools.find((s) => s.code === 'B')?.category;
    expect(ask('2026-11-20')).toBeNull();
    expect(ask('2027-11-20')).toBe('ШНОР');
  });
});

describe('ШФНСУ: the rural rule', () => {
  it.each<[string, SchoolsRow['locality'], Parameters<typeof context>[2] | null, boolean, number, number, boolean]>([
    // case, locality, context figures (null = no context row), ruralCountsAsCriterion, minCriteria, count, met
    ['rural + low income', 'сельская', { lowIncome: 35 }, true, 2, 2, true],
    ['rural alone', 'сельская', { lowIncome: 10 }, true, 2, 1, false],
    ['urban + low income', 'городская', { lowIncome: 35 }, true, 2, 1, false],
    ['rural + low income, rural not counted', 'сельская', { lowIncome: 35 }, false, 2, 1, false],
    ['rural alone, one criterion needed', 'сельская', {}, true, 1, 1, true],
    ['urban, ОВЗ and non-native at the thresholds', 'городская', { disabilities: 15, nonNative: 20 }, true, 2, 2, true],
    ['rural + vacancies 3 of 30 = 0.1', 'сельская', { teachers: 30, vacancies: 3 }, true, 2, 2, true],
    ['rural + vacancies 2 of 30 < 0.1', 'сельская', { teachers: 30, vacancies: 2 }, true, 2, 1, false],
    ['rural, no context data', 'сельская', null, true, 1, 1, false],
  ])('%s', (_, locality, figures, ruralCountsAsCriterion, minCriteria, count, met) => {
    const out = identifySchools({
      asOf: '2026-11-20',
      schools: [school('R', locality)],
      results: [],
      context: figures ? [context('R', 2026, figures)] : [],
      settings: settingsWith({ unfavourable: { ...DEFAULTS.unfavourable, ruralCountsAsCriterion, minCriteria } }),
    });
    const s = out.schools[0];
    expect(s?.unfavourable.count).toBe(count);
    expect(s?.unfavourable.met).toBe(met);
    expect(s?.category).toBe(met ? 'ШФНСУ' : null);
  });
});

describe('odd input', () => {
  it('handles empty input', () => {
    const out = identifySchools({
      asOf: '2026-11-20',
      schools: [],
      results: [],
      context: [],
      settings: settingsWith(),
    });
    expect(out).toEqual({ asOf: '2026-11-20', years: [], schools: [], candidates: 0 });
  });

  it('explains a school with no results in a region without results', () => {
    const out = identifySchools({
      asOf: '2026-11-20',
      schools: [school('X')],
      results: [result('unknown', 2026, 40, 40)],
      context: [],
      settings: settingsWith(),
    });
    expect(out.years).toEqual([]);
    expect(out.schools[0]?.reasons).toEqual([
      'Нет результатов оценочных процедур — низкие образовательные результаты не оценивались.',
      `Нет контекстных данных за 2026${NB}г. и ранее — неблагоприятные социальные условия не оценивались.`,
    ]);
  });
});
