import { describe, expect, it } from 'vitest';
import { documentCatalogue } from '../../functions/core/documents/catalogue.js';
import { schoolReportView } from '../../functions/core/documents/reports.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { documentHtml } from '../../functions/render/document-html.js';
import { fixtureIndicators, fixtureModel } from '../support/fixture-region.js';

describe('school report view', () => {
  it('lists at most 30 overdue measures, earliest first, and says how many more the school table has', () => {
    const indicators = fixtureIndicators();
    const school = Object.values(indicators.schools).find((s) => s.roadmap.overdueItems.length > 0)!;
    expect(school, 'a fixture school with an overdue measure').toBeDefined();
    const model = school.roadmap.overdueItems[0]!;
    // A school whose roadmap has 1 234 overdue rows (a careless or hostile sheet).
    const many = Array.from({ length: 1234 }, (_, i) => ({ ...model, number: String(i + 1) }));
    const view = schoolReportView(
      indicators,
      { region: {}, municipalities: [], schools: [] },
      {
        ...school,
        roadmap: { ...school.roadmap, overdueItems: many },
      },
    );
    expect(view.roadmap.overdueItems.map((i) => i.number)).toEqual(many.slice(0, 30).map((i) => i.number));
    expect(view.roadmap.overdueNotListed).toBe(
      'Показаны первые 30; ещё 1204 просроченных мероприятия — в таблице школы.',
    );
  });

  it('lists every overdue measure when there are few', () => {
    const indicators = fixtureIndicators();
    const school = Object.values(indicators.schools).find((s) => s.roadmap.overdueItems.length > 0)!;
    const view = schoolReportView(indicators, { region: {}, municipalities: [], schools: [] }, school);
    expect(view.roadmap.overdueItems).toHaveLength(school.roadmap.overdueItems.length);
    expect(view.roadmap.overdueNotListed).toBe('');
  });
});

describe('school report: where the school reads its findings', () => {
  const facts = { region: {}, municipalities: [], schools: [] };
  /** The report of fixture school Б (01-002: a warning on E5, then an error on H6 of «Дорожная карта»). */
  const reportOf = (feedbackInSheets: boolean) =>
    documentCatalogue(fixtureModel('2026-11-20', 'промежуточный', feedbackInSheets)).find(
      (d) => d.scope.level === 'school' && d.scope.code === '01-002',
    )!;

  it('lists the findings in the report, errors first, when the workbooks are files the school never gets back', () => {
    const view = reportOf(false).view as ReturnType<typeof schoolReportView>;
    expect(view.dataQuality.whereListed).toBe('ниже');
    expect(view.dataQuality.findings).toEqual([
      expect.objectContaining({ severity: 'Ошибка', tab: '«Дорожная карта»', cell: 'H6' }),
      expect.objectContaining({ severity: 'Предупреждение', tab: '«Дорожная карта»', cell: 'E5' }),
    ]);
    expect(view.dataQuality.notListed).toBe('');
    const html = documentHtml('school-report', view);
    expect(html).toContain('1 ошибка, 1 предупреждение (перечень — ниже).');
    expect(html).toContain('Значения «выполнен» нет в списке');
    expect(html).toContain('<td>H6</td>');
    expect(html).not.toContain('Проверка');
    expect(html).not.toContain('validation.json');
  });

  it('sends the school to the «Проверка» tab of its own table when the run wrote the findings there', () => {
    const view = reportOf(true).view as ReturnType<typeof schoolReportView>;
    expect(view.dataQuality.whereListed).toBe('на листе «Проверка» таблицы школы');
    expect(view.dataQuality.findings).toEqual([]);
    const html = documentHtml('school-report', view);
    expect(html).toContain('1 ошибка, 1 предупреждение (перечень — на листе «Проверка» таблицы школы).');
    expect(html).not.toContain('Значения «выполнен» нет в списке');
  });

  it('lists the findings when the school’s table refused them, naming the registry’s own', () => {
    const indicators = fixtureIndicators();
    const school = indicators.schools['01-002']!;
    const refusal: ValidationIssue = {
      workbook: 'реестр.xlsx',
      tab: 'Школы',
      cell: 'G3',
      row: 3,
      severity: 'warning',
      code: 'feedback_not_written',
      message: 'Замечания не записаны в таблицу школы 01-002: нет права на редактирование.',
    };
    const view = schoolReportView(indicators, facts, { ...school, errors: 0, warnings: 1 }, undefined, {
      inSheets: true,
      findings: { workbook: [], registry: [refusal] },
    });
    expect(view.dataQuality.whereListed).toBe('ниже');
    expect(view.dataQuality.findings).toEqual([
      { severity: 'Предупреждение', tab: 'Реестр, «Школы»', cell: 'G3', message: refusal.message },
    ]);
  });

  it('shows a quoted value without the invisible characters that would reorder the text', () => {
    const indicators = fixtureIndicators();
    const school = indicators.schools['01-002']!;
    const typed: ValidationIssue = {
      workbook: 'b.xlsx',
      tab: 'Анкетирование',
      cell: 'C4',
      severity: 'error',
      code: 'not_integer',
      message: 'Нужно целое число, а введено «\u202eоколо 20\u202c».',
    };
    const view = schoolReportView(indicators, facts, { ...school, errors: 1, warnings: 0 }, undefined, {
      inSheets: false,
      findings: { workbook: [typed], registry: [] },
    });
    expect(view.dataQuality.findings[0]!.message).toBe('Нужно целое число, а введено «около 20».');
  });

  it('lists the first 30 and says how many more the regional coordinator has', () => {
    const indicators = fixtureIndicators();
    const school = indicators.schools['01-002']!;
    const finding = (i: number, severity: ValidationIssue['severity']): ValidationIssue => ({
      workbook: 'b.xlsx',
      tab: 'Дорожная карта',
      cell: `H${i + 2}`,
      severity,
      code: 'invalid_value',
      message: `Замечание ${i}`,
    });
    const view = (warnings: number) =>
      schoolReportView(indicators, facts, { ...school, errors: 5, warnings }, undefined, {
        inSheets: false,
        findings: {
          workbook: [
            ...Array.from({ length: warnings }, (_, i) => finding(i, 'warning')),
            ...Array.from({ length: 5 }, (_, i) => finding(100 + i, 'error')),
          ],
          registry: [],
        },
      }).dataQuality;
    const many = view(40);
    expect(many.findings).toHaveLength(30);
    expect(many.findings.slice(0, 5).map((f) => f.severity)).toEqual(Array(5).fill('Ошибка'));
    expect(many.findings[5]!.severity).toBe('Предупреждение');
    expect(many.notListed).toBe('Показаны первые 30; ещё 15 замечаний — у регионального координатора.');
    expect(view(26).notListed).toBe('Показаны первые 30; ещё 1 замечание — у регионального координатора.');
    expect(view(28).notListed).toBe('Показаны первые 30; ещё 3 замечания — у регионального координатора.');
    expect(view(25).notListed).toBe('');
  });

  it('points nowhere when the school has no findings', () => {
    const view = reportOf(false).view as ReturnType<typeof schoolReportView>;
    const clean = documentCatalogue(fixtureModel()).find(
      (d) => d.scope.level === 'school' && d.scope.code === '01-001',
    )!.view as ReturnType<typeof schoolReportView>;
    expect(view.dataQuality.findings.length).toBeGreaterThan(0);
    expect(clean.dataQuality).toMatchObject({ whereListed: '', findings: [], notListed: '' });
    expect(documentHtml('school-report', clean)).toContain('0 ошибок, 0 предупреждений.');
  });
});
