/**
 * Benchmarks at regional and national scale (issue 8): every stage of the pipeline measured on its
 * own, on synthetic data that follow the data contract, with the targets checked.
 *
 *   npm run bench [-- --json] [--stages a,b,…] [sizes…]
 *
 * Stages (all by default, in this order; each in a process of its own):
 *   data            read + parse (.xlsx, readXlsxWorkbook, against SheetJS on the same files, values checked
 *                   cell by cell) → coerce + validate → indicators, on a generated region
 *   live            live feedback (issue 19): a simulated busy hour of edit bursts over the participants' spreadsheets
 *                   on the local Sheets/Drive fake, answered by onDriveChanges on each Drive notification and each
 *                   minute's tick: edit-to-feedback latency, requests per burst, the quota's queueing (computed)
 *   identification  identifySchools over a national-scale list (40 000 schools × 30 result rows)
 *   render          our renderer against bare Chromium on the same HTML, same run; then store (PDFs to a directory)
 *   full-run        runMonitoring on the region, twice to one directory, then bare Chromium on the HTML it printed:
 *                   run ÷ bare, peak memory, documents the 2nd run renders and its time ÷ the first's
 *   cold-start      `await import()` of dist/functions/http-validate.js in fresh processes, alternating with
 *                   processes importing only the functions framework (builds dist/ if stale)
 *
 * Sizes: --participants P (500) --registry-schools S (3 × P) --results-per-school R (30) --error-rate E (0.005)
 *        --identification-schools N (40 000) --identification-results R (30)
 *        --render-documents D (200; --schools is the old name) --rounds K (3) --concurrency C --bare-pages B
 *        --live-bursts B (60) --live-minutes M (12): the live stage's edit bursts and the simulated span (a
 *        busy hour's rate, 300 bursts an hour; a full hour takes about a quarter of an hour of real time
 *        here); --live-no-push: a region without push notifications, the every-minute tick alone
 *        --passes K (5: timed passes of the data stages) --cold-samples K (7) --breakdown (render)
 *        --region-dir DIR (write the generated region there and keep it; default: a temporary directory)
 * --json prints one JSON object on stdout (progress goes to stderr either way).
 * Exit code 0 when every stage ran, whether or not its target was met; 1 when a stage crashed.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { coldStart } from './cold-start.js';
import type { IdentificationResult, IndicatorsResult, ReadParseResult, ValidateResult } from './data-stages.js';
import type { FullRunResult } from './full-run.js';
import { googleRequests } from './google-requests.js';
import { DEFAULT_LIVE, liveFeedback } from './live-feedback.js';
import { DEFAULT_REGION, generateRegion, writeRegion, type RegionSize } from './region-generator.js';
import type { RenderResult, StoreResult } from './render-stage.js';
import { grouped, printReport, STAGES, targets, type Report, type Stage } from './report.js';
import type { WorkerAnswer, WorkerTask } from './worker.js';

function positiveInteger(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, got «${text}»`);
  return value;
}

function share(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new Error(`${what} must be between 0 and 1, got «${text}»`);
  return value;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs one stage in a forked process (same loader as this one: tsx) and returns its result. */
function inWorker<T>(task: WorkerTask): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(here, 'worker.ts'), [JSON.stringify(task)], {
      execArgv: [...process.execArgv, '--expose-gc'],
      // The child's stdout goes to our stderr: with --json, stdout holds the report only.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let answer: WorkerAnswer | undefined;
    child.on('message', (message) => {
      answer = message as WorkerAnswer;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer?.ok) resolve(answer.result as T);
      else reject(new Error(answer && !answer.ok ? answer.error : `worker exited with ${signal ?? code}`));
    });
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      json: { type: 'boolean' },
      stages: { type: 'string' },
      participants: { type: 'string' },
      'registry-schools': { type: 'string' },
      'results-per-school': { type: 'string' },
      'error-rate': { type: 'string' },
      'identification-schools': { type: 'string' },
      'identification-results': { type: 'string' },
      'render-documents': { type: 'string' },
      schools: { type: 'string' },
      rounds: { type: 'string' },
      concurrency: { type: 'string' },
      'bare-pages': { type: 'string' },
      breakdown: { type: 'boolean' },
      passes: { type: 'string' },
      'cold-samples': { type: 'string' },
      'live-bursts': { type: 'string' },
      'live-minutes': { type: 'string' },
      'live-no-push': { type: 'boolean' },
      'region-dir': { type: 'string' },
    },
  });
  const env = process.env;
  const stages = new Set<Stage>(
    values.stages === undefined
      ? STAGES
      : values.stages.split(',').map((s) => {
          const stage = s.trim() as Stage;
          if (!STAGES.includes(stage)) throw new Error(`unknown stage «${s}»: one of ${STAGES.join(', ')}`);
          return stage;
        }),
  );
  const participants = positiveInteger(values.participants, DEFAULT_REGION.participants, '--participants');
  const region: RegionSize = {
    ...DEFAULT_REGION,
    participants,
    schools: positiveInteger(values['registry-schools'], 3 * participants, '--registry-schools'),
    resultsPerSchool: positiveInteger(
      values['results-per-school'],
      DEFAULT_REGION.resultsPerSchool,
      '--results-per-school',
    ),
    errorRate: share(values['error-rate'], DEFAULT_REGION.errorRate, '--error-rate'),
  };
  const identificationSize = {
    schools: positiveInteger(values['identification-schools'], 40_000, '--identification-schools'),
    resultsPerSchool: positiveInteger(values['identification-results'], 30, '--identification-results'),
  };
  const render = {
    documents: positiveInteger(
      values['render-documents'] ?? values.schools ?? env.BENCH_SCHOOLS,
      200,
      '--render-documents',
    ),
    rounds: positiveInteger(values.rounds ?? env.BENCH_ROUNDS, 3, '--rounds'),
    concurrency:
      (values.concurrency ?? env.BENCH_CONCURRENCY) === undefined
        ? undefined
        : positiveInteger(values.concurrency ?? env.BENCH_CONCURRENCY, 1, '--concurrency'),
    barePages:
      values['bare-pages'] === undefined ? undefined : positiveInteger(values['bare-pages'], 1, '--bare-pages'),
    breakdown: values.breakdown === true,
  };
  const passes = positiveInteger(values.passes, 5, '--passes');
  const coldSamples = positiveInteger(values['cold-samples'], 7, '--cold-samples');

  const report: Report = {
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGigabytes: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAverage: { start: loadavg().map((l) => Math.round(l * 100) / 100), end: [] },
    },
    sizes: {
      region,
      regionRows: { registry: 0, schools: 0, total: 0, planted: 0 },
      identification: identificationSize,
      render: { documents: render.documents, rounds: render.rounds },
      passes,
    },
    generate: { seconds: 0, writeSeconds: 0 },
    stages: {},
    targets: [],
    errors: [],
    totalSeconds: 0,
  };
  log(
    `Monitor 500+ benchmark: ${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node.js ${process.version}, ` +
      `load average ${report.machine.loadAverage.start.join(' ')}.`,
  );

  const failed = (stage: Stage, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    report.errors.push({ stage, error: message });
    log(`! stage ${stage} failed: ${message}`);
  };

  // The region, written as .xlsx, for the data stage and the full run.
  const needsRegion = stages.has('data') || stages.has('google') || stages.has('full-run');
  const regionDir = values['region-dir'] ?? (await mkdtemp(path.join(tmpdir(), 'monitor500-bench-region-')));
  let registryPath = '';
  let references: string[] = [];
  if (needsRegion) {
    let start = performance.now();
    const generated = generateRegion(region);
    report.generate.seconds = (performance.now() - start) / 1000;
    report.sizes.regionRows = {
      ...generated.rows,
      total: generated.rows.registry + generated.rows.schools,
      planted: generated.planted,
    };
    start = performance.now();
    registryPath = (await writeRegion(generated, regionDir)).registryPath;
    report.generate.writeSeconds = (performance.now() - start) / 1000;
    references = [...generated.schoolWorkbooks.keys()];
    log(
      `Region: ${region.schools} schools, ${region.participants} participants, ${grouped(report.sizes.regionRows.total)} data rows ` +
        `(${grouped(generated.rows.registry)} in the registry, ${grouped(generated.rows.schools)} in ${references.length} school workbooks), ` +
        `${generated.planted} planted mistakes; generated in ${report.generate.seconds.toFixed(1)} s, ` +
        `written as .xlsx to ${regionDir} in ${report.generate.writeSeconds.toFixed(1)} s.`,
    );
  }

  try {
    if (stages.has('data')) {
      log('[data] read + parse, coerce + validate, indicators');
      try {
        const data = await inWorker<{
          readParse: ReadParseResult;
          validate: ValidateResult;
          indicators: IndicatorsResult;
        }>({ stage: 'data', registryPath, references, passes });
        const { validate, indicators } = data;
        const seconds = validate.timing.median + indicators.timing.median;
        const rows = validate.rows.total;
        Object.assign(report.stages, {
          readParse: data.readParse,
          validate,
          indicators,
          validationAndIndicators: {
            rows,
            seconds,
            rowsPerSecond: rows / seconds,
            coldRowsPerSecond: rows / (validate.timing.cold + indicators.timing.cold),
          },
        });
        if (data.readParse.rows !== report.sizes.regionRows.total)
          log(`! our reader read ${data.readParse.rows} rows, the generator wrote ${report.sizes.regionRows.total}.`);
        if (data.readParse.sheetjs.rows !== report.sizes.regionRows.total)
          log(
            `! SheetJS read ${data.readParse.sheetjs.rows} rows, the generator wrote ${report.sizes.regionRows.total}.`,
          );
      } catch (error) {
        failed('data', error);
      }
    }
    if (stages.has('google')) {
      log('[google] Google requests per workbook: the region on the local Sheets/Drive fake, three runs');
      try {
        report.stages.google = await googleRequests(registryPath, references);
        const g = report.stages.google;
        log(
          `  first run: ${g.first.workbooksRead} workbooks read with ${g.first.cellReads} requests, ${g.first.writes} write-backs; ` +
            `next: ${g.afterWriteBack.workbooksRead} read again (written into), ${g.afterWriteBack.writes} writes; ` +
            `unchanged: ${g.unchanged.cellReads} reads, ${g.unchanged.writes} writes, ${g.unchanged.driveListings} Drive listing(s).`,
        );
      } catch (error) {
        failed('google', error);
      }
    }
    if (stages.has('live')) {
      const bursts = positiveInteger(values['live-bursts'], 60, '--live-bursts');
      const minutes = positiveInteger(values['live-minutes'], 12, '--live-minutes');
      log(
        `[live] live feedback: ${bursts} edit bursts over ${participants} participants' spreadsheets in ${minutes} simulated minutes (local Sheets/Drive fake)`,
      );
      try {
        report.stages.live = await liveFeedback({
          ...DEFAULT_LIVE,
          participants,
          bursts,
          minutes,
          push: values['live-no-push'] !== true,
        });
        const l = report.stages.live;
        log(
          `  ${l.answers} answers in ${l.wallSeconds.toFixed(0)} s of real time; latency p50 ${l.latency.p50.toFixed(1)} s, ` +
            `p95 ${l.latency.p95.toFixed(1)} s; ${l.requests.total} requests (${JSON.stringify(l.requests.byOp)}).`,
        );
      } catch (error) {
        failed('live', error);
      }
    }
    if (stages.has('identification')) {
      log(
        `[identification] ${grouped(identificationSize.schools)} schools × ${identificationSize.resultsPerSchool} result rows`,
      );
      try {
        report.stages.identification = await inWorker<IdentificationResult>({
          stage: 'identification',
          ...identificationSize,
          passes: Math.min(passes, 3),
        });
      } catch (error) {
        failed('identification', error);
      }
    }
    if (stages.has('render')) {
      log(`[render] ${render.documents} school reports × ${render.rounds} rounds, ours and bare Chromium; then store`);
      try {
        const result = await inWorker<{ render: RenderResult; store: StoreResult }>({
          stage: 'render',
          options: render,
        });
        report.stages.render = result.render;
        report.stages.store = result.store;
      } catch (error) {
        failed('render', error);
      }
    }
    if (stages.has('full-run')) {
      log(`[full-run] runMonitoring on ${region.participants} participants, twice to one directory`);
      try {
        report.stages.fullRun = await inWorker<FullRunResult>({ stage: 'full-run', registryPath });
      } catch (error) {
        failed('full-run', error);
      }
    }
    if (stages.has('cold-start')) {
      log('[cold-start] import of dist/functions/http-validate.js in fresh processes');
      try {
        report.stages.coldStart = coldStart(coldSamples, (line) => log(`  ${line}`));
      } catch (error) {
        failed('cold-start', error);
      }
    }
  } finally {
    if (values['region-dir'] === undefined) await rm(regionDir, { recursive: true, force: true });
  }

  report.targets = targets(report);
  report.machine.loadAverage.end = loadavg().map((l) => Math.round(l * 100) / 100);
  report.totalSeconds = (performance.now() - started) / 1000;
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printReport(report);
  if (report.errors.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
