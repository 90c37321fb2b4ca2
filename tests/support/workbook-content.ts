/**
 * Test workbooks from rows by schema field, through the one workbook builder (core/workbook-sheets.ts):
 * headers, cell types and tab order come from schemas/tabs, so no test spells a header list.
 */
import { writeXlsx } from '../../functions/adapters/xlsx/workbook-writer.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import type { TabId } from '../../functions/core/tab-specs.js';
import {
  rawWorkbook,
  workbookSheets,
  type CellInput,
  type RowInput,
  type WorkbookContent,
} from '../../functions/core/workbook-sheets.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';

export const rules = monitoringRules();
export const FACTOR = 'Низкая учебная мотивация обучающихся';

/** «Регион» of the fictional «Условная область», school year 2026/2027. */
export const CONDITIONAL_REGION: RowInput = {
  subject: 'Условная область',
  educationAuthority: 'Министерство образования Условной области',
  authorityHead: 'Иванова Мария Петровна',
  authorityHeadPosition: 'Министр образования Условной области',
  regionalCoordinator: 'ГАУ ДПО «Институт развития образования»',
  place: 'г. Условный',
  schoolYear: '2026/2027',
};

/** A workbook of these tabs as an adapter hands it to the core, without a file. */
export const rawBook = (name: string, tabs: WorkbookContent['tabs']): RawWorkbook =>
  rawWorkbook(workbookSheets(rules.specs, { name, tabs }));

/** The same written as an .xlsx file. */
export const writeBook = (file: string, tabs: WorkbookContent['tabs']): Promise<void> =>
  writeXlsx(workbookSheets(rules.specs, { name: file, tabs }), file);

/** Headers of a tab, as its schema has them. */
export const headersOf = (tab: TabId): string[] => rules.specs.get(tab)?.columns.map((c) => c.header) ?? [];

/** A «Рисковый профиль» row of a factor at high risk, chosen for work and verified. */
export const chosenFactor = (riskFactor = FACTOR): RowInput => ({
  riskFactor,
  level: 'высокий',
  chosen: 'да',
  verified: 'да',
});

/** A «Дорожная карта» row: measure `number` of FACTOR due in October, in progress, unless `fields` say otherwise. */
export const measure = (number: string | number, fields: Record<string, CellInput> = {}): RowInput => ({
  number: String(number),
  riskFactor: FACTOR,
  task: 'Задача',
  activity: `Мероприятие ${number}`,
  deadline: 'октябрь',
  responsible: 'Директор',
  expectedResult: 'Отчёт',
  status: 'в работе',
  ...fields,
});
