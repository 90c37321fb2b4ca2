import type { RawWorkbook } from '../../core/raw-workbook.js';
import type { ValidationIssue } from '../../core/validation-issue.js';

/** Where the registry and the school workbooks come from. */
export interface WorkbookSource {
  readRegistry(): Promise<RawWorkbook>;
  /** Reads the workbook named in «Таблица школы». */
  readSchoolWorkbook(reference: string): Promise<RawWorkbook>;
  /**
   * A stamp of a workbook's present state that costs no read of it (a file's size, modification
   * and change times): the same stamp means the same values. `reference` as in «Таблица школы»;
   * without it, the registry. Undefined where the source cannot tell without reading.
   */
  stamp?(reference?: string): Promise<string | undefined>;
  /**
   * Writes a workbook's findings back into it, where the source can (Google Sheets); `name` as
   * read. Answers why, in Russian, when the workbook refused the write (no right to edit, a
   * protected range…): the run goes on and reports it.
   */
  writeFeedback?(
    name: string,
    issues: readonly ValidationIssue[],
    /** Rows shown above the findings (a school's submission status), plain text. */
    head?: readonly (readonly string[])[],
  ): Promise<string | undefined>;
  /**
   * Replaces a tab the program owns (the registry's «Сдача таблиц») with these rows of plain text,
   * header first, where the source can (Google Sheets); `name` as read. Answers why, in Russian,
   * when the workbook refused the write.
   */
  writeTab?(name: string, title: string, rows: readonly (readonly string[])[]): Promise<string | undefined>;
}
