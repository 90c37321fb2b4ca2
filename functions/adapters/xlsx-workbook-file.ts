import { stat } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { RawCell, RawCellValue, RawTab, RawWorkbook } from '../core/raw-workbook.js';
import { InfrastructureError } from '../errors.js';

/** Reads an .xlsx file into plain rows of cells; throws InfrastructureError when the file cannot be read. */
export async function readXlsxWorkbook(filePath: string, maxMegabytes: number): Promise<RawWorkbook> {
  const name = path.basename(filePath);
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) throw new InfrastructureError('xlsx', `«${filePath}» — не файл.`, { reason: 'not_found' });
    size = info.size;
  } catch (error) {
    if (error instanceof InfrastructureError) throw error;
    throw new InfrastructureError('xlsx', `Файл «${filePath}» не найден.`, { cause: error, reason: 'not_found' });
  }
  if (size > maxMegabytes * 1024 * 1024) {
    throw new InfrastructureError(
      'xlsx',
      `Файл «${filePath}» больше допустимых ${String(maxMegabytes).replace('.', ',')} МБ (${(size / 1024 / 1024).toFixed(1).replace('.', ',')} МБ).`,
      { reason: 'too_large' },
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(filePath);
  } catch (error) {
    throw new InfrastructureError('xlsx', `Файл «${filePath}» не читается как таблица .xlsx.`, {
      cause: error,
      reason: 'unreadable',
    });
  }
  const tabs: RawTab[] = [];
  workbook.eachSheet((sheet) => {
    const rows: RawCell[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells: RawCell[] = [];
      row.eachCell({ includeEmpty: true }, (cell, columnNumber) => {
        cells[columnNumber - 1] = {
          value: plainValue(cell.value),
          ...(typeof cell.numFmt === 'string' && cell.numFmt.includes('%') ? { percentFormat: true } : {}),
        };
      });
      rows[rowNumber - 1] = Array.from(cells, (c) => c ?? { value: null });
    });
    tabs.push({ name: sheet.name, rows: Array.from(rows, (r) => r ?? []) });
  });
  return { name, tabs };
}

/** Flattens exceljs's rich values (formulas, rich text, links, errors) to what the cell shows. */
function plainValue(value: ExcelJS.CellValue): RawCellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as ExcelJS.CellFormulaValue).result;
      if (result === undefined || result === null) return null;
      if (typeof result === 'object' && !(result instanceof Date))
        return 'error' in result ? String(result.error) : null;
      return result;
    }
    if ('hyperlink' in value)
      return (value as ExcelJS.CellHyperlinkValue).text ?? (value as ExcelJS.CellHyperlinkValue).hyperlink;
    if ('error' in value) return String((value as ExcelJS.CellErrorValue).error);
  }
  return String(value);
}
