import type { IsoDate } from '../core/calendar.js';
import type { Stage } from '../core/indicators.js';
import {
  DEFAULT_REMINDER_DAYS,
  isReady,
  reminderDue,
  reminderText,
  schoolSubmission,
  statusBlock,
  submissionStage,
  submissionTable,
  SUBMISSION_TAB,
  type SchoolSubmission,
  type SubmissionStage,
} from '../core/submission.js';
import type { ValidationIssue } from '../core/validation-issue.js';
import { emailAddresses } from '../core/coerce-cell.js';
import { sheetLink } from '../core/sheet-link.js';
import type { MonitoringRules } from '../monitoring-rules.js';
import type { OutputStore } from './ports/output-store.js';
import type { RunStateStore } from './ports/run-state-store.js';
import type { WorkbookSource } from './ports/workbook-source.js';
import type { RegionReading } from './read-region.js';

/** What the submission status needs to know of a run. */
export interface SubmissionRequest {
  asOf: IsoDate;
  /** The run's stage (runMonitoring has it from the request or the registry's calendar). */
  stage: Stage;
  /** The stage's deadline and opening day, when the caller knows them better than the registry's calendar. */
  stageDeadline?: { deadline: IsoDate; opened: IsoDate };
  /** The region's time zone, for the times of last changes (default Europe/Moscow). */
  timeZone?: string;
}

/** Every participant's submission, and what goes above each school's findings. */
export interface Submission {
  asOf: IsoDate;
  stage: SubmissionStage;
  schools: SchoolSubmission[];
  /** Rows above the findings in each school's «Проверка», by the workbook's name as read. */
  heads: Map<string, string[][]>;
  /** Codes of the schools due a reminder today: a reminder day, and the school not ready. */
  due: string[];
  /** The reminder line of each school due one, by code. */
  reminderTexts: Map<string, string>;
  timeZone: string;
}

/** The stage of a submission, with its deadline and opening day: given, or by the registry's calendar. */
function stageOf(request: SubmissionRequest, reading: RegionReading): SubmissionStage {
  return request.stageDeadline
    ? { stage: request.stage, ...request.stageDeadline }
    : submissionStage(request.stage, reading.registry.stageCalendar, request.asOf);
}

/**
 * Each participant's submission status (core/submission.ts), computed from the region as read
 * and its findings, with the block above its findings: status, stage, reminder line when due,
 * one line per tab. Computed before the findings are written back, so each school's «Проверка»
 * is written once, with its block.
 */
export function submissionOf(reading: RegionReading, request: SubmissionRequest, rules: MonitoringRules): Submission {
  const stage = stageOf(request, reading);
  const schoolTabs = [...rules.specs.values()].filter((s) => s.workbook === 'school');
  const daysBefore = rules.settings.reminderDaysBefore ?? DEFAULT_REMINDER_DAYS;
  const remindToday = stage.deadline !== undefined && reminderDue(request.asOf, stage.deadline, daysBefore);
  const schools: SchoolSubmission[] = [];
  const heads = new Map<string, string[][]>();
  const due: string[] = [];
  const reminderTexts = new Map<string, string>();
  for (const { row, status, reading: workbook } of reading.participants) {
    const school = schoolSubmission(row.values, workbook, reading.issues, stage, schoolTabs, status);
    schools.push(school);
    const reminder =
      remindToday && stage.deadline && !isReady(school.status)
        ? reminderText(school, stage.stage, request.asOf, stage.deadline)
        : undefined;
    if (reminder) {
      due.push(school.code);
      reminderTexts.set(school.code, reminder);
    }
    if (workbook) heads.set(workbook.name, statusBlock(school, stage, reminder));
  }
  return {
    asOf: request.asOf,
    stage,
    schools,
    heads,
    due,
    reminderTexts,
    timeZone: request.timeZone ?? 'Europe/Moscow',
  };
}

/** The record of a reminder, in the run state: one per deadline, reminder day and school. */
export function reminderKey(deadline: IsoDate, asOf: IsoDate, code: string): string {
  return `reminders/${deadline}/${asOf}/${encodeURIComponent(code)}.json`;
}

/** What `writeSubmission` did. */
export interface SubmissionWritten {
  /** Schools reminded by this run: first reminded on this reminder day (a second run the same day reminds none again). */
  reminded: string[];
  /** What to e-mail each of them: the reminder line, the school's addresses and its sheet. */
  reminders: SchoolReminder[];
  /** Why the registry's «Сдача таблиц» was not written, as a finding in the registry. */
  refusals: ValidationIssue[];
}

/**
 * After the findings (and the status blocks) are written back: the registry's «Сдача таблиц» —
 * one row per participant, rewritten wholesale (`registryTab`: the whole run; one school's part of
 * a run leaves it alone) — the deliverable `submission.json`, and a record of each reminder in the
 * run state, created once per deadline, day and school, so that the caller e-mails each school
 * once however often the region is run that day.
 */
export async function writeSubmission(
  submission: Submission,
  reading: RegionReading,
  ports: { source: WorkbookSource; output?: OutputStore; state: RunStateStore },
  options: { registryTab: boolean },
): Promise<SubmissionWritten> {
  const refusals: ValidationIssue[] = [];
  if (options.registryTab && ports.source.writeTab) {
    const rows = submissionTable(submission.schools, submission.timeZone);
    const why = await ports.source.writeTab(reading.registry.name, SUBMISSION_TAB, rows);
    if (why) {
      refusals.push({
        workbook: reading.registry.name,
        tab: SUBMISSION_TAB,
        severity: 'warning',
        code: 'feedback_not_written',
        message: `Лист «${SUBMISSION_TAB}» не записан в таблицу-реестр: ${why}`,
      });
    }
  }
  if (ports.output) {
    const { stage, asOf, schools } = submission;
    await ports.output.write('submission.json', `${JSON.stringify({ asOf, stage, schools }, null, 2)}\n`);
  }
  const reminded: string[] = [];
  const { deadline } = submission.stage;
  if (deadline) {
    for (const code of submission.due) {
      const record = JSON.stringify({ code, deadline, asOf: submission.asOf, stage: submission.stage.stage });
      if (await ports.state.create(reminderKey(deadline, submission.asOf, code), `${record}\n`)) reminded.push(code);
    }
  }
  const reminders = reminded.flatMap((code): SchoolReminder[] => {
    const row = reading.participants.find((p) => p.row.values.code === code)?.row.values;
    const text = submission.reminderTexts.get(code);
    if (!row || !text) return [];
    const link = sheetLink(row.workbook);
    return [{ code, name: row.name, text, to: emailAddresses(row.schoolEmail), ...(link ? { sheetUrl: link } : {}) }];
  });
  return { reminded, reminders, refusals };
}

/** A reminder to e-mail: the school, its reminder line, its addresses («Эл. почта школы»), its sheet. */
export interface SchoolReminder {
  code: string;
  name: string;
  text: string;
  to: string[];
  sheetUrl?: string;
}
