import {
  areaIndicators,
  rowsLeftOut,
  schoolIdentity,
  type MonitoringIndicators,
  type SchoolIndicators,
  type Stage,
} from './indicators.js';
import { planYearBounds, type IsoDate } from './calendar.js';
import { monitorPlanGraph } from './plan-graph.js';
import { leftOutOf } from './left-out-bounds.js';
import { curatorWorkLeftOut, curatorWorkMunicipality, leftOutIn, schoolPlacedLeftOut } from './registry-bounds.js';
import { recommend, type RecommendationRules } from './recommendations.js';
import { usableRows, type ParticipantReading, type WorkbookReading } from './read-workbook.js';
import { schoolFindings } from './school-findings.js';
import { schoolMeasures } from './school-indicators.js';
import type { MonitoringSettings } from './settings.js';
import { textKey } from './text-key.js';
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
  // Each school's rows and findings, grouped once: a region has thousands of rows per tab.
  const curatorWorkOf = groupBy(curatorWork, (w) => w.schoolCode);
  const resultsOf = groupBy(results, (r) => r.schoolCode);
  const findings = schoolFindings(registry, input.participants, input.issues);
  // Left-out results rows that may be a school's: its own, and those whose school code was not read.
  const resultsOut = leftOutOf(registry, 'assessment-results');
  const resultsOutOf = (code: string) => ({
    title: resultsOut.title,
    rows: resultsOut.rows.filter((r) => r.schoolCode === undefined || r.schoolCode === code),
  });

  const schools: SchoolIndicators[] = input.participants.map(({ row, status, reading }, index) => {
    const school = row.values;
    const measures = schoolMeasures(
      reading,
      {
        school,
        curatorWork: curatorWorkOf.get(school.code) ?? [],
        results: resultsOf.get(school.code) ?? [],
        resultsLeftOut: resultsOutOf(school.code),
      },
      asOf,
      settings,
    );
    // The school's own workbook's findings and those on its row of «Школы» (each finding once).
    const { workbook, registry: onRow } = findings[index]!;
    const own = [...workbook, ...onRow];
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
        // A table the run did not get to by the deadline is no fault of the school: nothing to ask of it.
        status === 'read' || status === 'not_arrived' ? undefined : WORKBOOK_PROBLEM[status],
      ),
    };
  });

  const municipalityOf = new Map(
    usableRows(registry, 'schools').map((r) => [r.values.code, r.values.municipalityCode]),
  );
  // Registry rows by the municipality of their school (rows without a known school belong to none).
  const byMunicipality = <T extends { schoolCode?: string }>(rows: T[]) =>
    groupBy(
      rows.filter((r) => r.schoolCode !== undefined && municipalityOf.has(r.schoolCode)),
      (r) => municipalityOf.get(r.schoolCode ?? ''),
    );
  const municipalityCodes = new Map(
    usableRows(registry, 'municipalities').map((r) => [textKey(r.values.code), r.values.code]),
  );
  const curatorWorkIn = groupBy(
    curatorWork.flatMap((w) => {
      const code = curatorWorkMunicipality(w, municipalityOf, municipalityCodes);
      return code === undefined ? [] : [{ code, w }];
    }),
    (entry) => entry.code,
  );
  const partnershipsIn = byMunicipality(partnerships);
  // Rows left out of these tabs, each with the municipalities it may count for.
  const curatorOut = curatorWorkLeftOut(registry, municipalityOf, municipalityCodes);
  const partnershipsOut = schoolPlacedLeftOut(
    registry,
    'network-partnership',
    (code, m) => municipalityOf.get(code) === m,
  );
  const participantOf = new Map(schools.map((s) => [s.code, s.municipalityCode]));
  const satisfactionOut = schoolPlacedLeftOut(registry, 'satisfaction', (code, m) => participantOf.get(code) === m);
  const region = registry.tabs.region?.rows[0]?.values;
  const participantCodes = new Set(schools.map((school) => school.code));
  const planGraph = monitorPlanGraph(
    usableRows(registry, 'plan-graph').map((r) => r.values),
    asOf,
  );
  const municipalities = usableRows(registry, 'municipalities')
    .map((r) => r.values)
    .map((m) => {
      const members = schools.filter((s) => s.municipalityCode === m.code);
      const memberCodes = new Set(members.map((member) => member.code));
      const area = areaIndicators(
        members,
        {
          curatorWork: (curatorWorkIn.get(m.code) ?? []).map((entry) => entry.w),
          partnerships: partnershipsIn.get(m.code) ?? [],
          satisfaction: satisfaction.filter((s) => memberCodes.has(s.schoolCode)),
          leftOut: {
            curatorWork: leftOutIn(curatorOut.title, curatorOut.rows, m.code),
            partnerships: leftOutIn(partnershipsOut.title, partnershipsOut.rows, m.code),
            satisfaction: leftOutIn(satisfactionOut.title, satisfactionOut.rows, m.code),
          },
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
          satisfaction: satisfaction.filter((s) => participantCodes.has(s.schoolCode)),
          // The region counts every row of curator work and partnership; satisfaction, the participants'.
          leftOut: {
            curatorWork: { title: curatorOut.title, rows: curatorOut.rows.map((r) => r.values) },
            partnerships: { title: partnershipsOut.title, rows: partnershipsOut.rows.map((r) => r.values) },
            satisfaction: {
              title: satisfactionOut.title,
              rows: satisfactionOut.rows
                .map((r) => r.values)
                .filter((r) => r.schoolCode === undefined || participantCodes.has(r.schoolCode)),
            },
          },
        },
        asOf,
        settings,
        'region',
        planGraph.items,
        // A calendar-year plan-graph counts its annual targets over its own year.
        registry.planYear?.kind === 'calendar' ? planYearBounds(registry.planYear) : undefined,
      ),
      planGraph,
    },
    municipalities: Object.fromEntries(municipalities.map((m) => [m.code, m])),
    schools: Object.fromEntries(schools.map((s) => [s.code, s])),
  };
}

/** Items by key, each group in the items' order. */
function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
