import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identifySchools } from '../../functions/core/identification.js';
import type { MonitoringSettings } from '../../functions/core/settings.js';
import type { AssessmentResultsRow, ContextDataRow, SchoolsRow } from '../../functions/core/tab-types.generated.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';

const CODES = ['56-001', '56-002', '56-003', '56-004', '56-005', '56-006', '56-007', '56-008'];
/** Codes rows may refer to: the registry's, plus one that is not in it. */
const ROW_CODES = [...CODES, '99-999'];
const CYRILLIC = /[А-Яа-яЁё]/;

const schoolsArb: fc.Arbitrary<SchoolsRow[]> = fc
  .uniqueArray(fc.constantFrom(...CODES), { maxLength: CODES.length })
  .chain((codes) =>
    fc.tuple(
      ...codes.map((code) =>
        fc.record({
          code: fc.constant(code),
          name: fc.constant(`Школа ${code}`),
          municipalityCode: fc.constantFrom('MO-1', 'MO-2'),
          locality: fc.constantFrom<SchoolsRow['locality']>('городская', 'сельская'),
          participant: fc.boolean(),
        }),
      ),
    ),
  );

const resultArb: fc.Arbitrary<AssessmentResultsRow> = fc
  .record({
    schoolCode: fc.constantFrom(...ROW_CODES),
    year: fc.integer({ min: 2022, max: 2027 }),
    procedure: fc.constantFrom<AssessmentResultsRow['procedure']>('ВПР', 'ОГЭ', 'ЕГЭ'),
    grade: fc.integer({ min: 4, max: 11 }),
    subject: fc.constantFrom('Математика', 'Русский язык', 'Физика'),
    participants: fc.integer({ min: 0, max: 60 }),
    failedPart: fc.double({ min: 0, max: 1, noNaN: true }),
    goodPart: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ failedPart, goodPart, ...row }) => {
    const failed = Math.floor(row.participants * failedPart);
    return { ...row, failed, good: Math.floor((row.participants - failed) * goodPart) };
  });

const contextArb: fc.Arbitrary<ContextDataRow> = fc.record({
  schoolCode: fc.constantFrom(...ROW_CODES),
  year: fc.integer({ min: 2022, max: 2027 }),
  students: fc.integer({ min: 0, max: 2000 }),
  teachers: fc.integer({ min: 0, max: 100 }),
  vacancies: fc.integer({ min: 0, max: 20 }),
  lowIncomePercent: fc.constantFrom(0, 10, 29.9, 30, 45.5, 100),
  disabilitiesPercent: fc.constantFrom(0, 5, 15, 20, 100),
  nonNativeRussianPercent: fc.constantFrom(0, 19.9, 20, 60),
});

const identificationArb: fc.Arbitrary<MonitoringSettings['identification']> = fc.record({
  lowResultsWorstShare: fc.constantFrom(0, 0.05, 0.1, 0.2, 0.3, 0.5, 1),
  lowResultsMinYears: fc.integer({ min: 1, max: 4 }),
  lowResultsYearsWindow: fc.integer({ min: 1, max: 5 }),
  minParticipantsToRank: fc.integer({ min: 0, max: 30 }),
  unfavourable: fc.record({
    lowIncomePercent: fc.constantFrom(0, 30, 50),
    disabilitiesPercent: fc.constantFrom(15, 20),
    nonNativeRussianPercent: fc.constantFrom(20, 100),
    vacanciesShareOfStaff: fc.constantFrom(0, 0.1, 0.25),
    minCriteria: fc.integer({ min: 0, max: 5 }),
    ruralCountsAsCriterion: fc.boolean(),
  }),
});

interface Region {
  asOf: string;
  schools: SchoolsRow[];
  results: AssessmentResultsRow[];
  context: ContextDataRow[];
  settings: MonitoringSettings;
}

const base = monitoringRules().settings;
const regionArb: fc.Arbitrary<Region> = fc.record({
  asOf: fc.integer({ min: 2021, max: 2028 }).map((y) => `${y}-06-15`),
  schools: schoolsArb,
  results: fc.array(resultArb, { maxLength: 60 }),
  context: fc.array(contextArb, { maxLength: 20 }),
  settings: fc.oneof(
    fc.constant(base),
    identificationArb.map((identification) => ({ ...base, identification })),
  ),
});

const permutation = <T>(items: T[]): fc.Arbitrary<T[]> =>
  fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });

describe('identifySchools: properties', () => {
  it('never throws, keeps shares in [0, 1], lists every school once with Russian reasons', () => {
    fc.assert(
      fc.property(regionArb, (region) => {
        const out = identifySchools(region);
        expect(out.schools.map((s) => s.code).sort()).toEqual(region.schools.map((s) => s.code).sort());
        expect(out.candidates).toBe(out.schools.filter((s) => s.category !== null).length);
        const firstOther = out.schools.findIndex((s) => s.categories.length === 0);
        if (firstOther >= 0) expect(out.schools.slice(firstOther).every((s) => s.categories.length === 0)).toBe(true);
        for (const school of out.schools) {
          expect(school.lowResults.years.map((y) => y.year)).toEqual(out.years);
          for (const y of school.lowResults.years) {
            if (y.failShare !== null) {
              expect(y.failShare).toBeGreaterThanOrEqual(0);
              expect(y.failShare).toBeLessThanOrEqual(1);
            }
            if (y.rank !== null) {
              expect(y.rank).toBeGreaterThanOrEqual(1);
              expect(y.rank).toBeLessThanOrEqual(y.ranked);
            }
            if (y.worst) expect(y.rank).not.toBeNull();
          }
          expect(school.reasons.length).toBeGreaterThan(0);
          for (const reason of school.reasons) expect(reason).toMatch(CYRILLIC);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order of rows', () => {
    const shuffled = regionArb.chain((region) =>
      fc.record({
        region: fc.constant(region),
        schools: permutation(region.schools),
        results: permutation(region.results),
        context: permutation(region.context),
      }),
    );
    fc.assert(
      fc.property(shuffled, ({ region, schools, results, context }) => {
        expect(identifySchools({ ...region, schools, results, context })).toEqual(identifySchools(region));
      }),
      { numRuns: 300 },
    );
  });

  it('more «2» never moves a school out of the worst group of that year', () => {
    const raised = regionArb
      .filter((r) => r.results.length > 0)
      .chain((region) =>
        fc.record({
          region: fc.constant(region),
          index: fc.nat({ max: region.results.length - 1 }),
          extra: fc.integer({ min: 1, max: 60 }),
        }),
      );
    fc.assert(
      fc.property(raised, ({ region, index, extra }) => {
        const row = region.results[index];
        if (!row) return;
        const results = region.results.map((r, i) =>
          i === index ? { ...r, failed: Math.min(r.participants, r.failed + extra), good: 0 } : r,
        );
        const before = identifySchools(region).schools.find((s) => s.code === row.schoolCode);
        const after = identifySchools({ ...region, results }).schools.find((s) => s.code === row.schoolCode);
        if (!before || !after) return;
        for (const y of before.lowResults.years) {
          if (y.worst) expect(after.lowResults.years.find((a) => a.year === y.year)?.worst).toBe(true);
        }
        expect(after.lowResults.worstYears).toBeGreaterThanOrEqual(before.lowResults.worstYears);
      }),
      { numRuns: 500 },
    );
  });
});
