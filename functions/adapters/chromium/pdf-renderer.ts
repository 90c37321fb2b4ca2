import type { Browser, Page } from 'puppeteer-core';
import { InfrastructureError } from '../../errors.js';
import type { PdfRenderer } from '../../app/ports/pdf-renderer.js';

/** How to find and drive the browser. */
export interface ChromiumOptions {
  /** A Chromium binary to use instead of the one inside @sparticuz/chromium. */
  executablePath?: string;
  /** Upper bound for each step of a render (launch, load, print), ms. */
  timeoutMs: number;
  /** Pages printing at once. */
  concurrency: number;
}

// @sparticuz/chromium's defaults suit Lambda but switch off web security; a page made from
// people's data must keep it. Background networking is off: the renderer reaches nothing.
const UNSAFE_FLAGS = ['--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials'];
const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
];

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: больше ${ms} мс`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One browser per process, started on first use and relaunched if it dies; a pool of pages
 * reused across documents. Pages run no script and every request that is not inline data is aborted.
 */
export function createChromiumPdfRenderer(options: ChromiumOptions): PdfRenderer {
  const concurrency = Math.max(1, Math.floor(options.concurrency) || 1);
  let browser: Promise<Browser> | undefined;
  let generation = 0;
  let closed = false;
  /** Pages of the current browser: idle ones wait here, busy ones are counted in `busy`. */
  const idle: Page[] = [];
  const pageGeneration = new WeakMap<Page, number>();
  let busy = 0;
  const waiting: { resolve: (page: Page) => void; reject: (error: unknown) => void }[] = [];

  function currentBrowser(): Promise<Browser> {
    browser ??= launch();
    return browser;
  }

  async function launch(): Promise<Browser> {
    try {
      // Loaded with the first document printed: a process that prints nothing starts without them.
      const [{ default: chromium }, { default: puppeteer }] = await Promise.all([
        import('@sparticuz/chromium'),
        import('puppeteer-core'),
      ]);
      const executablePath = options.executablePath ?? (await chromium.executablePath());
      const args = [...chromium.args.filter((a) => !UNSAFE_FLAGS.some((f) => a.startsWith(f))), ...QUIET_FLAGS];
      const launched = await puppeteer.launch({ executablePath, args, headless: true, timeout: options.timeoutMs });
      const mine = ++generation;
      launched.once('disconnected', () => {
        // A crashed browser takes its pages with it; the next render starts a fresh one.
        if (mine !== generation) return;
        browser = undefined;
        generation++;
        idle.length = 0;
        busy = 0;
      });
      return launched;
    } catch (error) {
      browser = undefined;
      throw new InfrastructureError('chromium', 'Не удалось запустить Chromium для печати PDF.', { cause: error });
    }
  }

  async function newPage(): Promise<Page> {
    const page = await withTimeout((await currentBrowser()).newPage(), options.timeoutMs, 'Новая страница Chromium');
    pageGeneration.set(page, generation);
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url === 'about:blank') void request.continue();
      else void request.abort('blockedbyclient');
    });
    return page;
  }

  async function acquire(): Promise<Page> {
    for (let page = idle.pop(); page; page = idle.pop()) {
      if (!page.isClosed()) {
        busy++;
        return page;
      }
    }
    if (busy < concurrency) {
      busy++;
      try {
        return await newPage();
      } catch (error) {
        busy--;
        throw error;
      }
    }
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  }

  function release(page: Page, healthy: boolean): void {
    // A page of a browser that has died since was already written off.
    if (pageGeneration.get(page) !== generation) return;
    busy--;
    if (!healthy || page.isClosed()) void page.close().catch(() => undefined);
    else idle.push(page);
    const next = waiting.shift();
    if (next) acquire().then(next.resolve, next.reject);
  }

  async function print(html: string): Promise<Uint8Array> {
    const page = await acquire();
    let healthy = false;
    try {
      await page.setContent(html, { waitUntil: 'load', timeout: options.timeoutMs });
      const pdf = await withTimeout(
        page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: options.timeoutMs, tagged: true }),
        options.timeoutMs,
        'Печать PDF',
      );
      healthy = true;
      return pdf;
    } finally {
      release(page, healthy);
    }
  }

  return {
    concurrency,
    async render(html) {
      if (closed) throw new InfrastructureError('chromium', 'Печать PDF уже завершена.');
      try {
        return await print(html);
      } catch (firstError) {
        if (closed) throw firstError;
        // Printing is idempotent: one retry, on a fresh browser if the old one died.
        try {
          return await print(html);
        } catch (error) {
          throw new InfrastructureError('chromium', 'Chromium не смог напечатать документ в PDF.', {
            cause: error ?? firstError,
          });
        }
      }
    },
    async close() {
      closed = true;
      for (const waiter of waiting.splice(0))
        waiter.reject(new InfrastructureError('chromium', 'Печать PDF остановлена.'));
      const running = browser;
      browser = undefined;
      if (running) await (await running.catch(() => undefined))?.close().catch(() => undefined);
    },
  };
}
