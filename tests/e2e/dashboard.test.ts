import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClosedStage } from '../../functions/app/stage-archive.js';
import { formatIndicatorValue } from '../../functions/core/format-ru.js';
import type { Indicator } from '../../functions/core/indicator.js';
import type { AreaIndicators, MonitoringIndicators } from '../../functions/core/indicators.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { runRegion } from '../support/demo-run.js';
import { registryTabs, schoolATabs, schoolBTabs } from '../support/fixture-region.js';
import { normalizeSpaces } from '../support/pdf-text.js';
import { runCli } from '../support/run-cli.js';
import { writeBook } from '../support/workbook-content.js';

/**
 * The run's index.html as a dashboard, opened in headless Chromium: the region's indicators against
 * their targets, the municipalities, the trend across closed stages, the data-quality board, every
 * link reaching a file of the run (or a school's Google Sheet), no request beyond the page itself,
 * no script, and the accessibility rules the page keeps.
 */

/** Every indicator of the region the page shows, by its Russian label, and where indicators.json keeps it. */
const REGION_LINES: [string, (a: AreaIndicators) => Indicator][] = [
  ['Доля школ в эффективном режиме', (a) => a.effectiveModeShare],
  ['Доля школ с охватом анкетирования не ниже нормы', (a) => a.surveyCoveredShare],
  ['Доля школ с полным комплектом документов', (a) => a.documentsCompleteShare],
  ['Доля школ, где не менее 6 педагогов прошли курсы', (a) => a.pdCoveredShare],
  ['Доля школ с мероприятием от 4 ч', (a) => a.eventsCoveredShare],
  ['Консультаций кураторов', (a) => a.consultations],
  ['Рабочих совещаний', (a) => a.meetings],
  ['Договоров сетевого партнёрства', (a) => a.partnershipContracts],
  ['Удовлетворённость участников', (a) => a.satisfaction],
  ['Мероприятий в дорожных картах', (a) => a.roadmap.total],
  ['Выполнено', (a) => a.roadmap.done],
  ['Просрочено', (a) => a.roadmap.overdue],
  ['Выполнение дорожных карт', (a) => a.roadmap.progress],
  ['Школ с просроченными мероприятиями', (a) => a.roadmap.schoolsWithOverdue],
];

/** The region's key indicators the trend follows. */
const TREND_LINES: [string, (a: AreaIndicators) => Indicator][] = [
  ['Доля школ в эффективном режиме', (a) => a.effectiveModeShare],
  ['Доля школ с полным комплектом документов', (a) => a.documentsCompleteShare],
  ['Выполнение дорожных карт', (a) => a.roadmap.progress],
];

const GOOGLE_ID = '1DashboardFixtureSheet_0123456789abc';
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

interface PageFacts {
  requests: string[];
  text: string;
  rows: string[][];
  links: string[];
  headings: number[];
  thWithoutScope: number;
  svgs: { role: string | null; title: string; desc: string }[];
  scripts: number;
  handlers: string[];
  /** Text colour against the background behind it, for every element with text of its own. */
  colours: { fg: string; bg: string; text: string }[];
  screenshot: Uint8Array;
  size: { width: number; height: number };
}

let browser: Browser;

/** Opens out/index.html with every request but the page's own refused, and reads what the checks need. */
async function openIndex(out: string): Promise<PageFacts> {
  const page = await browser.newPage();
  try {
    await page.setViewport({ width: 1200, height: 900 });
    const url = pathToFileURL(path.join(out, 'index.html')).href;
    const requests: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      requests.push(request.url());
      if (request.url() === url) void request.continue();
      else void request.abort();
    });
    await page.goto(url, { waitUntil: 'load' });
    const facts = await page.evaluate(() => {
      const rgba = (c: string) => c;
      const backgroundOf = (el: Element | null): string => {
        for (let e = el; e; e = e.parentElement) {
          const bg = getComputedStyle(e).backgroundColor;
          if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
        }
        return 'rgb(255, 255, 255)';
      };
      const colours: { fg: string; bg: string; text: string }[] = [];
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const own = Array.from(el.childNodes)
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent ?? '')
          .join('')
          .trim();
        if (!own || ['title', 'desc', 'style'].includes(el.tagName.toLowerCase())) continue;
        const style = getComputedStyle(el);
        // SVG text is painted by fill, over whatever is behind the chart.
        const fg = el instanceof SVGElement ? style.fill : style.color;
        colours.push({
          fg: rgba(fg),
          bg: backgroundOf(el instanceof SVGElement ? el.closest('svg')!.parentElement : el),
          text: own.slice(0, 40),
        });
      }
      const all = Array.from(document.querySelectorAll('*'));
      return {
        text: document.body.innerText,
        rows: Array.from(document.querySelectorAll('tr')).map((tr) =>
          Array.from(tr.children).map((c) => (c as HTMLElement).innerText),
        ),
        links: Array.from(document.querySelectorAll('a')).map((a) => a.getAttribute('href') ?? ''),
        headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map((h) => Number(h.tagName[1])),
        thWithoutScope: Array.from(document.querySelectorAll('th')).filter(
          (th) => !['col', 'row'].includes(th.getAttribute('scope') ?? ''),
        ).length,
        svgs: Array.from(document.querySelectorAll('svg')).map((svg) => ({
          role: svg.getAttribute('role'),
          title: svg.firstElementChild?.tagName === 'title' ? (svg.firstElementChild.textContent ?? '') : '',
          desc: svg.querySelector(':scope > desc')?.textContent ?? '',
        })),
        scripts: document.scripts.length,
        handlers: all.flatMap((e) => e.getAttributeNames().filter((n) => n.startsWith('on'))),
        colours,
        size: { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight },
      };
    });
    const screenshot = await page.screenshot({ fullPage: true, type: 'png' });
    return { ...facts, requests, text: normalizeSpaces(facts.text), screenshot };
  } finally {
    await page.close();
  }
}

/** WCAG contrast of two CSS rgb()/rgba() colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lin = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r ?? 0) + 0.7152 * lin(g ?? 0) + 0.0722 * lin(bl ?? 0);
  };
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(png);
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

const readJson = async <T>(out: string, file: string) => JSON.parse(await readFile(path.join(out, file), 'utf8')) as T;
const rowOf = (facts: PageFacts, first: string) => facts.rows.find((r) => normalizeSpaces(r[0] ?? '') === first);

/** The checks every index page passes: links, requests, script, headings, tables, charts, contrast, picture. */
async function expectSoundPage(out: string, facts: PageFacts, googleIds: readonly string[]) {
  expect(facts.requests).toEqual([pathToFileURL(path.join(out, 'index.html')).href]);
  expect(facts.scripts).toBe(0);
  expect(facts.handlers).toEqual([]);
  const html = await readFile(path.join(out, 'index.html'), 'utf8');
  expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  expect(html).not.toMatch(/<(script|img|iframe|object|embed|link|foreignObject|image|use)\b|url\(|data:/i);

  for (const href of facts.links) {
    if (/^https:/.test(href)) {
      const id = /^https:\/\/docs\.google\.com\/spreadsheets\/d\/([A-Za-z0-9_-]+)\/edit$/.exec(href)?.[1];
      expect(googleIds, href).toContain(id);
      continue;
    }
    expect(href, 'a relative link').not.toMatch(/^[a-z][a-z0-9+.-]*:|^\/\/|^\//i);
    const target = path.resolve(out, decodeURIComponent(href));
    expect(target.startsWith(out + path.sep), href).toBe(true);
    expect((await stat(target)).isFile(), href).toBe(true);
  }

  expect(facts.headings.filter((h) => h === 1)).toHaveLength(1);
  expect(facts.headings[0]).toBe(1);
  facts.headings.forEach((h, i) => {
    if (i > 0) expect(h, `heading ${i}`).toBeLessThanOrEqual(facts.headings[i - 1]! + 1);
  });
  expect(facts.thWithoutScope).toBe(0);
  expect(facts.svgs.length).toBeGreaterThan(0);
  for (const svg of facts.svgs) {
    expect(svg.role).toBe('img');
    expect(svg.title.trim()).not.toBe('');
    expect(svg.desc.trim()).not.toBe('');
  }
  // The charts' own texts are among those checked (SVG fill), as are the tables'.
  expect(facts.colours.some((c) => c.text === 'значение')).toBe(true);
  expect(facts.colours.some((c) => c.text === 'Показатель')).toBe(true);
  const poor = facts.colours.filter((c) => contrast(c.fg, c.bg) < 4.5);
  expect(poor).toEqual([]);

  // A picture with something in it: the page's full size, and far more bytes than a blank page compresses to.
  const size = pngSize(facts.screenshot);
  expect(size.width).toBeGreaterThanOrEqual(1000);
  expect(size.height).toBeGreaterThan(1500);
  expect(facts.screenshot.byteLength).toBeGreaterThan(100_000);
}

describe('the run’s index.html: a dashboard of the region', () => {
  let demo: string;
  let dir: string;
  const cycle = () => path.join(dir, 'out');

  beforeAll(async () => {
    browser = await puppeteer.launch({
      executablePath: await chromium.executablePath(),
      args: chromium.args,
      headless: true,
    });
    demo = await runRegion();
    // A region with a stage calendar: the входной stage closes on 1 October, the промежуточный run of
    // 20 November follows in the same directory; school В's table is a Google Sheet the local run cannot open.
    dir = await mkdtemp(path.join(tmpdir(), 'm500-dashboard-'));
    await writeBook(path.join(dir, 'реестр.xlsx'), {
      ...registryTabs,
      region: {
        rows: [
          { ...registryTabs.region.rows[0], entryDeadline: day('2026-10-01'), interimDeadline: day('2027-01-20') },
        ],
      },
      schools: {
        rows: registryTabs.schools.rows.map((r) =>
          r.code === '02-001'
            ? { ...r, workbook: `https://docs.google.com/spreadsheets/d/${GOOGLE_ID}/edit#gid=0` }
            : r,
        ),
      },
    });
    await writeBook(path.join(dir, 'a.xlsx'), schoolATabs);
    const run = (asOf: string) =>
      runCli(['run', '--source', path.join(dir, 'реестр.xlsx'), '--out', cycle(), '--as-of', asOf]);
    const entry = await run('2026-10-01');
    expect(entry.code, entry.stderr).toBe(0);
    // School Б hands in its table after the входной stage: the trend moves.
    await writeBook(path.join(dir, 'b.xlsx'), schoolBTabs);
    const interim = await run('2026-11-20');
    expect(interim.code, interim.stderr).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    if (demo) await rm(demo, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the demo region: every indicator with its value and verdict in words, the municipalities, the quality board, every document', async () => {
    const facts = await openIndex(demo);
    await expectSoundPage(demo, facts, []);
    const indicators = await readJson<MonitoringIndicators>(demo, 'indicators.json');

    for (const [label, pick] of REGION_LINES) {
      const indicator = pick(indicators.region);
      const row = rowOf(facts, label);
      expect(row, label).toBeDefined();
      const value = formatIndicatorValue(indicator.value, indicator.unit);
      if (indicator.unit === 'share' && indicator.value !== null) expect(value).toMatch(/^\d+(,\d)?\u00a0%$/);
      expect(normalizeSpaces(row![1]!)).toBe(normalizeSpaces(value));
      const verdict = indicator.met === true ? 'достигнуто' : indicator.met === false ? 'не достигнуто' : undefined;
      if (verdict) expect(row![3]).toBe(verdict);
    }
    expect(facts.text).toMatch(/Показателей с целью — \d+: достигнуто — \d+, не достигнуто — \d+, не определено — \d+/);

    // Municipalities side by side: each with its share of schools in the effective mode.
    for (const m of Object.values(indicators.municipalities)) {
      const row = rowOf(facts, m.name);
      expect(row, m.name).toBeDefined();
      expect(normalizeSpaces(row![2]!)).toContain(
        normalizeSpaces(formatIndicatorValue(m.effectiveModeShare.value, 'share')),
      );
    }

    // No stage closed in this directory: the trend says so.
    expect(facts.text).toContain('Закрытых этапов пока нет');

    // The quality board: each school with findings, its counts as validation.json has them.
    const { issues } = await readJson<{ issues: ValidationIssue[] }>(demo, 'validation.json');
    const errors = issues.filter((i) => i.severity === 'error').length;
    expect(facts.text).toContain(`В данных прогона ${errors} ошиб`);
    let boardErrors = 0;
    for (const school of Object.values(indicators.schools)) {
      const row = rowOf(facts, `${school.name} (${school.code})`);
      if (school.errors + school.warnings === 0) {
        expect(row, school.code).toBeUndefined();
        continue;
      }
      expect(row, school.code).toBeDefined();
      const own = issues.filter((i) => i.workbook === school.workbook.name);
      const ownErrors = own.filter((i) => i.severity === 'error').length;
      const ownWarnings = own.length - ownErrors;
      expect(Number(row![2]!.trim())).toBe(school.errors);
      expect(Number(row![3]!.trim())).toBe(school.warnings);
      // The rest of its findings are on its row of the registry.
      expect(normalizeSpaces(row![4]!)).toBe(`${school.errors - ownErrors} / ${school.warnings - ownWarnings}`);
      expect(row![5]).toBe(school.workbook.name);
      expect(row![6]).toBe('справка');
      boardErrors += school.errors;
    }
    expect(boardErrors).toBeGreaterThan(0);
    const outside = /Вне строк школ-участников \(реестр и его листы\): (\d+) ошиб/.exec(facts.text)?.[1];
    expect(boardErrors + Number(outside ?? 0)).toBe(errors);
    expect(facts.text).toContain('Сдача таблиц');

    // Every document is linked, as the manifest lists it.
    const manifest = await readJson<{ documents: { path: string }[] }>(demo, 'manifest.json');
    for (const doc of manifest.documents) expect(facts.links).toContain(doc.path);
  });

  it('plots the region’s key indicators across the closed stages and this run, links a Google Sheet by its ID', async () => {
    const out = cycle();
    const facts = await openIndex(out);
    await expectSoundPage(out, facts, [GOOGLE_ID]);
    const now = await readJson<MonitoringIndicators>(out, 'indicators.json');
    const entry = await readJson<ClosedStage>(out, '.state/stages/2026-2027/entry.json');
    expect(now.stage).toBe('промежуточный');

    const header = facts.rows.find((r) => normalizeSpaces(r[0] ?? '') === 'Показатель' && r.length === 3);
    expect(header?.map(normalizeSpaces)).toEqual([
      'Показатель',
      normalizeSpaces('Входной мониторинг, 2026/2027 1 октября 2026\u00a0г.'),
      normalizeSpaces('Промежуточный мониторинг, 2026/2027 20 ноября 2026\u00a0г. (этот прогон)'),
    ]);
    const trendRows = facts.rows.filter((r) => r.length === 3);
    for (const [label, pick] of TREND_LINES) {
      const row = trendRows.find((r) => normalizeSpaces(r[0] ?? '') === label && r !== header);
      expect(row?.slice(1).map(normalizeSpaces), label).toEqual(
        [pick(entry.indicators.region), pick(now.region)].map((i) =>
          normalizeSpaces(formatIndicatorValue(i.value, 'share')),
        ),
      );
    }
    expect(facts.svgs.filter((s) => s.desc.includes('по этапам')).length).toBeGreaterThanOrEqual(TREND_LINES.length);

    // School В's table is a Google Sheet: linked by the registry's ID; its findings (the table not read) counted.
    const v = now.schools['02-001']!;
    expect(v.errors).toBeGreaterThan(0);
    const row = rowOf(facts, `${v.name} (${v.code})`);
    expect(row?.[5]).toBe('Google-таблица');
    expect(facts.links).toContain(`https://docs.google.com/spreadsheets/d/${GOOGLE_ID}/edit`);
    // The stages stay listed as before.
    const html = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain(
      '<td>Входной мониторинг, 2026/2027 учебный год</td><td>1 октября 2026\u00a0г.</td><td>закрыт</td>',
    );
  });
});
