import { documentCatalogue } from '../core/documents/catalogue.js';
import type { ValidationIssue } from '../core/validation-issue.js';
import { printDocuments, type ManifestEntry } from './print-documents.js';
import { readRegion } from './read-region.js';
import { computeRegion, type RunPorts, type RunRequest } from './run.js';
import { submissionOf, writeSubmission, type SchoolReminder } from './submission-status.js';
import { writeFeedback } from './write-feedback.js';

/** What one school's part of a fanned-out run produced. */
export interface SchoolRunSummary {
  /** The school's report; undefined when the registry does not list the school as a participant. */
  document: ManifestEntry | undefined;
  /** Findings in the registry and in the school's workbook. */
  issues: ValidationIssue[];
  rendered: number;
  /** The school, when this run reminded it of the stage's deadline (once per reminder day). */
  reminded: string[];
  /** What to e-mail the school it reminded. */
  reminders: SchoolReminder[];
}

/**
 * One school's part of a run: reads the registry and that school's workbook, writes the findings
 * back into the workbook, prints the school's report. The report is the one the whole run would
 * print (a school's indicators depend only on its own data), so the run's last step finds it
 * printed and does not print it again.
 */
export async function runSchool(
  request: RunRequest,
  ports: Omit<RunPorts, 'onProgress'>,
  schoolCode: string,
): Promise<SchoolRunSummary> {
  const reading = await readRegion(ports.source, ports.rules, { only: (school) => school.code === schoolCode });
  // The school's submission status goes above its findings; the registry's «Сдача таблиц» is the whole run's.
  const submission = submissionOf(reading, request, ports.rules);
  reading.issues.push(...(await writeFeedback(ports.source, reading, 'schools', submission.heads)));
  const { reminded, reminders } = await writeSubmission(
    submission,
    reading,
    { source: ports.source, state: ports.state },
    {
      registryTab: false,
    },
  );
  const own = documentCatalogue(computeRegion(request, ports, reading)).filter(
    (d) => d.scope.level === 'school' && d.scope.code === schoolCode,
  );
  const { documents, rendered } = await printDocuments(own, request.asOf, ports);
  return { document: documents[0], issues: reading.issues, rendered, reminded, reminders };
}
