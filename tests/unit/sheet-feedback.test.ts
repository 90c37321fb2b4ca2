import { describe, expect, it } from 'vitest';
import { feedbackPlan, inert } from '../../functions/core/sheet-feedback.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';

const issue = (
  cell: string,
  severity: 'error' | 'warning',
  message: string,
  value: string | null = null,
): ValidationIssue => ({
  workbook: 'школа',
  tab: 'Дорожная карта',
  cell,
  row: Number(cell.slice(1)),
  column: 'Статус',
  severity,
  code: 'not_in_list',
  message,
  value,
});

describe('feedback written back into a sheet', () => {
  it.each([
    ['=IMPORTXML("http://evil")', '\'=IMPORTXML("http://evil")'],
    ['+7 999', "'+7 999"],
    ['-1', "'-1"],
    ['@me', "'@me"],
    ['выполнено', 'выполнено'],
  ])('makes %j inert', (text, expected) => {
    expect(inert(text)).toBe(expected);
  });

  it('lists every finding, notes each cell once, and clears cells fixed since the last check', () => {
    const plan = feedbackPlan(
      [
        issue('H7', 'warning', 'Первое.'),
        issue('H7', 'error', 'Второе.', '=1+1'),
        issue('E5', 'warning', 'Срок не распознан.'),
      ],
      [
        { tab: 'Дорожная карта', cell: 'H7' },
        { tab: 'Дорожная карта', cell: 'B2' },
      ],
    );
    expect(plan.rows).toHaveLength(4);
    expect(plan.rows[2]).toEqual(['Дорожная карта', 'H7', 'Статус', 'ошибка', 'Второе.', "'=1+1"]);
    expect(plan.links[0]).toEqual({ tab: 'Дорожная карта', cell: 'H7' });
    expect(plan.marks).toEqual([
      { tab: 'Дорожная карта', cell: 'H7', note: 'Монитор 500+: Первое.\nВторое.', severity: 'error' },
      { tab: 'Дорожная карта', cell: 'E5', note: 'Монитор 500+: Срок не распознан.', severity: 'warning' },
    ]);
    expect(plan.clear).toEqual([{ tab: 'Дорожная карта', cell: 'B2' }]);
  });
});
