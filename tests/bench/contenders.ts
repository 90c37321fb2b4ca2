/**
 * The two sides of the benchmark: the product renderer (render + finalizePdf, as a run does)
 * and bare puppeteer-core on the same binary (setContent + pdf, nothing else).
 * Each side launches its own browser, warms it up with one document, and is timed from the
 * first render call to the last finished document; launch and warm-up are not timed.
 */
import { performance } from 'node:perf_hooks';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type BrowserEvent, type Page, type Target } from 'puppeteer-core';
import { createChromiumPdfRenderer, type ChromiumOptions } from '../../functions/adapters/chromium/pdf-renderer.js';
import { finalizePdf, type PdfProperties } from '../../functions/render/finalize-pdf.js';

/** One timed pass over all documents. */
export interface Pass {
  seconds: number;
  /** PDF bytes as the side hands them out, in document order. */
  pdfs: Uint8Array[];
}

/** A pass of our renderer, with what Chromium printed before finalizePdf and the pages counted by it. */
export interface OursPass extends Pass {
  printed: Uint8Array[];
  pages: number[];
  /** Most browser pages open at once, as seen from the browser; undefined if the launch was not seen. */
  maxOpenPages: number | undefined;
  /** The command-line flags the renderer launched Chromium with, if the launch was seen. */
  launchArgs: readonly string[] | undefined;
}

/** What bare Chromium may be given of our renderer's setup, to find where time goes. */
export interface BareSetup {
  /** Launch flags instead of chromium.args. */
  args?: readonly string[];
  /** Called once on every page before it prints. */
  preparePage?: (page: Page) => Promise<void>;
}

/** The renderer's options: the timeout, the concurrency (if the renderer knows it), maybe a binary. */
export function rendererOptions(timeoutMs: number, concurrency: number, executablePath?: string): ChromiumOptions {
  // Built as a variable, not a literal argument: it type-checks whether or not ChromiumOptions
  // has `concurrency`, and a renderer without it simply ignores the field.
  const options = { timeoutMs, concurrency, ...(executablePath ? { executablePath } : {}) };
  return options;
}

/**
 * Counts browser pages open at once in every browser puppeteer launches until stop() — a pure
 * observer: the launch itself is puppeteer's own, with the caller's options.
 */
function observePages(): { stop(): void; maxOpen(): number | undefined; args(): readonly string[] | undefined } {
  // Typed as the module, but at run time the default export is the shared PuppeteerNode object
  // whose launch() the renderer calls.
  const launcher = puppeteer as { launch: typeof puppeteer.launch };
  const original = launcher.launch;
  let max: number | undefined;
  let args: readonly string[] | undefined;
  let open = 0;
  const isPage = (target: Target) => target.type() === 'page';
  // BrowserEvent is a const enum, which tsx cannot inline from a .d.ts: its values, spelled out.
  const created = 'targetcreated' as BrowserEvent.TargetCreated;
  const destroyed = 'targetdestroyed' as BrowserEvent.TargetDestroyed;
  launcher.launch = async (options) => {
    const browser = await original.call(launcher, options);
    max ??= 0;
    args ??= options?.args;
    browser.on(created, (target) => {
      if (!isPage(target)) return;
      open++;
      max = Math.max(max ?? 0, open);
    });
    browser.on(destroyed, (target) => {
      if (isPage(target)) open--;
    });
    return browser;
  };
  return {
    stop: () => {
      launcher.launch = original;
    },
    maxOpen: () => max,
    args: () => args,
  };
}

/**
 * Our renderer's natural concurrency: fires `count` tiny renders at once and counts the pages the
 * browser opens. A renderer that honours `concurrency` opens at most that many.
 */
export async function probeOurConcurrency(options: ChromiumOptions, count: number): Promise<number | undefined> {
  const observer = observePages();
  const renderer = createChromiumPdfRenderer(options);
  try {
    await Promise.all(Array.from({ length: count }, (_, i) => renderer.render(`<p>Проба ${i}</p>`)));
    return observer.maxOpen();
  } finally {
    observer.stop();
    await renderer.close();
  }
}

/**
 * Our renderer: all render() calls fired at once, each followed by finalizePdf, as a run does
 * (without `properties`, render() alone and no pages are counted).
 */
export async function runOurs(
  options: ChromiumOptions,
  htmls: readonly string[],
  warmUpHtml: string,
  properties?: (index: number) => PdfProperties,
): Promise<OursPass> {
  const observer = observePages();
  const renderer = createChromiumPdfRenderer(options);
  try {
    await renderer.render(warmUpHtml);
    const printed: Uint8Array[] = [];
    const start = performance.now();
    const finalized = await Promise.all(
      htmls.map(async (html, i) => {
        const bytes = await renderer.render(html);
        printed[i] = bytes;
        return properties ? finalizePdf(bytes, properties(i)) : { bytes, pages: 0 };
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    return {
      seconds,
      pdfs: finalized.map((f) => f.bytes),
      pages: finalized.map((f) => f.pages),
      printed,
      maxOpenPages: observer.maxOpen(),
      launchArgs: observer.args(),
    };
  } finally {
    observer.stop();
    await renderer.close();
  }
}

async function bareLaunch(executablePath: string, args: readonly string[] = chromium.args): Promise<Browser> {
  return puppeteer.launch({ executablePath, args: [...args], headless: true });
}

async function barePrint(page: Page, html: string): Promise<Uint8Array> {
  await page.setContent(html);
  return page.pdf({ preferCSSPageSize: true, printBackground: true });
}

/** Bare puppeteer-core: `pages` pages, each taking the next document until none is left. */
export async function runBare(
  executablePath: string,
  htmls: readonly string[],
  warmUpHtml: string,
  pages: number,
  setup: BareSetup = {},
): Promise<Pass> {
  const browser = await bareLaunch(executablePath, setup.args);
  const newPage = async () => {
    const page = await browser.newPage();
    await setup.preparePage?.(page);
    return page;
  };
  try {
    const first = await newPage();
    await barePrint(first, warmUpHtml);
    const pdfs: Uint8Array[] = [];
    let next = 0;
    const work = async (page: Page) => {
      for (let i = next++; i < htmls.length; i = next++) pdfs[i] = await barePrint(page, htmls[i] ?? '');
    };
    const start = performance.now();
    // Like our renderer's pool: the warmed page is reused, the others are opened on demand.
    await Promise.all(Array.from({ length: pages }, async (_, w) => work(w === 0 ? first : await newPage())));
    const seconds = (performance.now() - start) / 1000;
    return { seconds, pdfs };
  } finally {
    await browser.close();
  }
}
