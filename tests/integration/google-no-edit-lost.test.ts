/**
 * No edit is lost: a school edits its sheet at any moment of a run — between any two of our calls
 * to Google, during our read or our write-back — and the next run reads the edit; Drive's late
 * modifiedTime only delays it. A run here is what `monitor500 run` does with Google: read the
 * region through the unchanged-workbook cache, then write each workbook's findings back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleSheetsSource } from '../../functions/adapters/google/sheets-source.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { skipUnchangedWorkbooks } from '../../functions/adapters/google/unchanged-workbook-cache.js';
import { parseRawJson, type RawWorkbook } from '../../functions/core/raw-workbook.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { startFakeGoogleApis, type FakeGoogleApis, type FakeSpreadsheet } from '../support/fake-google/index.js';
import { demoRegionSheets } from '../support/demo-region-sheets.js';
import { productClients, readAndWriteBack } from '../support/product-google.js';

const REGISTRY_ID = 'registry-edits-0001';
const schoolId = (code: string) => `school-${code}-sheet`;
/** A clean school (never written into) and one whose findings are written back every time they change. */
const EDITED = [schoolId('56-001'), schoolId('56-002')];
const rules = monitoringRules();
const region: FakeSpreadsheet[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-edits-'));
  const { registry, schools } = await demoRegionSheets(REGISTRY_ID, schoolId);
  region.push(...schools.values(), registry);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One run against Google: read everything (the cache skips what Drive lists as unchanged), write findings back. */
async function run(google: FakeGoogleApis, out: string): Promise<void> {
  const clients = productClients(google.url, { concurrency: 1 });
  const source = skipUnchangedWorkbooks(
    googleSheetsSource(REGISTRY_ID, clients),
    REGISTRY_ID,
    clients,
    localOutputDir(out),
  );
  await readAndWriteBack(source, rules);
}

/** A school's edit: «Требуется» of the first «Анкетирование» row becomes `value`. */
function edit(google: FakeGoogleApis, id: string, value: number): void {
  const survey = google.spreadsheets.get(id)!.sheets.find((s) => s.title === 'Анкетирование')!;
  survey.rows[1]![1] = { ...survey.rows[1]![1]!, value };
  google.touch(id);
}

/** «Требуется» of the first «Анкетирование» row as the last run kept it. */
async function kept(out: string, id: string): Promise<unknown> {
  const bytes = await localOutputDir(out).read(`drive/raw/${id}.json`);
  const { workbook } = parseRawJson<{ workbook: RawWorkbook }>(Buffer.from(bytes!).toString('utf8'));
  return workbook.tabs.find((t) => t.name === 'Анкетирование')?.rows[1]?.[1]?.value;
}

async function freshRegion(): Promise<FakeGoogleApis> {
  const google = await startFakeGoogleApis();
  for (const spreadsheet of region) google.put(structuredClone(spreadsheet));
  return google;
}

describe('an edit made at any moment is read by the next run', () => {
  it('between every pair of calls of a run, in a clean workbook and in one we write into', async () => {
    // How many calls a first run makes: it reads every workbook and writes findings into some.
    const probe = await freshRegion();
    await run(probe, path.join(dir, 'probe'));
    const calls = probe.requests.length;
    expect(probe.requests.filter((r) => r.op === 'batchUpdate').length).toBeGreaterThan(0);
    await probe.close();

    for (let k = 0; k < calls; k++) {
      const google = await freshRegion();
      const out = path.join(dir, `edit-before-call-${k}`);
      try {
        const value = 500 + k;
        const stop = google.beforeAnswer(() => {
          if (google.requests.length - 1 !== k) return;
          for (const id of EDITED) edit(google, id, value);
        });
        await run(google, out);
        stop();
        await run(google, out);
        for (const id of EDITED) expect(await kept(out, id), `edit before call ${k} of ${calls}, ${id}`).toBe(value);
        // Once the edit is read, nothing is read again while nobody edits.
        await run(google, out);
        const quiet = google.requests.length;
        await run(google, out);
        expect(google.requests.slice(quiet).filter((r) => r.op !== 'files.list')).toEqual([]);
      } finally {
        await google.close();
      }
    }
  });

  it('when Drive shows the modification minutes late: the first run after it shows reads the edit', async () => {
    const google = await freshRegion();
    const out = path.join(dir, 'lag');
    try {
      await run(google, out);
      await run(google, out);
      google.setModifiedTimeLag(400);
      edit(google, EDITED[0]!, 777);
      await run(google, out);
      // Drive still lists the old time: the cached copy may be used; the edit is delayed, not lost.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await run(google, out);
      expect(await kept(out, EDITED[0]!)).toBe(777);
    } finally {
      await google.close();
    }
  });
});
