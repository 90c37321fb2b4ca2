/**
 * PDF throughput: our renderer (createChromiumPdfRenderer + finalizePdf, as a monitoring run does)
 * against bare puppeteer-core on the same Chromium binary, the same HTML and the same machine.
 *
 *   npm run bench [-- --schools N] [--rounds R] [--concurrency K] [--bare-pages P] [--breakdown]
 *
 * N (default 200, or BENCH_SCHOOLS) school reports of a synthetic region. Each round runs both
 * sides, alternating which goes first (bare→ours, ours→bare, …); the best time of each side counts.
 * K is passed to the renderer as `concurrency` (default as the product's config:
 * MONITOR500_RENDER_CONCURRENCY, else min(4, cores)). Bare Chromium prints on as many pages at once
 * as our renderer was seen to open, or on 1 page if the renderer does not keep to K.
 * Target: ours/bare documents per second ≥ 0.8. Exit code 0 unless something crashed.
 * --breakdown then runs, once each, variants that tell where our extra time goes: our renderer
 * without finalizePdf, and bare Chromium with one piece of our renderer's setup at a time.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import chromium from '@sparticuz/chromium';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'puppeteer-core';
import { parseConfig } from '../functions/config.js';
import { schoolReportView } from '../functions/core/report-views.js';
import { documentHtml } from '../functions/render/document-html.js';
import { finalizePdf } from '../functions/render/finalize-pdf.js';
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

const TARGET_RATIO = 0.8;

function positiveInteger(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, got «${text}»`);
  return value;
}

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kilobytes = (bytes: number) => `${Math.round(bytes / 1024)} KB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      schools: { type: 'string' },
      rounds: { type: 'string' },
      concurrency: { type: 'string' },
      'bare-pages': { type: 'string' },
      breakdown: { type: 'boolean' },
    },
  });
  const env = process.env;
  const count = positiveInteger(values.schools ?? env.BENCH_SCHOOLS ?? '200', '--schools');
  const rounds = positiveInteger(values.rounds ?? env.BENCH_ROUNDS ?? '2', '--rounds');
  const config = parseConfig(env);
  // The product's default concurrency, if its config has one (read loosely: bench follows the product).
  const configured: unknown = Reflect.get(config, 'renderConcurrency');
  const concurrency = positiveInteger(
    values.concurrency ??
      env.BENCH_CONCURRENCY ??
      String(typeof configured === 'number' ? configured : Math.min(4, availableParallelism())),
    '--concurrency',
  );
  const executablePath = config.chromiumPath ?? (await chromium.executablePath());
  const options = rendererOptions(config.renderTimeoutMs, concurrency, config.chromiumPath);

  // 1. The documents: N school reports plus one more, not measured, for the warm-ups.
  const prepStart = performance.now();
  const { indicators, facts } = syntheticRegion(count + 1);
  const schools = Object.values(indicators.schools);
  const documents = schools.map((school) => ({
    html: documentHtml('school-report', schoolReportView(indicators, facts, school)),
    title: `Аналитическая справка: ${school.name}`,
  }));
  const warmUp = documents.pop();
  if (!warmUp) throw new Error('no documents');
  const warmUpHtml = warmUp.html;
  const htmls = documents.map((d) => d.html);
  const date = new Date(`${indicators.asOf}T00:00:00Z`);
  const properties = (i: number) => ({
    title: documents[i]?.title ?? '',
    subject: 'Мониторинг проекта «500+»',
    date,
  });
  console.log(
    `Prepared ${htmls.length} school reports (${megabytes(sum(htmls.map((h) => Buffer.byteLength(h))))} of HTML, ` +
      `${Object.keys(indicators.municipalities).length} municipalities) in ${((performance.now() - prepStart) / 1000).toFixed(1)} s.`,
  );
  console.log(`Chromium: ${executablePath}; ${availableParallelism()} CPUs; renderer concurrency ${concurrency}.`);

  // 2. How many pages our renderer really prints on at once; bare Chromium gets the same.
  const seenOpen = await probeOurConcurrency(options, 2 * concurrency + 1);
  let barePages: number;
  let why: string;
  if (values['bare-pages'] !== undefined) {
    barePages = positiveInteger(values['bare-pages'], '--bare-pages');
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
  console.log(`Bare Chromium prints on ${barePages} page(s): ${why}.`);

  // 3. Rounds, alternating who goes first; best of each side.
  let bestOurs: OursPass | undefined;
  let bestBare: Pass | undefined;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
    const times: string[] = [];
    for (const side of order) {
      if (side === 'ours') {
        const pass = await runOurs(options, htmls, warmUpHtml, properties);
        if (!bestOurs || pass.seconds < bestOurs.seconds) bestOurs = pass;
        times.push(`ours ${pass.seconds.toFixed(2)} s (max ${pass.maxOpenPages ?? '?'} pages open)`);
      } else {
        const pass = await runBare(executablePath, htmls, warmUpHtml, barePages);
        if (!bestBare || pass.seconds < bestBare.seconds) bestBare = pass;
        times.push(`bare ${pass.seconds.toFixed(2)} s`);
      }
    }
    console.log(`Round ${round + 1}/${rounds}: ${times.join(', ')}`);
  }
  if (!bestOurs || !bestBare) throw new Error('no rounds were run');

  // 4. Checks and extras, untimed: page counts agree, sizes, finalizePdf's own cost.
  const barePageCounts = await Promise.all(
    bestBare.pdfs.map(async (bytes) => (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount()),
  );
  const mismatched = barePageCounts.filter((pages, i) => pages !== bestOurs.pages[i]).length;
  const finalizeStart = performance.now();
  for (const [i, printed] of bestOurs.printed.entries()) await finalizePdf(printed, properties(i));
  const finalizeSeconds = (performance.now() - finalizeStart) / 1000;

  const rows = [
    { side: `bare (${barePages} page${barePages > 1 ? 's' : ''})`, pass: bestBare, pages: sum(barePageCounts) },
    { side: `ours (concurrency ${concurrency})`, pass: bestOurs, pages: sum(bestOurs.pages) },
  ];
  const ratio = bestBare.seconds / bestOurs.seconds;
  console.log('');
  console.log('side                     documents   seconds   docs/s   pages   avg PDF');
  for (const { side, pass, pages } of rows) {
    const average = sum(pass.pdfs.map((p) => p.byteLength)) / pass.pdfs.length;
    console.log(
      `${side.padEnd(24)} ${String(pass.pdfs.length).padStart(9)} ${pass.seconds.toFixed(2).padStart(9)} ` +
        `${(pass.pdfs.length / pass.seconds).toFixed(2).padStart(8)} ${String(pages).padStart(7)} ${kilobytes(average).padStart(9)}`,
    );
  }
  console.log('');
  console.log(
    `ours/bare throughput: ${ratio.toFixed(2)} — target ≥ ${TARGET_RATIO} ${ratio >= TARGET_RATIO ? 'MET' : 'NOT MET'}`,
  );
  console.log(
    `Total pages rendered: ${sum(bestOurs.pages)} by ours, ${sum(barePageCounts)} by bare` +
      (mismatched ? ` (page counts differ in ${mismatched} documents!)` : ' (same in every document)') +
      '.',
  );
  console.log(
    `finalizePdf alone, one by one: ${finalizeSeconds.toFixed(2)} s for ${bestOurs.printed.length} documents ` +
      `(${((finalizeSeconds / bestOurs.printed.length) * 1000).toFixed(0)} ms each; Chromium's tagged PDF ` +
      `${kilobytes(sum(bestOurs.printed.map((p) => p.byteLength)) / bestOurs.printed.length)} on average).`,
  );

  if (values.breakdown) await breakdown(bestBare, bestOurs, () => runOurs(options, htmls, warmUpHtml), bareVariant);

  function bareVariant(setup: BareSetup): Promise<Pass> {
    return runBare(executablePath, htmls, warmUpHtml, barePages, setup);
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
  bestBare: Pass,
  bestOurs: OursPass,
  oursRenderOnly: () => Promise<Pass>,
  bare: (setup: BareSetup) => Promise<Pass>,
): Promise<void> {
  console.log('');
  console.log('Breakdown (one run each; compare with the best times above):');
  const line = (label: string, pass: Pass) =>
    console.log(
      `  ${label.padEnd(52)} ${pass.seconds.toFixed(2).padStart(7)} s  ` +
        `(${(pass.seconds / bestBare.seconds).toFixed(2)}× bare, ${(pass.seconds / bestOurs.seconds).toFixed(2)}× ours)`,
    );
  line('ours, render() only — no finalizePdf', await oursRenderOnly());
  if (bestOurs.launchArgs) line("bare + our renderer's launch flags", await bare({ args: bestOurs.launchArgs }));
  line('bare + JavaScript off', await bare({ preparePage: javaScriptOff }));
  line('bare + request interception (data: only)', await bare({ preparePage: onlyInlineRequests }));
  line(
    'bare + JavaScript off + request interception',
    await bare({
      preparePage: async (page) => {
        await javaScriptOff(page);
        await onlyInlineRequests(page);
      },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
