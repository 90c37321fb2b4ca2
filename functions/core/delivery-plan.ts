/**
 * Who receives what after a run (issue 18): each address named in the registry gets one message
 * with the documents of its scope — a school its own report and a summary of its findings, a
 * curator the reports of its schools, a municipal coordinator the municipality's report and its
 * schools' reports, the regional coordinator and the ministry the regional and stage reports and
 * the orders. Pure: the app layer reads the files, decides attachments or links, and sends.
 */
import type { IsoDate } from './calendar.js';
import { emailAddresses } from './coerce-cell.js';
import type { DocumentScope } from './documents/catalogue.js';
import { countOf, formatDate, nestQuotes } from './format-ru.js';
import type { Stage } from './indicators.js';
import { usableRows, type WorkbookReading } from './read-workbook.js';
import { sheetLink } from './sheet-link.js';
import type { ValidationIssue } from './validation-issue.js';

/** One file of the run's manifest that may go out: a document (.pdf) or its editable twin (.docx). */
export interface DeliveryFile {
  path: string;
  title: string;
  scope: DocumentScope;
  kind: string;
  sha256?: string;
}

/** What a recipient is, for the words of its message. */
export type RecipientRole =
  | { role: 'school'; code: string; name: string }
  | { role: 'curator'; schools: { code: string; name: string }[] }
  | { role: 'municipality'; code: string; name: string }
  | { role: 'region'; as: 'coordinator' | 'ministry' };

/** A school's own lines in a message: its findings and the link to its sheet. */
export interface SchoolNotice {
  code: string;
  name: string;
  errors: number;
  warnings: number;
  /** The first findings, errors first. */
  first: ValidationIssue[];
  /** https://docs.google.com/spreadsheets/d/<ID>/edit when «Таблица школы» is a Google spreadsheet. */
  sheetUrl?: string;
}

/** One message to one address: its roles merged, its files once each, in manifest order. */
export interface PlannedMessage {
  address: string;
  roles: RecipientRole[];
  files: DeliveryFile[];
  /** Findings of the schools this address answers for as the school itself. */
  schools: SchoolNotice[];
  /** Finding counts of the schools it receives the reports of as curator. */
  curated: SchoolNotice[];
}

/** How many findings a school's message quotes. */
export const FIRST_FINDINGS = 5;

const DOCX = /\.docx$/i;

/**
 * The files of a manifest: each document and, where the manifest lists one, its .docx twin — as an
 * entry of its own (a path ending in .docx) or as a field of the document's entry (a path string,
 * or an object with `path` and maybe `sha256`).
 */
export function manifestFiles(manifest: unknown): DeliveryFile[] {
  const documents = (manifest as { documents?: unknown } | undefined)?.documents;
  if (!Array.isArray(documents)) return [];
  const files: DeliveryFile[] = [];
  const seen = new Set<string>();
  const add = (file: DeliveryFile) => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    files.push(file);
  };
  for (const entry of documents as Record<string, unknown>[]) {
    if (typeof entry?.path !== 'string' || typeof entry.scope !== 'object' || entry.scope === null) continue;
    const base = {
      title: typeof entry.title === 'string' ? entry.title : entry.path,
      scope: entry.scope as DocumentScope,
      kind: typeof entry.kind === 'string' ? entry.kind : '',
    };
    add({ ...base, path: entry.path, ...(typeof entry.sha256 === 'string' ? { sha256: entry.sha256 } : {}) });
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'path') continue;
      if (typeof value === 'string' && DOCX.test(value) && !value.includes('..')) add({ ...base, path: value });
      else if (typeof value === 'object' && value !== null) {
        const twin = value as { path?: unknown; sha256?: unknown };
        if (typeof twin.path === 'string' && DOCX.test(twin.path) && !twin.path.includes('..')) {
          add({ ...base, path: twin.path, ...(typeof twin.sha256 === 'string' ? { sha256: twin.sha256 } : {}) });
        }
      }
    }
  }
  return files;
}

/** Everything planning needs, all read before: the registry, the run's files and findings. */
export interface DeliveryInput {
  registry: WorkbookReading;
  files: readonly DeliveryFile[];
  issues: readonly ValidationIssue[];
  /** The name each school's workbook was read under (what its findings' `workbook` says), by school code. */
  workbookNames: ReadonlyMap<string, string>;
}

/**
 * One message per address: the scopes of every role the address has in the registry, merged, so
 * an address that is a school's and its curator's gets one message with each document once.
 * Addresses compare without regard to case. Only participants of the project are written to; a
 * message goes only where there is a document or a finding to tell.
 */
export function planDelivery({ registry, files, issues, workbookNames }: DeliveryInput): PlannedMessage[] {
  const schools = usableRows(registry, 'schools').filter((r) => r.values.participant);
  const municipalities = usableRows(registry, 'municipalities');
  const region = registry.tabs.region?.rows[0]?.values;
  const schoolsTab = registry.tabs.schools?.title;

  const notice = (row: (typeof schools)[number]): SchoolNotice => {
    const name = workbookNames.get(row.values.code);
    const own = issues.filter(
      (i) =>
        (name !== undefined && i.workbook === name && name !== registry.name) ||
        (i.workbook === registry.name && i.tab === schoolsTab && i.row === row.row),
    );
    const errors = own.filter((i) => i.severity === 'error');
    const warnings = own.filter((i) => i.severity !== 'error');
    const sheetUrl = sheetLink(row.values.workbook);
    return {
      code: row.values.code,
      name: row.values.name,
      errors: errors.length,
      warnings: warnings.length,
      first: [...errors, ...warnings].slice(0, FIRST_FINDINGS),
      ...(sheetUrl ? { sheetUrl } : {}),
    };
  };

  const inScope = (test: (scope: DocumentScope) => boolean) => files.filter((f) => test(f.scope));
  const schoolFiles = (code: string) => inScope((s) => s.level === 'school' && s.code === code);

  const messages = new Map<
    string,
    { address: string; roles: RecipientRole[]; paths: Set<string>; schools: SchoolNotice[]; curated: SchoolNotice[] }
  >();
  const to = (cell: string | undefined) => emailAddresses(cell).map((a) => a.toLowerCase());
  const entry = (address: string) => {
    let message = messages.get(address);
    if (!message) {
      message = { address, roles: [], paths: new Set(), schools: [], curated: [] };
      messages.set(address, message);
    }
    return message;
  };
  const give = (address: string, found: readonly DeliveryFile[]) => {
    const message = entry(address);
    for (const f of found) message.paths.add(f.path);
    return message;
  };

  for (const row of schools) {
    const { code, name } = row.values;
    for (const address of to(row.values.schoolEmail)) {
      const message = give(address, schoolFiles(code));
      message.roles.push({ role: 'school', code, name });
      message.schools.push(notice(row));
    }
  }
  const byCurator = new Map<string, typeof schools>();
  for (const row of schools) {
    for (const address of to(row.values.curatorEmail)) byCurator.set(address, [...(byCurator.get(address) ?? []), row]);
  }
  for (const [address, rows] of byCurator) {
    const message = give(
      address,
      rows.flatMap((r) => schoolFiles(r.values.code)),
    );
    message.roles.push({ role: 'curator', schools: rows.map((r) => ({ code: r.values.code, name: r.values.name })) });
    message.curated.push(...rows.map(notice));
  }
  for (const row of municipalities) {
    const { code, name } = row.values;
    const own = schools.filter((s) => s.values.municipalityCode === code).map((s) => s.values.code);
    for (const address of to(row.values.coordinatorEmail)) {
      const message = give(address, [
        ...inScope((s) => s.level === 'municipality' && s.code === code),
        ...own.flatMap(schoolFiles),
      ]);
      message.roles.push({ role: 'municipality', code, name });
    }
  }
  const regional = inScope((s) => s.level === 'region');
  for (const [as, cell] of [
    ['coordinator', region?.regionalCoordinatorEmail],
    ['ministry', region?.ministryEmail],
  ] as const) {
    for (const address of to(cell)) give(address, regional).roles.push({ role: 'region', as });
  }

  return [...messages.values()]
    .map(({ address, roles, paths, schools: own, curated }) => ({
      address,
      roles,
      // Manifest order, each file once.
      files: files.filter((f) => paths.has(f.path)),
      schools: own,
      curated,
    }))
    .filter((m) => m.files.length > 0 || m.schools.some((s) => s.errors + s.warnings > 0));
}

/** How each file of a message reached it. */
export interface MessageFiles {
  attached: DeliveryFile[];
  /** Too large to attach: a short-lived link. */
  linked: { file: DeliveryFile; url: string }[];
  /** Too large to attach, and the store gives no links: where the file lies. */
  placed: { file: DeliveryFile; where: string }[];
  /** How long the links work, in hours. */
  linkHours: number;
}

const ERRORS = ['ошибка', 'ошибки', 'ошибок'] as const;
const WARNINGS = ['предупреждение', 'предупреждения', 'предупреждений'] as const;

function findingsCount(s: Pick<SchoolNotice, 'errors' | 'warnings'>): string {
  if (s.errors + s.warnings === 0) return 'замечаний нет';
  return [s.errors > 0 ? countOf(s.errors, ERRORS) : '', s.warnings > 0 ? countOf(s.warnings, WARNINGS) : '']
    .filter(Boolean)
    .join(' и ');
}

/** Text quoted from a sheet, on one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A name in «ёлочках», the quotes inside it turned into „лапки“. */
function quoted(name: string): string {
  return nestQuotes(`«${oneLine(name)}»`);
}

/** The subject and plain text of a reminder of the stage's deadline to a school not ready. */
export function composeReminder(reminder: { code: string; name: string; text: string; sheetUrl?: string }): {
  subject: string;
  text: string;
} {
  const lines = ['Здравствуйте!', '', `Школа ${reminder.code} ${quoted(reminder.name)}.`, oneLine(reminder.text)];
  if (reminder.sheetUrl)
    lines.push('', `Таблица школы: ${reminder.sheetUrl}`, 'Что исправить — на листе «Проверка» таблицы.');
  lines.push('', 'Письмо отправлено программой «Монитор 500+» автоматически; отвечать на него не нужно.');
  return { subject: 'Мониторинг «500+»: напоминание о сроке сдачи таблиц', text: `${lines.join('\n')}\n` };
}

/** The subject and plain text of a planned message, in Russian. */
export function composeMessage(
  message: PlannedMessage,
  run: { asOf: IsoDate; stage: Stage },
  delivery: MessageFiles,
): { subject: string; text: string } {
  const subject = `Мониторинг «500+»: ${run.stage} этап, данные на ${formatDate(run.asOf)}`;
  const lines: string[] = [
    'Здравствуйте!',
    '',
    // formatDate ends with «г.»: the sentence ends there.
    `Подготовлены результаты мониторинга проекта «500+»: ${run.stage} этап, данные на ${formatDate(run.asOf)}`,
  ];
  for (const role of message.roles) {
    lines.push('');
    if (role.role === 'school') {
      const school = message.schools.find((s) => s.code === role.code);
      lines.push(`Школа ${role.code} ${quoted(role.name)}: справка школы.`);
      if (school) {
        if (school.errors + school.warnings === 0) {
          lines.push('Замечаний к данным школы нет.');
        } else {
          lines.push(`Замечания к данным школы: ${findingsCount(school)}. Первые из них:`);
          for (const i of school.first) {
            const where = [`«${oneLine(i.workbook)}»`, `лист «${oneLine(i.tab)}»`, i.cell ? `ячейка ${i.cell}` : '']
              .filter(Boolean)
              .join(', ');
            lines.push(`  — ${i.severity === 'error' ? 'ошибка' : 'предупреждение'} (${where}): ${oneLine(i.message)}`);
          }
          const rest = school.errors + school.warnings - school.first.length;
          if (rest > 0)
            lines.push(
              `  …и ещё ${countOf(rest, ['замечание', 'замечания', 'замечаний'])} — ` +
                (school.sheetUrl ? 'все они на листе «Проверка» таблицы школы.' : 'они перечислены в справке школы.'),
            );
        }
        if (school.sheetUrl) lines.push(`Таблица школы: ${school.sheetUrl}`);
      }
    } else if (role.role === 'curator') {
      lines.push('Вы куратор школ — справки каждой из них:');
      for (const s of message.curated) lines.push(`  — ${s.code} ${quoted(s.name)}: ${findingsCount(s)}`);
    } else if (role.role === 'municipality') {
      lines.push(`Муниципалитет ${role.code} ${quoted(role.name)}: справка муниципалитета и справки его школ.`);
    } else {
      lines.push(
        role.as === 'coordinator'
          ? 'Региональному координатору: справка региона, отчёт этапа и проекты приказов.'
          : 'Органу управления образованием: справка региона, отчёт этапа и проекты приказов.',
      );
    }
  }
  if (delivery.attached.length > 0) {
    lines.push('', 'Во вложении:');
    for (const f of delivery.attached) lines.push(`  — ${oneLine(f.title)} (${fileName(f.path)})`);
  }
  if (delivery.linked.length > 0) {
    lines.push(
      '',
      `Слишком велики для письма — по ссылкам (ссылки действуют ${countOf(delivery.linkHours, ['час', 'часа', 'часов'])}):`,
    );
    for (const { file, url } of delivery.linked)
      lines.push(`  — ${oneLine(file.title)} (${fileName(file.path)}): ${url}`);
  }
  if (delivery.placed.length > 0) {
    lines.push('', 'Слишком велики для письма — лежат в результатах прогона:');
    for (const { file, where } of delivery.placed) lines.push(`  — ${oneLine(file.title)}: ${where}`);
  }
  lines.push('', 'Письмо отправлено программой «Монитор 500+» автоматически; отвечать на него не нужно.');
  return { subject, text: `${lines.join('\n')}\n` };
}

/** The name a file is attached under: the last part of its path. */
export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
