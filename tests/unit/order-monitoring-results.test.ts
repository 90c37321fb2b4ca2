import { describe, expect, it } from 'vitest';
import { monitoringResultsOrderView } from '../../functions/core/documents/order-monitoring-results.js';
import type { MonitoringIndicators, SchoolIndicators } from '../../functions/core/indicators.js';
import { fixtureIndicators } from '../support/fixture-region.js';
import { CONTROL, expectPrintable, facts, NB, texts } from '../support/order-facts.js';

describe('monitoringResultsOrderView', () => {
  const base = fixtureIndicators();

  /** The fixture region with every school's gaps closed (overdue measures, documents, survey, workbook). */
  function allFixed(indicators: MonitoringIndicators): MonitoringIndicators {
    const copy = structuredClone(indicators);
    for (const s of Object.values(copy.schools)) {
      s.workbook = { status: 'read' };
      s.roadmap.overdueItems = [];
      s.roadmap.overdue = { ...s.roadmap.overdue, value: 0, met: true };
      s.documents = { complete: { value: true, unit: 'bool', met: true }, missing: [] };
      s.survey.coverage = { ...s.survey.coverage, value: 1, met: true };
      s.risks = { ...s.risks, chosen: { ...s.risks.chosen, value: 2, met: true }, verified: true };
      s.pd.trainedLong = { ...s.pd.trainedLong, value: 6, met: true };
      s.events.long = { ...s.events.long, value: 1, met: true };
      s.results.failShare = { ...s.results.failShare, met: true };
    }
    return copy;
  }
  const withEffective = (indicators: MonitoringIndicators, codes: string[]): MonitoringIndicators => {
    const copy = structuredClone(indicators);
    for (const s of Object.values(copy.schools) as SchoolIndicators[])
      s.effectiveMode = { ...s.effectiveMode, value: codes.includes(s.code) };
    return copy;
  };

  it('cites the stage and the as-of date in the title and the preamble', () => {
    const view = monitoringResultsOrderView(base, facts);
    expect(view.title).toBe('Об итогах мониторинга реализации проекта «500+» (промежуточный этап)');
    expect(view.preamble).toContain(`По итогам промежуточного этапа мониторинга реализации проекта`);
    expect(view.preamble).toContain(`по состоянию на 20 ноября 2026${NB}г. (3 школы-участника, данные представили 2)`);
    expect(view.clauses[0]?.text).toBe(
      `Утвердить аналитическую справку по итогам промежуточного этапа мониторинга реализации проекта «500+» по состоянию на 20 ноября 2026${NB}г. согласно приложению 1 к настоящему приказу.`,
    );
    expect(view.clauses.at(-1)?.text).toBe(CONTROL);
    expectPrintable(view);
  });

  it('requires schools with overdue measures, incomplete documents, low coverage or no workbook to fix them by a date', () => {
    const view = monitoringResultsOrderView(base, facts);
    const fix = view.clauses.find((c) => c.text.includes('устранить'));
    expect(fix?.text).toBe(
      `Руководителям общеобразовательных организаций, указанных в приложении 2 к настоящему приказу, устранить выявленные недостатки в срок до 20 декабря 2026${NB}г.:`,
    );
    expect(fix?.items).toEqual([
      'завершить выполнение просроченных мероприятий дорожных карт: МБОУ «Школа Б» (1 мероприятие);',
      'обеспечить разработку и согласование с куратором концептуальных документов (концепции развития, среднесрочной программы развития, антирисковых программ): МБОУ «Школа Б»;',
      `обеспечить участие в анкетировании не менее 90${NB}% требуемых респондентов: МБОУ «Школа Б» (охват 50${NB}%);`,
      'направить на курсы повышения квалификации объёмом от 32 часов не менее 6 педагогов: МБОУ «Школа Б» (прошли 2);',
      'провести для педагогов мероприятие продолжительностью от 4 часов: МБОУ «Школа Б»;',
      `проанализировать причины роста доли обучающихся, получивших «2», и включить в дорожную карту меры по её снижению: МБОУ «Школа Б» (30${NB}% против 20${NB}% годом ранее);`,
      'представить региональному координатору заполненную таблицу школы для мониторинга: МБОУ «Школа В».',
    ]);
    // School А has no gaps and is not listed.
    expect(view.problemGroups.flatMap((g) => g.schools.map((s) => s.name))).toEqual([
      'МБОУ «Школа Б»',
      'МБОУ «Школа В»',
    ]);
    expect(view.problemGroups.map((g) => g.heading)).toEqual(['Северный район', 'Южный район']);
    expect(view.problemGroups[0]?.schools[0]?.problems).toEqual([
      `просрочено 1 мероприятие дорожной карты (№${NB}1)`,
      'не согласованы куратором документы: «Концепция развития», «Антирисковая программа» по фактору «Низкая учебная мотивация обучающихся»',
      `охват анкетирования 50${NB}% (норма — не менее 90${NB}%)`,
      'выбор факторов риска не подтверждён куратором',
      `педагогов, прошедших курсы повышения квалификации от 32 ч, — 2 (норма — не менее 6)`,
      'мероприятий продолжительностью от 4 ч — 0 (норма — не менее 1)',
      `доля «2» выросла: 30${NB}% против 20${NB}% годом ранее`,
    ]);
    expect(view.problemGroups[1]?.schools[0]?.problems).toEqual(['таблица школы не представлена']);
    expect(view.hasProblems).toBe(true);
    expect(view.reportAppendixNumber).toBe('1');
  });

  it.each([
    ['2026-11-20', `20 декабря 2026${NB}г.`],
    ['2026-12-15', `15 января 2027${NB}г.`],
    ['2027-01-31', `28 февраля 2027${NB}г.`],
  ])('by default gives a month from %s: %s', (asOf, fixBy) => {
    expect(monitoringResultsOrderView({ ...base, asOf }, facts).fixByText).toBe(fixBy);
  });

  it('has no «устранить» clause and a single appendix when every school is in order', () => {
    const view = monitoringResultsOrderView(allFixed(base), facts);
    expect(texts(view.clauses).some((t) => t.includes('устранить'))).toBe(false);
    expect(texts(view.clauses).some((t) => t.includes('приложении 2'))).toBe(false);
    expect(view.hasProblems).toBe(false);
    expect(view.problemGroups).toEqual([]);
    expect(view.reportAppendixNumber).toBe('');
    expect(view.clauses[0]?.text).toContain('согласно приложению к настоящему приказу.');
  });

  it('asks curators for consultations while the region is below its target, naming schools without any', () => {
    const view = monitoringResultsOrderView(base, facts);
    const clause = texts(view.clauses).find((t) => t.startsWith('Кураторам школ-участников провести консультации'));
    // The fixture's plan-graph item 1 sets «Не менее 50 консультаций»: the order cites it.
    expect(clause).toContain(`(целевое значение — не менее 50 по плану-графику, п.${NB}1, фактически — 4)`);

    const met = structuredClone(base);
    met.region.consultations = { ...met.region.consultations, value: 60, met: true };
    expect(texts(monitoringResultsOrderView(met, facts).clauses).some((t) => t.includes('провести консультации'))).toBe(
      false,
    );
  });

  it('gives the regional coordinator the region-wide gaps and the next stage', () => {
    const view = monitoringResultsOrderView(base, facts);
    const coordinator = view.clauses.find((c) => c.text.startsWith('Региональному координатору проекта'));
    expect(coordinator?.text).toBe('Региональному координатору проекта (ГАУ ДПО «Институт развития образования»):');
    expect(coordinator?.items.at(-1)).toBe(
      'провести итоговый этап мониторинга реализации проекта «500+» в сроки, установленные планом-графиком.',
    );
    expect(coordinator?.items.some((i) => i.includes('рабочие совещания'))).toBe(true);
    expect(coordinator?.items.some((i) => i.startsWith('обеспечить выполнение просроченных пункт'))).toBe(true);

    const final = monitoringResultsOrderView({ ...base, stage: 'итоговый' }, facts);
    expect(final.title).toBe('Об итогах мониторинга реализации проекта «500+» (итоговый этап)');
    expect(texts(final.clauses).some((t) => t.includes('на следующий учебный год'))).toBe(true);
  });

  it.each([
    [
      [],
      'Отметить, что по состоянию на 20 ноября 2026\u00a0г. ни одна школа-участник не перешла в эффективный режим работы.',
    ],
    [
      ['01-001'],
      'Отметить, что в эффективный режим работы перешла 1 школа-участник из 3 (33,3\u00a0%): МБОУ «Школа А».',
    ],
    [
      ['01-001', '02-001'],
      'Отметить, что в эффективный режим работы перешли 2 школы-участника из 3 (66,7\u00a0%): МБОУ «Школа А», МБОУ «Школа В».',
    ],
  ])('notes the schools in the effective mode (%j)', (codes, start) => {
    const indicators = withEffective(base, codes);
    const share = codes.length / 3;
    indicators.region.effectiveModeShare = {
      ...indicators.region.effectiveModeShare,
      value: share,
      met: share >= 0.75,
    };
    const clause = monitoringResultsOrderView(indicators, facts).clauses[1]?.text;
    expect(clause?.startsWith(start)).toBe(true);
    expect(clause).toContain(`Целевое значение показателя (не менее 75${NB}%) не достигнуто.`);
  });

  it('shows the region indicators against their targets in appendix 1', () => {
    const view = monitoringResultsOrderView(base, facts);
    const line = (label: string) => view.lines.find((l) => l.label === label);
    expect(line('Консультаций кураторов')).toMatchObject({
      target: `не менее 50 (по плану-графику, п.${NB}1)`,
      value: '4',
      verdict: 'не достигнуто',
      missed: true,
    });
    expect(line('Доля школ с полным комплектом согласованных документов')?.target).toBe(`100${NB}%`);
    expect(line('Просроченных мероприятий дорожных карт')?.target).toBe('0');
    expect(line('Выполнение дорожных карт школ')).toMatchObject({ target: '—', verdict: '—', missed: false });
    expect(view.lines.map((l) => l.index)).toEqual(view.lines.map((_, i) => i + 1));
    expect(view.municipalities.map((m) => m.name)).toEqual(['Северный район', 'Южный район']);
  });
});
