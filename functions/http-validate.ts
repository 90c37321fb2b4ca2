import type { Request, Response } from '@google-cloud/functions-framework';
import type { Config } from './config.js';
import { stateFor } from './app/ports/run-state-store.js';
import { dayIn, formatSchoolYear, parseSchoolYear, schoolYearContaining, type IsoDate } from './core/calendar.js';
import type { WorkbookReading } from './core/read-workbook.js';
import { systemClock, type Clock } from './app/ports/clock.js';
import { InfrastructureError, UsageError } from './errors.js';
import { errorFields, jsonLog, type Log } from './log.js';

/**
 * What answering a call needs beyond the handler itself: token checks (google-auth-library), the
 * Google clients (@googleapis/*), the rules (ajv), reading and validation. Loaded on the first
 * call, not with the module, so an instance starts as fast as the functions framework itself.
 */
async function loadHandlerCode() {
  const [auth, clients, sheets, cache, rules, workbook, feedback, region, location] = await Promise.all([
    import('./http-auth.js'),
    import('./adapters/google/clients.js'),
    import('./adapters/google/sheets-source.js'),
    import('./adapters/google/unchanged-workbook-cache.js'),
    import('./monitoring-rules.js'),
    import('./core/read-workbook.js'),
    import('./core/sheet-feedback.js'),
    import('./app/read-region.js'),
    import('./output-location.js'),
  ]);
  return {
    ...auth,
    ...clients,
    ...sheets,
    ...cache,
    ...rules,
    ...workbook,
    ...feedback,
    ...region,
    ...location,
  };
}
let loaded: ReturnType<typeof loadHandlerCode> | undefined;
const handlerCode = () => (loaded ??= loadHandlerCode());

/**
 * HTTP `validate`: a school (or its municipality's coordinator) asks to check a Google spreadsheet
 * now. Answers the findings as JSON (the records of validation.json) and writes them into the sheet,
 * as a run does. Who may check what is http-auth.ts's `mayReach`; the registry is read for it only
 * when the caller has an "mo:" entry and no entry that reaches the spreadsheet directly.
 */
export function validateHandler(config: () => Config, log: Log = jsonLog(), clock: Clock = systemClock) {
  return async (req: Request, res: Response): Promise<void> => {
    const settings = config();
    const {
      acceptCall,
      mayReach,
      needsRegistry,
      workbookSubject,
      readRegistryWorkbook,
      usableRows,
      spreadsheetId,
      sheetsRegistryId,
      monitoringRules,
      createGoogleClients,
      skipUnchangedWorkbooks,
      googleSheetsSource,
      outputStore,
      workbookKind,
      readRegion,
      readSchoolWorkbook,
      FEEDBACK_TAB,
    } = await handlerCode();
    const call = await acceptCall(req, res, settings);
    if (!call) return;
    const { caller, body } = call;
    const id = typeof body.spreadsheet === 'string' ? spreadsheetId(body.spreadsheet) : undefined;
    if (!id) {
      res.status(400).json({ error: 'В теле запроса нужен spreadsheet: ID или ссылка Google-таблицы.' });
      return;
    }
    const rules = monitoringRules();
    // The region's registry, read at most once per call and only when needed: to find whose workbook
    // the spreadsheet is (a municipality's coordinator) and the school's submission status.
    let registry: Promise<WorkbookReading> | undefined;
    const readRegistry = () =>
      (registry ??= (async () => {
        // The registry's source (and the .xlsx reader it may need) loads only then.
        const { registrySource } = await import('./registry-source.js');
        if (!settings.registry) throw new UsageError('Не задана переменная окружения MONITOR500_REGISTRY.');
        const cache = stateFor(outputStore(settings.store, settings));
        const raw = await registrySource(settings.registry, settings, rules, cache).readRegistry();
        return readRegistryWorkbook(raw, rules.specs, rules.settings);
      })());
    let allowed = mayReach(caller, { level: 'workbook', id, municipalities: [] }, settings);
    if (!allowed && needsRegistry(caller, id, settings)) {
      // A municipality's coordinator: whose workbook the spreadsheet is, the registry says. A
      // spreadsheet it does not name is refused like another municipality's (403, not 404).
      try {
        const schools = usableRows(await readRegistry(), 'schools').map((row) => row.values);
        const reference = settings.registry ?? '';
        const registryId = sheetsRegistryId(reference);
        allowed = mayReach(caller, workbookSubject(id, schools, registryId), settings);
      } catch (error) {
        answerFailure(res, log, id, error);
        return;
      }
    }
    if (!allowed) {
      res.status(403).json({ error: 'Эта таблица вам недоступна.' });
      return;
    }
    const today = dayIn(clock.now(), settings.timeZone);
    const schoolYear =
      typeof body.schoolYear === 'string' ? parseSchoolYear(body.schoolYear) : schoolYearContaining(today);
    if (!schoolYear) {
      res.status(400).json({ error: 'schoolYear записывается так: 2026/2027.' });
      return;
    }
    try {
      const clients = createGoogleClients(settings.google);
      const source = skipUnchangedWorkbooks(
        googleSheetsSource(id, clients),
        id,
        clients,
        // The Drive cache is the product's own state, never beside the deliverables.
        stateFor(outputStore(settings.store, settings)),
        // A school asks to check what it has just typed: Drive's modification time may not show it yet.
        { alwaysRead: true },
      );
      const raw = await source.readRegistry();
      const kind = workbookKind(raw, rules.specs);
      const school = kind === 'school' ? readSchoolWorkbook(raw, rules.specs, rules.settings, schoolYear) : undefined;
      const issues = school
        ? school.issues
        : (await readRegion({ ...source, readRegistry: async () => raw }, rules)).issues;
      const own = issues.filter((i) => i.workbook === raw.name);
      // A school's «Проверка» keeps its submission status above the findings, as a run writes it.
      const head =
        school && settings.registry
          ? await readRegistry()
              .then((registry) => statusHead(registry, id, school, today, settings))
              .catch((error: unknown) => {
                // The school's findings matter more than its status line: they are written without it.
                log('WARNING', 'validate: реестр не прочитан, статус сдачи не записан.', {
                  spreadsheet: id,
                  ...errorFields(error),
                });
                return undefined;
              })
          : undefined;
      const refused = await source.writeFeedback?.(raw.name, own, head);
      if (refused) {
        issues.push({
          workbook: raw.name,
          tab: FEEDBACK_TAB,
          severity: 'warning',
          code: 'feedback_not_written',
          message: `Замечания не записаны в таблицу: ${refused}`,
        });
      }
      log('INFO', 'Таблица проверена по запросу.', { spreadsheet: id, kind, issues: issues.length });
      // The school year a school's deadlines were read in (a registry has its own «Учебный год»).
      const year = kind === 'school' ? { schoolYear: formatSchoolYear(schoolYear) } : {};
      res.status(200).json({ workbook: raw.name, kind, ...year, issues });
    } catch (error) {
      answerFailure(res, log, id, error);
    }
  };
}

/**
 * The submission status block of a school's «Проверка» (app/submission-status.ts), from the
 * registry's row of the school whose workbook this spreadsheet is; undefined when the registry
 * names no participant with it.
 */
async function statusHead(
  registry: WorkbookReading,
  id: string,
  reading: WorkbookReading,
  today: IsoDate,
  settings: Config,
): Promise<string[][] | undefined> {
  const [{ submissionOf }, { spreadsheetId }, { usableRows }, { stageOnDay }, { monitoringRules }] = await Promise.all([
    import('./app/submission-status.js'),
    import('./adapters/google/sheets-source.js'),
    import('./core/read-workbook.js'),
    import('./core/stage-calendar.js'),
    import('./monitoring-rules.js'),
  ]);
  const row = usableRows(registry, 'schools').find(
    (r) => r.values.participant && r.values.workbook && spreadsheetId(r.values.workbook) === id,
  );
  if (!row) return undefined;
  const stage = registry.stageCalendar ? stageOnDay(registry.stageCalendar, today) : settings.stage;
  const submission = submissionOf(
    { registry, participants: [{ row, status: 'read', reading }], issues: reading.issues },
    { asOf: today, stage, timeZone: settings.timeZone },
    monitoringRules(),
  );
  return submission.heads.get(reading.name);
}

/** A failed check: Google's quota → 503 with Retry-After, Google or the store refusing → 502, anything else → 500. */
function answerFailure(res: Response, log: Log, id: string, error: unknown): void {
  log('ERROR', 'validate: сбой.', { spreadsheet: id, ...errorFields(error) });
  if (error instanceof InfrastructureError && error.reason === 'busy') {
    res.status(503).set('Retry-After', '60').json({ error: error.message });
    return;
  }
  if (error instanceof InfrastructureError) {
    res.status(502).json({ error: error.message });
    return;
  }
  res.status(500).json({ error: 'Внутренняя ошибка.' });
}
