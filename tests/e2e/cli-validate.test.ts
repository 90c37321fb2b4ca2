import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { root, runCli } from '../support/run-cli.js';

const school = (code: string) => path.join(root, 'examples', 'demo-region', 'schools', `${code}.xlsx`);

describe('monitor500 validate', () => {
  it('prints a school workbook’s findings for a person: tab, cell, column and what to do', async () => {
    const result = await runCli(['validate', school('56-002'), '--school-year', '2026/2027']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('«56-002.xlsx»: 2 ошибки, 0 предупреждений.');
    expect(result.stdout).toContain(
      'Ошибка: лист «Дорожная карта», ячейка H7 («Статус»): Значения «выполнен» нет в списке; возможно, имелось в виду «выполнено».',
    );
  });

  it('gives the same findings as JSON with every field of validation.json', async () => {
    const result = await runCli(['validate', school('56-005'), '--json', '--school-year', '2026/2027']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { kind: string; issues: ValidationIssue[] };
    expect(report.kind).toBe('school');
    const survey = report.issues.find((i) => i.cell === 'C4');
    expect(survey).toEqual({
      workbook: '56-005.xlsx',
      tab: 'Анкетирование',
      cell: 'C4',
      row: 4,
      column: 'Приняли участие',
      severity: 'error',
      code: 'not_integer',
      message: 'Нужно целое число, а введено «около 20».',
      value: 'около 20',
    });
  });

  it('recognises the registry and checks references between its tabs', async () => {
    const result = await runCli(['validate', path.join(root, 'examples', 'demo-region', 'registry.xlsx'), '--json']);
    const report = JSON.parse(result.stdout) as { kind: string; issues: ValidationIssue[] };
    expect(report.kind).toBe('registry');
    expect(report.issues.map((i) => i.code)).toContain('unknown_reference');
  });

  it('reports a clean workbook as clean', async () => {
    const result = await runCli(['validate', school('56-001'), '--school-year', '2026/2027']);
    expect(result.stdout.trim()).toBe('«56-001.xlsx»: ошибок не найдено.');
  });

  it('exits 1 with a Russian reason when the file is missing', async () => {
    const result = await runCli(['validate', school('56-999')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Ошибка: Файл «.*56-999\.xlsx» не найден\.\n$/);
  });
});
