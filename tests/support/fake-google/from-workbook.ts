import type { RawWorkbook } from '../../../functions/core/raw-workbook.js';
import { dateToSerial } from './render.js';
import type { FakeCell, FakeSpreadsheet } from './types.js';

/**
 * Converts a workbook as our xlsx reader returns it into a FakeSpreadsheet: Date → format 'date' (serial
 * days since 1899-12-30), percentFormat → 'percent' (the stored fraction). Title: the file name without
 * «.xlsx»; sheetIds 0, 1000001, 1000002…
 */
export function fakeSpreadsheetFromWorkbook(
  id: string,
  workbook: RawWorkbook,
  modifiedTime: string = new Date().toISOString(),
): FakeSpreadsheet {
  return {
    id,
    title: workbook.name.replace(/\.xlsx$/i, ''),
    modifiedTime,
    sheets: workbook.tabs.map((tab, i) => ({
      sheetId: i === 0 ? 0 : 1_000_000 + i,
      title: tab.name,
      rows: tab.rows.map((row) =>
        row.map((cell): FakeCell => {
          const { value } = cell;
          if (value instanceof Date) return { value: dateToSerial(value), format: 'date' };
          if (cell.percentFormat && typeof value === 'number') return { value, format: 'percent' };
          return { value };
        }),
      ),
    })),
  };
}
