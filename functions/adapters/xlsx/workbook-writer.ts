import ExcelJS from 'exceljs';
import { columnLetter } from '../../core/validation-issue.js';
import type { SheetCell, WorkbookSheets } from '../../core/workbook-sheets.js';
import { InfrastructureError } from '../../errors.js';

/** Hidden tab with the dropdown lists: Excel caps an inline list at 255 characters. */
const LISTS_TAB = 'Списки';

/** What exceljs stores for a laid-out cell: a value, a formula with its cached result, or a hyperlink. */
function cellValue(cell: SheetCell): ExcelJS.CellValue {
  if (cell.formula !== undefined) {
    const result = cell.error ? { error: cell.value as ExcelJS.CellErrorValue['error'] } : cell.value;
    return { formula: cell.formula, result: result ?? undefined } as ExcelJS.CellFormulaValue;
  }
  if (cell.link !== undefined) return { text: String(cell.value ?? cell.link), hyperlink: cell.link };
  return cell.value;
}

/**
 * Writes a laid-out workbook as .xlsx — a blank one (notes, dropdowns, formats on prepared rows) or a
 * filled one: every tab with a bold, frozen header row, the cells with their number formats,
 * formulas, links and merged ranges.
 */
export async function writeXlsx(book: WorkbookSheets, filePath: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = book.creator;
  if (book.created) {
    workbook.lastModifiedBy = book.creator;
    workbook.created = workbook.modified = book.created;
  }
  // Every distinct list gets a column of the hidden tab; dropdowns point at its range.
  const lists = new Map<string, string>();
  const listRange = (values: readonly string[]) => {
    const key = values.join('\u0000');
    if (!lists.has(key)) lists.set(key, columnLetter(lists.size));
    const column = lists.get(key) as string;
    return `${LISTS_TAB}!$${column}$1:$${column}$${values.length}`;
  };

  for (const tab of book.sheets) {
    const sheet = workbook.addWorksheet(tab.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    tab.widths.forEach((width, j) => (sheet.getColumn(j + 1).width = width));
    tab.rows.forEach((cells, r) => {
      cells.forEach((cell, j) => {
        if (cell.value === null && !cell.format && !cell.list && !cell.note) return;
        const target = sheet.getCell(r + 1, j + 1);
        if (cell.value !== null) target.value = cellValue(cell);
        if (cell.format) target.numFmt = cell.format;
        if (cell.note) target.note = cell.note;
        if (typeof cell.value === 'string' && cell.value.length > 60 && r > 0) {
          target.alignment = { wrapText: true, vertical: 'top' };
        }
        if (cell.list) {
          target.dataValidation = {
            type: 'list',
            allowBlank: !cell.list.required,
            formulae: [listRange(cell.list.values)],
            showErrorMessage: true,
            errorTitle: 'Значение не из списка',
            error: `Выберите значение из списка: ${cell.list.header}.`,
          };
        }
      });
    });
    sheet.getRow(1).font = { bold: true };
    for (const range of tab.merges) sheet.mergeCells(range);
  }
  if (lists.size > 0) {
    const listsSheet = workbook.addWorksheet(LISTS_TAB, { state: 'hidden' });
    for (const [key, column] of lists) {
      key.split('\u0000').forEach((value, i) => (listsSheet.getCell(`${column}${i + 1}`).value = value));
    }
  }
  try {
    await workbook.xlsx.writeFile(filePath);
  } catch (error) {
    throw new InfrastructureError('xlsx', `Не удалось записать «${filePath}».`, { cause: error });
  }
}
