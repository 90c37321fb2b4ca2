import type { RegionModel } from '../core/documents/catalogue.js';
import type { MonitoringIndicators, Stage } from '../core/indicators.js';
import type { IsoDate } from '../core/calendar.js';
import { regionModel } from '../core/region-model.js';
import type { MonitoringRules } from '../monitoring-rules.js';
import type { OutputStore } from './ports/output-store.js';
import type { PdfRenderer } from './ports/pdf-renderer.js';
import type { RunStateStore } from './ports/run-state-store.js';
import type { WorkbookSource } from './ports/workbook-source.js';
import type { RegionReading } from './read-region.js';

/** What a run needs to know. */
export interface RunRequest {
  asOf: IsoDate;
  stage: Stage;
  /** indicators.json of the previous monitoring stage, for «было / стало». */
  previous?: MonitoringIndicators;
  /**
   * Codes of the participant schools whose part of the run did not complete by the stage's deadline
   * (in the cloud: their worker's message never completed). Their workbooks are not read; each is a
   * finding on its «Таблица школы» cell, and the documents name them.
   */
  notArrived?: string[];
  /**
   * The stage's submission deadline and the day the stage opened (the day after the previous
   * stage's deadline, or the school year's first day), for the schools' submission status and
   * reminders; without it, the registry's calendar gives them (`app/submission-status.ts`).
   */
  stageDeadline?: { deadline: IsoDate; opened: IsoDate };
  /** The region's time zone (MONITOR500_TIME_ZONE): the times of the schools' last changes are shown in it. */
  timeZone?: string;
}

/** The outside world of a run: where data comes from, how PDFs are printed, where results and the run's own state go. */
export interface RunPorts {
  source: WorkbookSource;
  renderer: PdfRenderer;
  /** The deliverables: documents, indicators, findings, the index page, the manifest. */
  output: OutputStore;
  /** The run's own state: print records (and, through the source, kept inputs). */
  state: RunStateStore;
  rules: MonitoringRules;
  /** Called before each long step: step number, total steps, what is being done (Russian). */
  onProgress?: (step: number, total: number, label: string) => void;
}

/** The compute stage of every use case: the model the documents are planned from, its indicators checked against their schema. */
export function computeRegion(
  request: RunRequest,
  { rules, source }: Pick<RunPorts, 'rules' | 'source'>,
  reading: RegionReading,
): RegionModel {
  const model = regionModel({
    ...reading,
    // Where the source takes findings back (Google Sheets), each school reads them in its own table.
    feedbackInSheets: source.writeFeedback !== undefined,
    asOf: request.asOf,
    stage: request.stage,
    settings: rules.settings,
    recommendations: rules.recommendations,
    previous: request.previous,
  });
  if (!rules.checkIndicators(model.indicators)) {
    const problems = (rules.checkIndicators.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
    throw new Error(`indicators.json не соответствует своей схеме: ${problems.slice(0, 5).join('; ')}`);
  }
  return model;
}
