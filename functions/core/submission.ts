/**
 * «Who has submitted»: for each participant school and each tab of its workbook, whether the tab is
 * filled and how many errors remain, the school's status on the ladder
 * не начато → заполняется → есть ошибки → готово → подтверждено куратором, and the reminders sent
 * before a stage's deadline. Pure: the app layer (`app/submission-status.ts`) writes it where
 * people read it.
 */
import { daysBetween, daysLater, schoolYearContaining, schoolYearStart, type IsoDate } from './calendar.js';
import { countOf, formatDate, plural, stageGenitive } from './format-ru.js';
import type { Stage } from './indicators.js';
import type { LastChange } from './raw-workbook.js';
import type { SchoolWorkbookStatus, WorkbookReading } from './read-workbook.js';
import type { StageCalendar } from './stage-calendar.js';
import type { TabSpec } from './tab-specs.js';
import type { SchoolsRow } from './tab-types.generated.js';
import type { ValidationIssue } from './validation-issue.js';

/** The ladder of a school's submission, lowest first. */
export const SUBMISSION_STATUSES = [
  'не начато',
  'заполняется',
  'есть ошибки',
  'готово',
  'подтверждено куратором',
] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** Reminder days before a deadline when the settings name none. */
export const DEFAULT_REMINDER_DAYS: readonly number[] = [7, 3, 1];

/**
 * The stage a submission is for: its deadline (none when the registry states no calendar) and the
 * day it opened — the day after the previous stage's deadline, or the school year's first day.
 */
export interface SubmissionStage {
  stage: Stage;
  deadline?: IsoDate;
  opened: IsoDate;
}

/** One tab of a school's workbook. */
export interface TabSubmission {
  title: string;
  /** Must hold data rows for the school to be ready (see `requiredTabs`). */
  required: boolean;
  /** Holds at least one data row. */
  filled: boolean;
  /** Errors found on the tab. */
  errors: number;
}

/** One participant school's submission. */
export interface SchoolSubmission {
  code: string;
  name: string;
  municipalityCode?: string;
  /** How its workbook fared when read. */
  workbook: SchoolWorkbookStatus;
  status: SubmissionStatus;
  /** Errors in the school's workbook (all its tabs, and the workbook as a whole). */
  errors: number;
  tabs: TabSubmission[];
  /** Titles of the required tabs without data. */
  empty: string[];
  lastChange?: LastChange;
  curatorConfirmed?: IsoDate;
}

/**
 * The school's tabs that must hold data rows: every tab of the data contract's school workbook
 * (schemas/tabs with "x-workbook": "school") — Анкетирование, Рисковый профиль, Документы,
 * Дорожная карта, Повышение квалификации, Мероприятия — since every one feeds the school's
 * indicators at every stage. One exception follows the risk profile, as the contract's own check
 * does (`riskChoiceIssues`: roadmap rows work only on chosen factors): when «Рисковый профиль» is
 * filled and chooses no factor, «Дорожная карта» has nothing to plan and is not required. (An
 * empty risk profile leaves the roadmap required: the school has not started on either.)
 */
export function requiredTabs(schoolTabs: readonly TabSpec[], reading: WorkbookReading | undefined): Set<string> {
  const required = new Set(schoolTabs.map((s) => s.id as string));
  const profile = reading?.tabs['risk-profile'];
  if (profile && profile.rows.length > 0 && !profile.rows.some((r) => r.values.chosen === true)) {
    required.delete('roadmap');
  }
  return required;
}

/** True when `day` lies in the stage: on or after it opened, and not after its deadline (if any). */
function withinStage(day: IsoDate, stage: SubmissionStage): boolean {
  return day >= stage.opened && (stage.deadline === undefined || day <= stage.deadline);
}

/**
 * One school's submission, from its registry row, its workbook as read (undefined: not read —
 * `workbook` says why), the findings of the run and the stage. The status:
 * - «не начато»: no tab has a data row (or the workbook was not read);
 * - «заполняется»: some required tab is still empty;
 * - «есть ошибки»: every required tab is filled, errors remain in the workbook;
 * - «готово»: every required tab is filled, no errors;
 * - «подтверждено куратором»: готово, and «Подтверждено куратором» is a day within the stage
 *   (from the day it opened to its deadline; with no deadline, on or after the day it opened) —
 *   a confirmation of an earlier stage does not carry over.
 * Warnings never hold a school back.
 */
export function schoolSubmission(
  school: SchoolsRow,
  reading: WorkbookReading | undefined,
  issues: readonly ValidationIssue[],
  stage: SubmissionStage,
  schoolTabs: readonly TabSpec[],
  workbook: SchoolWorkbookStatus = reading ? 'read' : 'not_named',
): SchoolSubmission {
  const errors = reading ? issues.filter((i) => i.severity === 'error' && i.workbook === reading.name) : [];
  const required = requiredTabs(schoolTabs, reading);
  const tabs: TabSubmission[] = schoolTabs.map((spec) => ({
    title: spec.title,
    required: required.has(spec.id),
    filled: (reading?.tabs[spec.id]?.rows.length ?? 0) > 0,
    errors: errors.filter((i) => i.tab === spec.title).length,
  }));
  const empty = tabs.filter((t) => t.required && !t.filled).map((t) => t.title);
  let status: SubmissionStatus;
  if (!tabs.some((t) => t.filled)) status = 'не начато';
  else if (empty.length > 0) status = 'заполняется';
  else if (errors.length > 0) status = 'есть ошибки';
  else if (school.curatorConfirmed && withinStage(school.curatorConfirmed, stage)) status = 'подтверждено куратором';
  else status = 'готово';
  return {
    code: school.code,
    name: school.name,
    ...(school.municipalityCode ? { municipalityCode: school.municipalityCode } : {}),
    workbook,
    status,
    errors: errors.length,
    tabs,
    empty,
    ...(reading?.lastChange ? { lastChange: reading.lastChange } : {}),
    ...(school.curatorConfirmed ? { curatorConfirmed: school.curatorConfirmed } : {}),
  };
}

/** True for «готово» and «подтверждено куратором»: nothing left for the school to do. */
export function isReady(status: SubmissionStatus): boolean {
  return SUBMISSION_STATUSES.indexOf(status) >= SUBMISSION_STATUSES.indexOf('готово');
}

/**
 * The stage a run is of, with its deadline and opening day: from the registry's calendar when it
 * has the stage (opened the day after the previous stage's deadline, or on the school year's first
 * day), else without a deadline, open since the school year began.
 */
export function submissionStage(stage: Stage, calendar: StageCalendar | undefined, asOf: IsoDate): SubmissionStage {
  const start = schoolYearStart(calendar?.schoolYear ?? schoolYearContaining(asOf));
  const own = calendar?.stages.find((s) => s.stage === stage);
  if (!own) return { stage, opened: start };
  const previous = calendar?.stages.filter((s) => s.deadline < own.deadline).at(-1);
  return { stage, deadline: own.deadline, opened: previous ? daysLater(previous.deadline, 1) : start };
}

/** Days from `asOf` to `deadline` (0 on the deadline, negative after it). */
export function daysUntil(asOf: IsoDate, deadline: IsoDate): number {
  return daysBetween(asOf, deadline);
}

/** Whether `asOf` is a reminder day: `deadline − d` for some d of `daysBefore` (20 января, [7, 3, 1] → 13, 17 and 19 января). */
export function reminderDue(asOf: IsoDate, deadline: IsoDate, daysBefore: readonly number[]): boolean {
  const left = daysUntil(asOf, deadline);
  return left > 0 && daysBefore.includes(left);
}

/** «лист «Анкетирование»», «листы «Анкетирование», «Документы»» (a list, not a count: one or many). */
function tabList(titles: readonly string[]): string {
  return `${titles.length === 1 ? 'лист' : 'листы'} ${titles.map((t) => `«${t}»`).join(', ')}`;
}

/** What is left to do, after «Сейчас:»: «есть ошибки (12), не заполнены листы «…», «…»». */
export function submissionState(school: Pick<SchoolSubmission, 'status' | 'errors' | 'empty' | 'tabs'>): string {
  if (school.status === 'не начато') return 'не начато — ни один лист не заполнен';
  const parts: string[] = [];
  if (school.errors > 0) parts.push(`есть ошибки (${school.errors})`);
  if (school.empty.length > 0) {
    parts.push(`${school.empty.length === 1 ? 'не заполнен' : 'не заполнены'} ${tabList(school.empty)}`);
  }
  return parts.length > 0 ? parts.join(', ') : school.status;
}

/**
 * The reminder of a school not ready: «Напоминание: до 20 января 2027 г. осталось 3 дня — сдайте
 * таблицы промежуточного этапа. Сейчас: есть ошибки (12), не заполнены листы «…», «…».»
 */
export function reminderText(
  school: Pick<SchoolSubmission, 'status' | 'errors' | 'empty' | 'tabs'>,
  stage: Stage,
  asOf: IsoDate,
  deadline: IsoDate,
): string {
  const left = daysUntil(asOf, deadline);
  return `Напоминание: до ${formatDate(deadline)} ${plural(left, ['остался', 'осталось', 'осталось'])} ${countOf(left, ['день', 'дня', 'дней'])} — сдайте таблицы ${stageGenitive(stage)} этапа. Сейчас: ${submissionState(school)}.`;
}

/** «Монитор 500+» text of a status for people: the status, with errors counted when there are any. */
export function statusText(school: Pick<SchoolSubmission, 'status' | 'errors'>): string {
  return school.status === 'есть ошибки'
    ? `есть ошибки (${countOf(school.errors, ['ошибка', 'ошибки', 'ошибок'])})`
    : school.status;
}

/** What the school's workbook status means when it was not read, for the «Не заполнены» column. */
const NOT_READ: Record<Exclude<SchoolWorkbookStatus, 'read'>, string> = {
  not_named: 'таблица школы не указана в реестре',
  missing: 'таблица школы не найдена',
  unreadable: 'таблица школы не прочитана',
  not_arrived: 'таблица школы не обработана к сроку',
};

/**
 * The block above the findings in a school's «Проверка»: the status, the stage and its deadline,
 * the reminder line when one is due, then one line per tab (filled or not, errors). Plain text;
 * the writer makes every value inert.
 */
export function statusBlock(school: SchoolSubmission, stage: SubmissionStage, reminder?: string): string[][] {
  const rows: string[][] = [
    ['Статус сдачи', statusText(school)],
    [
      'Этап',
      stage.deadline
        ? `${stage.stage}, срок сдачи — ${formatDate(stage.deadline)}`
        : `${stage.stage}, срок сдачи не установлен`,
    ],
  ];
  if (reminder) rows.push([reminder]);
  rows.push(['Лист', 'Заполнен', 'Ошибок']);
  for (const tab of school.tabs) {
    rows.push([tab.title, tab.filled ? 'да' : tab.required ? 'нет' : 'нет (не требуется)', String(tab.errors)]);
  }
  return rows;
}

/** Columns of the registry's «Сдача таблиц». */
export const SUBMISSION_TAB = 'Сдача таблиц';
const SUBMISSION_HEADER = [
  'Код ОО',
  'Школа',
  'МО',
  'Статус',
  'Ошибок',
  'Не заполнены',
  'Последнее изменение',
  'Кем',
  'Подтверждено куратором',
];

/** «2026-11-20T09:05:00Z» → «20.11.2026 12:05» in the region's time zone. */
function formatInstant(at: string, timeZone: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('ru-RU', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}.${parts.month}.${parts.year} ${parts.hour}:${parts.minute}`;
}

/** «20.11.2026». */
function shortDate(day: IsoDate): string {
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
}

/** The registry's «Сдача таблиц»: a header and one row per participant school, as plain text. */
export function submissionTable(schools: readonly SchoolSubmission[], timeZone: string): string[][] {
  return [
    SUBMISSION_HEADER,
    ...schools.map((s) => [
      s.code,
      s.name,
      s.municipalityCode ?? '',
      s.status,
      String(s.errors),
      s.workbook === 'read' ? s.empty.join(', ') : NOT_READ[s.workbook],
      s.lastChange ? formatInstant(s.lastChange.at, timeZone) : '',
      s.lastChange?.by ?? '',
      s.curatorConfirmed ? shortDate(s.curatorConfirmed) : '',
    ]),
  ];
}

/** Counts of schools by status, in the ladder's order, for the run index. */
export function statusCounts(schools: readonly SchoolSubmission[]): { status: SubmissionStatus; schools: number }[] {
  return SUBMISSION_STATUSES.map((status) => ({ status, schools: schools.filter((s) => s.status === status).length }));
}
