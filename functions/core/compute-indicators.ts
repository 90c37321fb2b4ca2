import {
  areaIndicators,
  rowsLeftOut,
  schoolIdentity,
  type MonitoringIndicators,
  type SchoolIndicators,
  type Stage,
} from './indicators.js';
import type { IsoDate } from './period.js';
import { monitorPlanGraph } from './plan-graph.js';
import { recommend, type RecommendationRules } from './recommendations.js';
import { usableRows, type ParticipantReading, type WorkbookReading } from './read-workbook.js';
import { schoolMeasures } from './school-indicators.js';
import type { MonitoringSettings } from './settings.js';
import type { ValidationIssue } from './validation-issue.js';

/** Everything the indicators are computed from: validated data, the date and stage, the rules. */
export interface IndicatorInput {
  registry: WorkbookReading;
  participants: ParticipantReading[];
  issues: ValidationIssue[];
  asOf: IsoDate;
  stage: Stage;
  settings: MonitoringSettings;
  recommendations: RecommendationRules;
}

const WORKBOOK_PROBLEM = {
  missing: 'файл таблицы школы не найден',
  unreadable: 'файл таблицы школы не читается',
  not_named: 'в реестре не указана таблица школы',
} as const;

/** Every indicator of domain.md for each participant, each municipality and the region. */
export function computeIndicators(input: IndicatorInput): MonitoringIndicators {
  const { registry, settings, asOf } = input;
  const curatorWork = usableRows(registry, 'curator-work').map((r) => r.values);
  const results = usableRows(registry, 'assessment-results').map((r) => r.values);
  const partnerships = usableRows(registry, 'network-partnership').map((r) => r.values);
  const satisfaction = usableRows(registry, 'satisfaction').map((r) => r.values);
  const schoolsTab = registry.tabs.schools?.title;

  const schools: SchoolIndicators[] = input.participants.map(({ row, status, reading }) => {
    const school = row.values;
    const measures = schoolMeasures(
      reading,
      {
        school,
        curatorWork: curatorWork.filter((w) => w.schoolCode === school.code),
        results: results.filter((r) => r.schoolCode === school.code),
      },
      asOf,
      settings,
    );
    const own = input.issues.filter(
      (i) =>
        (reading && i.workbook === reading.name) ||
        (i.workbook === registry.name && i.tab === schoolsTab && i.row === row.row),
    );
    return {
      ...schoolIdentity(school),
      workbook: { status, ...(school.workbook ? { name: school.workbook } : {}) },
      ...measures,
      errors: own.filter((i) => i.severity === 'error').length,
      warnings: own.filter((i) => i.severity === 'warning').length,
      rowsLeftOut: reading ? rowsLeftOut(reading) : [],
      recommendations: recommend(
        measures,
        input.recommendations,
        status === 'read' ? undefined : WORKBOOK_PROBLEM[status],
      ),
    };
  });

  const municipalityOf = new Map(
    usableRows(registry, 'schools').map((r) => [r.values.code, r.values.municipalityCode]),
  );
  const inMunicipality = (code: string) => (schoolCode: string | undefined) =>
    schoolCode !== undefined && municipalityOf.get(schoolCode) === code;
  const region = registry.tabs.region?.rows[0]?.values;
  const municipalities = usableRows(registry, 'municipalities')
    .map((r) => r.values)
    .map((m) => {
      const inside = inMunicipality(m.code);
      const members = schools.filter((s) => s.municipalityCode === m.code);
      const area = areaIndicators(
        members,
        {
          curatorWork: curatorWork.filter((w) => inside(w.schoolCode)),
          partnerships: partnerships.filter((p) => inside(p.schoolCode)),
          satisfaction: satisfaction.filter((s) => members.some((member) => member.code === s.schoolCode)),
        },
        asOf,
        settings,
        'municipality',
      );
      return { code: m.code, name: m.name, ...area };
    })
    .filter((m) => m.participants > 0);

  return {
    asOf,
    stage: input.stage,
    schoolYear: region?.schoolYear ?? '',
    region: {
      name: region?.subject ?? '',
      ...areaIndicators(
        schools,
        {
          curatorWork,
          partnerships,
          satisfaction: satisfaction.filter((s) => schools.some((school) => school.code === s.schoolCode)),
        },
        asOf,
        settings,
        'region',
      ),
      planGraph: monitorPlanGraph(
        usableRows(registry, 'plan-graph').map((r) => r.values),
        asOf,
      ),
    },
    municipalities: Object.fromEntries(municipalities.map((m) => [m.code, m])),
    schools: Object.fromEntries(schools.map((s) => [s.code, s])),
  };
}
