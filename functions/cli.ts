#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createChromiumPdfRenderer } from './adapters/chromium/pdf-renderer.js';
import { createBlankSpreadsheet, recordSchoolSpreadsheet } from './adapters/google/blank-spreadsheet.js';
import { createGoogleClients } from './adapters/google/clients.js';
import { spreadsheetId } from './adapters/google/sheets-source.js';
import { localWorkbookSource } from './adapters/xlsx/files-source.js';
import { writeXlsx } from './adapters/xlsx/workbook-writer.js';
import { readXlsxWorkbook } from './adapters/xlsx/workbook-file.js';
import { parseConfig } from './config.js';
import { countOf } from './core/format-ru.js';
import { STAGES, stageNamed, type MonitoringIndicators, type Stage } from './core/indicators.js';
import { dayIn, isoFromIsoText, parseSchoolYear, schoolYearContaining } from './core/calendar.js';
import { systemClock, type Clock } from './app/ports/clock.js';
import { stateFor } from './app/ports/run-state-store.js';
import { blankWorkbook } from './core/blank-workbook.js';
import { blankSheets } from './core/workbook-sheets.js';
import { readSchoolWorkbook, workbookKind } from './core/read-workbook.js';
import type { ValidationIssue } from './core/validation-issue.js';
import { InfrastructureError, UsageError } from './errors.js';
import { monitoringRules, type MonitoringRules } from './monitoring-rules.js';
import { readRegion } from './app/read-region.js';
import { registrySource } from './registry-source.js';
import { keepingInputs } from './app/kept-inputs.js';
import { outputStore } from './output-location.js';
import { runMonitoring } from './app/run-region.js';
import { deliverRun, sendReminders } from './app/deliver.js';
import { within } from './app/ports/output-store.js';
import { STAGE_KEYS } from './core/stage-calendar.js';

const USAGE = `Использование:
  monitor500 run --source <реестр.xlsx | sheets:ID> --out <каталог | s3://корзина/префикс> [--as-of ГГГГ-ММ-ДД] [--stage входной|промежуточный|итоговый]
                 [--previous <indicators.json прошлого этапа>] [--send]
  monitor500 validate <таблица.xlsx> [--json] [--school-year 2026/2027]
  monitor500 template registry|school --out <файл.xlsx>
  monitor500 template registry|school --google [--share адрес,адрес] [--title название] [--registry sheets:ID --school код ОО]`;

/** Terminal streams and environment, injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  clock: Clock;
}

/** Today in the region's time zone (MONITOR500_TIME_ZONE), as in the HTTP and scheduled paths. */
function today(io: CliIo): string {
  return dayIn(io.clock.now(), parseConfig(io.env).timeZone);
}

/** Runs one command; returns the process exit code (0: done, 1: could not run or, for validate, errors found; 2: wrong usage). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'run') return await runCommand(rest, io);
    if (command === 'validate') return await validateCommand(rest, io);
    if (command === 'template') return await templateCommand(rest, io);
    throw new UsageError(command ? `Неизвестная команда «${command}».` : 'Не указана команда.');
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`Ошибка: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof InfrastructureError) {
      io.stderr(`Ошибка: ${error.message}\n`);
      return 1;
    }
    io.stderr(`Внутренняя ошибка программы: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseAsOf(text: string | undefined, io: CliIo): string {
  if (text === undefined) return today(io);
  const valid = isoFromIsoText(text);
  if (!valid) throw new UsageError(`--as-of ждёт дату ГГГГ-ММ-ДД, а задано «${text}».`);
  return valid;
}

function parseStage(text: string | undefined): Stage | undefined {
  if (text === undefined) return undefined;
  const stage = stageNamed(text);
  if (!stage) throw new UsageError(`--stage: «${text}» — нет такого этапа; допустимо: ${STAGES.join(', ')}.`);
  return stage;
}

async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    source: { type: 'string' },
    out: { type: 'string' },
    'as-of': { type: 'string' },
    stage: { type: 'string' },
    previous: { type: 'string' },
    send: { type: 'boolean' },
  });
  const source = values.source as string | undefined;
  const out = values.out as string | undefined;
  if (!source)
    throw new UsageError('Не указан --source: путь к таблице-реестру региона (.xlsx) или sheets:<ID Google-таблицы>.');
  if (!out) throw new UsageError('Не указан --out: каталог для результатов.');
  const asOf = parseAsOf(values['as-of'] as string | undefined, io);
  const stage = parseStage(values.stage as string | undefined);
  const config = parseConfig(io.env);
  const smtp = config.mail.smtp;
  if (values.send && !smtp) {
    throw new UsageError(
      '--send рассылает документы по почте: задайте почтовый сервер (MONITOR500_SMTP_URL или MONITOR500_SMTP_HOST) и MONITOR500_SMTP_FROM.',
    );
  }
  const rules = monitoringRules();
  const previous = await readPrevious(values.previous as string | undefined, rules);
  const output = outputStore(out, config);
  const state = stateFor(output);
  const renderer = createChromiumPdfRenderer({
    executablePath: config.chromiumPath,
    timeoutMs: config.renderTimeoutMs,
    concurrency: config.renderConcurrency,
  });
  try {
    const summary = await runMonitoring(
      { asOf, timeZone: config.timeZone, ...(stage ? { stage } : {}), ...(previous ? { previous } : {}) },
      {
        source: keepingInputs(registrySource(source, config, rules, state), state),
        renderer,
        output,
        state,
        rules,
        onProgress: (step, total, label) => io.stderr(`[${step}/${total}] ${forTerminal(label)}\n`),
        // Closed stages are kept in the output's own state: the next stage's run compares with them.
        stages: { state, location: '', now: () => io.clock.now() },
      },
    );
    const errors = summary.issues.filter((i) => i.severity === 'error').length;
    const warnings = summary.issues.length - errors;
    io.stdout(
      `Готово: ${countOf(summary.documents.length, ['документ', 'документа', 'документов'])} в «${out.startsWith('s3://') ? out : path.resolve(out)}»` +
        (summary.rendered < summary.documents.length
          ? ` (напечатано заново: ${summary.rendered}, остальные не изменились). `
          : '. ') +
        `В данных ${countOf(errors, ['ошибка', 'ошибки', 'ошибок'])} и ${countOf(warnings, ['предупреждение', 'предупреждения', 'предупреждений'])} — см. validation.json.\n`,
    );
    if (values.send && smtp) {
      const { smtpMailer } = await import('./adapters/smtp/mailer.js');
      const mailer = smtpMailer(smtp);
      // Schools reminded of the deadline by this run (once a day) get the reminder by e-mail too.
      const reminded = await sendReminders(mailer, summary.reminders);
      // One ledger per run date and stage: a rerun into the same place sends nobody a second message.
      const mail = await deliverRun(
        {
          output,
          state,
          ledger: within(state, `deliveries/${asOf}-${STAGE_KEYS[summary.stage]}/`),
          mailer,
          rules,
          now: () => io.clock.now(),
        },
        {
          attachBytes: config.mail.attachBytes,
          linkSeconds: config.mail.linkSeconds,
          place: out.startsWith('s3://') ? out : path.resolve(out),
          staleSeconds: config.timing.leaseSeconds,
        },
      );
      io.stdout(
        `Письма: ${countOf(mail.planned, ['адресат', 'адресата', 'адресатов'])}; отправлено ${mail.sent}` +
          (mail.alreadySent > 0 ? `, уже были отправлены раньше ${mail.alreadySent}` : '') +
          (mail.failed + mail.elsewhere > 0
            ? `, не отправлено ${mail.failed + mail.elsewhere} — повторите \`run … --send\` позже`
            : '') +
          (reminded > 0 ? ` Напоминаний о сроке: ${reminded}.` : '') +
          '\n',
      );
    }
    return 0;
  } finally {
    await renderer.close();
  }
}

/** indicators.json of an earlier stage, checked against the same schema the run writes it by. */
async function readPrevious(
  file: string | undefined,
  rules: MonitoringRules,
): Promise<MonitoringIndicators | undefined> {
  if (file === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InfrastructureError('previous', `Файл прошлого этапа «${file}» не прочитан как JSON.`, { cause: error });
  }
  if (!rules.checkIndicators(data)) {
    throw new InfrastructureError(
      'previous',
      `Файл «${file}» — не indicators.json монитора 500+ (не соответствует схеме).`,
    );
  }
  return data;
}

async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, 'school-year': { type: 'string' } });
  const [file, extra] = positionals;
  if (!file) throw new UsageError('Не указан файл таблицы (.xlsx).');
  if (extra) throw new UsageError(`Лишний аргумент «${extra}».`);
  const rules = monitoringRules();
  const maxMegabytes = rules.settings.limits.maxFileMegabytes;
  const raw = await readXlsxWorkbook(file, maxMegabytes);
  const kind = workbookKind(raw, rules.specs);
  let issues: ValidationIssue[];
  if (kind === 'registry') {
    // A registry is checked with the school workbooks it names: each must exist and be readable.
    const source = localWorkbookSource(file, maxMegabytes);
    issues = (await readRegion({ ...source, readRegistry: async () => raw }, rules)).issues;
  } else {
    const yearText = values['school-year'] as string | undefined;
    const schoolYear = yearText === undefined ? schoolYearContaining(today(io)) : parseSchoolYear(yearText);
    if (!schoolYear) throw new UsageError(`--school-year ждёт учебный год вида 2026/2027, а задано «${yearText}».`);
    issues = readSchoolWorkbook(raw, rules.specs, rules.settings, schoolYear).issues;
  }
  if (values.json) io.stdout(`${JSON.stringify({ workbook: raw.name, kind, issues }, null, 2)}\n`);
  else io.stdout(describeIssues(raw.name, issues));
  return issues.some((i) => i.severity === 'error') ? 1 : 0;
}

async function templateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    out: { type: 'string' },
    google: { type: 'boolean' },
    share: { type: 'string' },
    title: { type: 'string' },
    registry: { type: 'string' },
    school: { type: 'string' },
  });
  const [kind, extra] = positionals;
  if (kind !== 'registry' && kind !== 'school') {
    throw new UsageError('Укажите, какую таблицу создать: registry (реестр региона) или school (таблица школы).');
  }
  if (extra) throw new UsageError(`Лишний аргумент «${extra}».`);
  const tabs = blankWorkbook(monitoringRules().specs.values(), kind);
  if (!values.google) {
    const out = values.out as string | undefined;
    if (!out) throw new UsageError('Не указан --out: файл .xlsx, куда записать пустую таблицу (или --google).');
    await writeXlsx(blankSheets(monitoringRules().specs, kind), out);
    return 0;
  }
  const school = values.school as string | undefined;
  const registry = values.registry as string | undefined;
  const registryId = registry === undefined ? undefined : spreadsheetId(registry.replace(/^sheets:/, ''));
  if (registry !== undefined && (!registryId || !school)) {
    throw new UsageError('--registry ждёт ID Google-таблицы реестра и вместе с ним --school <код ОО>.');
  }
  const emails = String(values.share ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = emails.find((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
  if (bad) throw new UsageError(`--share: «${bad}» — не адрес электронной почты.`);
  const settings = parseConfig(io.env).google;
  const clients = createGoogleClients(settings);
  const title =
    (values.title as string | undefined) ??
    (kind === 'registry' ? 'Реестр проекта «500+»' : `Мониторинг «500+»: ${school ?? 'школа'}`);
  const id = await createBlankSpreadsheet(clients, title, tabs, emails, settings.folder);
  if (registryId && school) await recordSchoolSpreadsheet(clients, registryId, school, id);
  io.stdout(
    `Создана Google-таблица «${title}»: https://docs.google.com/spreadsheets/d/${id}/edit${registryId ? `; записана в реестр для школы ${school}` : ''}.\n`,
  );
  return 0;
}

/**
 * Text quoted from a sheet, made safe for a terminal: control characters (which a terminal obeys)
 * and bidi controls (which reorder the line) are shown as \u escapes instead.
 */
function forTerminal(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Findings as a person reads them: grouped by workbook and tab, each with its cell and column. */
function describeIssues(workbook: string, issues: ValidationIssue[]): string {
  if (issues.length === 0) return `«${workbook}»: ошибок не найдено.\n`;
  const errors = issues.filter((i) => i.severity === 'error').length;
  const lines = [
    `«${workbook}»: ${countOf(errors, ['ошибка', 'ошибки', 'ошибок'])}, ` +
      `${countOf(issues.length - errors, ['предупреждение', 'предупреждения', 'предупреждений'])}.`,
  ];
  const groups = new Map<string, ValidationIssue[]>();
  for (const issue of issues) {
    const key = `${issue.workbook}\u0000${issue.tab}`;
    groups.set(key, [...(groups.get(key) ?? []), issue]);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    lines.push('', forTerminal(`${first.workbook === workbook ? '' : `«${first.workbook}», `}лист «${first.tab}»:`));
    for (const i of group) {
      const where = i.cell ? `${i.cell}${i.column ? ` («${i.column}»)` : ''}` : 'весь лист';
      lines.push(forTerminal(`  ${i.severity === 'error' ? 'ошибка' : 'предупреждение'}, ${where}: ${i.message}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

// Run when started as a program (also through the npm bin symlink), not when imported by tests.
const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const code = await main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    clock: systemClock,
  });
  process.exitCode = code;
}
