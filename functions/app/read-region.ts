import type { WorkbookSource } from './ports/workbook-source.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type ParticipantReading,
  type WorkbookReading,
} from '../core/read-workbook.js';
import type { SchoolsRow } from '../core/tab-types.generated.js';
import type { ValidationIssue } from '../core/validation-issue.js';
import { InfrastructureError } from '../errors.js';
import type { MonitoringRules } from '../monitoring-rules.js';

/** The whole region as read: registry, every participant's workbook, every finding. */
export interface RegionReading {
  registry: WorkbookReading;
  participants: ParticipantReading[];
  issues: ValidationIssue[];
}

/**
 * Reads the registry and the workbook of every participant it names. A school whose workbook
 * cannot be read becomes a finding on its «Таблица школы» cell; the other schools go on. So does a
 * school whose part of the run did not complete by the stage's deadline (`notArrived`): its
 * workbook is not read, and the run goes on without its data.
 */
export async function readRegion(
  source: WorkbookSource,
  rules: MonitoringRules,
  options: {
    /** Called before each school's workbook is read: the school, its index (0-based), the number of participants. */
    onSchool?: (school: SchoolsRow, index: number, count: number) => void;
    /** Read only the workbooks of the participants it accepts (one school's part of a run, one document). */
    only?: (school: SchoolsRow) => boolean;
    /**
     * Codes of the participants whose part of the run did not complete by the stage's deadline (in
     * the cloud: their worker's message never completed). Their workbooks are not read: each is
     * `not_arrived`, with a finding on its «Таблица школы» cell.
     */
    notArrived?: ReadonlySet<string>;
  } = {},
): Promise<RegionReading> {
  const registry = readRegistryWorkbook(await source.readRegistry(), rules.specs, rules.settings);
  const issues: ValidationIssue[] = [...registry.issues];
  const participants: ParticipantReading[] = [];
  const rows = usableRows(registry, 'schools').filter(
    (r) => r.values.participant && (options.only?.(r.values) ?? true),
  );
  const schoolsTab = rules.specs.get('schools')?.title ?? 'Школы';
  for (const [index, row] of rows.entries()) {
    const school = row.values;
    // A finding on the school's «Таблица школы» cell in the registry.
    const onWorkbookCell = (code: 'school_not_arrived' | 'workbook_unreadable', message: string): ValidationIssue => ({
      workbook: registry.name,
      tab: schoolsTab,
      cell: row.cells.workbook,
      row: row.row,
      column: 'Таблица школы',
      severity: 'error',
      code,
      message,
      value: school.workbook,
    });
    if (school.workbook && options.notArrived?.has(school.code)) {
      issues.push(
        onWorkbookCell(
          'school_not_arrived',
          `Таблица школы ${school.code} не обработана к сроку этапа: работа по школе не завершилась. Школа учтена в отчётах без данных своей таблицы; её данные войдут в следующий прогон.`,
        ),
      );
      // (A school without a table named had nothing to read: that, not the deadline, is what it lacks — below.)
      participants.push({ row, status: 'not_arrived', reading: undefined });
      continue;
    }
    options.onSchool?.(school, index, rows.length);
    if (!school.workbook) {
      participants.push({ row, status: 'not_named', reading: undefined });
      continue;
    }
    try {
      const raw = await source.readSchoolWorkbook(school.workbook);
      const reading = readSchoolWorkbook(raw, rules.specs, rules.settings, registry.schoolYear);
      issues.push(...reading.issues);
      participants.push({ row, status: 'read', reading });
    } catch (error) {
      // Quota kept refusing: nothing is wrong with the school's table, so the read is tried again later.
      if (!(error instanceof InfrastructureError) || error.reason === 'busy') throw error;
      issues.push(
        onWorkbookCell(
          'workbook_unreadable',
          `Таблица школы ${school.code} не прочитана: ${error.message} Школа учтена в отчётах без данных своей таблицы.`,
        ),
      );
      participants.push({ row, status: error.reason === 'not_found' ? 'missing' : 'unreadable', reading: undefined });
    }
  }
  return { registry, participants, issues };
}
