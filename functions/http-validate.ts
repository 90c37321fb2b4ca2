import type { Request, Response } from '@google-cloud/functions-framework';
import type { Config } from './config.js';
import { stateFor } from './app/ports/run-state-store.js';
import { dayIn, formatSchoolYear, parseSchoolYear, schoolYearContaining } from './core/calendar.js';
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
    let allowed = mayReach(caller, { level: 'workbook', id, municipalities: [] }, settings);
    if (!allowed && needsRegistry(caller, id, settings)) {
      // A municipality's coordinator: whose workbook the spreadsheet is, the registry says. A
      // spreadsheet it does not name is refused like another municipality's (403, not 404).
      try {
        // The registry's source (and the .xlsx reader it may need) loads only for such a caller.
        const { registrySource } = await import('./registry-source.js');
        const rules = monitoringRules();
        const reference = settings.registry;
        if (!reference) throw new UsageError('Не задана переменная окружения MONITOR500_REGISTRY.');
        const registry = readRegistryWorkbook(
          await registrySource(
            reference,
            settings,
            rules,
            stateFor(outputStore(settings.store, settings)),
          ).readRegistry(),
          rules.specs,
          rules.settings,
        );
        const schools = usableRows(registry, 'schools').map((row) => row.values);
        const registryId = reference.startsWith('sheets:')
          ? spreadsheetId(reference.slice('sheets:'.length))
          : undefined;
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
    const schoolYear =
      typeof body.schoolYear === 'string'
        ? parseSchoolYear(body.schoolYear)
        : schoolYearContaining(dayIn(clock.now(), settings.timeZone));
    if (!schoolYear) {
      res.status(400).json({ error: 'schoolYear записывается так: 2026/2027.' });
      return;
    }
    try {
      const rules = monitoringRules();
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
      const issues =
        kind === 'registry'
          ? (await readRegion({ ...source, readRegistry: async () => raw }, rules)).issues
          : readSchoolWorkbook(raw, rules.specs, rules.settings, schoolYear).issues;
      const own = issues.filter((i) => i.workbook === raw.name);
      const refused = await source.writeFeedback?.(raw.name, own);
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
