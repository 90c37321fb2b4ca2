import { createHash } from 'node:crypto';
import type { WorkbookSource } from './ports/workbook-source.js';
import type { OutputStore } from './ports/output-store.js';
import type { PdfRenderer } from './ports/pdf-renderer.js';
import { computeIndicators } from './core/compute-indicators.js';
import type { MonitoringIndicators, Stage } from './core/indicators.js';
import { identifySchools, type Identification } from './core/identification.js';
import {
  monitoringResultsOrderView,
  networkPartnershipOrderView,
  planGraphOrderView,
  workingGroupOrderView,
} from './core/order-views.js';
import type { NetworkPartnershipRow, PlanGraphRow, SchoolsRow, WorkingGroupRow } from './core/tab-types.generated.js';
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
import { FEEDBACK_TAB } from './core/sheet-feedback.js';
import type { MonitoringRules } from './monitoring-rules.js';
import { documentHtml, type DocumentTemplate } from './render/document-html.js';
import { finalizePdf } from './render/finalize-pdf.js';
import { qrRequisite } from './render/qr-requisite.js';
import { readRegion, type RegionReading } from './read-region.js';

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
  /** Documents printed by this run; the others were stored already from the same content. */
  rendered: number;
}

/** Reads, validates, computes, renders and stores one monitoring run. */
export async function runMonitoring(request: RunRequest, ports: RunPorts): Promise<RunSummary> {
  let step = 0;
  let totalSteps = 2;
  const progress = (label: string) => ports.onProgress?.(++step, totalSteps, label);
  const reading = await readRegion(ports.source, ports.rules, {
    onSchool: (school, _index, count) => {
      totalSteps = 2 * count + 2;
      progress(`Чтение таблицы школы ${school.code} «${school.name}»`);
    },
  });
  const { issues } = reading;
  issues.push(...(await writeFeedback(ports.source, reading, 'all')));
  const { indicators, identification, tasks } = prepareRun(request, ports.rules, reading);

  // Findings and numbers are stored before any rendering, so a renderer failure keeps them.
  await ports.output.write('validation.json', json({ asOf: request.asOf, issues }));
  await ports.output.write('indicators.json', json(indicators));
  await ports.output.write('identification.json', json(identification));

  totalSteps = step + tasks.length;
  const { documents, rendered } = await printDocuments(tasks, request.asOf, ports, (task) => progress(task.label));

  const errors = issues.filter((i) => i.severity === 'error').length;
  await ports.output.write(
    'index.html',
    documentHtml('run-index', runIndexView(indicators, documents, { errors, warnings: issues.length - errors })),
  );
  // The manifest goes last: its presence means the run finished.
  await ports.output.write('manifest.json', json({ asOf: request.asOf, stage: request.stage, documents }));
  return { documents, issues, indicators, rendered };
}

/** What one school's part of a fanned-out run produced. */
export interface SchoolRunSummary {
  /** The school's report; undefined when the registry does not list the school as a participant. */
  document: ManifestEntry | undefined;
  /** Findings in the registry and in the school's workbook. */
  issues: ValidationIssue[];
  rendered: number;
}

/**
 * One school's part of a run: reads the registry and that school's workbook, writes the findings
 * back into the workbook, prints the school's report. The report is the one the whole run would
 * print (a school's indicators depend only on its own data), so the run's last step finds it
 * stored and does not print it again.
 */
export async function runSchool(
  request: RunRequest,
  ports: Omit<RunPorts, 'onProgress'>,
  schoolCode: string,
): Promise<SchoolRunSummary> {
  const reading = await readRegion(ports.source, ports.rules, { only: (school) => school.code === schoolCode });
  reading.issues.push(...(await writeFeedback(ports.source, reading, 'schools')));
  const { tasks } = prepareRun(request, ports.rules, reading);
  const own = tasks.filter((t) => t.scope.level === 'school' && t.scope.code === schoolCode);
  const { documents, rendered } = await printDocuments(own, request.asOf, ports);
  return { document: documents[0], issues: reading.issues, rendered };
}

/**
 * One document printed now (HTTP `render`), from the workbooks it needs: a school's report reads
 * only that school's workbook. `mayPrint` sees the school a report is about (undefined for the
 * documents of a municipality or the region) before anything is printed.
 */
export async function printDocument(
  request: RunRequest,
  ports: Omit<RunPorts, 'onProgress'>,
  path: string,
  mayPrint: (school: SchoolsRow | undefined) => boolean,
): Promise<ManifestEntry | 'not_found' | 'forbidden'> {
  const reading = await readRegion(
    ports.source,
    ports.rules,
    path.startsWith(SCHOOL_REPORTS) ? { only: (school) => schoolReportPath(school.code) === path } : {},
  );
  const task = prepareRun(request, ports.rules, reading).tasks.find((t) => t.path === path);
  if (!task) return 'not_found';
  if (!mayPrint(task.scope.level === 'school' ? reading.participants[0]?.row.values : undefined)) return 'forbidden';
  const { documents } = await printDocuments([task], request.asOf, ports);
  return documents[0] ?? 'not_found';
}

/**
 * Each workbook that can take it gets its findings back where people type (Google Sheets): the
 * schools' first, then the registry's, which then also lists the schools whose workbook refused
 * them. A refusal is a finding (the answer), never a failed run.
 */
async function writeFeedback(
  source: WorkbookSource,
  { registry, participants, issues }: RegionReading,
  which: 'all' | 'schools',
): Promise<ValidationIssue[]> {
  if (!source.writeFeedback) return [];
  const refusals: ValidationIssue[] = [];
  for (const { row, reading } of participants) {
    if (!reading) continue;
    const why = await source.writeFeedback(
      reading.name,
      issues.filter((i) => i.workbook === reading.name),
    );
    if (!why) continue;
    refusals.push({
      workbook: registry.name,
      tab: 'Школы',
      cell: row.cells.workbook,
      row: row.row,
      column: 'Таблица школы',
      value: row.values.workbook ?? null,
      severity: 'warning',
      code: 'feedback_not_written',
      message: `Замечания не записаны в таблицу школы ${row.values.code}: ${why} Данные школы прочитаны и учтены.`,
    });
  }
  if (which === 'all') {
    const own = [...issues, ...refusals].filter((i) => i.workbook === registry.name);
    const why = await source.writeFeedback(registry.name, own);
    if (why) {
      refusals.push({
        workbook: registry.name,
        tab: FEEDBACK_TAB,
        severity: 'warning',
        code: 'feedback_not_written',
        message: `Замечания не записаны в таблицу-реестр: ${why} Данные реестра прочитаны и учтены.`,
      });
    }
  }
  return refusals;
}

/** Indicators, identification and the documents to print, from what was read. */
function prepareRun(request: RunRequest, rules: MonitoringRules, { registry, participants, issues }: RegionReading) {
  const computed = computeIndicators({
    registry,
    participants,
    issues,
    asOf: request.asOf,
    stage: request.stage,
    settings: rules.settings,
    recommendations: rules.recommendations,
  });
  const indicators = request.previous ? compareWithPrevious(computed, request.previous) : computed;
  if (!rules.checkIndicators(indicators)) {
    const problems = (rules.checkIndicators.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
    throw new Error(`indicators.json не соответствует своей схеме: ${problems.slice(0, 5).join('; ')}`);
  }
  const identification = identifySchools({
    asOf: request.asOf,
    schools: usableRows(registry, 'schools').map((r) => r.values),
    results: usableRows(registry, 'assessment-results').map((r) => r.values),
    context: usableRows(registry, 'context-data').map((r) => r.values),
    settings: rules.settings,
  });
  const tasks = documentTasks(indicators, registryFacts(registry), identification, {
    workingGroup: usableRows(registry, 'working-group').map((r) => r.values),
    partnerships: usableRows(registry, 'network-partnership').map((r) => r.values),
    planGraph: usableRows(registry, 'plan-graph').map((r) => r.values),
  });
  return { indicators, identification, tasks };
}

/** Documents being prepared, printed or stored at once. */
const DOCUMENTS_IN_FLIGHT = 8;

/** What a stored document was printed from; printing the same source again gives the same bytes. */
interface PrintRecord {
  source: string;
  sha256: string;
  pages: number;
}

/**
 * Prints the documents, a few in parallel, and lists them in manifest order. A
 * document whose source (HTML and PDF metadata) is the one it was last printed from at the same
 * place is not printed again: a rerun, a duplicate message or a resumed run redoes only what changed
 * or is missing. The PDF is stored before its print record, so a record always has its PDF.
 */
async function printDocuments(
  tasks: DocumentTask[],
  asOf: IsoDate,
  ports: Pick<RunPorts, 'renderer' | 'output'>,
  onPrinted?: (task: DocumentTask) => void,
): Promise<{ documents: ManifestEntry[]; rendered: number }> {
  const date = new Date(`${asOf}T00:00:00Z`);
  const metadata = { subject: 'Мониторинг проекта «500+»', date };
  let rendered = 0;
  const printOne = async (task: DocumentTask): Promise<ManifestEntry> => {
    const view = task.qr ? { ...task.view, qr: await qrRequisite(task, asOf) } : task.view;
    const html = documentHtml(task.kind, view);
    const source = sha256(JSON.stringify({ html, title: task.title, ...metadata }));
    const recordPath = `printed/${task.path}.json`;
    const stored = await ports.output.read(recordPath);
    let record = stored ? (JSON.parse(Buffer.from(stored).toString('utf8')) as PrintRecord) : undefined;
    if (record?.source !== source) {
      const pdf = await finalizePdf(await ports.renderer.render(html), { title: task.title, ...metadata });
      await ports.output.write(task.path, pdf.bytes);
      record = { source, sha256: sha256(pdf.bytes), pages: pdf.pages };
      await ports.output.write(recordPath, json(record));
      rendered += 1;
    }
    onPrinted?.(task);
    const { kind, scope, title, path } = task;
    return { kind, scope, title, path, sha256: record.sha256, pages: record.pages };
  };
  // A few documents at a time (the renderer bounds the pages printing at once): the HTML and PDFs of a
  // whole region are never in memory together. After a failure no new document starts, and the run
  // fails once the documents in print are stored: nothing keeps working after it.
  const documents: ManifestEntry[] = new Array<ManifestEntry>(tasks.length);
  let next = 0;
  let failure: { reason: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < tasks.length) {
      const index = next++;
      try {
        documents[index] = await printOne(tasks[index]!);
      } catch (reason) {
        failure ??= { reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DOCUMENTS_IN_FLIGHT, tasks.length) }, worker));
  if (failure) throw failure.reason;
  return { documents, rendered };
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
    path: schoolReportPath(school.code),
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

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SCHOOL_REPORTS = 'reports/schools/';

/** Where a school's report is stored. */
function schoolReportPath(code: string): string {
  return `${SCHOOL_REPORTS}${safeFileName(code)}.pdf`;
}

/** School codes become file names: anything but letters, digits, dot, dash and underscore turns into "_". */
function safeFileName(code: string): string {
  return code.replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_') || '_';
}
