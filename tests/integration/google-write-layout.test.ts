/**
 * Writing findings back costs one write and no second read: the tabs' layout (ids, sizes,
 * protections) comes with the workbook's one read. When the tabs change between that read and the
 * write, Google refuses the stale batch whole, and the write looks at the tabs as they are now.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleSheetsSource } from '../../functions/adapters/google/sheets-source.js';
import { skipUnchangedWorkbooks } from '../../functions/adapters/google/unchanged-workbook-cache.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { startFakeGoogleApis, type FakeGoogleApis, type FakeSpreadsheet } from '../support/fake-google/index.js';
import { demoRegionSheets } from '../support/demo-region-sheets.js';
import { productClients, readAndWriteBack } from '../support/product-google.js';

const REGISTRY_ID = 'registry-layout-0001';
const schoolId = (code: string) => `school-${code}-layout`;
const SCHOOL = schoolId('56-001');
const rules = monitoringRules();
const region: FakeSpreadsheet[] = [];
let dir: string;
let google: FakeGoogleApis;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-layout-'));
  const { registry, schools } = await demoRegionSheets(REGISTRY_ID, schoolId);
  region.push(...schools.values(), registry);
  google = await startFakeGoogleApis();
  for (const spreadsheet of region) google.put(structuredClone(spreadsheet));
});

afterAll(async () => {
  await google.close();
  await rm(dir, { recursive: true, force: true });
});

/** What `monitor500 run` does with Google: read the region, write each workbook's findings back. */
async function run(): Promise<void> {
  const clients = productClients(google.url, { concurrency: 1 });
  const source = skipUnchangedWorkbooks(
    googleSheetsSource(REGISTRY_ID, clients),
    REGISTRY_ID,
    clients,
    localOutputDir(dir),
  );
  await readAndWriteBack(source, rules);
}

/** The Sheets requests about one spreadsheet since `from`: op, and whether it asked for the cells. */
const sheetsCalls = (from: number, id: string) =>
  google.requests
    .slice(from)
    .filter((r) => r.api === 'sheets' && r.spreadsheetId === id)
    .map((r) => `${r.op}${r.query.includeGridData?.[0] === 'true' ? ' (cells)' : ''} ${r.status ?? ''}`.trim());

const checkTabs = (id: string) => google.spreadsheets.get(id)!.sheets.filter((s) => s.title === 'Проверка');

/** A school's edit: «Требуется» of the first «Анкетирование» row becomes text — a finding on B2. */
function breakCell(id: string, value: string): void {
  const survey = google.spreadsheets.get(id)!.sheets.find((s) => s.title === 'Анкетирование')!;
  survey.rows[1]![1] = { value };
  google.touch(id);
}

describe('findings are written with the layout of the read that found them', () => {
  it('reads each workbook once and writes its findings once, with no look at its tabs between', async () => {
    breakCell(SCHOOL, 'много');
    const from = google.requests.length;
    await run();
    expect(sheetsCalls(from, SCHOOL)).toEqual(['spreadsheets.get (cells) 200', 'batchUpdate 200']);
    const written = google.requests
      .slice(from)
      .filter((r) => r.op === 'batchUpdate')
      .map((r) => r.spreadsheetId);
    expect(written.length).toBeGreaterThan(0);
    for (const id of written) {
      const reads = google.requests
        .slice(from)
        .filter((r) => r.api === 'sheets' && r.kind === 'read' && r.spreadsheetId === id);
      expect(
        reads.map((r) => r.query.includeGridData?.[0]),
        id,
      ).toEqual(['true']);
    }
    expect(JSON.stringify(checkTabs(SCHOOL)[0]?.rows)).toContain('много');
  });

  it('a tab deleted between our read and our write: the stale batch is refused, the tabs are looked at, the findings land once', async () => {
    breakCell(SCHOOL, 'очень много');
    let removed = false;
    const stop = google.beforeAnswer((request) => {
      if (removed || request.op !== 'batchUpdate' || request.spreadsheetId !== SCHOOL) return;
      // The school deletes our «Проверка» just before our write arrives.
      const sheets = google.spreadsheets.get(SCHOOL)!.sheets;
      sheets.splice(
        sheets.findIndex((s) => s.title === 'Проверка'),
        1,
      );
      removed = true;
    });
    const from = google.requests.length;
    try {
      await run();
    } finally {
      stop();
    }
    expect(removed).toBe(true);
    expect(sheetsCalls(from, SCHOOL)).toEqual([
      'spreadsheets.get (cells) 200',
      'batchUpdate 400',
      'spreadsheets.get 200',
      'batchUpdate 200',
    ]);
    expect(checkTabs(SCHOOL)).toHaveLength(1);
    const text = JSON.stringify(checkTabs(SCHOOL)[0]!.rows);
    expect(text).toContain('очень много');
  });
});
