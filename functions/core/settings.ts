/** Thresholds and lists that a region may change without touching code (config/monitoring.json). */
export interface MonitoringSettings {
  riskFactors: string[];
  maxChosenRiskFactors: number;
  /**
   * Days before a stage's deadline on which schools that have not submitted their tables are
   * reminded (config: [7, 3, 1]); absent: `DEFAULT_REMINDER_DAYS` (core/submission.ts).
   */
  reminderDaysBefore?: number[];
  targets: {
    surveyCoverage: number;
    roadmapProgressForEffectiveMode: number;
    pdTrainedLong: number;
    pdLongCourseHours: number;
    eventsLong: number;
    eventLongHours: number;
    effectiveModeShare: number;
    surveyCoveredShare: number;
    documentsCompleteShare: number;
    consultations: number;
    meetings: number;
    pdCoveredShare: number;
    eventsCoveredShare: number;
    partnershipContracts: number;
    satisfaction: number;
  };
  /**
   * Region-wide targets that the region's plan-graph may set instead: per target, phrases (matched
   * case- and ё/е-insensitively as parts of «Показатель результативности») naming that indicator.
   * An item matches when its text holds a phrase and its target is «не менее N» of the same kind
   * (a count for counts, a percent for shares); several items with different values → the setting.
   */
  planGraphTargets?: Partial<Record<PlanGraphTargetKey, string[]>>;
  /** Guards against runaway input; exceeding one is reported, never a crash. */
  limits: {
    /** Largest workbook file read, MB. */
    maxFileMegabytes: number;
    /** Data rows read per tab; the rest is reported and skipped. */
    maxRowsPerTab: number;
  };
  identification: {
    lowResultsWorstShare: number;
    lowResultsMinYears: number;
    lowResultsYearsWindow: number;
    minParticipantsToRank: number;
    unfavourable: {
      lowIncomePercent: number;
      disabilitiesPercent: number;
      nonNativeRussianPercent: number;
      vacanciesShareOfStaff: number;
      minCriteria: number;
      ruralCountsAsCriterion: boolean;
    };
  };
}

/** Region-wide targets a plan-graph item may set. */
export const PLAN_GRAPH_TARGET_KEYS = [
  'effectiveModeShare',
  'surveyCoveredShare',
  'documentsCompleteShare',
  'pdCoveredShare',
  'eventsCoveredShare',
  'consultations',
  'meetings',
  'partnershipContracts',
  'satisfaction',
] as const;
/** A region-wide target a plan-graph item may set. */
export type PlanGraphTargetKey = (typeof PLAN_GRAPH_TARGET_KEYS)[number];
