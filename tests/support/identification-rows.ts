/** Rows and settings for the identification tests (tests/unit/identification*.test.ts). */
import type { MonitoringSettings } from '../../functions/core/settings.js';
import type { AssessmentResultsRow, ContextDataRow, SchoolsRow } from '../../functions/core/tab-types.generated.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';

/** The documented defaults, spelled out so the golden numbers below do not drift with config/monitoring.json. */
export const DEFAULTS: MonitoringSettings['identification'] = {
  lowResultsWorstShare: 0.1,
  lowResultsMinYears: 2,
  lowResultsYearsWindow: 3,
  minParticipantsToRank: 10,
  unfavourable: {
    lowIncomePercent: 30,
    disabilitiesPercent: 15,
    nonNativeRussianPercent: 20,
    vacanciesShareOfStaff: 0.1,
    minCriteria: 2,
    ruralCountsAsCriterion: true,
  },
};
export const settingsWith = (
  identification: Partial<MonitoringSettings['identification']> = {},
): MonitoringSettings => ({
  ...monitoringRules().settings,
  identification: { ...DEFAULTS, ...identification },
});

export const NB = '\u00a0';

export function school(
  code: string,
  locality: SchoolsRow['locality'] = 'городская',
  name = `Школа ${code}`,
): SchoolsRow {
  return { code, name, municipalityCode: '56-MO', locality, participant: false };
}
export function result(
  schoolCode: string,
  year: number,
  participants: number,
  failed: number,
  procedure: AssessmentResultsRow['procedure'] = 'ВПР',
  grade = 5,
  subject = 'Математика',
): AssessmentResultsRow {
  return { schoolCode, year, procedure, grade, subject, participants, failed, good: 0 };
}
export function context(
  schoolCode: string,
  year: number,
  c: { teachers?: number; vacancies?: number; lowIncome?: number; disabilities?: number; nonNative?: number },
): ContextDataRow {
  return {
    schoolCode,
    year,
    students: 300,
    teachers: c.teachers ?? 30,
    vacancies: c.vacancies ?? 0,
    lowIncomePercent: c.lowIncome ?? 0,
    disabilitiesPercent: c.disabilities ?? 0,
    nonNativeRussianPercent: c.nonNative ?? 0,
  };
}
