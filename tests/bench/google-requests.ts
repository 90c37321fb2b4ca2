/**
 * Google requests per workbook: the generated region as Google spreadsheets on the local fake of
 * Sheets v4 / Drive v3 (tests/support/fake-google/), read through the product's own source
 * (googleSheetsSource + skipUnchangedWorkbooks) with findings written back, three runs in a row:
 * every workbook new; the next run, which reads once more what it wrote into; then nothing changed.
 * Counts requests, not time: the fake answers at once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGoogleClients } from '../../functions/adapters/google/clients.js';
import { googleSheetsSource } from '../../functions/adapters/google/sheets-source.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { skipUnchangedWorkbooks } from '../../functions/adapters/google/unchanged-workbook-cache.js';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { readRegion } from '../../functions/app/read-region.js';
import { fakeSpreadsheetFromWorkbook, startFakeGoogleApis } from '../support/fake-google/index.js';

/** Requests of one run, by kind. */
export interface GoogleRunRequests {
  /** Workbooks whose cells were read (one spreadsheets.get with grid data each). */
  workbooksRead: number;
  /** Sheets API requests that read cells, in all. */
  cellReads: number;
  /** Other Sheets requests (tab lists before a write-back) and write-backs. */
  metadataReads: number;
  writes: number;
  /** Drive listings (pages of files.list). */
  driveListings: number;
}

export interface GoogleRequestsResult {
  workbooks: number;
  first: GoogleRunRequests;
  afterWriteBack: GoogleRunRequests;
  unchanged: GoogleRunRequests;
  /** Cell-reading requests per workbook read in the first run (target 1). */
  readsPerChangedWorkbook: number;
  /** Cell-reading requests per workbook when nothing changed (target 0). */
  readsPerUnchangedWorkbook: number;
}

export async function googleRequests(
  registryPath: string,
  references: readonly string[],
): Promise<GoogleRequestsResult> {
  const google = await startFakeGoogleApis();
  const out = await mkdtemp(path.join(tmpdir(), 'monitor500-bench-google-'));
  try {
    const base = path.dirname(registryPath);
    const registry = await readXlsxWorkbook(registryPath, 20);
    const idOf = (reference: string) => `bench-${reference.replace(/[^A-Za-z0-9]/g, '-')}-sheet`;
    // The registry names spreadsheets instead of files.
    const schools = registry.tabs.find((t) => t.name === 'Школы');
    const column = schools?.rows[0]?.findIndex((c) => c.value === 'Таблица школы') ?? -1;
    for (const row of schools?.rows.slice(1) ?? []) {
      const cell = row[column];
      if (cell && typeof cell.value === 'string' && references.includes(cell.value))
        row[column] = { value: idOf(cell.value) };
    }
    for (const reference of references) {
      google.put(
        fakeSpreadsheetFromWorkbook(
          idOf(reference),
          await readXlsxWorkbook(path.resolve(base, reference), 20),
          '2026-11-01T10:00:00Z',
        ),
      );
    }
    google.put(fakeSpreadsheetFromWorkbook('bench-registry-sheet', registry, '2026-11-01T10:00:00Z'));
    const rules = monitoringRules();
    const run = async (): Promise<GoogleRunRequests> => {
      const from = google.requests.length;
      const clients = createGoogleClients({
        apiRoot: google.url,
        accessToken: 'bench-token',
        requestsPerMinute: 1_000_000,
        driveRequestsPerMinute: 1_000_000,
        concurrency: 8,
        timeoutMs: 30_000,
      });
      const source = skipUnchangedWorkbooks(
        googleSheetsSource('bench-registry-sheet', clients),
        'bench-registry-sheet',
        clients,
        localOutputDir(out),
      );
      const reading = await readRegion(source, rules);
      for (const name of [...reading.participants.flatMap((p) => p.reading?.name ?? []), reading.registry.name]) {
        await source.writeFeedback?.(
          name,
          reading.issues.filter((i) => i.workbook === name),
        );
      }
      const requests = google.requests.slice(from);
      const cellReads = requests.filter((r) => r.op === 'spreadsheets.get' && r.query.includeGridData?.[0] === 'true');
      return {
        workbooksRead: new Set(cellReads.map((r) => r.spreadsheetId)).size,
        cellReads: cellReads.length + requests.filter((r) => r.op.startsWith('values.')).length,
        metadataReads: requests.filter((r) => r.op === 'spreadsheets.get').length - cellReads.length,
        writes: requests.filter((r) => r.op === 'batchUpdate').length,
        driveListings: requests.filter((r) => r.op === 'files.list').length,
      };
    };
    const first = await run();
    const afterWriteBack = await run();
    const unchanged = await run();
    const workbooks = references.length + 1;
    return {
      workbooks,
      first,
      afterWriteBack,
      unchanged,
      readsPerChangedWorkbook: first.cellReads / Math.max(1, first.workbooksRead),
      readsPerUnchangedWorkbook: unchanged.cellReads / workbooks,
    };
  } finally {
    await google.close();
    await rm(out, { recursive: true, force: true });
  }
}
