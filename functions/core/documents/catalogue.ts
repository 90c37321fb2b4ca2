import { nestQuotes } from '../format-ru.js';
import type { Identification } from '../identification.js';
import type { MonitoringIndicators } from '../indicators.js';
import type { SchoolDecisions } from '../school-decisions.js';
import type { SchoolFindings } from '../school-findings.js';
import type { NetworkPartnershipRow, PlanGraphRow, WorkingGroupRow } from '../tab-types.generated.js';
import { lowResultsOrderView } from './order-low-results-list.js';
import { monitoringResultsOrderView } from './order-monitoring-results.js';
import { networkPartnershipOrderView } from './order-network-partnership.js';
import { planGraphOrderView } from './order-plan-graph.js';
import { workingGroupOrderView } from './order-working-group.js';
import type { RegistryFacts } from './registry-facts.js';
import { areaReportView, schoolReportView, stageReportView } from './reports.js';

/** Documents the product renders, by template file name. */
export type DocumentKind =
  | 'school-report'
  | 'region-report'
  | 'stage-report'
  | 'order-low-results-list'
  | 'order-working-group'
  | 'order-network-partnership'
  | 'order-plan-graph'
  | 'order-monitoring-results'
  | 'run-index';

/** Whom a document is about. */
export type DocumentScope =
  { level: 'school'; code: string } | { level: 'municipality'; code: string } | { level: 'region' };

/** What the registry states that documents cite: its facts and the lists the orders approve. */
export interface RegistryRecords extends RegistryFacts {
  workingGroup: WorkingGroupRow[];
  partnerships: NetworkPartnershipRow[];
  planGraph: PlanGraphRow[];
}

/** What a run computed: everything a document may state. */
export interface RegionModel {
  indicators: MonitoringIndicators;
  identification: Identification;
  /** One decision per school (category, status on the list, effective mode, curator, partner) every document states. */
  decisions: SchoolDecisions;
  registry: RegistryRecords;
  /**
   * Whether the run wrote each workbook's findings back into it (Google Sheets: a «Проверка» tab in
   * the school's table); otherwise a school receives only its report, which then lists them.
   */
  feedbackInSheets: boolean;
  /** Each participant's own findings, by school code: what its report counts. */
  findings: Record<string, SchoolFindings>;
}

/** One document a run produces: what, for whom, where it is stored, and the view its template fills. */
export interface PlannedDocument {
  kind: DocumentKind;
  scope: DocumentScope;
  title: string;
  path: string;
  /** Progress line (Russian). */
  label: string;
  view: object;
  /** Orders carry the QR code of requisite 31 (ГОСТ Р 7.0.97-2025). */
  qr: boolean;
}

const SCHOOL_REPORTS = 'reports/schools/';

/**
 * Every document of a run, in manifest order: school reports (but for schools whose part of the run
 * did not complete by the deadline), municipal and regional reports, the stage report, the orders.
 */
export function documentCatalogue({
  indicators,
  identification,
  decisions,
  registry,
  feedbackInSheets,
  findings,
}: RegionModel): PlannedDocument[] {
  // A school whose part of the run did not complete by the deadline has nothing to report from: the
  // regional, stage and municipal reports name it instead.
  const reported = Object.values(indicators.schools).filter((school) => school.workbook.status !== 'not_arrived');
  const documents: PlannedDocument[] = reported.map((school) => ({
    kind: 'school-report',
    scope: { level: 'school', code: school.code },
    title: `Аналитическая справка: ${school.name}`,
    path: schoolReportPath(school.code),
    label: nestQuotes(`Справка школы ${school.code} «${school.name}»`),
    view: schoolReportView(indicators, registry, school, decisions[school.code], {
      inSheets: feedbackInSheets,
      findings: findings[school.code] ?? { workbook: [], registry: [] },
    }),
    qr: false,
  }));
  for (const municipality of Object.values(indicators.municipalities)) {
    documents.push({
      kind: 'region-report',
      scope: { level: 'municipality', code: municipality.code },
      title: `Аналитическая справка: ${municipality.name}`,
      path: `reports/municipalities/${safeFileName(municipality.code)}.pdf`,
      label: nestQuotes(`Справка по муниципалитету «${municipality.name}»`),
      view: areaReportView(indicators, registry, municipality.code),
      qr: false,
    });
  }
  documents.push(
    {
      kind: 'region-report',
      scope: { level: 'region' },
      title: `Аналитическая справка по региону: ${indicators.region.name}`,
      path: 'reports/region.pdf',
      label: 'Справка по региону',
      view: areaReportView(indicators, registry, undefined),
      qr: false,
    },
    {
      kind: 'stage-report',
      scope: { level: 'region' },
      title: `Отчёт о результатах мониторинга (${indicators.stage} этап): ${indicators.region.name}`,
      path: 'reports/stage.pdf',
      label: 'Отчёт этапа мониторинга',
      view: stageReportView(indicators, registry),
      qr: false,
    },
  );
  const orders: [DocumentKind, string, { title: string }][] = [
    [
      'order-low-results-list',
      'orders/low-results-list.pdf',
      lowResultsOrderView(indicators, registry, identification, decisions),
    ],
    ['order-working-group', 'orders/working-group.pdf', workingGroupOrderView(registry, registry.workingGroup)],
    [
      'order-network-partnership',
      'orders/network-partnership.pdf',
      networkPartnershipOrderView(registry, registry.partnerships),
    ],
    ['order-plan-graph', 'orders/plan-graph.pdf', planGraphOrderView(registry, registry.planGraph, 'approve')],
    ['order-plan-graph', 'orders/plan-graph-amendment.pdf', planGraphOrderView(registry, registry.planGraph, 'amend')],
    ['order-monitoring-results', 'orders/monitoring-results.pdf', monitoringResultsOrderView(indicators, registry)],
  ];
  for (const [kind, path, view] of orders) {
    const title = nestQuotes(`Проект приказа «${view.title}»`);
    documents.push({ kind, scope: { level: 'region' }, title, path, label: title, view, qr: true });
  }
  return documents;
}

/** Where a school's report is stored. */
export function schoolReportPath(code: string): string {
  return `${SCHOOL_REPORTS}${safeFileName(code)}.pdf`;
}

/** Whether a stored path is a school's report. */
export function isSchoolReportPath(path: string): boolean {
  return path.startsWith(SCHOOL_REPORTS);
}

/** School codes become file names: anything but letters, digits, dot, dash and underscore turns into "_". */
function safeFileName(code: string): string {
  return code.replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_') || '_';
}
