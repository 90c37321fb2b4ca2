import { FEEDBACK_TAB } from '../core/sheet-feedback.js';
import type { ValidationIssue } from '../core/validation-issue.js';
import type { WorkbookSource } from './ports/workbook-source.js';
import type { RegionReading } from './read-region.js';

/**
 * Each workbook that can take it gets its findings back where people type (Google Sheets): the
 * schools' first, then the registry's (`which: 'all'`), which then also lists the schools whose
 * workbook refused them. A refusal is a finding (the answer), never a failed run. `heads`: rows
 * shown above a school's findings (its submission status, `app/submission-status.ts`), by the
 * workbook's name.
 */
export async function writeFeedback(
  source: WorkbookSource,
  { registry, participants, issues }: RegionReading,
  which: 'all' | 'schools',
  heads?: ReadonlyMap<string, readonly (readonly string[])[]>,
): Promise<ValidationIssue[]> {
  if (!source.writeFeedback) return [];
  const refusals: ValidationIssue[] = [];
  for (const { row, reading } of participants) {
    if (!reading) continue;
    const head = heads?.get(reading.name);
    const why = await source.writeFeedback(
      reading.name,
      issues.filter((i) => i.workbook === reading.name),
      ...(head ? [head] : []),
    );
    if (!why) continue;
    refusals.push({
      workbook: registry.name,
      tab: 'Школы',
      cell: row.cells.workbook,
      row: row.row,
      column: 'Таблица школы',
      value: row.values.workbook ?? null,
      severity: 'warning',
      code: 'feedback_not_written',
      message: `Замечания не записаны в таблицу школы ${row.values.code}: ${why} Данные школы прочитаны и учтены.`,
    });
  }
  if (which === 'all') {
    const own = [...issues, ...refusals].filter((i) => i.workbook === registry.name);
    const why = await source.writeFeedback(registry.name, own);
    if (why) {
      refusals.push({
        workbook: registry.name,
        tab: FEEDBACK_TAB,
        severity: 'warning',
        code: 'feedback_not_written',
        message: `Замечания не записаны в таблицу-реестр: ${why} Данные реестра прочитаны и учтены.`,
      });
    }
  }
  return refusals;
}
