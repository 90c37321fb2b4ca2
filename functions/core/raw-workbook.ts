/** A spreadsheet cell as an adapter read it, before any interpretation. */
export type RawCellValue = string | number | boolean | Date | null;

/** One cell: its value and whether the spreadsheet formats it as a percent (then a number is a fraction 0–1). */
export interface RawCell {
  value: RawCellValue;
  percentFormat?: boolean;
}

/** One tab: rows of cells, row 0 is spreadsheet row 1 (the headers). */
export interface RawTab {
  name: string;
  rows: RawCell[][];
}

/** A whole workbook as read from an .xlsx file or a Google spreadsheet. */
export interface RawWorkbook {
  /** What users call it: the file name or the spreadsheet title. */
  name: string;
  tabs: RawTab[];
}
