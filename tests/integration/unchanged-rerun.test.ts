import { cp, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepingInputs, keptInputs } from '../../functions/app/kept-inputs.js';
import type { PdfRenderer } from '../../functions/app/ports/pdf-renderer.js';
import { stateFor } from '../../functions/app/ports/run-state-store.js';
import type { WorkbookSource } from '../../functions/app/ports/workbook-source.js';
import { runMonitoring } from '../../functions/app/run-region.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { localWorkbookSource } from '../../functions/adapters/xlsx/files-source.js';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { root } from '../support/run-cli.js';

const DEMO = path.join(root, 'examples', 'demo-region');
const rules = monitoringRules();
let dir: string;
let region: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-rerun-'));
  region = path.join(dir, 'region');
  await cp(path.join(DEMO, 'registry.xlsx'), path.join(region, 'registry.xlsx'));
  await cp(path.join(DEMO, 'schools'), path.join(region, 'schools'), { recursive: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The region's files on disk, counting every workbook actually read (bytes opened and parsed). */
function countingSource(): WorkbookSource & { reads: string[] } {
  const local = localWorkbookSource(path.join(region, 'registry.xlsx'), 20);
  const reads: string[] = [];
  return {
    ...local,
    reads,
    readRegistry: () => {
      reads.push('registry');
      return local.readRegistry();
    },
    readSchoolWorkbook: (reference) => {
      reads.push(reference);
      return local.readSchoolWorkbook(reference);
    },
  };
}

/** A renderer without Chromium: a one-page PDF per document, and the count of documents sent. */
function fakeRenderer(): PdfRenderer & { count: number } {
  const renderer = {
    count: 0,
    async render() {
      renderer.count++;
      const pdf = await PDFDocument.create();
      pdf.addPage();
      return pdf.save();
    },
    close: async () => undefined,
  };
  return renderer;
}

/** One run as `monitor500 run` composes it: kept inputs and print records in the output's run state. */
async function run(out: string) {
  const source = countingSource();
  const renderer = fakeRenderer();
  const output = localOutputDir(out);
  const state = stateFor(output);
  const summary = await runMonitoring(
    { asOf: '2026-11-20', stage: 'промежуточный' },
    { source: keepingInputs(source, state), renderer, output, state, rules },
  );
  return { summary, reads: source.reads, rendered: renderer.count };
}

describe('a rerun with nothing changed', () => {
  it('reads no workbook and prints nothing, and says the same; a changed workbook is read again', async () => {
    const out = path.join(dir, 'out');
    const first = await run(out);
    expect(first.reads).toContain('registry');
    expect(first.reads.length).toBeGreaterThan(1);
    expect(first.rendered).toBe(first.summary.documents.length);

    const again = await run(out);
    expect(again.reads).toEqual([]);
    expect(again.rendered).toBe(0);
    expect(again.summary.rendered).toBe(0);
    expect(again.summary.documents).toEqual(first.summary.documents);
    expect(again.summary.issues).toEqual(first.summary.issues);
    expect(again.summary.indicators).toEqual(first.summary.indicators);
    // What an unchanged workbook is taken as is what reading it gives, dates as dates.
    const state = stateFor(localOutputDir(out));
    const source = countingSource();
    const unchanged = await keepingInputs(source, state).readSchoolWorkbook('schools/56-001.xlsx');
    expect(source.reads).toEqual([]);
    expect(unchanged).toEqual(
      await localWorkbookSource(path.join(region, 'registry.xlsx'), 20).readSchoolWorkbook('schools/56-001.xlsx'),
    );
    expect(unchanged.tabs.flatMap((t) => t.rows.flat()).some((c) => c.value instanceof Date)).toBe(true);

    // Another school's workbook put in place of 56-002's, its modification time set back to the old one:
    // the file is another one (its change time, and here its size, differ), so it is read again.
    const changed = path.join(region, 'schools', '56-002.xlsx');
    const before = await stat(changed);
    await writeFile(changed, await readFile(path.join(region, 'schools', '56-005.xlsx')));
    await utimes(changed, before.atime, before.mtime);
    const third = await run(out);
    expect(third.reads).toEqual(['schools/56-002.xlsx']);
    // Its values are the new file's, and what depends on them is printed again — not everything.
    expect(third.rendered).toBeGreaterThan(0);
    expect(third.rendered).toBeLessThan(third.summary.documents.length);
    const kept = await keptInputs(stateFor(localOutputDir(out))).readSchoolWorkbook('schools/56-002.xlsx');
    expect(kept).toEqual({ ...(await readXlsxWorkbook(changed, 20)), name: 'schools/56-002.xlsx' });
    // And a fourth run, with nothing changed since the third, reads nothing again.
    expect((await run(out)).reads).toEqual([]);
  });

  it('reads a workbook rewritten with the very same bytes again (its change time moved), and prints nothing new', async () => {
    const out = path.join(dir, 'same-bytes');
    await run(out);
    const file = path.join(region, 'schools', '56-006.xlsx');
    const before = await stat(file);
    await writeFile(file, await readFile(file));
    await utimes(file, before.atime, before.mtime);
    const again = await run(out);
    expect(again.reads).toEqual(['schools/56-006.xlsx']);
    expect(again.rendered).toBe(0);
  });

  it('prints nothing again from print records that name no inputs (kept by an earlier version), and names them', async () => {
    const out = path.join(dir, 'old-records');
    const first = await run(out);
    const state = stateFor(localOutputDir(out));
    const records = (await state.list('printed/')).filter((p) => p.endsWith('.json'));
    expect(records.length).toBe(first.summary.documents.length);
    for (const record of records) {
      const { inputs: _inputs, ...old } = JSON.parse(Buffer.from((await state.read(record))!).toString('utf8')) as {
        inputs?: string;
      };
      await state.write(record, `${JSON.stringify(old, null, 2)}\n`);
    }
    const again = await run(out);
    expect(again.rendered).toBe(0);
    const named = JSON.parse(Buffer.from((await state.read(records[0]!))!).toString('utf8')) as { inputs?: string };
    expect(named.inputs).toMatch(/^[0-9a-f]{64}$/);
  });
});
