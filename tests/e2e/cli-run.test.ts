import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIndicatorValue } from '../../functions/core/format-ru.js';
import type { Indicator } from '../../functions/core/indicator.js';
import type { Identification } from '../../functions/core/identification.js';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import type { ManifestEntry } from '../../functions/app/print-documents.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { normalizeSpaces, readPdf, type PdfContent } from '../support/pdf-text.js';
import { root, runCli } from '../support/run-cli.js';

const REGISTRY = path.join(root, 'examples', 'demo-region', 'registry.xlsx');
let out: string;
let run: { code: number; stdout: string; stderr: string };
let manifest: { documents: ManifestEntry[] };
let indicators: MonitoringIndicators;
let identification: Identification;
const pdfs = new Map<string, PdfContent>();

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(path.join(out, file), 'utf8')) as T;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'monitor500-run-'));
  run = await runCli(['run', '--source', REGISTRY, '--out', out, '--as-of', '2026-11-20', '--stage', 'промежуточный']);
  manifest = await readJson('manifest.json');
  indicators = await readJson('indicators.json');
  identification = await readJson('identification.json');
  for (const doc of manifest.documents) pdfs.set(doc.path, await readPdf(await readFile(path.join(out, doc.path))));
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

function pdfFor(predicate: (doc: ManifestEntry) => boolean): PdfContent {
  const doc = manifest.documents.find(predicate);
  expect(doc, 'документ в manifest.json').toBeDefined();
  return pdfs.get(doc!.path)!;
}

describe('monitor500 run on the demo region', () => {
  it('completes with exit code 0 despite the planted data errors, showing progress', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\[1\/\d+\] Чтение таблицы школы/);
    expect(run.stdout).toMatch(/^Готово: \d+ документ/);
  });

  it('lists every document in the manifest with its real hash and page count', async () => {
    const schools = Object.keys(indicators.schools).length;
    expect(schools).toBeGreaterThanOrEqual(5);
    expect(manifest.documents.filter((d) => d.kind === 'school-report')).toHaveLength(schools);
    expect(manifest.documents.filter((d) => d.kind === 'region-report' && d.scope.level === 'region')).toHaveLength(1);
    expect(
      manifest.documents.filter((d) => d.scope.level === 'municipality').map((d) => 'code' in d.scope && d.scope.code),
    ).toEqual(Object.keys(indicators.municipalities));
    expect(manifest.documents.filter((d) => d.kind === 'order-low-results-list')).toHaveLength(1);
    for (const doc of manifest.documents) {
      const bytes = await readFile(path.join(out, doc.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(doc.sha256);
      expect(pdfs.get(doc.path)!.pages).toHaveLength(doc.pages);
    }
  });

  it('prints each school report with the school name and its indicators from indicators.json', () => {
    for (const school of Object.values(indicators.schools)) {
      const pdf = pdfFor((d) => d.scope.level === 'school' && d.scope.code === school.code);
      const line = (label: string, indicator: Indicator) =>
        expect(pdf.text).toContain(
          normalizeSpaces(`${label} ${formatIndicatorValue(indicator.value, indicator.unit)}`),
        );
      expect(pdf.text).toContain(normalizeSpaces(school.name));
      expect(pdf.text).toContain('20 ноября 2026 г.');
      line('Охват анкетирования', school.survey.coverage);
      line('Факторов риска выбрано для работы', school.risks.chosen);
      line('Мероприятий дорожной карты', school.roadmap.total);
      line('Просрочено', school.roadmap.overdue);
      line('Выполнение дорожной карты', school.roadmap.progress);
      line('Педагогов прошли курсы от 32 ч', school.pd.trainedLong);
      line('Консультаций куратора', school.curator.consultations);
      line('Доля «2» (последний год)', school.results.failShare);
      expect(pdf.text).toContain(
        school.effectiveMode.value
          ? 'Школа работает в эффективном режиме.'
          : 'Школа пока не перешла в эффективный режим работы.',
      );
      // A line may break after a hyphen ("плана-/графика"), which text extraction joins without it.
      const compact = (text: string) => text.replace(/[\s\u00a0-]+/g, '');
      for (const item of school.roadmap.overdueItems) expect(compact(pdf.text)).toContain(compact(item.activity));
      for (const text of school.recommendations.school) expect(compact(pdf.text)).toContain(compact(text));
    }
  });

  it('prints the regional report with every indicator, school, municipality and plan-graph item', () => {
    const pdf = pdfFor((d) => d.kind === 'region-report' && d.scope.level === 'region');
    const region = indicators.region;
    const line = (label: string, indicator: Indicator) =>
      expect(pdf.text).toContain(normalizeSpaces(`${label} ${formatIndicatorValue(indicator.value, indicator.unit)}`));
    line('Доля школ в эффективном режиме', region.effectiveModeShare);
    line('Доля школ с полным комплектом документов', region.documentsCompleteShare);
    line('Консультаций кураторов', region.consultations);
    line('Рабочих совещаний', region.meetings);
    line('Договоров сетевого партнёрства', region.partnershipContracts);
    line('Удовлетворённость участников', region.satisfaction);
    line('Мероприятий в дорожных картах', region.roadmap.total);
    line('Выполнение дорожных карт', region.roadmap.progress);
    for (const school of Object.values(indicators.schools)) expect(pdf.text).toContain(normalizeSpaces(school.name));
    for (const m of Object.values(indicators.municipalities)) expect(pdf.text).toContain(normalizeSpaces(m.name));
    const compact = (text: string) => text.replace(/[\s\u00a0-]+/g, '');
    for (const item of region.planGraph.items) expect(compact(pdf.text)).toContain(compact(item.activity));
  });

  it('prints a report per municipality with its own indicators and only its schools', () => {
    for (const m of Object.values(indicators.municipalities)) {
      const pdf = pdfFor((d) => d.scope.level === 'municipality' && d.scope.code === m.code);
      expect(pdf.text).toContain(normalizeSpaces(`в муниципальном образовании «${m.name}» Оренбургской области`));
      // The demo's meetings name their municipality («Код МО») or their school: each municipality has one.
      expect(m.meetings.value).toBeGreaterThan(0);
      expect(pdf.text).toContain(`Рабочих совещаний ${formatIndicatorValue(m.meetings.value, 'count')}`);
      expect(pdf.text).toMatch(/Муниципальный координатор проекта — [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+\./);
      expect(pdf.text).toContain(
        normalizeSpaces(`Доля школ в эффективном режиме ${formatIndicatorValue(m.effectiveModeShare.value, 'share')}`),
      );
      for (const school of Object.values(indicators.schools)) {
        if (school.municipalityCode === m.code) expect(pdf.text).toContain(normalizeSpaces(school.name));
        else expect(pdf.text).not.toContain(normalizeSpaces(school.name));
      }
    }
  });

  it('prints the draft order with the approving clause, blank registration number and the list of schools', () => {
    const pdf = pdfFor((d) => d.kind === 'order-low-results-list');
    expect(pdf.text).toContain('ПРИКАЗ');
    expect(pdf.text).toContain('Об утверждении списка ОО, показывающих низкие образовательные результаты');
    expect(pdf.text).toContain('п р и к а з ы в а ю:');
    expect(pdf.text).toMatch(/№ _+/);
    expect(pdf.text).toContain('Приложение к приказу');
    // The appendix lists the schools the identification found and the current participants, and only them.
    for (const school of identification.schools) {
      if (school.category || school.participant) expect(pdf.text).toContain(school.code);
      else expect(pdf.text).not.toContain(school.code);
    }
    // The list it approves: the identified schools (those that continue and those included).
    expect(pdf.text).toContain(`(${identification.candidates} общеобразовательн`);
    // Page numbers start on page 2 (ГОСТ Р 7.0.97): the first page carries none.
    expect(pdf.pages.length).toBeGreaterThan(1);
    expect(pdf.pages[1]).toMatch(/^\s*2\b/);
  });

  it('states the same category and status of every school in the list order and in its report', () => {
    const order = pdfFor((d) => d.kind === 'order-low-results-list').text;
    const status = (s: Identification['schools'][number]) =>
      s.category ? (s.participant ? 'продолжает участие' : 'включается впервые') : 'предлагается к исключению';
    for (const school of identification.schools.filter((s) => s.participant)) {
      const report = pdfFor((d) => d.kind === 'school-report' && 'code' in d.scope && d.scope.code === school.code);
      // «Категория <category> По итогам отбора <status> Куратор …» in section 1 of the report.
      const facts = /Категория (.+?) По итогам отбора (.+?) Куратор /.exec(report.text);
      expect(facts, school.code).not.toBeNull();
      const [, category = '', said = ''] = facts ?? [];
      // The category is the identification's, the registry's in brackets where it differs.
      const registry = indicators.schools[school.code]?.category;
      const expected = school.category
        ? registry === school.category
          ? school.category
          : `${school.category} (${registry ? `в реестре — ${registry}` : 'в реестре не указана'})`
        : `не подтверждена отбором (${registry ? `в реестре — ${registry}` : 'в реестре не указана'})`;
      expect(category, school.code).toBe(expected);
      expect(said, school.code).toBe(status(school));
      // The order's appendix row: code, full name, then the same category and status.
      const fullName = normalizeSpaces(indicators.schools[school.code]?.fullName ?? school.name);
      expect(order, school.code).toContain(`${school.code} ${fullName} ${category} ${said}`);
      // Ranks are cited as places among the ranked schools, never a bare «в худших 10 %».
      for (const y of school.lowResults.years.filter((y) => y.rank !== null))
        expect(report.text, `${school.code} ${y.year}`).toContain(`${y.rank}\u2011е место из ${y.ranked}`);
      // A school in effective mode that stays on the list is told why, in its report and in the order.
      if (indicators.schools[school.code]?.effectiveMode.value && school.category) {
        expect(report.text).toContain('школа работает в эффективном режиме и всё же остаётся в списке');
        expect(order).toContain('школа работает в эффективном режиме и всё же остаётся в списке');
      }
    }
    // Newly identified schools are in the order too, with their status.
    for (const school of identification.schools.filter((s) => s.category && !s.participant))
      expect(order).toContain(`${school.code} `);
    // Curators are fixed only for schools that stay or are included; the rest are excluded by a clause.
    expect(order).toMatch(
      /Закрепить за общеобразовательными организациями, указанными в приложении со статусами «продолжает участие» и «включается впервые»/,
    );
    if (identification.schools.some((s) => s.participant && !s.category))
      expect(order).toMatch(
        /Исключить из числа участников проекта «500\+» общеобразовательные организации, указанные в приложении со статусом «предлагается к исключению»/,
      );
  });

  it('prints every draft order with the requisites of ГОСТ Р 7.0.97-2025 and its QR code', () => {
    const orders = manifest.documents.filter((d) => d.kind.startsWith('order-'));
    expect(orders.map((d) => d.path).sort()).toEqual(
      [
        'orders/low-results-list.pdf',
        'orders/monitoring-results.pdf',
        'orders/network-partnership.pdf',
        'orders/plan-graph-amendment.pdf',
        'orders/plan-graph.pdf',
        'orders/working-group.pdf',
      ].sort(),
    );
    for (const order of orders) {
      const pdf = pdfs.get(order.path)!;
      const firstPage = normalizeSpaces(pdf.pages[0]!);
      expect(firstPage, order.path).toContain('МИНИСТЕРСТВО ОБРАЗОВАНИЯ ОРЕНБУРГСКОЙ ОБЛАСТИ');
      expect(firstPage).toContain('ПРИКАЗ');
      expect(firstPage).toMatch(/№ _+/);
      expect(firstPage).toContain('г. Оренбург');
      expect(firstPage).toMatch(/M500-[0-9a-f]{12}/); // the QR code's caption: the document's identifier
      expect(pdf.text).toContain('п р и к а з ы в а ю:');
      expect(pdf.text).toContain('Контроль за исполнением настоящего приказа оставляю за собой.');
      expect(pdf.text).toContain('Е.А. Кузнецова');
      expect(pdf.text).toMatch(/Приложение( \d)? к приказу от _+ № _+/);
    }
    const workingGroup = pdfs.get('orders/working-group.pdf')!;
    // The region approves its own group and only recommends the municipal ones.
    expect(workingGroup.text).toMatch(/Об утверждении состава (региональной )?рабочей группы/);
    expect(workingGroup.text).not.toMatch(/Утвердить составы? муниципальн/);
    const amendment = pdfs.get('orders/plan-graph-amendment.pdf')!;
    expect(amendment.text.replace(/[\s-]+/g, '')).toContain('Овнесенииизмененийвпланграфик');
    const results = pdfs.get('orders/monitoring-results.pdf')!;
    expect(results.text).toContain('Об итогах мониторинга');
    const effective = Object.values(indicators.schools).filter((s) => s.effectiveMode.value);
    for (const school of effective) expect(results.text).toContain(normalizeSpaces(school.name));
  });

  it('writes an index.html that shows the run in a browser, with links that reach every document', async () => {
    const browser = await puppeteer.launch({
      executablePath: await chromium.executablePath(),
      args: chromium.args,
      headless: true,
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(path.join(out, 'index.html')).href);
      const text = normalizeSpaces(await page.evaluate(() => document.body.innerText));
      expect(text).toContain('Мониторинг проекта «500+»: Оренбургская область');
      expect(text).toContain(
        normalizeSpaces(
          `Доля школ в эффективном режиме ${formatIndicatorValue(indicators.region.effectiveModeShare.value, 'share')}`,
        ),
      );
      const links = await page.$$eval('a', (anchors) =>
        anchors.map((a) => ({ href: a.href, text: a.textContent ?? '' })),
      );
      const targets = links.map((l) => fileURLToPath(l.href));
      for (const doc of manifest.documents) expect(targets).toContain(path.join(out, doc.path));
      for (const target of targets) expect((await stat(target)).isFile(), target).toBe(true);
      expect(links.find((l) => l.href.endsWith('reports/region.pdf'))?.text).toContain(
        'Аналитическая справка по региону',
      );
    } finally {
      await browser.close();
    }
  });

  it('records every finding located to a tab and cell, in Russian', async () => {
    const { issues } = await readJson<{ issues: ValidationIssue[] }>('validation.json');
    expect(issues.some((i) => i.severity === 'error')).toBe(true);
    for (const issue of issues) {
      expect(issue.tab).toMatch(/[А-Яа-яЁё]/);
      expect(issue.message).toMatch(/[А-Яа-яЁё]/);
      if (issue.row !== undefined) expect(issue.cell).toMatch(new RegExp(`^[A-Z]+${issue.row}$`));
    }
  });

  it('lists a school its own findings in its report: local workbooks get no «Проверка» tab back (56-002: H7, I8)', async () => {
    const { issues } = await readJson<{ issues: ValidationIssue[] }>('validation.json');
    const own = issues.filter((i) => i.workbook.endsWith('56-002.xlsx'));
    const planted = ['H7', 'I8'].map((cell) => own.find((i) => i.tab === 'Дорожная карта' && i.cell === cell));
    expect(planted.every((i) => i?.severity === 'error')).toBe(true);
    const pdf = pdfFor((d) => d.scope.level === 'school' && d.scope.code === '56-002');
    const section = pdf.text.slice(pdf.text.indexOf('9. Качество данных'));
    expect(section).toContain('(перечень — ниже)');
    // Each finding with its tab and cell; a message may wrap inside its table cell.
    const flat = (text: string) => text.replace(/\s+/g, '');
    for (const issue of [...planted, ...own]) {
      expect(flat(section)).toContain(flat(`«${issue!.tab}» ${issue!.cell ?? '—'} ${issue!.message}`));
    }
    expect(pdf.text).not.toContain('Проверка');
    expect(pdf.text).not.toContain('validation.json');
  });

  it('gives the same files on a rerun', async () => {
    const again = await mkdtemp(path.join(tmpdir(), 'monitor500-rerun-'));
    try {
      const second = await runCli([
        'run',
        '--source',
        REGISTRY,
        '--out',
        again,
        '--as-of',
        '2026-11-20',
        '--stage',
        'промежуточный',
      ]);
      expect(second.code).toBe(0);
      const rerun = JSON.parse(await readFile(path.join(again, 'manifest.json'), 'utf8')) as {
        documents: ManifestEntry[];
      };
      expect(rerun.documents.map((d) => [d.path, d.sha256])).toEqual(manifest.documents.map((d) => [d.path, d.sha256]));
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });
});

describe('monitor500 run, again into the same place', () => {
  it('prints nothing when nothing changed, and the documents stay as they were', async () => {
    const second = await runCli(['run', '--source', REGISTRY, '--out', out, '--as-of', '2026-11-20']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`(напечатано заново: 0, остальные не изменились)`);
    const rerun = await readJson<{ documents: ManifestEntry[] }>('manifest.json');
    expect(rerun.documents).toEqual(manifest.documents);
    for (const doc of rerun.documents) {
      const bytes = await readFile(path.join(out, doc.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(doc.sha256);
    }
  });

  it('keeps its own run state in .state/, apart from what people open', async () => {
    const top = (await readdir(out)).sort();
    expect(top).toEqual([
      '.state',
      'identification.json',
      'index.html',
      'indicators.json',
      'manifest.json',
      'orders',
      'reports',
      'submission.json',
      'validation.json',
    ]);
    expect((await readdir(path.join(out, '.state'))).sort()).toEqual(['inputs', 'printed']);
    // Every print record belongs to a document of the manifest.
    const records = await readdir(path.join(out, '.state', 'printed'), { recursive: true });
    const documents = manifest.documents.map((d) => `${d.path}.json`);
    expect(records.filter((r) => r.endsWith('.json')).sort()).toEqual(documents.map((d) => path.normalize(d)).sort());
  });

  it('keeps the raw values of every workbook read, before validation', async () => {
    const registry = await readJson<{ workbook: { name: string; tabs: { name: string }[] } }>(
      '.state/inputs/registry.json',
    );
    expect(registry.workbook.name).toBe('registry.xlsx');
    const kept = (await readdir(path.join(out, '.state', 'inputs', 'workbooks'))).sort();
    const named = Object.values(indicators.schools).filter((s) => s.workbook.name !== undefined);
    expect(kept).toHaveLength(named.length);
    // 56-002's planted mistake (a status outside the list) is kept as typed.
    const school = kept.find((f) => f.startsWith('56-002.xlsx-'));
    const text = await readFile(path.join(out, '.state', 'inputs', 'workbooks', school!), 'utf8');
    const issue = (await readJson<{ issues: ValidationIssue[] }>('validation.json')).issues.find(
      (i) => i.workbook.endsWith('56-002.xlsx') && i.code === 'not_in_list',
    );
    expect(issue?.value).toBeDefined();
    expect(text).toContain(JSON.stringify(issue!.value));
  });
});
