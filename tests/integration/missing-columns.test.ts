import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutputStore } from '../../functions/app/ports/output-store.js';
import { localWorkbookSource } from '../../functions/adapters/xlsx/files-source.js';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { runMonitoring } from '../../functions/app/run-region.js';
import { root } from '../support/run-cli.js';

const DEMO = path.join(root, 'examples', 'demo-region');
const SCHOOL = 'schools/56-002.xlsx';
let registry: RawWorkbook;
let school: RawWorkbook;
let blankPdf: Uint8Array;

beforeAll(async () => {
  registry = await readXlsxWorkbook(path.join(DEMO, 'registry.xlsx'), 20);
  school = await readXlsxWorkbook(path.join(DEMO, SCHOOL), 20);
  const document = await PDFDocument.create();
  document.addPage();
  blankPdf = await document.save();
});

/** The workbook without one column of one tab (the header and every value under it). */
function withoutColumn(workbook: RawWorkbook, tabName: string, column: number): RawWorkbook {
  return {
    ...workbook,
    tabs: workbook.tabs.map((t) =>
      t.name !== tabName ? t : { ...t, rows: t.rows.map((r) => r.filter((_, i) => i !== column)) },
    ),
  };
}

const memoryStore = (): OutputStore => {
  const files = new Map<string, Uint8Array | string>();
  return {
    write: async (p, data) => void files.set(p, data),
    // Check and set in one synchronous step: no other call can run between them.
    create: async (p, data) => !files.has(p) && Boolean(files.set(p, data)),
    read: async (p) => {
      const data = files.get(p);
      return typeof data === 'string' ? new TextEncoder().encode(data) : data;
    },
    list: async (prefix) => [...files.keys()].filter((p) => p.startsWith(prefix)).sort(),
    remove: async (p) => void files.delete(p),
  };
};

/** A whole run (every document's HTML is built; a one-page PDF stands in for Chromium's print). */
async function runWith(registryRaw: RawWorkbook, schoolRaw: RawWorkbook) {
  const local = localWorkbookSource(path.join(DEMO, 'registry.xlsx'), 20);
  return runMonitoring(
    { asOf: '2026-11-20', stage: 'промежуточный' },
    {
      source: {
        readRegistry: async () => registryRaw,
        readSchoolWorkbook: async (reference) =>
          reference === SCHOOL ? schoolRaw : local.readSchoolWorkbook(reference),
      },
      renderer: { render: async () => blankPdf, close: async () => {} },
      output: memoryStore(),
      state: memoryStore(),
      rules: monitoringRules(),
    },
  );
}

describe('a column missing from a tab', () => {
  const cases = () => [
    ...registry.tabs.flatMap((tab) =>
      (tab.rows[0] ?? []).map((header, column) => ({ kind: 'registry', tab: tab.name, column, header: header.value })),
    ),
    ...school.tabs.flatMap((tab) =>
      (tab.rows[0] ?? []).map((header, column) => ({ kind: 'school', tab: tab.name, column, header: header.value })),
    ),
  ];

  it('never breaks the run: each missing required column is a finding on its tab, the rest is processed', async () => {
    const rules = monitoringRules();
    const required = new Set(
      [...rules.specs.values()].flatMap((spec) =>
        spec.columns.filter((c) => c.required).map((c) => `${spec.title}\u0000${c.header}`),
      ),
    );
    let checked = 0;
    for (const c of cases()) {
      const summary = await runWith(
        c.kind === 'registry' ? withoutColumn(registry, c.tab, c.column) : registry,
        c.kind === 'school' ? withoutColumn(school, c.tab, c.column) : school,
      ).catch((error: unknown) => {
        throw new Error(`«${c.tab}» без столбца «${String(c.header)}»: ${(error as Error).message}`);
      });
      // The region's documents are always there (the schools' only while the registry can name them).
      expect(
        summary.documents.map((d) => d.path),
        `${c.tab} / ${String(c.header)}`,
      ).toEqual(expect.arrayContaining(['reports/region.pdf', 'reports/stage.pdf', 'orders/monitoring-results.pdf']));
      if (required.has(`${c.tab}\u0000${String(c.header)}`)) {
        expect(
          summary.issues.some((i) => i.code === 'missing_column' && i.tab === c.tab && i.column === c.header),
          `${c.tab} / ${String(c.header)}`,
        ).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('a broken date in every cell of a row', () => {
  it('gives located findings for the cells, never an exception', async () => {
    const broken: RawWorkbook = {
      ...school,
      tabs: school.tabs.map((t) => ({
        ...t,
        rows: t.rows.map((r, i) => (i === 1 ? r.map(() => ({ value: new Date(Number.NaN) })) : r)),
      })),
    };
    const summary = await runWith(registry, broken);
    const found = summary.issues.filter((i) => i.workbook === school.name && i.row === 2);
    expect(found.length).toBeGreaterThanOrEqual(school.tabs.length);
    for (const issue of found) expect(issue.cell ?? '').toMatch(/^[A-Z]+2$/);
  });
});
