import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser } from 'puppeteer-core';
import { InfrastructureError } from '../errors.js';

/** Turns a self-contained HTML document into PDF bytes. */
export interface PdfRenderer {
  render(html: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** How to find and drive the browser. */
export interface ChromiumOptions {
  /** A Chromium binary to use instead of the one inside @sparticuz/chromium. */
  executablePath?: string;
  /** Upper bound for one render, ms. */
  timeoutMs: number;
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

/** One browser per process, started on first use and reused for every document. */
export function createChromiumPdfRenderer(options: ChromiumOptions): PdfRenderer {
  let browser: Promise<Browser> | undefined;

  async function launch(): Promise<Browser> {
    try {
      const executablePath = options.executablePath ?? (await chromium.executablePath());
      const args = [...chromium.args.filter((a) => !UNSAFE_FLAGS.some((f) => a.startsWith(f))), ...QUIET_FLAGS];
      return await puppeteer.launch({ executablePath, args, headless: true, timeout: options.timeoutMs });
    } catch (error) {
      throw new InfrastructureError('chromium', 'Не удалось запустить Chromium для печати PDF.', { cause: error });
    }
  }

  return {
    async render(html) {
      browser ??= launch();
      const page = await (await browser).newPage();
      try {
        await page.setJavaScriptEnabled(false);
        await page.setRequestInterception(true);
        // Fonts and pictures are inlined as data: URLs; anything that would reach out is refused.
        page.on('request', (request) => {
          const url = request.url();
          if (url.startsWith('data:') || url === 'about:blank') void request.continue();
          else void request.abort('blockedbyclient');
        });
        await page.setContent(html, { waitUntil: 'load', timeout: options.timeoutMs });
        return await page.pdf({
          preferCSSPageSize: true,
          printBackground: true,
          timeout: options.timeoutMs,
          tagged: true,
        });
      } catch (error) {
        throw new InfrastructureError('chromium', 'Chromium не смог напечатать документ в PDF.', { cause: error });
      } finally {
        await page.close().catch(() => undefined);
      }
    },
    async close() {
      const running = browser;
      browser = undefined;
      if (running) await (await running).close().catch(() => undefined);
    },
  };
}
