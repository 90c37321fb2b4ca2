/**
 * A whole monitoring run (runMonitoring: read .xlsx → validate → indicators → identification →
 * render → store), composed as `monitor500 run` composes it (registrySource, kept inputs, print
 * records in the output directory's run state), on a generated region, twice on the same output
 * directory, then bare Chromium on the same HTML:
 *   - the first run's time against bare puppeteer-core printing the HTML the run sent to its
 *     renderer, on as many pages as the renderer prints on (no finalizePdf, no store), timed from
 *     its first document to its last (the run's time includes launching Chromium);
 *   - peak memory of the first run: this process's peak RSS (getrusage) and Chromium's, sampled;
 *   - how many documents the second run, with nothing changed, sends to the renderer, and its
 *     time as a share of the first run's.
 * Meant to run in a process of its own, so that no other stage's garbage counts.
 */
import { readdir, readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PdfRenderer } from '../../functions/app/ports/pdf-renderer.js';
import { createChromiumPdfRenderer } from '../../functions/adapters/chromium/pdf-renderer.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import chromium from '@sparticuz/chromium';
import { keepingInputs } from '../../functions/app/kept-inputs.js';
import { parseConfig } from '../../functions/config.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { stateFor } from '../../functions/app/ports/run-state-store.js';
import { runMonitoring } from '../../functions/app/run-region.js';
import { registrySource } from '../../functions/registry-source.js';
import { runBare } from './contenders.js';
import { AS_OF } from './region-generator.js';

export interface RunPass {
  seconds: number;
  documents: number;
  /** render() calls the run made. */
  rendered: number;
  /** RunSummary.rendered, when the product reports it. */
  reportedRendered: number | undefined;
  findings: number;
  /** Seconds until the first document was printed (reading, checking, computing, identifying). */
  secondsBeforePrinting: number | undefined;
  /** This process's memory when the first document was printed, MB. */
  memoryAtFirstPrint: { rss: number; heapUsed: number; external: number } | undefined;
}

export interface FullRunResult {
  participants: number;
  concurrency: number;
  first: RunPass;
  second: RunPass;
  /** Bare puppeteer-core printing the HTML the first run rendered, on `concurrency` pages. */
  bare: { documents: number; seconds: number; htmlMegabytes: number };
  /** first.seconds ÷ bare.seconds. */
  ratio: number;
  /** Processor seconds (Node.js and Chromium) of the first run and of the bare pass, and their ratio. */
  cpu: { first: number; bare: number; ratio: number } | undefined;
  /** second.seconds ÷ first.seconds. */
  rerunShare: number;
  memory: {
    /** Peak RSS of the Node.js process over the first run (getrusage maxrss), MB. */
    nodePeakMegabytes: number;
    /** Peak of Chromium's processes together (proportional set size where the kernel gives it, else RSS), sampled, MB. */
    chromiumPeakMegabytes: number;
    /** Peak of Node.js + Chromium sampled at the same moments, MB. */
    combinedPeakMegabytes: number;
    /** Node.js RSS peak, sampled, before the first document is printed (reading, checking, computing) and while printing, MB. */
    nodeSampledPeakMegabytes: { beforePrinting: number; printing: number };
    /** How Chromium's memory was measured. */
    chromiumMeasure: 'pss' | 'rss' | 'unavailable';
    sampleMs: number;
  };
}

/**
 * Processor seconds of this process and of its children that have exited (Chromium, once closed):
 * utime, stime, cutime and cstime of /proc/self/stat. Less moved by other processes' load than
 * wall time; undefined where /proc is not there.
 */
async function cpuSeconds(): Promise<number | undefined> {
  try {
    const stat = await readFile('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state is field 3, utime 14 … cstime 17 (1-based), so 11 … 14 here.
    const ticks = [11, 12, 13, 14].reduce((total, i) => total + Number(fields[i]), 0);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** A renderer that counts the documents sent to it, and keeps their HTML in `htmls` if given. */
function counting(renderer: PdfRenderer, htmls?: string[]): PdfRenderer & { count: number } {
  const counter = {
    count: 0,
    ...(renderer.concurrency === undefined ? {} : { concurrency: renderer.concurrency }),
    render(html: string) {
      counter.count++;
      htmls?.push(html);
      return renderer.render(html);
    },
    close: () => renderer.close(),
  };
  return counter;
}

/** Memory of a process in KB: PSS where /proc/<pid>/smaps_rollup is readable, else RSS; undefined if gone. */
async function processMemory(pid: number): Promise<{ kb: number; kind: 'pss' | 'rss' } | undefined> {
  try {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const pss = /^Pss:\s+(\d+) kB/m.exec(rollup);
    if (pss) return { kb: Number(pss[1]), kind: 'pss' };
  } catch {
    // fall through to RSS
  }
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return rss ? { kb: Number(rss[1]), kind: 'rss' } : undefined;
  } catch {
    return undefined;
  }
}

/** Every descendant of a process (Linux /proc). */
async function descendants(root: number): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const parentOf = new Map<number, number>();
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (e) => {
        try {
          const stat = await readFile(`/proc/${e}/stat`, 'utf8');
          // pid (comm) state ppid …; comm may hold spaces and parentheses: read after the last ")".
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          parentOf.set(Number(e), ppid);
        } catch {
          // gone meanwhile
        }
      }),
  );
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    const parent = frontier.pop();
    for (const [pid, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(pid);
        frontier.push(pid);
      }
    }
  }
  return found;
}

/** Samples Chromium's (this process's descendants') memory and our own RSS every `ms` until stopped. */
function memorySampler(ms: number) {
  let chromiumPeak = 0;
  let combinedPeak = 0;
  const nodePeak = { beforePrinting: 0, printing: 0 };
  let phase: keyof typeof nodePeak = 'beforePrinting';
  let kind: 'pss' | 'rss' | 'unavailable' = 'unavailable';
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();
  const sample = async () => {
    const children = await descendants(process.pid);
    const memories = await Promise.all(children.map(processMemory));
    let kb = 0;
    for (const m of memories) {
      if (!m) continue;
      kb += m.kb;
      if (kind !== 'rss') kind = m.kind;
    }
    const chromium = kb / 1024;
    const node = process.memoryUsage.rss() / 1024 / 1024;
    chromiumPeak = Math.max(chromiumPeak, chromium);
    combinedPeak = Math.max(combinedPeak, chromium + node);
    nodePeak[phase] = Math.max(nodePeak[phase], node);
  };
  const timer = setInterval(() => {
    if (stopped) return;
    busy = busy.then(sample).catch(() => undefined);
  }, ms);
  return {
    /** The run has printed its first document. */
    printing() {
      phase = 'printing';
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
      return { chromiumPeak, combinedPeak, nodePeak, kind };
    },
  };
}

/** Two runs of the product on the region at `registryPath`, to one fresh output directory. */
export async function fullRun(registryPath: string, log: (line: string) => void): Promise<FullRunResult> {
  const config = parseConfig(process.env);
  const rules = monitoringRules();
  const out = await mkdtemp(path.join(tmpdir(), 'monitor500-bench-run-'));
  const sampleMs = 200;
  try {
    const pass = async (label: string, onPrinting?: () => void, htmls?: string[]): Promise<RunPass> => {
      const renderer = counting(
        createChromiumPdfRenderer({
          timeoutMs: config.renderTimeoutMs,
          concurrency: config.renderConcurrency,
          ...(config.chromiumPath ? { executablePath: config.chromiumPath } : {}),
        }),
        htmls,
      );
      const output = localOutputDir(out);
      const state = stateFor(output);
      const start = performance.now();
      let lastStep = '';
      let firstPrint: Pick<RunPass, 'secondsBeforePrinting' | 'memoryAtFirstPrint'> | undefined;
      try {
        const summary = await runMonitoring(
          { asOf: AS_OF, stage: 'промежуточный' },
          {
            // As `monitor500 run` does: the region's source, its workbooks kept in the run state.
            source: keepingInputs(registrySource(registryPath, config, rules, state), state),
            renderer,
            output,
            state,
            rules,
            onProgress: (step, total, what) => {
              // Reading steps are «Чтение таблицы школы …»; the steps after them are printed documents.
              if (!what.startsWith('Чтение') && !firstPrint) {
                const memory = process.memoryUsage();
                const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
                firstPrint = {
                  secondsBeforePrinting: (performance.now() - start) / 1000,
                  memoryAtFirstPrint: {
                    rss: mb(memory.rss),
                    heapUsed: mb(memory.heapUsed),
                    external: mb(memory.external),
                  },
                };
                onPrinting?.();
              }
              const now = `${Math.floor((4 * step) / Math.max(1, total))}`;
              if (now !== lastStep) log(`full run (${label}): step ${step}/${total}`);
              lastStep = now;
            },
          },
        );
        const reported: unknown = Reflect.get(summary, 'rendered');
        return {
          seconds: (performance.now() - start) / 1000,
          documents: summary.documents.length,
          rendered: renderer.count,
          reportedRendered: typeof reported === 'number' ? reported : undefined,
          findings: summary.issues.length,
          secondsBeforePrinting: firstPrint?.secondsBeforePrinting,
          memoryAtFirstPrint: firstPrint?.memoryAtFirstPrint,
        };
      } finally {
        await renderer.close();
      }
    };

    const sampler = memorySampler(sampleMs);
    const htmls: string[] = [];
    const cpuBefore = await cpuSeconds();
    const first = await pass('first', () => sampler.printing(), htmls);
    const cpuFirst = await cpuSeconds();
    const sampled = await sampler.stop();
    const nodePeakMegabytes = process.resourceUsage().maxRSS / 1024;
    log(
      `full run: first ${first.seconds.toFixed(1)} s, ${first.documents} documents, ${first.rendered} rendered; ` +
        `peak RSS ${nodePeakMegabytes.toFixed(0)} MB (Node.js), ${sampled.chromiumPeak.toFixed(0)} MB (Chromium, ${sampled.kind}).`,
    );
    const second = await pass('second, nothing changed');
    log(
      `full run: second ${second.seconds.toFixed(1)} s, ${second.rendered} of ${second.documents} documents rendered ` +
        `(${((100 * second.seconds) / first.seconds).toFixed(1)} % of the first).`,
    );
    // Bare Chromium on the same HTML, the same number of pages; a warm-up document first, untimed.
    const executablePath = config.chromiumPath ?? (await chromium.executablePath());
    const bareStart = performance.now();
    const cpuBareBefore = await cpuSeconds();
    const barePass = await runBare(executablePath, htmls, htmls[0] ?? '<p></p>', config.renderConcurrency);
    const cpuBareAfter = await cpuSeconds();
    const cpu =
      cpuBefore !== undefined && cpuFirst !== undefined && cpuBareBefore !== undefined && cpuBareAfter !== undefined
        ? {
            first: cpuFirst - cpuBefore,
            bare: cpuBareAfter - cpuBareBefore,
            ratio: (cpuFirst - cpuBefore) / (cpuBareAfter - cpuBareBefore),
          }
        : undefined;
    const bare = {
      documents: htmls.length,
      seconds: barePass.seconds,
      htmlMegabytes: htmls.reduce((total, h) => total + Buffer.byteLength(h), 0) / 1024 / 1024,
    };
    log(
      `full run: bare Chromium printed the same ${bare.documents} documents in ${bare.seconds.toFixed(1)} s ` +
        `(${((performance.now() - bareStart) / 1000).toFixed(1)} s with launch and warm-up); ` +
        `first run ÷ bare ${(first.seconds / bare.seconds).toFixed(2)}` +
        (cpu
          ? `; processor time ${cpu.first.toFixed(0)} s ÷ ${cpu.bare.toFixed(0)} s = ${cpu.ratio.toFixed(2)}.`
          : '.'),
    );
    return {
      participants: Object.keys((await readJson(path.join(out, 'indicators.json'))).schools ?? {}).length,
      concurrency: config.renderConcurrency,
      first,
      second,
      bare,
      ratio: first.seconds / bare.seconds,
      cpu,
      rerunShare: second.seconds / first.seconds,
      memory: {
        nodePeakMegabytes,
        chromiumPeakMegabytes: sampled.chromiumPeak,
        combinedPeakMegabytes: sampled.combinedPeak,
        nodeSampledPeakMegabytes: sampled.nodePeak,
        chromiumMeasure: sampled.kind,
        sampleMs,
      },
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

async function readJson(file: string): Promise<{ schools?: Record<string, unknown> }> {
  return JSON.parse(await readFile(file, 'utf8')) as { schools?: Record<string, unknown> };
}
