import ExcelJS from 'exceljs';
import type { BlankColumn, BlankTab } from '../../core/blank-workbook.js';
import { columnLetter } from '../../core/validation-issue.js';
import { InfrastructureError } from '../../errors.js';

/** Rows of a blank sheet that get dropdowns and formats. */
const PREPARED_ROWS = 1000;
/** Hidden tab with the dropdown lists: Excel caps an inline list at 255 characters. */
const LISTS_TAB = 'Списки';

const NUMBER_FORMATS: Record<BlankColumn['format'], string | undefined> = {
  text: '@',
  int: '0',
  number: undefined,
  percent: '0%',
  date: 'dd.mm.yyyy',
};

/** Writes a blank workbook: headers with notes, frozen header row, dropdowns, date and percent formats. */
export async function writeBlankXlsx(tabs: readonly BlankTab[], filePath: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Монитор 500+';
  // Every distinct list gets a column of the hidden tab; dropdowns point at its range.
  const lists = new Map<string, { column: string; values: readonly string[] }>();
  for (const column of tabs.flatMap((t) => t.columns)) {
    const key = column.list?.join('\u0000');
    if (column.list && key !== undefined && !lists.has(key)) {
      lists.set(key, { column: columnLetter(lists.size), values: column.list });
    }
  }
  const listRange = (values: readonly string[]) => {
    const list = lists.get(values.join('\u0000'));
    return list ? `${LISTS_TAB}!$${list.column}$1:$${list.column}$${values.length}` : '';
  };
  const prepare = (sheet: ExcelJS.Worksheet, column: BlankColumn, addresses: string[]) => {
    const format = NUMBER_FORMATS[column.format];
    for (const address of addresses) {
      const cell = sheet.getCell(address);
      if (format) cell.numFmt = format;
      if (column.list) {
        cell.dataValidation = {
          type: 'list',
          allowBlank: !column.required,
          formulae: [listRange(column.list)],
          showErrorMessage: true,
          errorTitle: 'Значение не из списка',
          error: `Выберите значение из списка: ${column.header}.`,
        };
      }
    }
  };

  for (const tab of tabs) {
    const sheet = workbook.addWorksheet(tab.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    if (tab.layout === 'key-value') {
      sheet.columns = [
        { header: 'Параметр', width: 36 },
        { header: 'Значение', width: 60 },
      ];
      tab.columns.forEach((column, i) => {
        const name = sheet.getCell(`A${i + 2}`);
        name.value = column.header;
        name.note = column.note;
        prepare(sheet, column, [`B${i + 2}`]);
      });
    } else {
      sheet.columns = tab.columns.map((column) => ({
        header: column.header,
        width: Math.min(60, Math.max(14, column.header.length + 4, column.format === 'text' ? 28 : 14)),
      }));
      tab.columns.forEach((column, i) => {
        sheet.getCell(1, i + 1).note = column.note;
        const letter = columnLetter(i);
        prepare(
          sheet,
          column,
          Array.from({ length: PREPARED_ROWS }, (_, r) => `${letter}${r + 2}`),
        );
      });
    }
    sheet.getRow(1).font = { bold: true };
  }
  const listsSheet = workbook.addWorksheet(LISTS_TAB, { state: 'hidden' });
  for (const { column, values } of lists.values()) {
    values.forEach((value, i) => (listsSheet.getCell(`${column}${i + 1}`).value = value));
  }
  try {
    await workbook.xlsx.writeFile(filePath);
  } catch (error) {
    throw new InfrastructureError('xlsx', `Не удалось записать «${filePath}».`, { cause: error });
  }
}
