/**
 * Render and store stages: PDF throughput of our renderer (createChromiumPdfRenderer + finalizePdf,
 * as a monitoring run does) against bare puppeteer-core on the same Chromium binary, the same HTML
 * and the same machine; then the printed PDFs written to a local output directory.
 *
 * N school reports of a synthetic region. Each round runs both sides, alternating which goes first
 * (bare→ours, ours→bare, …); the best time of each side counts. Our renderer gets the product's
 * concurrency (MONITOR500_RENDER_CONCURRENCY, else min(4, cores)) unless told otherwise. Bare
 * Chromium prints on as many pages at once as our renderer was seen to open, or on 1 page if the
 * renderer does not keep to its concurrency. Target: ours/bare documents per second ≥ 0.8.
 * With `breakdown`, variants run once each that tell where our extra time goes: our renderer
 * without finalizePdf, and bare Chromium with one piece of our renderer's setup at a time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import chromium from '@sparticuz/chromium';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'puppeteer-core';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { parseConfig } from '../../functions/config.js';
import { schoolReportView } from '../../functions/core/documents/reports.js';
import { documentHtml } from '../../functions/render/document-html.js';
import { finalizePdf } from '../../functions/render/finalize-pdf.js';
import {
  probeOurConcurrency,
  rendererOptions,
  runBare,
  runOurs,
  type BareSetup,
  type OursPass,
  type Pass,
} from './contenders.js';
import { syntheticRegion } from './synthetic-region.js';

export const TARGET_RATIO = 0.8;

export interface RenderOptions {
  documents: number;
  rounds: number;
  /** Our renderer's concurrency; undefined: the product's default. */
  concurrency: number | undefined;
  /** Pages bare Chromium prints on; undefined: as many as our renderer was seen to open. */
  barePages: number | undefined;
  breakdown: boolean;
}

export interface SideResult {
  documents: number;
  seconds: number;
  documentsPerSecond: number;
  pages: number;
  averagePdfKilobytes: number;
}

export interface RenderResult {
  documents: number;
  htmlMegabytes: number;
  chromium: string;
  concurrency: number;
  barePages: number;
  barePagesWhy: string;
  rounds: { ours: number; bare: number }[];
  ours: SideResult;
  bare: SideResult;
  /** ours documents/s ÷ bare documents/s (= bare seconds ÷ ours seconds). */
  ratio: number;
  pageCountsDiffer: number;
  /** finalizePdf alone, one document after another. */
  finalizeMsPerDocument: number;
  breakdown?: { label: string; seconds: number }[];
}

export interface StoreResult {
  documents: number;
  megabytes: number;
  seconds: number;
  documentsPerSecond: number;
  megabytesPerSecond: number;
}

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);

/** Runs the render comparison, then stores our PDFs; progress goes to `log`. */
export async function renderAndStore(
  options: RenderOptions,
  log: (line: string) => void,
): Promise<{ render: RenderResult; store: StoreResult }> {
  const config = parseConfig(process.env);
  const concurrency = options.concurrency ?? config.renderConcurrency;
  const executablePath = config.chromiumPath ?? (await chromium.executablePath());
  const rendererSettings = rendererOptions(config.renderTimeoutMs, concurrency, config.chromiumPath);

  // 1. The documents: N school reports plus one more, not measured, for the warm-ups.
  const prepStart = performance.now();
  const { indicators, facts } = syntheticRegion(options.documents + 1);
  const schools = Object.values(indicators.schools);
  const documents = schools.map((school) => ({
    html: documentHtml('school-report', schoolReportView(indicators, facts, school)),
    title: `Аналитическая справка: ${school.name}`,
  }));
  const warmUp = documents.pop();
  if (!warmUp) throw new Error('no documents');
  const htmls = documents.map((d) => d.html);
  const htmlMegabytes = sum(htmls.map((h) => Buffer.byteLength(h))) / 1024 / 1024;
  const date = new Date(`${indicators.asOf}T00:00:00Z`);
  const properties = (i: number) => ({
    title: documents[i]?.title ?? '',
    subject: 'Мониторинг проекта «500+»',
    date,
  });
  log(
    `render: prepared ${htmls.length} school reports (${htmlMegabytes.toFixed(1)} MB of HTML) in ` +
      `${((performance.now() - prepStart) / 1000).toFixed(1)} s; Chromium ${executablePath}; ` +
      `${availableParallelism()} CPUs; renderer concurrency ${concurrency}.`,
  );

  // 2. How many pages our renderer really prints on at once; bare Chromium gets the same.
  const seenOpen = await probeOurConcurrency(rendererSettings, 2 * concurrency + 1);
  let barePages: number;
  let why: string;
  if (options.barePages !== undefined) {
    barePages = options.barePages;
    why = 'set by --bare-pages';
  } else if (seenOpen === undefined) {
    barePages = concurrency;
    why = 'renderer launch not observed; assumed it keeps to its concurrency';
  } else if (seenOpen >= 1 && seenOpen <= concurrency) {
    barePages = seenOpen;
    why = `our renderer opened at most ${seenOpen} page(s) for ${2 * concurrency + 1} simultaneous renders`;
  } else {
    barePages = 1;
    why = `our renderer ignores concurrency (opened ${seenOpen} pages for ${2 * concurrency + 1} renders): bare uses 1`;
  }
  log(`render: bare Chromium prints on ${barePages} page(s): ${why}.`);

  // 3. Rounds, alternating who goes first; best of each side.
  let bestOurs: OursPass | undefined;
  let bestBare: Pass | undefined;
  const rounds: { ours: number; bare: number }[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
    const times = { ours: 0, bare: 0 };
    for (const side of order) {
      if (side === 'ours') {
        const pass = await runOurs(rendererSettings, htmls, warmUp.html, properties);
        if (!bestOurs || pass.seconds < bestOurs.seconds) bestOurs = pass;
        times.ours = pass.seconds;
      } else {
        const pass = await runBare(executablePath, htmls, warmUp.html, barePages);
        if (!bestBare || pass.seconds < bestBare.seconds) bestBare = pass;
        times.bare = pass.seconds;
      }
    }
    rounds.push(times);
    log(
      `render: round ${round + 1}/${options.rounds}: ` +
        order.map((side) => `${side} ${times[side].toFixed(2)} s`).join(', '),
    );
  }
  if (!bestOurs || !bestBare) throw new Error('no rounds were run');
  const ours = bestOurs;
  const bare = bestBare;

  // 4. Checks and extras, untimed: page counts agree, sizes, finalizePdf's own cost.
  const barePageCounts = await Promise.all(
    bare.pdfs.map(async (bytes) => (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount()),
  );
  const pageCountsDiffer = barePageCounts.filter((pages, i) => pages !== ours.pages[i]).length;
  const finalizeStart = performance.now();
  for (const [i, printed] of ours.printed.entries()) await finalizePdf(printed, properties(i));
  const finalizeMs = performance.now() - finalizeStart;
  const side = (pass: Pass, pages: number): SideResult => ({
    documents: pass.pdfs.length,
    seconds: pass.seconds,
    documentsPerSecond: pass.pdfs.length / pass.seconds,
    pages,
    averagePdfKilobytes: sum(pass.pdfs.map((p) => p.byteLength)) / pass.pdfs.length / 1024,
  });
  const render: RenderResult = {
    documents: htmls.length,
    htmlMegabytes,
    chromium: executablePath,
    concurrency,
    barePages,
    barePagesWhy: why,
    rounds,
    ours: side(ours, sum(ours.pages)),
    bare: side(bare, sum(barePageCounts)),
    ratio: bare.seconds / ours.seconds,
    pageCountsDiffer,
    finalizeMsPerDocument: finalizeMs / ours.printed.length,
  };
  log(
    `render: ours ${render.ours.documentsPerSecond.toFixed(2)} docs/s, bare ${render.bare.documentsPerSecond.toFixed(2)} ` +
      `docs/s, ratio ${render.ratio.toFixed(2)}; finalizePdf ${render.finalizeMsPerDocument.toFixed(0)} ms a document.`,
  );

  if (options.breakdown) {
    render.breakdown = await breakdown(
      () => runOurs(rendererSettings, htmls, warmUp.html),
      (setup) => runBare(executablePath, htmls, warmUp.html, barePages, setup),
      ours.launchArgs,
      log,
    );
  }

  const store = await storeDocuments(ours.pdfs, log);
  return { render, store };
}

/** Store stage: every PDF written through localOutputDir (atomic write: temporary file, then rename). */
async function storeDocuments(pdfs: readonly Uint8Array[], log: (line: string) => void): Promise<StoreResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'monitor500-bench-store-'));
  try {
    const output = localOutputDir(dir);
    // A directory that exists already, as in a run: the first write of each folder creates it.
    await output.write('reports/schools/.keep', '');
    const start = performance.now();
    await Promise.all(pdfs.map((pdf, i) => output.write(`reports/schools/${String(i).padStart(5, '0')}.pdf`, pdf)));
    const seconds = (performance.now() - start) / 1000;
    const megabytes = sum(pdfs.map((p) => p.byteLength)) / 1024 / 1024;
    const result = {
      documents: pdfs.length,
      megabytes,
      seconds,
      documentsPerSecond: pdfs.length / seconds,
      megabytesPerSecond: megabytes / seconds,
    };
    log(
      `store: ${pdfs.length} PDFs (${megabytes.toFixed(1)} MB) in ${(seconds * 1000).toFixed(0)} ms — ` +
        `${result.documentsPerSecond.toFixed(0)} docs/s.`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Our renderer's page setup, as in chromium-pdf-renderer.ts when this was written: one piece at a time. */
const javaScriptOff = async (page: Page) => page.setJavaScriptEnabled(false);
async function onlyInlineRequests(page: Page): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url === 'about:blank') void request.continue();
    else void request.abort('blockedbyclient');
  });
}

async function breakdown(
  oursRenderOnly: () => Promise<Pass>,
  bare: (setup: BareSetup) => Promise<Pass>,
  launchArgs: readonly string[] | undefined,
  log: (line: string) => void,
): Promise<{ label: string; seconds: number }[]> {
  const lines: { label: string; seconds: number }[] = [];
  const line = async (label: string, pass: Promise<Pass>) => {
    const seconds = (await pass).seconds;
    lines.push({ label, seconds });
    log(`render breakdown: ${label}: ${seconds.toFixed(2)} s`);
  };
  await line('ours, render() only — no finalizePdf', oursRenderOnly());
  if (launchArgs) await line("bare + our renderer's launch flags", bare({ args: launchArgs }));
  await line('bare + JavaScript off', bare({ preparePage: javaScriptOff }));
  await line('bare + request interception (data: only)', bare({ preparePage: onlyInlineRequests }));
  await line(
    'bare + JavaScript off + request interception',
    bare({
      preparePage: async (page) => {
        await javaScriptOff(page);
        await onlyInlineRequests(page);
      },
    }),
  );
  return lines;
}
