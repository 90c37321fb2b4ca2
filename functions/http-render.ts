import type { Request, Response } from '@google-cloud/functions-framework';
import { keepingInputs } from './app/kept-inputs.js';
import { isSchoolReportPath } from './core/documents/catalogue.js';
import type { Config } from './config.js';
import { stageNamed } from './core/indicators.js';
import { STAGE_KEYS } from './core/stage-calendar.js';
import { InfrastructureError } from './errors.js';
import { errorFields } from './log.js';
import { printDocument } from './app/print-document.js';
import { dayIn, isoFromIsoText } from './core/calendar.js';
import { systemClock, type Clock } from './app/ports/clock.js';
import { within } from './app/ports/output-store.js';
import { stateFor } from './app/ports/run-state-store.js';
import type { RegionPorts } from './region-ports.js';
import type { Subject } from './http-auth.js';

/** What printing one document needs. */
export type RenderPorts = RegionPorts;

/** A document's path as in manifest.json: reports/… or orders/…, a PDF. */
const DOCUMENT_PATH = /^(reports|orders)\/(?:[\p{L}\p{N}._-]+\/)?[\p{L}\p{N}._-]+\.pdf$/u;

/** A municipality's report: reports/municipalities/<код МО>.pdf. */
const MUNICIPAL_REPORT = /^reports\/municipalities\/([^/]+)\.pdf$/u;

/**
 * Whom a document is about, as far as its path tells: a municipality's report its «Код МО» (the
 * file name; "mo:" entries of the allow-list are codes that are their own file names), anything
 * else but a school's report the region. A school's report: undefined, known once the registry is read.
 */
function subjectByPath(document: string): Subject | undefined {
  if (isSchoolReportPath(document)) return undefined;
  const municipality = MUNICIPAL_REPORT.exec(document)?.[1];
  return municipality !== undefined ? { level: 'municipality', code: municipality } : { level: 'region' };
}

/**
 * HTTP `render`: one document printed now from the current sheets, e.g.
 * `{"document": "reports/schools/56-001.pdf"}` (optional `asOf` ГГГГ-ММ-ДД and `stage`). Answers a
 * short-lived presigned link to it (`url`, `expiresInSeconds`), or the PDF itself where the store
 * cannot sign links (a local directory). Who may print what is http-auth.ts's `mayReach`: a school's
 * account its own school's report; "mo:<код МО>" its municipality's report and its schools' reports;
 * the region's documents (region and stage reports, orders) need "*" in the allow-list.
 */
export function renderHandler(config: () => Config, ports: () => RenderPorts, clock: Clock = systemClock) {
  return async (req: Request, res: Response): Promise<void> => {
    const settings = config();
    // Token checks (google-auth-library) load with the first call, not with the module.
    const { acceptCall, mayReach, schoolSubject } = await import('./http-auth.js');
    const call = await acceptCall(req, res, settings);
    if (!call) return;
    const { caller, body } = call;
    const document = typeof body.document === 'string' ? body.document : '';
    if (!DOCUMENT_PATH.test(document) || document.split('/').includes('..')) {
      res.status(400).json({
        error:
          'В теле запроса нужен document: путь документа, как в manifest.json, например reports/schools/56-001.pdf или orders/working-group.pdf.',
      });
      return;
    }
    const asOf = typeof body.asOf === 'string' ? isoFromIsoText(body.asOf) : dayIn(clock.now(), settings.timeZone);
    const stage = typeof body.stage === 'string' ? stageNamed(body.stage) : settings.stage;
    if (!asOf || !stage) {
      res.status(400).json({ error: 'asOf записывается как ГГГГ-ММ-ДД, stage — входной, промежуточный или итоговый.' });
      return;
    }
    // Refused before anything is read: a municipality's or the region's document the caller cannot
    // reach by its path (printing one reads the whole region). The printed document's own scope is
    // checked again before printing; a school's report, once the registry names the school.
    const subject = subjectByPath(document);
    if (subject && !mayReach(caller, subject, settings)) {
      res.status(403).json({ error: 'Этот документ вам недоступен.' });
      return;
    }
    const current = ports();
    const place = `on-demand/${asOf}/${STAGE_KEYS[stage]}/`;
    const output = within(current.store, place);
    const state = stateFor(current.store, place);
    try {
      const printed = await printDocument(
        { asOf, stage },
        {
          source: keepingInputs(current.source(stateFor(current.store)), state),
          renderer: current.renderer(),
          output,
          state,
          rules: current.rules,
        },
        document,
        (about) => mayReach(caller, about.level === 'school' ? schoolSubject(about.school) : about, settings),
      );
      if (printed === 'not_found') {
        res.status(404).json({ error: 'Такого документа нет: проверьте путь и код школы.' });
        return;
      }
      if (printed === 'forbidden') {
        res.status(403).json({ error: 'Этот документ вам недоступен.' });
        return;
      }
      current.log('INFO', 'Документ напечатан по запросу.', { document: printed.path, asOf });
      if (!output.presignedUrl) {
        const pdf = await output.read(printed.path);
        res
          .status(200)
          .type('application/pdf')
          .send(Buffer.from(pdf ?? new Uint8Array()));
        return;
      }
      const url = await output.presignedUrl(printed.path, settings.http.linkSeconds);
      res.status(200).json({
        document: printed.path,
        title: printed.title,
        pages: printed.pages,
        sha256: printed.sha256,
        url,
        expiresInSeconds: settings.http.linkSeconds,
      });
    } catch (error) {
      current.log('ERROR', 'render: сбой.', { document, ...errorFields(error) });
      if (error instanceof InfrastructureError) {
        res.status(502).json({ error: error.message });
        return;
      }
      res.status(500).json({ error: 'Внутренняя ошибка.' });
    }
  };
}
