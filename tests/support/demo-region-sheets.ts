/**
 * The demo region as Google spreadsheets for the fake Sheets API: «Таблица школы» holds spreadsheet
 * IDs instead of file names.
 */
import path from 'node:path';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import { fakeSpreadsheetFromWorkbook, type FakeSpreadsheet } from './fake-google/index.js';
import { root } from './run-cli.js';

const DEMO = path.join(root, 'examples', 'demo-region');

/** The registry and each participant's workbook (by school code), as spreadsheets modified at `modifiedTime`. */
export async function demoRegionSheets(
  registryId: string,
  schoolId: (code: string) => string,
  modifiedTime = '2026-11-01T10:00:00Z',
): Promise<{ registry: FakeSpreadsheet; schools: Map<string, FakeSpreadsheet> }> {
  const registry = await readXlsxWorkbook(path.join(DEMO, 'registry.xlsx'), 20);
  const tab = registry.tabs.find((t) => t.name === 'Школы')!;
  const column = tab.rows[0]!.findIndex((c) => c.value === 'Таблица школы');
  const schools = new Map<string, FakeSpreadsheet>();
  for (const row of tab.rows.slice(1)) {
    const cell = row[column];
    if (typeof cell?.value !== 'string' || !cell.value) continue;
    const code = path.basename(cell.value, '.xlsx');
    const workbook = await readXlsxWorkbook(path.join(DEMO, cell.value), 20);
    schools.set(code, fakeSpreadsheetFromWorkbook(schoolId(code), workbook, modifiedTime));
    row[column] = { value: schoolId(code) };
  }
  return { registry: fakeSpreadsheetFromWorkbook(registryId, registry, modifiedTime), schools };
}
