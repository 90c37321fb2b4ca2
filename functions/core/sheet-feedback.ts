import { formatNumber } from './format-ru.js';
import type { ValidationIssue } from './validation-issue.js';

/** Name of the tab where a workbook's findings are listed for the people who edit it. */
export const FEEDBACK_TAB = 'Проверка';

/** A cell that carries our note and highlight. */
export interface MarkedCell {
  tab: string;
  cell: string;
  note: string;
  severity: 'error' | 'warning';
}

/** What to write into one spreadsheet: the findings tab, notes on cells, and stale marks to clear. */
export interface FeedbackPlan {
  /**
   * Rows written above the findings table (the school's submission status), absent when none:
   * plain text, already inert. The table follows after one empty row.
   */
  head?: string[][];
  /** Rows of the findings table, header first; every value is plain text. */
  rows: string[][];
  /** Per row (after the header): the tab and cell it points to, for a link. */
  links: ({ tab: string; cell: string } | undefined)[];
  marks: MarkedCell[];
  /** Cells marked last time and fine now: their note and highlight go. */
  clear: { tab: string; cell: string }[];
}

/** Text that a spreadsheet could take for a formula (= + - @) gets a leading apostrophe. */
export function inert(text: string): string {
  return /^[=+\-@]/.test(text) ? `'${text}` : text;
}

/**
 * Longest text a Google Sheets cell holds (50 000 characters); a longer one fails the whole
 * batchUpdate. A finding quotes what was typed, so a full cell makes a longer message.
 */
export const MAX_CELL_TEXT = 50_000;

/** Findings listed and cells marked at most: more would not fit one request, nor one person's afternoon. */
export const MAX_FEEDBACK_FINDINGS = 5_000;

function fitting(text: string): string {
  if (text.length <= MAX_CELL_TEXT) return text;
  let cut = MAX_CELL_TEXT - 1;
  // Never split a surrogate pair.
  if (/[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut--;
  return `${text.slice(0, cut)}…`;
}

const SEVERITY_TEXT = { error: 'ошибка', warning: 'предупреждение' } as const;

/**
 * The feedback for one workbook's findings, given the cells marked by the previous check; `head`:
 * rows to show above the findings (the submission status block), made inert here.
 */
export function feedbackPlan(
  issues: readonly ValidationIssue[],
  previouslyMarked: readonly { tab: string; cell: string }[],
  head: readonly (readonly string[])[] = [],
): FeedbackPlan {
  const rows = [['Лист', 'Ячейка', 'Столбец', 'Серьёзность', 'Что не так', 'Введено']];
  const links: FeedbackPlan['links'] = [];
  for (const issue of issues.slice(0, MAX_FEEDBACK_FINDINGS)) {
    rows.push(
      [
        issue.tab,
        issue.cell ?? '',
        issue.column ?? '',
        SEVERITY_TEXT[issue.severity],
        issue.message,
        issue.value === undefined || issue.value === null ? '' : String(issue.value),
      ].map((text) => fitting(inert(text))),
    );
    links.push(issue.cell ? { tab: issue.tab, cell: issue.cell } : undefined);
  }
  if (issues.length > MAX_FEEDBACK_FINDINGS) {
    rows.push([
      '',
      '',
      '',
      '',
      `Показаны первые ${formatNumber(MAX_FEEDBACK_FINDINGS)} находок из ${formatNumber(issues.length)}: исправьте их, и следующая проверка покажет остальные.`,
      '',
    ]);
    links.push(undefined);
  }
  // One note per cell: several findings on a cell are joined; an error outranks a warning.
  const byCell = new Map<string, MarkedCell>();
  for (const issue of issues) {
    if (!issue.cell || issue.row === 1) continue;
    const key = `${issue.tab}\u0000${issue.cell}`;
    const mark = byCell.get(key);
    if (mark) {
      mark.note = fitting(`${mark.note}\n${issue.message}`);
      if (issue.severity === 'error') mark.severity = 'error';
    } else {
      if (byCell.size === MAX_FEEDBACK_FINDINGS) continue;
      byCell.set(key, {
        tab: issue.tab,
        cell: issue.cell,
        note: fitting(`Монитор 500+: ${issue.message}`),
        severity: issue.severity,
      });
    }
  }
  const marks = [...byCell.values()];
  const clear = previouslyMarked.filter((p) => !byCell.has(`${p.tab}\u0000${p.cell}`));
  return {
    ...(head.length > 0 ? { head: head.map((row) => row.map((text) => fitting(inert(text)))) } : {}),
    rows,
    links,
    marks,
    clear,
  };
}
