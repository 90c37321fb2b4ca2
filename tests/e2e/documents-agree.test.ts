/**
 * Documents that agree (issue 16): every fact that two documents of one run both state — dates,
 * numbers of participants, the region's and municipalities' indicators with their targets, each
 * school's numbers, category and status, the places in the ranking — is read back from the PDFs'
 * text, as a reader gets it, and must be the same in both, and the same as the data
 * (indicators.json, identification.json). Over the demo region and over a generated region.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRegion, writeRegion } from '../bench/region-generator.js';
import type { Identification } from '../../functions/core/identification.js';
import type { Indicator } from '../../functions/core/indicator.js';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import { GENITIVE } from '../support/parser-arbitraries.js';
import { readPdf } from '../support/pdf-text.js';
import { DEMO_REGISTRY, runRegion } from '../support/demo-run.js';

interface Run {
  out: string;
  indicators: MonitoringIndicators;
  identification: Identification;
  /** Text of each document by its path, as a reader gets it, whitespace and hyphenation undone. */
  texts: Map<string, string>;
}

/** A line broken after a hyphen reads «школ- участников» in the text layer; a reader sees «школ-участников». */
const readable = (text: string) =>
  text
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\u2011/g, '-')
    .replace(/(\p{L})- (\p{Ll})/gu, '$1-$2')
    .replace(/(\d)- (\d)/g, '$1-$2')
    .replace(/\s+/g, ' ');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** «16,7 %» → 0.167, «22» → 22, «—» → null: the number a reader takes from the text. */
function numberRead(text: string): number | null {
  const t = text.trim();
  if (t === '—' || t === '') return null;
  const n = Number(t.replace(/\s/g, '').replace('%', '').replace(',', '.'));
  return t.endsWith('%') ? n / 100 : n;
}

/** What a document says of an indicator matches its value, to the precision printed (0,1 %). */
function expectReads(text: string, indicator: Indicator, where: string) {
  const read = numberRead(text);
  if (indicator.value === null) return expect(read, where).toBeNull();
  if (typeof indicator.value === 'boolean') return;
  expect(read, where).not.toBeNull();
  expect(Math.abs(read! - indicator.value), `${where}: «${text}» against ${indicator.value}`).toBeLessThanOrEqual(
    indicator.unit === 'share' ? 0.0005 : 0,
  );
}

const VALUE = String.raw`(\d+(?:,\d+)?(?: %)?|—)`;

/** Every «<label> <value> <target> <verdict>» line of an indicators table in a text. */
function tableValue(text: string, label: string): { value: string; target: string } | undefined {
  const m = new RegExp(`${escape(label)} ${VALUE} ((?:[≥≤=] |не менее |не более )?[^ ]+(?: %)?(?: \\([^)]*\\))?)`).exec(
    text,
  );
  return m ? { value: m[1]!, target: m[2]! } : undefined;
}

async function runOn(registry: string, asOf: string): Promise<Run> {
  const out = await runRegion(registry, asOf);
  const json = async <T>(file: string) => JSON.parse(await readFile(path.join(out, file), 'utf8')) as T;
  const manifest = await json<{ documents: { path: string }[] }>('manifest.json');
  const texts = new Map<string, string>();
  for (const { path: file } of manifest.documents) {
    texts.set(file, readable((await readPdf(await readFile(path.join(out, file)))).text));
  }
  return { out, indicators: await json('indicators.json'), identification: await json('identification.json'), texts };
}

/** The checks, run over each region. */
function agreementChecks(region: () => Run) {
  const text = (file: string) => {
    const t = region().texts.get(file);
    expect(t, file).toBeDefined();
    return t!;
  };
  const schoolReport = (code: string) => text(`reports/schools/${code}.pdf`);
  const municipalityReport = (code: string) => text(`reports/municipalities/${code}.pdf`);

  it('dates every report and the results order by the same day, the run’s', () => {
    const { indicators, texts } = region();
    const [year, month, day] = indicators.asOf.split('-').map(Number);
    const day1 = `${day} ${GENITIVE[month! - 1]} ${year} г.`;
    const dated = [...texts].filter(
      ([file]) => file.startsWith('reports/') || file === 'orders/monitoring-results.pdf',
    );
    expect(dated.length).toBeGreaterThan(3);
    for (const [file, t] of dated) {
      const stated = [...t.matchAll(/по состоянию на (\d{1,2} [а-я]+ \d{4} г\.)/g)].map((m) => m[1]);
      expect(stated.length, file).toBeGreaterThan(0);
      expect(new Set(stated), file).toEqual(new Set([day1]));
    }
  });

  it('counts the same participants and reporting schools in every document that counts them', () => {
    const { indicators } = region();
    const region1 = /В проекте (\d+) школ[а-я-]*; (\d+) школ[а-я]* представил/.exec(text('reports/region.pdf'));
    const order = /\((\d+) школ[а-я-]*, данные представили (\d+)\)/.exec(text('orders/monitoring-results.pdf'));
    expect(region1 && order).toBeTruthy();
    expect([Number(region1![1]), Number(region1![2])]).toEqual([
      indicators.region.participants,
      indicators.region.reported,
    ]);
    expect([Number(order![1]), Number(order![2])]).toEqual([
      indicators.region.participants,
      indicators.region.reported,
    ]);
    let sum = 0;
    for (const m of Object.values(indicators.municipalities)) {
      const own = /В проекте (\d+) школ/.exec(municipalityReport(m.code));
      expect(own, m.code).toBeTruthy();
      expect(Number(own![1]), m.code).toBe(m.participants);
      sum += Number(own![1]);
    }
    expect(sum).toBe(indicators.region.participants);
  });

  it('states the region’s indicators and targets alike in the regional report, the stage report and the results order', () => {
    const { indicators } = region();
    const r = indicators.region;
    // [label in the reports, label in the order's appendix 1, the indicator]
    const lines: [string, string, Indicator][] = [
      [
        'Доля школ в эффективном режиме',
        'Доля школ-участников, перешедших в эффективный режим работы',
        r.effectiveModeShare,
      ],
      [
        'Доля школ с охватом анкетирования не ниже нормы',
        'Доля школ с охватом анкетирования не ниже нормы',
        r.surveyCoveredShare,
      ],
      [
        'Доля школ с полным комплектом документов',
        'Доля школ с полным комплектом согласованных документов',
        r.documentsCompleteShare,
      ],
      ['Консультаций кураторов', 'Консультаций кураторов', r.consultations],
      ['Рабочих совещаний', 'Рабочих совещаний', r.meetings],
      ['Договоров сетевого партнёрства', 'Договоров сетевого партнёрства', r.partnershipContracts],
    ];
    const order = text('orders/monitoring-results.pdf');
    const appendix = order.slice(order.indexOf('Приложение 1'));
    for (const [label, orderLabel, indicator] of lines) {
      const inRegion = tableValue(text('reports/region.pdf'), label);
      const inStage = tableValue(text('reports/stage.pdf'), label);
      const orderLine = new RegExp(
        `${escape(orderLabel)} (?:не менее |не более )?([\\d ,]+(?: %)?)(?: \\(([^)]*)\\))? ${VALUE}`,
      ).exec(appendix);
      expect(inRegion && inStage && orderLine, label).toBeTruthy();
      expectReads(inRegion!.value, indicator, `region report: ${label}`);
      expect(inStage!.value, label).toBe(inRegion!.value);
      expect(orderLine![3], label).toBe(inRegion!.value);
      // The same target, from the same source, in every document.
      const target = numberRead(orderLine![1]!);
      expect(numberRead(inRegion!.target.replace(/^[≥≤=] /, '').replace(/ \(.*$/, '')), label).toBe(target);
      if (typeof indicator.target?.value === 'number') expect(target, label).toBe(indicator.target.value);
      const source = /\(([^)]*)\)$/.exec(inRegion!.target)?.[1];
      expect(orderLine![2], label).toBe(source);
    }
  });

  it('gives each municipality the same numbers in its own report, the regional report and the results order', () => {
    const { indicators } = region();
    const regionText = text('reports/region.pdf');
    const order = text('orders/monitoring-results.pdf');
    for (const m of Object.values(indicators.municipalities)) {
      const row = new RegExp(`${escape(readable(m.name))} (\\d+) ${VALUE} ${VALUE} ${VALUE} (\\d+)`);
      const inRegion = row.exec(regionText.slice(regionText.indexOf('По муниципалитетам')));
      const inOrder = row.exec(order.slice(order.indexOf('Показатели муниципалитетов')));
      expect(inRegion && inOrder, m.name).toBeTruthy();
      expect(inOrder!.slice(1), m.name).toEqual(inRegion!.slice(1));
      const own = municipalityReport(m.code);
      expect(Number(inRegion![1])).toBe(m.participants);
      expect(tableValue(own, 'Доля школ в эффективном режиме')?.value, m.name).toBe(inRegion![2]);
      expect(tableValue(own, 'Доля школ с полным комплектом документов')?.value, m.name).toBe(inRegion![3]);
      expect(tableValue(own, 'Выполнение дорожных карт')?.value, m.name).toBe(inRegion![4]);
      expect(tableValue(own, 'Просрочено')?.value, m.name).toBe(inRegion![5]);
      expectReads(inRegion![2]!, m.effectiveModeShare, `${m.name}: effective mode`);
      expectReads(inRegion![4]!, m.roadmap.progress, `${m.name}: progress`);
    }
  });

  it('gives each school the same numbers in its own report and in the ranking of its municipality and region', () => {
    const { indicators } = region();
    const schools = Object.values(indicators.schools).filter((s) => s.workbook.status === 'read');
    expect(schools.length).toBeGreaterThan(0);
    for (const s of schools) {
      const own = schoolReport(s.code);
      const stated = {
        coverage: tableValue(own, 'Охват анкетирования')?.value,
        progress: tableValue(own, 'Выполнение дорожной карты')?.value,
        overdue: tableValue(own, 'Просрочено')?.value,
        fail: tableValue(own, 'Доля «2» (последний год)')?.value,
        effective: own.includes('Школа работает в эффективном режиме') ? 'да' : undefined,
      };
      expectReads(stated.coverage!, s.survey.coverage, `${s.code} coverage`);
      expectReads(stated.progress!, s.roadmap.progress, `${s.code} progress`);
      expectReads(stated.overdue!, s.roadmap.overdue, `${s.code} overdue`);
      const row = new RegExp(
        `\\d+ ${escape(readable(s.name))} .*? (да|нет|не определено) ${VALUE} ${VALUE} ${VALUE} ${VALUE}`,
      );
      for (const [where, t] of [
        ['region', text('reports/region.pdf')],
        ['municipality', municipalityReport(s.municipalityCode)],
      ] as const) {
        const ranking = t.slice(t.indexOf('Рейтинг школ'));
        const m = row.exec(ranking);
        expect(m, `${s.code} in the ${where} ranking: ${ranking.slice(0, 600)}`).toBeTruthy();
        expect([m![2], m![3], m![4], m![5]], `${s.code}, ${where}`).toEqual([
          stated.coverage,
          stated.progress,
          stated.overdue,
          stated.fail,
        ]);
        if (stated.effective) expect(m![1], `${s.code}, ${where}`).toBe('да');
        else expect(m![1], `${s.code}, ${where}`).not.toBe('да');
      }
    }
  });

  it('states each school’s category, status and places in the ranking alike in its report and in the list order', () => {
    const { indicators, identification } = region();
    const order = text('orders/low-results-list.pdf');
    let compared = 0;
    for (const s of Object.values(indicators.schools)) {
      const own = schoolReport(s.code);
      const category = /Категория (.+?) (?:По итогам отбора|Куратор)/.exec(own)?.[1];
      const status = /По итогам отбора (продолжает участие|включается впервые|предлагается к исключению)/.exec(
        own,
      )?.[1];
      expect(category, s.code).toBeDefined();
      const at = order.search(new RegExp(`(?<![\\d-])${escape(s.code)}(?!\\d)`));
      expect(
        at,
        `${s.code} in the list order: ${order.slice(order.indexOf('Приложение'), order.indexOf('Приложение') + 800)}`,
      ).toBeGreaterThan(-1);
      const row = order.slice(at, at + 1500);
      expect(row, s.code).toContain(category!);
      if (status) expect(row, s.code).toContain(status);
      // Places in the ranking: the report and the order cite the same, and they are identification.json's.
      const identified = identification.schools.find((i) => i.code === s.code);
      for (const year of identified?.lowResults.years ?? []) {
        if (year.rank === null) continue;
        const place = `в ${year.year} г. — `;
        const cited = new RegExp(`${escape(place)}[^;.]*?(\\d+)-е место из (\\d+)`);
        const inReport = cited.exec(own);
        const inOrder = cited.exec(row);
        expect(inReport && inOrder, `${s.code} ${year.year}`).toBeTruthy();
        expect([Number(inReport![1]), Number(inReport![2])]).toEqual([year.rank, year.ranked]);
        expect(inOrder!.slice(1)).toEqual(inReport!.slice(1));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
}

describe('documents agree: the demo region', () => {
  let run: Run;
  beforeAll(async () => {
    run = await runOn(DEMO_REGISTRY, '2026-11-20');
  });
  afterAll(async () => {
    await rm(run.out, { recursive: true, force: true });
  });
  agreementChecks(() => run);
});

describe('documents agree: a generated region', () => {
  let run: Run;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'monitor500-generated-'));
    const generated = generateRegion({ schools: 40, participants: 8, resultsPerSchool: 9, errorRate: 0.01, seed: 16 });
    const { registryPath } = await writeRegion(generated, dir);
    run = await runOn(registryPath, '2026-11-20');
  });
  afterAll(async () => {
    await rm(run.out, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });
  agreementChecks(() => run);
});
