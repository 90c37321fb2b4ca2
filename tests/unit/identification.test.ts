import { describe, expect, it } from 'vitest';
import { identifySchools, type IdentifiedSchool } from '../../functions/core/identification.js';
import type { AssessmentResultsRow, ContextDataRow, SchoolsRow } from '../../functions/core/tab-types.generated.js';
import { context, NB, result, school, settingsWith } from '../support/identification-rows.js';

/** The non-breaking hyphen of «2‑е место». */
const NH = '\u2011';

// ---------------------------------------------------------------------------------------------
// Golden fixture: 12 schools, results 2023–2027, as of 20.11.2026.
// Rural: 001, 005, 006, 012. School 009 has no results; 008 has no context data.
// Years present (known schools) ≤ 2026: 2023, 2024, 2025, 2026 → window of 3 → 2024, 2025, 2026.
// (2023 row of 011 falls out of the window; 2027 row of 012 is after the as-of year; 56-999 is unknown.)
// The tables below are golden data, one row per fact: the rows share their shape by design (a generator would
// hide the numbers the comments check by hand).
// ---------------------------------------------------------------------------------------------
const SCHOOLS: SchoolsRow[] = [
  school('56-001', 'сельская'),
  school('56-002'),
  school('56-003'),
  school('56-004'),
  school('56-005', 'сельская'),
  school('56-006', 'сельская'),
  school('56-007'),
  school('56-008'),
  school('56-009'),
  school('56-010'),
  school('56-011'),
  school('56-012', 'сельская'),
  school('56-011', 'городская', 'Дубликат кода'), // duplicate code: the first row wins
];

const RESULTS: AssessmentResultsRow[] = [
  result('56-011', 2023, 20, 20), // outside the window
  // 2024
  result('56-001', 2024, 20, 4),
  result('56-001', 2024, 20, 2, 'ОГЭ', 9, 'Русский язык'),
  result('56-002', 2024, 40, 10),
  result('56-003', 2024, 50, 5),
  result('56-004', 2024, 50, 4),
  result('56-005', 2024, 25, 2),
  result('56-006', 2024, 60, 3),
  result('56-007', 2024, 12, 0),
  result('56-008', 2024, 25, 5),
  result('56-008', 2024, 20, 4, 'ЕГЭ', 11, 'Математика'),
  result('56-010', 2024, 50, 2),
  result('56-011', 2024, 40, 1),
  result('56-012', 2024, 50, 1),
  // 2025
  result('56-001', 2025, 20, 5),
  result('56-001', 2025, 25, 4, 'ОГЭ', 9),
  result('56-002', 2025, 40, 8),
  result('56-003', 2025, 40, 6),
  result('56-004', 2025, 30, 3),
  result('56-005', 2025, 40, 2),
  result('56-006', 2025, 50, 2),
  result('56-007', 2025, 3, 2),
  result('56-007', 2025, 4, 2, 'ВПР', 6),
  result('56-008', 2025, 50, 7),
  result('56-010', 2025, 40, 1),
  result('56-011', 2025, 50, 1),
  result('56-012', 2025, 30, 0),
  // 2026
  result('56-001', 2026, 50, 11),
  result('56-002', 2026, 15, 3, 'ЕГЭ', 11, 'Русский язык'),
  result('56-002', 2026, 25, 9, 'ВПР', 4, 'Русский язык'),
  result('56-003', 2026, 50, 10),
  result('56-004', 2026, 50, 5),
  result('56-005', 2026, 40, 3),
  result('56-006', 2026, 40, 2),
  result('56-007', 2026, 15, 2),
  result('56-008', 2026, 50, 6),
  result('56-010', 2026, 40, 4),
  result('56-011', 2026, 25, 1),
  result('56-012', 2026, 45, 0),
  result('56-999', 2026, 30, 30), // unknown school: ignored (else it would be rank 1 and push 001 out)
  // 2027: after the as-of year
  result('56-012', 2027, 40, 40),
];

const CONTEXT: ContextDataRow[] = [
  context('56-001', 2025, { teachers: 25, lowIncome: 10 }), // older row, superseded by 2026
  context('56-001', 2026, { teachers: 25, vacancies: 1, lowIncome: 34, disabilities: 8, nonNative: 5 }),
  context('56-002', 2026, { teachers: 40, vacancies: 2, lowIncome: 12, disabilities: 6, nonNative: 3 }),
  context('56-003', 2026, { teachers: 30, vacancies: 3, lowIncome: 29.9, disabilities: 10, nonNative: 19 }),
  context('56-004', 2026, { teachers: 50, vacancies: 0, lowIncome: 30, disabilities: 15, nonNative: 10 }),
  context('56-004', 2027, { teachers: 50 }), // after the as-of year: ignored
  context('56-005', 2024, { teachers: 20 }),
  context('56-005', 2025, { teachers: 20, vacancies: 2, lowIncome: 20, disabilities: 5 }),
  context('56-006', 2026, { teachers: 22, vacancies: 1, lowIncome: 25, disabilities: 12, nonNative: 15 }),
  context('56-007', 2026, { teachers: 10, lowIncome: 5, disabilities: 20 }),
  context('56-009', 2026, { teachers: 15, lowIncome: 10, disabilities: 3, nonNative: 2 }),
  context('56-010', 2026, { teachers: 0, vacancies: 2, lowIncome: 31, disabilities: 2, nonNative: 45 }),
  context('56-011', 2026, { teachers: 35, vacancies: 1, lowIncome: 15, disabilities: 16, nonNative: 10 }),
  context('56-012', 2026, { teachers: 18, lowIncome: 8, disabilities: 4, nonNative: 1 }),
  context('56-999', 2026, { lowIncome: 90, disabilities: 90 }), // unknown school: ignored
];

describe('identifySchools: golden region', () => {
  const out = identifySchools({
    asOf: '2026-11-20',
    schools: SCHOOLS,
    results: RESULTS,
    context: CONTEXT,
    settings: settingsWith(),
  });
  const byCode = new Map(out.schools.map((s) => [s.code, s]));
  const get = (code: string): IdentifiedSchool => {
    const s = byCode.get(code);
    if (!s) throw new Error(`no ${code}`);
    return s;
  };
  const yearOf = (code: string, year: number) => get(code).lowResults.years.find((y) => y.year === year);

  it('considers the three latest years up to the as-of year', () => {
    expect(out.asOf).toBe('2026-11-20');
    expect(out.years).toEqual([2024, 2025, 2026]);
    // 12 distinct codes; the duplicate 56-011 row is dropped, 56-999 never appears.
    expect(out.schools).toHaveLength(12);
    expect(get('56-011').name).toBe('Школа 56-011');
    expect(byCode.has('56-999')).toBe(false);
  });

  // 2024: 11 schools ranked (all but 009, which has no results); floor(0.1 × 11) = floor(1.1) = 1.
  //   002: 10/40 = 0.25  rank 1 → worst
  //   008: (5+4)/(25+20) = 9/45 = 0.2  rank 2 (2 of 11 is 18,2 % — not in the worst 10 %)
  //   001: (4+2)/(20+20) = 6/40 = 0.15  rank 3
  //   003: 5/50 = 0.1  rank 4
  //   004: 4/50 = 0.08, 005: 2/25 = 0.08  tied rank 5
  //   006: 3/60 = 0.05  rank 7;  010: 2/50 = 0.04  rank 8;  011: 1/40 = 0.025  rank 9
  //   012: 1/50 = 0.02  rank 10;  007: 0/12 = 0  rank 11
  // 2025: 007 has 2+2 = 4 of 3+4 = 7 participants < 10 → not ranked; 10 ranked; floor(0.1 × 10) = 1.
  //   001: (5+4)/(20+25) = 9/45 = 0.2 and 002: 8/40 = 0.2 — tied at rank 1, the cut-off → both worst
  //   003: 6/40 = 0.15  rank 3;  008: 7/50 = 0.14  rank 4;  004: 3/30 = 0.1  rank 5
  //   005: 2/40 = 0.05  rank 6;  006: 2/50 = 0.04  rank 7;  010: 1/40 = 0.025  rank 8
  //   011: 1/50 = 0.02  rank 9;  012: 0/30 = 0  rank 10
  // 2026: 11 ranked (007 has 15 participants); floor(0.1 × 11) = 1.
  //   002: (3+9)/(15+25) = 12/40 = 0.3  rank 1 → worst
  //   001: 11/50 = 0.22  rank 2
  //   003: 10/50 = 0.2  rank 3;  007: 2/15 = 0.1333…  rank 4;  008: 6/50 = 0.12  rank 5
  //   004: 5/50 = 0.1 and 010: 4/40 = 0.1  tied rank 6;  005: 3/40 = 0.075  rank 8
  //   006: 2/40 = 0.05  rank 9;  011: 1/25 = 0.04  rank 10;  012: 0/45 = 0  rank 11
  it.each<[string, number, number, number, number | null, number | null, number, boolean]>([
    // code, year, participants, failed, failShare, rank, ranked, worst
    ['56-002', 2024, 40, 10, 0.25, 1, 11, true],
    ['56-008', 2024, 45, 9, 0.2, 2, 11, false],
    ['56-001', 2024, 40, 6, 0.15, 3, 11, false],
    ['56-003', 2024, 50, 5, 0.1, 4, 11, false],
    ['56-004', 2024, 50, 4, 0.08, 5, 11, false],
    ['56-005', 2024, 25, 2, 0.08, 5, 11, false],
    ['56-006', 2024, 60, 3, 0.05, 7, 11, false],
    ['56-010', 2024, 50, 2, 0.04, 8, 11, false],
    ['56-011', 2024, 40, 1, 0.025, 9, 11, false],
    ['56-012', 2024, 50, 1, 0.02, 10, 11, false],
    ['56-007', 2024, 12, 0, 0, 11, 11, false],
    ['56-009', 2024, 0, 0, null, null, 11, false],
    ['56-001', 2025, 45, 9, 0.2, 1, 10, true],
    ['56-002', 2025, 40, 8, 0.2, 1, 10, true],
    ['56-003', 2025, 40, 6, 0.15, 3, 10, false],
    ['56-008', 2025, 50, 7, 0.14, 4, 10, false],
    ['56-004', 2025, 30, 3, 0.1, 5, 10, false],
    ['56-005', 2025, 40, 2, 0.05, 6, 10, false],
    ['56-006', 2025, 50, 2, 0.04, 7, 10, false],
    ['56-010', 2025, 40, 1, 0.025, 8, 10, false],
    ['56-011', 2025, 50, 1, 0.02, 9, 10, false],
    ['56-012', 2025, 30, 0, 0, 10, 10, false],
    ['56-007', 2025, 7, 4, 4 / 7, null, 10, false],
    ['56-009', 2025, 0, 0, null, null, 10, false],
    ['56-002', 2026, 40, 12, 0.3, 1, 11, true],
    ['56-001', 2026, 50, 11, 0.22, 2, 11, false],
    ['56-003', 2026, 50, 10, 0.2, 3, 11, false],
    ['56-007', 2026, 15, 2, 2 / 15, 4, 11, false],
    ['56-008', 2026, 50, 6, 0.12, 5, 11, false],
    ['56-004', 2026, 50, 5, 0.1, 6, 11, false],
    ['56-010', 2026, 40, 4, 0.1, 6, 11, false],
    ['56-005', 2026, 40, 3, 0.075, 8, 11, false],
    ['56-006', 2026, 40, 2, 0.05, 9, 11, false],
    ['56-011', 2026, 25, 1, 0.04, 10, 11, false],
    ['56-012', 2026, 45, 0, 0, 11, 11, false],
    ['56-009', 2026, 0, 0, null, null, 11, false],
  ])('%s %i: %i participants, %i «2»', (code, year, participants, failed, failShare, rank, ranked, worst) => {
    const y = yearOf(code, year);
    expect(y).toBeDefined();
    expect(y?.participants).toBe(participants);
    expect(y?.failed).toBe(failed);
    if (failShare === null) expect(y?.failShare).toBeNull();
    else expect(y?.failShare).toBeCloseTo(failShare, 12);
    expect(y?.rank).toBe(rank);
    expect(y?.ranked).toBe(ranked);
    expect(y?.worst).toBe(worst);
  });

  // Worst years: 001 → 2025 (1); 002 → 2024, 2025, 2026 (3); the rest 0.
  // ШНОР needs ≥ 2 → 002 only.
  // Social criteria (latest context ≤ 2026; thresholds 30 / 15 / 20 % / 0.1 of staff; rural +1; need 2):
  //   001 (2026, rural): low income 34 ≥ 30 ✓, ОВЗ 8, non-native 5, vacancies 1/25 = 0.04 ✗, rural ✓ → 2 → ШФНСУ
  //   002 (2026): 12, 6, 3, 2/40 = 0.05 → 0
  //   003 (2026): 29.9 < 30 ✗, 10, 19 < 20 ✗, vacancies 3/30 = 0.1 ≥ 0.1 ✓ → 1
  //   004 (2026; 2027 row ignored): 30 ≥ 30 ✓, 15 ≥ 15 ✓, 10, 0/50 = 0 → 2 → ШФНСУ
  //   005 (2025, its latest; rural): 20, 5, 0, 2/20 = 0.1 ✓, rural ✓ → 2 → ШФНСУ
  //   006 (2026, rural): 25, 12, 15, 1/22 ≈ 0.045, rural ✓ → 1
  //   007 (2026): 5, 20 ≥ 15 ✓, 0, 0/10 → 1
  //   008: no context data → not met, count 0 (urban)
  //   009 (2026): 10, 3, 2, 0/15 → 0
  //   010 (2026): 31 ✓, 2, 45 ✓, 0 teachers with 2 vacancies ✓ → 3 → ШФНСУ
  //   011 (2026): 15, 16 ✓, 10, 1/35 ≈ 0.029 → 1
  //   012 (2026, rural): 8, 4, 1, 0/18, rural ✓ → 1
  it.each<[string, number, IdentifiedSchool['category'], number, number | null]>([
    // code, worstYears, category, social count, contextYear
    ['56-001', 1, 'ШФНСУ', 2, 2026],
    ['56-002', 3, 'ШНОР', 0, 2026],
    ['56-003', 0, null, 1, 2026],
    ['56-004', 0, 'ШФНСУ', 2, 2026],
    ['56-005', 0, 'ШФНСУ', 2, 2025],
    ['56-006', 0, null, 1, 2026],
    ['56-007', 0, null, 1, 2026],
    ['56-008', 0, null, 0, null],
    ['56-009', 0, null, 0, 2026],
    ['56-010', 0, 'ШФНСУ', 3, 2026],
    ['56-011', 0, null, 1, 2026],
    ['56-012', 0, null, 1, 2026],
  ])('%s: %i worst years, %s, %i social criteria', (code, worstYears, category, count, contextYear) => {
    const s = get(code);
    expect(s.lowResults.worstYears).toBe(worstYears);
    expect(s.lowResults.met).toBe(worstYears >= 2);
    expect(s.category).toBe(category);
    expect(s.categories).toEqual(category === null ? [] : category === 'ШНОР и ШФНСУ' ? ['ШНОР', 'ШФНСУ'] : [category]);
    expect(s.unfavourable.count).toBe(count);
    expect(s.unfavourable.contextYear).toBe(contextYear);
    expect(s.unfavourable.met).toBe(category === 'ШФНСУ' || category === 'ШНОР и ШФНСУ');
  });

  // Order: every candidate has one category: 002 (3 worst years), 001 (1 worst year); 010 and 004 (0 worst
  // years, 2026 share 0.1 both) → 010 first by 3 criteria vs 2; 005 (2026 share 0.075).
  // Non-candidates, none with a worst year, by 2026 share: 003 0.2, 007 0.133, 008 0.12, 006 0.05, 011 0.04,
  // 012 0, 009 none (last).
  it('lists candidates first, in order', () => {
    expect(out.candidates).toBe(5);
    expect(out.schools.map((s) => s.code)).toEqual([
      '56-002',
      '56-001',
      '56-010',
      '56-004',
      '56-005',
      '56-003',
      '56-007',
      '56-008',
      '56-006',
      '56-011',
      '56-012',
      '56-009',
    ]);
  });

  it('gives the social criteria with values and thresholds', () => {
    expect(get('56-010').unfavourable.criteria).toEqual([
      { key: 'lowIncome', label: 'доля обучающихся из малоимущих семей', value: 31, threshold: 30, met: true },
      { key: 'disabilities', label: 'доля обучающихся с ОВЗ', value: 2, threshold: 15, met: false },
      {
        key: 'nonNativeRussian',
        label: 'доля обучающихся, для которых русский язык не родной',
        value: 45,
        threshold: 20,
        met: true,
      },
      {
        key: 'vacancies',
        label: 'доля незакрытых вакансий педагогов от числа педагогов',
        value: null,
        threshold: 0.1,
        met: true,
      },
      { key: 'rural', label: 'сельская школа', value: null, threshold: null, met: false },
    ]);
    expect(get('56-003').unfavourable.criteria.find((c) => c.key === 'vacancies')?.value).toBeCloseTo(0.1, 12);
  });

  it.each<[string, string[]]>([
    [
      '56-001',
      [
        `Доля «2» в худших 10${NB}% школ региона только в 1 году из 3 (нужно не менее чем в 2): ` +
          `в 2025${NB}г. — 20${NB}%, 1${NH}е${NB}место из 10.`,
        `Доля «2» не входила в худшие 10${NB}% школ региона: в 2024${NB}г. — 15${NB}%, 3${NH}е${NB}место из 11; ` +
          `в 2026${NB}г. — 22${NB}%, 2${NH}е${NB}место из 11.`,
        `Неблагоприятные социальные условия по данным за 2026${NB}г. (выполнено 2 критерия, нужно не менее 2): ` +
          `малоимущие семьи — 34${NB}% (порог 30${NB}%); сельская школа.`,
      ],
    ],
    [
      '56-002',
      [
        `Доля «2» в худших 10${NB}% школ региона: в 2024${NB}г. — 25${NB}%, 1${NH}е${NB}место из 11; ` +
          `в 2025${NB}г. — 20${NB}%, 1${NH}е${NB}место из 10; в 2026${NB}г. — 30${NB}%, 1${NH}е${NB}место из 11.`,
        `Социальные условия не признаны неблагоприятными по данным за 2026${NB}г. (выполнено 0 критериев, нужно не менее 2).`,
      ],
    ],
    [
      '56-005',
      [
        `Доля «2» не входила в худшие 10${NB}% школ региона: в 2024${NB}г. — 8${NB}%, 5${NH}е${NB}место из 11; ` +
          `в 2025${NB}г. — 5${NB}%, 6${NH}е${NB}место из 10; в 2026${NB}г. — 7,5${NB}%, 8${NH}е${NB}место из 11.`,
        `Неблагоприятные социальные условия по данным за 2025${NB}г. (выполнено 2 критерия, нужно не менее 2): ` +
          `вакансии педагогов — 10${NB}% от числа педагогов (порог 10${NB}%); сельская школа.`,
      ],
    ],
    [
      '56-007',
      [
        `Доля «2» не входила в худшие 10${NB}% школ региона: в 2024${NB}г. — 0${NB}%, 11${NH}е${NB}место из 11; ` +
          `в 2026${NB}г. — 13,3${NB}%, 4${NH}е${NB}место из 11.`,
        `В 2025${NB}г. школа не ранжировалась: 7 участников оценочных процедур, нужно не менее 10.`,
        `Социальные условия не признаны неблагоприятными по данным за 2026${NB}г. (выполнен 1 критерий, нужно не менее 2): ` +
          `обучающиеся с ОВЗ — 20${NB}% (порог 15${NB}%).`,
      ],
    ],
    [
      '56-008',
      [
        `Доля «2» не входила в худшие 10${NB}% школ региона: в 2024${NB}г. — 20${NB}%, 2${NH}е${NB}место из 11; ` +
          `в 2025${NB}г. — 14${NB}%, 4${NH}е${NB}место из 10; в 2026${NB}г. — 12${NB}%, 5${NH}е${NB}место из 11.`,
        `Нет контекстных данных за 2026${NB}г. и ранее — неблагоприятные социальные условия не оценивались.`,
      ],
    ],
    [
      '56-009',
      [
        `Нет результатов оценочных процедур за 2024, 2025 и 2026${NB}гг.`,
        `Социальные условия не признаны неблагоприятными по данным за 2026${NB}г. (выполнено 0 критериев, нужно не менее 2).`,
      ],
    ],
    [
      '56-010',
      [
        `Доля «2» не входила в худшие 10${NB}% школ региона: в 2024${NB}г. — 4${NB}%, 8${NH}е${NB}место из 11; ` +
          `в 2025${NB}г. — 2,5${NB}%, 8${NH}е${NB}место из 10; в 2026${NB}г. — 10${NB}%, 6${NH}е${NB}место из 11.`,
        `Неблагоприятные социальные условия по данным за 2026${NB}г. (выполнено 3 критерия, нужно не менее 2): ` +
          `малоимущие семьи — 31${NB}% (порог 30${NB}%); русский язык не родной — 45${NB}% (порог 20${NB}%); ` +
          `вакансии педагогов — 2 вакансии, педагогов в штате нет (порог 10${NB}%).`,
      ],
    ],
  ])('reasons of %s', (code, reasons) => {
    expect(get(code).reasons).toEqual(reasons);
  });

  it('follows the thresholds of the settings, not constants', () => {
    const run = (identification: Parameters<typeof settingsWith>[0]) =>
      identifySchools({
        asOf: '2026-11-20',
        schools: SCHOOLS,
        results: RESULTS,
        context: CONTEXT,
        settings: settingsWith(identification),
      });
    // The worst 20 %: floor(0.2 × 11) = 2 places in 2024 and 2026, floor(0.2 × 10) = 2 in 2025.
    // 001 is then worst in 2025 (rank 1) and 2026 (rank 2) → ШНОР as well; 008 only in 2024 (rank 2).
    const twenty = run({ lowResultsWorstShare: 0.2 });
    expect(twenty.schools.find((s) => s.code === '56-001')?.category).toBe('ШНОР и ШФНСУ');
    expect(twenty.schools.find((s) => s.code === '56-008')?.category).toBeNull();
    // With «at least one worst year» as well, 008 becomes ШНОР too.
    const one = run({ lowResultsWorstShare: 0.2, lowResultsMinYears: 1 });
    expect(one.schools.find((s) => s.code === '56-008')?.category).toBe('ШНОР');
    expect(one.candidates).toBe(6);
  });
});
