/** Thresholds and lists that a region may change without touching code (config/monitoring.json). */
export interface MonitoringSettings {
  riskFactors: string[];
  maxChosenRiskFactors: number;
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
