/**
 * A run that completes at the stage's deadline without a school whose part never completed (in the
 * cloud: its worker's message) names the school: a finding on its «Таблица школы» cell in the
 * registry, and a sentence in the regional, stage and municipal reports and on the index page. Its
 * workbook is not read and its report is not printed; the other schools are printed as usual.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChromiumPdfRenderer } from '../../functions/adapters/chromium/pdf-renderer.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { localWorkbookSource } from '../../functions/adapters/xlsx/files-source.js';
import { stateFor } from '../../functions/app/ports/run-state-store.js';
import { runMonitoring, type RunSummary } from '../../functions/app/run-region.js';
import { schoolReportPath } from '../../functions/core/documents/catalogue.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { DEMO_REGISTRY } from '../support/demo-run.js';
import { readPdf } from '../support/pdf-text.js';
import { htmlProofText, pdfProofText, proofread } from '../support/proofreading.js';

const LATE = '56-002';
let out: string;
let summary: RunSummary;
const reads: string[] = [];

/** The text a reader gets: no-break spaces as spaces, words broken at a line end joined again. */
const readable = (text: string) =>
  text
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\u2011/g, '-')
    .replace(/(\p{L})- (\p{Ll})/gu, '$1-$2')
    .replace(/(\d)- (\d)/g, '$1-$2')
    .replace(/\s+/g, ' ');

const pdfText = async (file: string) => readable((await readPdf(await readFile(path.join(out, file)))).text);

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'm500-not-arrived-'));
  const local = localWorkbookSource(DEMO_REGISTRY, 20);
  const output = localOutputDir(out);
  const renderer = createChromiumPdfRenderer({
    executablePath: process.env.MONITOR500_CHROMIUM_PATH || undefined,
    timeoutMs: 60_000,
    concurrency: 2,
  });
  try {
    summary = await runMonitoring(
      { asOf: '2026-11-20', stage: 'промежуточный', notArrived: [LATE] },
      {
        source: {
          ...local,
          readSchoolWorkbook: (reference) => {
            reads.push(reference);
            return local.readSchoolWorkbook(reference);
          },
        },
        renderer,
        output,
        state: stateFor(output),
        rules: monitoringRules(),
      },
    );
  } finally {
    await renderer.close();
  }
}, 240_000);

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('a run without a school whose work did not arrive by the deadline', () => {
  it('does not read its workbook and says so in a finding on its «Таблица школы» cell', () => {
    const school = summary.indicators.schools[LATE]!;
    expect(school.workbook.status).toBe('not_arrived');
    expect(reads).not.toContain(school.workbook.name);
    expect(reads.length).toBeGreaterThan(0);
    const findings = summary.issues.filter((i) => i.code === 'school_not_arrived');
    expect(findings).toEqual([
      expect.objectContaining({
        tab: 'Школы',
        column: 'Таблица школы',
        severity: 'error',
        cell: expect.stringMatching(/^[A-Z]+\d+$/),
        value: school.workbook.name,
        message: expect.stringContaining(`Таблица школы ${LATE} не обработана к сроку этапа`),
      }),
    ]);
    // Not the vague «не была прочитана в этом прогоне» of a table missing from the kept inputs.
    expect(summary.issues.filter((i) => i.code === 'workbook_unreadable')).toEqual([]);
  });

  it('counts it as a school without data, with no recommendation to hand in a table it may have filled', () => {
    const school = summary.indicators.schools[LATE]!;
    expect(school.roadmap.total.value).toBeNull();
    expect(school.errors).toBe(1);
    expect([...school.recommendations.school, ...school.recommendations.curator].join(' ')).not.toMatch(/таблиц/);
  });

  it('prints no report for it and every other school as usual', async () => {
    const paths = summary.documents.map((d) => d.path);
    expect(paths).not.toContain(schoolReportPath(LATE));
    await expect(stat(path.join(out, schoolReportPath(LATE)))).rejects.toThrow();
    const others = Object.keys(summary.indicators.schools).filter((code) => code !== LATE);
    expect(others.length).toBeGreaterThan(0);
    for (const code of others) expect(paths).toContain(schoolReportPath(code));
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as {
      documents: { path: string }[];
    };
    expect(manifest.documents.map((d) => d.path)).toEqual(paths);
  });

  it('names it, by name and code, in the regional, stage and its municipal report and on the index page', async () => {
    const school = summary.indicators.schools[LATE]!;
    const named = `В этот прогон не вошла 1 школа, обработка таблицы которой не завершилась к сроку этапа: ${readable(school.name)} (${LATE}). В показателях она учтена без данных своей таблицы; её данные войдут в следующий прогон.`;
    const municipal = `reports/municipalities/${school.municipalityCode}.pdf`;
    for (const file of ['reports/region.pdf', 'reports/stage.pdf', municipal]) {
      expect(await pdfText(file), file).toContain(named);
    }
    const index = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain(`(${LATE})`);
    expect(index).toContain('В этот прогон не вошла 1 школа');
    // The other municipalities' reports are about their own schools only.
    for (const d of summary.documents.filter(
      (d) => d.path.startsWith('reports/municipalities/') && d.path !== municipal,
    )) {
      expect(await pdfText(d.path), d.path).not.toContain('В этот прогон не');
    }
    // A school's report does not mention it either.
    const other = summary.documents.find((d) => d.path.startsWith('reports/schools/'))!;
    expect(await pdfText(other.path)).not.toContain(`(${LATE})`);
  });

  it('reads as proofread Russian in every document and on the index page', async () => {
    const texts = new Map<string, string>();
    for (const d of summary.documents) texts.set(d.path, await pdfProofText(await readFile(path.join(out, d.path))));
    texts.set('index.html', htmlProofText(await readFile(path.join(out, 'index.html'), 'utf8')));
    const findings = [...texts].flatMap(([file, text]) =>
      proofread(text).map((f) => `${file}: ${f.check}: …${f.context}…`),
    );
    expect(findings).toEqual([]);
  });
});
