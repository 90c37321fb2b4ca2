/** One finding about the data people typed, located to the cell. */
export interface ValidationIssue {
  workbook: string;
  tab: string;
  /** A1 notation; absent when the issue concerns a whole tab or workbook. */
  cell?: string;
  /** Spreadsheet row number (1-based); absent for tab- or workbook-level issues. */
  row?: number;
  /** The column header as the contract spells it. */
  column?: string;
  severity: 'error' | 'warning';
  code: IssueCode;
  /** Russian, for the person who will fix the sheet. */
  message: string;
  /** The offending value as it was typed. */
  value?: string | number | boolean | null;
}

/** Machine-readable kinds of findings. */
export type IssueCode =
  | 'missing_tab'
  | 'missing_column'
  | 'missing_header'
  | 'unknown_column'
  | 'duplicate_column'
  | 'required'
  | 'not_text'
  | 'too_long'
  | 'not_integer'
  | 'not_number'
  | 'not_percent'
  | 'not_date'
  | 'not_bool'
  | 'not_url'
  | 'not_email'
  | 'not_in_list'
  | 'out_of_range'
  | 'unparsed_period'
  | 'duplicate'
  | 'unknown_reference'
  | 'exceeds'
  | 'too_many_chosen'
  | 'factor_not_chosen'
  | 'workbook_unreadable'
  | 'school_not_arrived'
  | 'feedback_not_written'
  | 'too_many_rows'
  | 'formula_error'
  | 'invalid_value'
  | 'stage_calendar';

/** Column letters for a 0-based column index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Letters of the first columns, made once: an address is made for every cell read. */
const LETTERS = Array.from({ length: 256 }, (_, index) => columnLetter(index));

/** A1 address of a 0-based column and a 1-based row. */
export function cellAddress(columnIndex: number, row: number): string {
  return `${LETTERS[columnIndex] ?? columnLetter(columnIndex)}${row}`;
}

/**
 * Row and column (both 1-based) of an A1 address such as «H7», «$B$2» or «xfd1»; undefined when
 * the text is no address. The inverse of cellAddress.
 */
export function cellPosition(address: string): { row: number; column: number } | undefined {
  let column = 0;
  let i = 0;
  for (; i < address.length; i++) {
    if (address.charCodeAt(i) === 0x24 /* $ */) continue;
    const code = address.charCodeAt(i) | 0x20; // lower case
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  let row = 0;
  for (; i < address.length; i++) {
    const code = address.charCodeAt(i);
    if (code === 0x24) continue;
    if (code < 0x30 || code > 0x39) return undefined;
    row = row * 10 + (code - 0x30);
  }
  return column > 0 && row > 0 ? { row, column } : undefined;
}
