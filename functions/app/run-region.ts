import { documentCatalogue } from '../core/documents/catalogue.js';
import { runIndexView } from '../core/documents/reports.js';
import type { MonitoringIndicators } from '../core/indicators.js';
import type { ValidationIssue } from '../core/validation-issue.js';
import { json, printDocuments, type ManifestEntry } from './print-documents.js';
import { readRegion } from './read-region.js';
import { computeRegion, type RunPorts, type RunRequest } from './run.js';
import { submissionOf, writeSubmission } from './submission-status.js';
import { writeFeedback } from './write-feedback.js';

/** Summary of a finished run. */
export interface RunSummary {
  documents: ManifestEntry[];
  issues: ValidationIssue[];
  indicators: MonitoringIndicators;
  /** Documents printed by this run; the others were stored already from the same content. */
  rendered: number;
  /** Codes of the schools reminded of the stage's deadline by this run (once per reminder day), to log or e-mail. */
  reminded: string[];
}

/** The whole run: read and validate → write the findings back → compute → plan the documents → print → store. */
export async function runMonitoring(request: RunRequest, ports: RunPorts): Promise<RunSummary> {
  let step = 0;
  let totalSteps = 2;
  const progress = (label: string) => ports.onProgress?.(++step, totalSteps, label);

  const reading = await readRegion(ports.source, ports.rules, {
    onSchool: (school, _index, count) => {
      totalSteps = 2 * count + 2;
      progress(`Чтение таблицы школы ${school.code} «${school.name}»`);
    },
    ...(request.notArrived?.length ? { notArrived: new Set(request.notArrived) } : {}),
  });
  const { issues } = reading;
  // Each school's submission status goes above its findings, written back with them; then the registry's «Сдача таблиц».
  const submission = submissionOf(reading, request, ports.rules);
  issues.push(...(await writeFeedback(ports.source, reading, 'all', submission.heads)));
  const { reminded, refusals } = await writeSubmission(submission, reading, ports, { registryTab: true });
  issues.push(...refusals);

  const model = computeRegion(request, ports, reading);
  const { indicators, identification } = model;
  // Findings and numbers are stored before any printing, so a renderer failure keeps them.
  await ports.output.write('validation.json', json({ asOf: request.asOf, issues }));
  await ports.output.write('indicators.json', json(indicators));
  await ports.output.write('identification.json', json(identification));

  const planned = documentCatalogue(model);
  totalSteps = step + planned.length;
  const { documents, rendered } = await printDocuments(planned, request.asOf, ports, (d) => progress(d.label));

  const errors = issues.filter((i) => i.severity === 'error').length;
  // The templates (handlebars) load here, not with the module: a process that never finishes a run goes without them.
  const { documentHtml } = await import('../render/document-html.js');
  await ports.output.write(
    'index.html',
    documentHtml(
      'run-index',
      runIndexView(indicators, documents, { errors, warnings: issues.length - errors }, submission.schools),
    ),
  );
  // The manifest goes last: its presence means the run finished.
  await ports.output.write('manifest.json', json({ asOf: request.asOf, stage: request.stage, documents }));
  return { documents, issues, indicators, rendered, reminded };
}
