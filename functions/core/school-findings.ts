import type { ParticipantReading, WorkbookReading } from './read-workbook.js';
import type { ValidationIssue } from './validation-issue.js';

/** A participant's own findings: those in its workbook, and those on its row of the registry's «Школы». */
export interface SchoolFindings {
  workbook: ValidationIssue[];
  registry: ValidationIssue[];
}

/**
 * Each participant's own findings, in the participants' order, each finding once: what the school's
 * report counts and, where the run wrote no «Проверка» tab into the school's table, lists.
 */
export function schoolFindings(
  registry: WorkbookReading,
  participants: readonly ParticipantReading[],
  issues: readonly ValidationIssue[],
): SchoolFindings[] {
  // Grouped once: a region has thousands of findings.
  const byWorkbook = new Map<string, ValidationIssue[]>();
  for (const issue of issues) {
    const group = byWorkbook.get(issue.workbook);
    if (group) group.push(issue);
    else byWorkbook.set(issue.workbook, [issue]);
  }
  const schoolsTab = registry.tabs.schools?.title;
  const byRow = new Map<number | undefined, ValidationIssue[]>();
  for (const issue of byWorkbook.get(registry.name) ?? []) {
    if (issue.tab !== schoolsTab) continue;
    const group = byRow.get(issue.row);
    if (group) group.push(issue);
    else byRow.set(issue.row, [issue]);
  }
  return participants.map(({ row, reading }) => ({
    workbook: reading ? (byWorkbook.get(reading.name) ?? []) : [],
    registry: (byRow.get(row.row) ?? []).filter((i) => !(reading && i.workbook === reading.name)),
  }));
}
