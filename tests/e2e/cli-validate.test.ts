import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { root, runCli } from '../support/run-cli.js';

const school = (code: string) => path.join(root, 'examples', 'demo-region', 'schools', `${code}.xlsx`);

describe('monitor500 validate', () => {
  it('prints a school workbook’s findings for a person, grouped by tab, and exits 1 on errors', async () => {
    const result = await runCli(['validate', school('56-002'), '--school-year', '2026/2027']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('«56-002.xlsx»: 2 ошибки, 0 предупреждений.');
    expect(result.stdout).toContain(
      'лист «Дорожная карта»:\n  ошибка, H7 («Статус»): Значения «выполнен» нет в списке; возможно, имелось в виду «выполнено».',
    );
  });

  it('exits 0 when there are only warnings', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(school('56-001'));
    const documents = workbook.getWorksheet('Документы')!;
    documents.getCell(1, documents.columnCount + 1).value = 'Примечание';
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'm500-validate-')), 'школа.xlsx');
    await workbook.xlsx.writeFile(file);
    const result = await runCli(['validate', file, '--school-year', '2026/2027']);
    expect(result.stdout).toMatch(/лист «Документы»:\n {2}предупреждение, [A-Z]+1 \(«Примечание»\)/);
    expect(result.code).toBe(0);
  });

  it('shows terminal controls and bidi characters typed into a sheet as escapes, never raw', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(school('56-001'));
    const documents = workbook.getWorksheet('Документы')!;
    // An unknown header (quoted in its warning) carrying a terminal escape sequence and a right-to-left override.
    documents.getCell(1, documents.columnCount + 1).value = 'Заметка\u001b[2J\u202eлиам';
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'm500-validate-')), 'школа.xlsx');
    await workbook.xlsx.writeFile(file);
    const result = await runCli(['validate', file, '--school-year', '2026/2027']);
    // The reader already drops the escape character itself; the override is shown, not obeyed.
    expect(result.stdout).toContain('F1 («Заметка[2J\\u202eлиам»)');
    expect(result.stdout).not.toMatch(/[\u001b\u202e]/);
  });

  it('gives the same findings as JSON with every field of validation.json', async () => {
    const result = await runCli(['validate', school('56-005'), '--json', '--school-year', '2026/2027']);
    expect(result.code).toBe(1);
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

  it('checks a registry with its references and the school workbooks it names', async () => {
    const result = await runCli(['validate', path.join(root, 'examples', 'demo-region', 'registry.xlsx'), '--json']);
    const report = JSON.parse(result.stdout) as { kind: string; issues: ValidationIssue[] };
    expect(report.kind).toBe('registry');
    expect(report.issues.map((i) => i.code)).toContain('unknown_reference');
    expect(report.issues.some((i) => i.workbook === 'schools/56-002.xlsx' && i.cell === 'H7')).toBe(true);
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
