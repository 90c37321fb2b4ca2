import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChromiumPdfRenderer } from '../../functions/adapters/chromium/pdf-renderer.js';
import type { MonitoringIndicators, SchoolIndicators } from '../../functions/core/indicators.js';
import { fixtureIndicators } from '../support/fixture-region.js';
import { schoolReportView, stageReportView } from '../../functions/core/documents/reports.js';
import { documentHtml } from '../../functions/render/document-html.js';
import { finalizePdf } from '../../functions/render/finalize-pdf.js';
import { normalizeSpaces, readPdf } from '../support/pdf-text.js';

const renderer = createChromiumPdfRenderer({ timeoutMs: 60_000, concurrency: 2 });
let server: Server;
let hits = 0;
let origin = '';

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await renderer.close();
  await new Promise((resolve) => server.close(resolve));
});

const base = fixtureIndicators();
const facts = {
  region: { subject: 'Условная область', educationAuthority: 'Министерство образования Условной области' },
  municipalities: [
    {
      code: 'МО-01',
      name: 'Северный район',
      educationAuthority: 'Отдел образования',
      head: 'Петров П.П.',
      coordinator: 'Сидорова С.С.',
    },
  ],
  schools: [],
};

/** School Б of the fixture region (overdue items, recommendations, rows left out) under another name. */
function school(name: string): SchoolIndicators {
  return { ...base.schools['01-002']!, name };
}

function indicators(s: SchoolIndicators): MonitoringIndicators {
  return { ...base, schools: { [s.code]: s } };
}

describe('Chromium PDF renderer', () => {
  it('prints a school report whose text reads back, in the shipped serif', async () => {
    const s = school('МБОУ «Пономарёвская СОШ»');
    const html = documentHtml('school-report', schoolReportView(indicators(s), facts, s));
    const printed = await renderer.render(html);
    const { bytes, pages } = await finalizePdf(printed, {
      title: 'Справка',
      subject: 'тест',
      date: new Date('2026-11-20T00:00:00Z'),
    });
    const pdf = await readPdf(bytes);
    expect(pages).toBe(pdf.pages.length);
    expect(pdf.text).toContain('МБОУ «Пономарёвская СОШ»');
    expect(pdf.text).toContain('20 ноября 2026 г.');
    expect(pdf.text).toContain('Выполнение дорожной карты 25 %');
    expect(pdf.text).toContain('Мероприятие 1');
    expect(pdf.text).toContain('Не учтены из-за ошибок: «Дорожная карта» — 1 строка.');
    expect(pdf.fontNames.some((name) => /PTSerif|PT ?Serif/i.test(name))).toBe(true);
  });

  it('has every character our documents use in the shipped font: nothing falls back to the machine’s fonts', async () => {
    const text = 'Ёё АБВ абв «Ёлка» — – № ≥ ≤ ± × … 12,5\u00a0% 5\u202f000 ₽ ° § ‰ “a” ‘b’ •';
    const html = documentHtml('stage-report', {
      ...stageReportView(base, facts),
      title: text,
    });
    const pdf = await readPdf(await renderer.render(html));
    expect(pdf.text).toContain('«Ёлка» — – № ≥ ≤ ± ×');
    expect(pdf.fontNames.length).toBeGreaterThan(0);
    for (const name of pdf.fontNames) expect(name).toMatch(/PTSerif/);
  });

  it('shows markup in data as text and fetches nothing from the network', async () => {
    const hostile = `<img src="${origin}/leak.png"><script>document.title='x'</script>«Школа»`;
    const s = school(hostile);
    const html = documentHtml('school-report', schoolReportView(indicators(s), facts, s));
    expect(html).not.toContain(`<img src="${origin}`);
    const pdf = await readPdf(await renderer.render(html));
    expect(normalizeSpaces(pdf.text)).toContain(normalizeSpaces(hostile));
    // Even a template that let markup through could not reach out: the renderer refuses all requests.
    await renderer.render(
      `<html><body><img src="${origin}/direct.png"><link rel="stylesheet" href="${origin}/x.css">Текст</body></html>`,
    );
    expect(hits).toBe(0);
  });

  it('prints several documents at once and starts a new browser when the old one dies', async () => {
    const page = (n: number) => `<html><body><p>Документ № ${n}</p></body></html>`;
    const texts = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => (await readPdf(await renderer.render(page(n)))).text),
    );
    expect(texts).toEqual([1, 2, 3, 4, 5].map((n) => `Документ № ${n}`));
    // Kill this test process's own browser, as a crash or the OOM killer would.
    const pids = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
    const after = await readPdf(await renderer.render(page(6)));
    expect(after.text).toBe('Документ № 6');
  });
});
