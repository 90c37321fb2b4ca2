import { createHash } from 'node:crypto';
import type { WorkbookSource } from './adapters/local-workbook-source.js';
import type { OutputStore } from './adapters/local-output-dir.js';
import type { PdfRenderer } from './adapters/chromium-pdf-renderer.js';
import { computeIndicators } from './core/compute-indicators.js';
import type { MonitoringIndicators, Stage } from './core/indicators.js';
import { identifySchools, type Identification } from './core/identification.js';
import {
  monitoringResultsOrderView,
  networkPartnershipOrderView,
  planGraphOrderView,
  workingGroupOrderView,
} from './core/order-views.js';
import type { NetworkPartnershipRow, PlanGraphRow, WorkingGroupRow } from './core/tab-types.generated.js';
import { compareWithPrevious } from './core/stage-comparison.js';
import type { IsoDate } from './core/period.js';
import { usableRows, type WorkbookReading } from './core/read-workbook.js';
import {
  areaReportView,
  lowResultsOrderView,
  schoolReportView,
  runIndexView,
  stageReportView,
  type RegistryFacts,
} from './core/report-views.js';
import type { ValidationIssue } from './core/validation-issue.js';
import type { MonitoringRules } from './monitoring-rules.js';
import { documentHtml, type DocumentTemplate } from './render/document-html.js';
import { finalizePdf } from './render/finalize-pdf.js';
import { qrRequisite } from './render/qr-requisite.js';
import { readRegion } from './read-region.js';

/** One document a run produced. */
export interface ManifestEntry {
  kind: DocumentTemplate;
  scope: { level: 'school'; code: string } | { level: 'municipality'; code: string } | { level: 'region' };
  title: string;
  path: string;
  sha256: string;
  pages: number;
}

/** What a run needs to know. */
export interface RunRequest {
  asOf: IsoDate;
  stage: Stage;
  /** indicators.json of the previous monitoring stage, for «было / стало». */
  previous?: MonitoringIndicators;
}

/** The outside world of a run: where data comes from, how PDFs are printed, where results go. */
export interface RunPorts {
  source: WorkbookSource;
  renderer: PdfRenderer;
  output: OutputStore;
  rules: MonitoringRules;
  /** Called before each long step: step number, total steps, what is being done (Russian). */
  onProgress?: (step: number, total: number, label: string) => void;
}

/** Summary of a finished run. */
export interface RunSummary {
  documents: ManifestEntry[];
  issues: ValidationIssue[];
  indicators: MonitoringIndicators;
}

/** Reads, validates, computes, renders and stores one monitoring run. */
export async function runMonitoring(request: RunRequest, ports: RunPorts): Promise<RunSummary> {
  let step = 0;
  let totalSteps = 2;
  const progress = (label: string) => ports.onProgress?.(++step, totalSteps, label);
  const { registry, participants, issues } = await readRegion(ports.source, ports.rules, (school, _index, count) => {
    totalSteps = 2 * count + 2;
    progress(`Чтение таблицы школы ${school.code} «${school.name}»`);
  });
  // Each workbook that can take it gets its findings back where people type (Google Sheets).
  if (ports.source.writeFeedback) {
    const names = [registry.name, ...participants.flatMap((p) => (p.reading ? [p.reading.name] : []))];
    for (const name of names) {
      await ports.source.writeFeedback(
        name,
        issues.filter((i) => i.workbook === name),
      );
    }
  }
  const facts = registryFacts(registry);
  const computed = computeIndicators({
    registry,
    participants,
    issues,
    asOf: request.asOf,
    stage: request.stage,
    settings: ports.rules.settings,
    recommendations: ports.rules.recommendations,
  });
  const indicators = request.previous ? compareWithPrevious(computed, request.previous) : computed;
  if (!ports.rules.checkIndicators(indicators)) {
    const problems = (ports.rules.checkIndicators.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
    throw new Error(`indicators.json не соответствует своей схеме: ${problems.slice(0, 5).join('; ')}`);
  }
  const identification = identifySchools({
    asOf: request.asOf,
    schools: usableRows(registry, 'schools').map((r) => r.values),
    results: usableRows(registry, 'assessment-results').map((r) => r.values),
    context: usableRows(registry, 'context-data').map((r) => r.values),
    settings: ports.rules.settings,
  });

  // Findings and numbers are stored before any rendering, so a renderer failure keeps them.
  await ports.output.write('validation.json', json({ asOf: request.asOf, issues }));
  await ports.output.write('indicators.json', json(indicators));
  await ports.output.write('identification.json', json(identification));

  const tasks = documentTasks(indicators, facts, identification, {
    workingGroup: usableRows(registry, 'working-group').map((r) => r.values),
    partnerships: usableRows(registry, 'network-partnership').map((r) => r.values),
    planGraph: usableRows(registry, 'plan-graph').map((r) => r.values),
  });
  totalSteps = step + tasks.length;
  const date = new Date(`${request.asOf}T00:00:00Z`);
  // Documents print in parallel (the renderer bounds how many at once); the manifest keeps their order.
  const documents = await Promise.all(
    tasks.map(async (task): Promise<ManifestEntry> => {
      const view = task.qr ? { ...task.view, qr: await qrRequisite(task, request.asOf) } : task.view;
      const printed = await ports.renderer.render(documentHtml(task.kind, view));
      progress(task.label);
      const pdf = await finalizePdf(printed, { title: task.title, subject: 'Мониторинг проекта «500+»', date });
      await ports.output.write(task.path, pdf.bytes);
      return {
        kind: task.kind,
        scope: task.scope,
        title: task.title,
        path: task.path,
        sha256: sha256(pdf.bytes),
        pages: pdf.pages,
      };
    }),
  );

  const errors = issues.filter((i) => i.severity === 'error').length;
  await ports.output.write(
    'index.html',
    documentHtml('run-index', runIndexView(indicators, documents, { errors, warnings: issues.length - errors })),
  );
  // The manifest goes last: its presence means the run finished.
  await ports.output.write('manifest.json', json({ asOf: request.asOf, stage: request.stage, documents }));
  return { documents, issues, indicators };
}

/** One document to print: what, for whom, where it goes, and from which view. */
interface DocumentTask {
  kind: DocumentTemplate;
  scope: ManifestEntry['scope'];
  title: string;
  path: string;
  /** Progress line (Russian). */
  label: string;
  view: object;
  /** Orders carry the QR code of requisite 31 (ГОСТ Р 7.0.97-2025). */
  qr: boolean;
}

/** Every document of a run, in manifest order. */
function documentTasks(
  indicators: MonitoringIndicators,
  facts: RegistryFacts,
  identification: Identification,
  registryRows: { workingGroup: WorkingGroupRow[]; partnerships: NetworkPartnershipRow[]; planGraph: PlanGraphRow[] },
): DocumentTask[] {
  const tasks: DocumentTask[] = Object.values(indicators.schools).map((school) => ({
    kind: 'school-report',
    scope: { level: 'school', code: school.code },
    title: `Аналитическая справка: ${school.name}`,
    path: `reports/schools/${safeFileName(school.code)}.pdf`,
    label: `Справка школы ${school.code} «${school.name}»`,
    view: schoolReportView(indicators, facts, school),
    qr: false,
  }));
  for (const municipality of Object.values(indicators.municipalities)) {
    tasks.push({
      kind: 'region-report',
      scope: { level: 'municipality', code: municipality.code },
      title: `Аналитическая справка: ${municipality.name}`,
      path: `reports/municipalities/${safeFileName(municipality.code)}.pdf`,
      label: `Справка по муниципалитету «${municipality.name}»`,
      view: areaReportView(indicators, facts, municipality.code),
      qr: false,
    });
  }
  tasks.push({
    kind: 'region-report',
    scope: { level: 'region' },
    title: `Аналитическая справка по региону: ${indicators.region.name}`,
    path: 'reports/region.pdf',
    label: 'Справка по региону',
    view: areaReportView(indicators, facts, undefined),
    qr: false,
  });
  tasks.push({
    kind: 'stage-report',
    scope: { level: 'region' },
    title: `Отчёт о результатах мониторинга (${indicators.stage} этап): ${indicators.region.name}`,
    path: 'reports/stage.pdf',
    label: 'Отчёт этапа мониторинга',
    view: stageReportView(indicators, facts),
    qr: false,
  });
  const orders: [DocumentTemplate, string, { title: string }][] = [
    ['order-low-results-list', 'orders/low-results-list.pdf', lowResultsOrderView(indicators, facts, identification)],
    ['order-working-group', 'orders/working-group.pdf', workingGroupOrderView(facts, registryRows.workingGroup)],
    [
      'order-network-partnership',
      'orders/network-partnership.pdf',
      networkPartnershipOrderView(facts, registryRows.partnerships),
    ],
    ['order-plan-graph', 'orders/plan-graph.pdf', planGraphOrderView(facts, registryRows.planGraph, 'approve')],
    ['order-plan-graph', 'orders/plan-graph-amendment.pdf', planGraphOrderView(facts, registryRows.planGraph, 'amend')],
    ['order-monitoring-results', 'orders/monitoring-results.pdf', monitoringResultsOrderView(indicators, facts)],
  ];
  for (const [kind, path, view] of orders) {
    tasks.push({
      kind,
      scope: { level: 'region' },
      title: `Проект приказа «${view.title}»`,
      path,
      label: `Проект приказа «${view.title}»`,
      view,
      qr: true,
    });
  }
  return tasks;
}

function registryFacts(registry: WorkbookReading): RegistryFacts {
  return {
    region: registry.tabs.region?.rows[0]?.values ?? {},
    municipalities: usableRows(registry, 'municipalities').map((r) => r.values),
    schools: usableRows(registry, 'schools').map((r) => r.values),
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** School codes become file names: anything but letters, digits, dot, dash and underscore turns into "_". */
function safeFileName(code: string): string {
  return code.replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_') || '_';
}
