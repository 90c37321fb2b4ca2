import type { CellType } from './coerce-cell.js';
import type { ColumnSpec, TabSpec } from './tab-specs.js';

/** How a column of a blank sheet is set up: header, note, dropdown and number format. */
export interface BlankColumn {
  header: string;
  note: string;
  /** Dropdown values (enums and да/нет). */
  list?: readonly string[];
  format: 'text' | 'int' | 'number' | 'percent' | 'date';
  required: boolean;
}

/** One tab of a blank workbook. */
export interface BlankTab {
  title: string;
  /** key-value: a «Параметр | Значение» tab whose parameters are pre-filled rows. */
  layout: 'table' | 'key-value';
  columns: BlankColumn[];
}

const FORMATS: Record<CellType, BlankColumn['format']> = {
  text: 'text',
  ref: 'text',
  url: 'text',
  email: 'text',
  period: 'text',
  enum: 'text',
  bool: 'text',
  int: 'int',
  number: 'number',
  percent: 'percent',
  date: 'date',
};

/** How a blank sheet sets up one column of the contract. */
export function blankColumn(column: ColumnSpec): BlankColumn {
  return {
    header: column.header,
    note: column.description + (column.required ? ' Обязательно.' : ''),
    ...(column.cell.type === 'bool' ? { list: ['да', 'нет'] } : column.cell.values ? { list: column.cell.values } : {}),
    format: FORMATS[column.cell.type],
    required: column.required,
  };
}

/** The layout of a blank registry or school workbook, derived from the tab schemas alone. */
export function blankWorkbook(specs: Iterable<TabSpec>, kind: 'registry' | 'school'): BlankTab[] {
  return [...specs]
    .filter((spec) => spec.workbook === kind)
    .map((spec) => ({ title: spec.title, layout: spec.layout, columns: spec.columns.map(blankColumn) }));
}
