import { documentCatalogue } from '../core/documents/catalogue.js';
import { runIndexView } from '../core/documents/dashboard.js';
import type { MonitoringIndicators, Stage } from '../core/indicators.js';
import { stageListing, stageOnDay } from '../core/stage-calendar.js';
import { formatSchoolYear } from '../core/calendar.js';
import type { ValidationIssue } from '../core/validation-issue.js';
import { json } from './ports/output-store.js';
import { printDocuments, type ManifestEntry } from './print-documents.js';
import { readRegion } from './read-region.js';
import { computeRegion, type RunPorts, type RunRequest } from './run.js';
import type { RunStateStore } from './ports/run-state-store.js';
import { closedStages, closeStage, previousClosed } from './stage-archive.js';
import { submissionOf, writeSubmission, type SchoolReminder } from './submission-status.js';
import { writeFeedback } from './write-feedback.js';

/** Summary of a finished run. */
export interface RunSummary {
  /** The stage the run was of (given, or the calendar's). */
  stage: Stage;
  documents: ManifestEntry[];
  issues: ValidationIssue[];
  indicators: MonitoringIndicators;
  /** Documents printed by this run; the others were stored already from the same content. */
  rendered: number;
  /** Codes of the schools reminded of the stage's deadline by this run (once per reminder day), to log or e-mail. */
  reminded: string[];
  /** What to e-mail each school it reminded (app/deliver.ts sendReminders). */
  reminders: SchoolReminder[];
}

/**
 * A whole run's request: the stage may be left to the registry's calendar (the stage open on
 * `asOf`), and `closes` makes the run the one that closes its stage.
 */
export type RegionRunRequest = Omit<RunRequest, 'stage'> & {
  /** The stage; without it, the one the registry's calendar has open on `asOf` (after the last deadline, the last; no calendar: промежуточный). */
  stage?: Stage;
  /**
   * Whether this run closes its stage (the scheduled run decides: the first run after the deadline).
   * Unset (the CLI): a run dated on or after its stage's deadline closes it.
   */
  closes?: boolean;
};

/** Where the region's closed stages are kept (the store's own `.state/`), and where this run's deliverables are in that store. */
export interface StageArchivePlace {
  state: RunStateStore;
  location: string;
  /** The clock of the entry point: when the stage closed. */
  now: () => Date;
}

/**
 * The whole run: read and validate → write the findings back → compute → plan the documents →
 * print → store; then, when the run closes its stage, the stage is recorded as closed. With
 * `stages`, a run without `previous` compares with the latest stage closed before it («было / стало»).
 */
export async function runMonitoring(
  regionRequest: RegionRunRequest,
  ports: RunPorts & { stages?: StageArchivePlace },
): Promise<RunSummary> {
  let step = 0;
  let totalSteps = 2;
  const progress = (label: string) => ports.onProgress?.(++step, totalSteps, label);

  const reading = await readRegion(ports.source, ports.rules, {
    onSchool: (school, _index, count) => {
      totalSteps = 2 * count + 2;
      progress(`Чтение таблицы школы ${school.code} «${school.name}»`);
    },
    ...(regionRequest.notArrived?.length ? { notArrived: new Set(regionRequest.notArrived) } : {}),
  });
  const { issues } = reading;
  const { schoolYear, stageCalendar: calendar } = reading.registry;
  const stage =
    regionRequest.stage ?? (calendar ? stageOnDay(calendar, regionRequest.asOf) : undefined) ?? 'промежуточный';
  const request: RunRequest = { ...regionRequest, stage };
  // Each school's submission status goes above its findings, written back with them; then the registry's «Сдача таблиц».
  const submission = submissionOf(reading, request, ports.rules);
  issues.push(...(await writeFeedback(ports.source, reading, 'all', submission.heads)));
  const { reminded, reminders, refusals } = await writeSubmission(submission, reading, ports, { registryTab: true });
  issues.push(...refusals);

  const archive = ports.stages;
  const closed = archive ? await closedStages(archive.state) : [];
  if (!request.previous && archive) {
    const previous = previousClosed(closed, { ...request, schoolYear });
    if (previous) request.previous = previous.indicators;
  }
  // The stage this run closes, if it does: with its school year and deadline, as its record keeps them.
  const deadline = calendar?.stages.find((s) => s.stage === stage)?.deadline;
  const closing =
    archive && schoolYear && deadline && (regionRequest.closes ?? deadline <= request.asOf)
      ? {
          schoolYear,
          record: { schoolYear: formatSchoolYear(schoolYear), stage, deadline, location: archive.location },
        }
      : undefined;

  const model = computeRegion(request, ports, reading);
  const { indicators, identification } = model;
  // Findings and numbers are stored before any printing, so a renderer failure keeps them.
  await ports.output.write('validation.json', json({ asOf: request.asOf, issues }));
  await ports.output.write('indicators.json', json(indicators));
  await ports.output.write('identification.json', json(identification));

  const planned = documentCatalogue(model);
  totalSteps = step + planned.length;
  const { documents, rendered } = await printDocuments(planned, request.asOf, ports, (d) => progress(d.label));

  // The templates (handlebars) load here, not with the module: a process that never finishes a run goes without them.
  const { documentHtml } = await import('../render/document-html.js');
  await ports.output.write(
    'index.html',
    documentHtml(
      'run-index',
      runIndexView(
        indicators,
        documents,
        issues,
        submission.schools,
        // The stages the store keeps, this one among the closed when this run closes it.
        stageListing(calendar, closing ? [...closed, closing.record] : closed, request.asOf, archive?.location ?? ''),
        // Their indicators: the trend of the region across the stages.
        closed,
      ),
    ),
  );
  // The manifest goes last: its presence means the run finished.
  await ports.output.write('manifest.json', json({ asOf: request.asOf, stage: request.stage, documents }));
  if (archive && closing) {
    const { stage: closedStage, deadline: closedDeadline, location } = closing.record;
    await closeStage(archive.state, closing.schoolYear, {
      stage: closedStage,
      deadline: closedDeadline,
      asOf: request.asOf,
      location,
      closedAt: archive.now().toISOString(),
      indicators,
    });
  }
  return { stage, documents, issues, indicators, rendered, reminded, reminders };
}
