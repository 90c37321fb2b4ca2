/**
 * One decision per school per run: the list order and the school reports, built from the same
 * model, state the same category and status of every school; every participant and every newly
 * identified school is in the order's appendix with its status; the clauses decide for each status.
 */
import { describe, expect, it } from 'vitest';
import { documentCatalogue, type RegionModel } from '../../functions/core/documents/catalogue.js';
import { lowResultsOrderView } from '../../functions/core/documents/order-low-results-list.js';
import { schoolReportView } from '../../functions/core/documents/reports.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type ParticipantReading,
} from '../../functions/core/read-workbook.js';
import { regionModel } from '../../functions/core/region-model.js';
import { schoolA, schoolB } from '../support/fixture-region.js';
import { CONDITIONAL_REGION, rawBook, rules } from '../support/workbook-content.js';

// Five schools of one municipality, results of 2025 and 2026 (40 participants each), as of 20.11.2026.
// Five ranked a year: floor(0.1 × 5) = 0 → the worst 10 % is the 1st place only.
//   P1 participant, registry ШНОР, 1st both years → ШНОР; its workbook is the fixture's school A, which works
//      in effective mode (documents complete, progress ≥ 0,8, no overdue, share of «2» down: 20 → 18 of 40).
//   P2 participant, registry «ШНОР и ШФНСУ»; never 1st; rural with 40 % from low-income families → ШФНСУ only.
//   P3 participant, registry ШНОР; never 1st, no context data → identified as neither: proposed for exclusion.
//   N1 not a participant; urban, 35 % low-income and 20 % with disabilities → ШФНСУ: included for the first time.
//   N2 not a participant; neither criterion → not on the list.
const participant = (category: string, curator: string, workbook: string, partnerSchoolCode?: string) => ({
  participant: 'да',
  category,
  curator,
  workbook,
  ...(partnerSchoolCode ? { partnerSchoolCode } : {}),
});
const school = (code: string, name: string, locality: string) => ({
  code,
  name,
  fullName: `Муниципальное бюджетное общеобразовательное учреждение «${name}»`,
  municipalityCode: 'МО-01',
  locality,
  participant: 'нет',
});
const result = (schoolCode: string, year: number, failed: number) => ({
  schoolCode,
  year,
  procedure: 'ВПР',
  grade: 5,
  subject: 'Математика',
  participants: 40,
  failed,
  good: 10,
});
const context = (schoolCode: string, lowIncomePercent: number, disabilitiesPercent: number) => ({
  schoolCode,
  year: 2026,
  students: 300,
  teachers: 30,
  vacancies: 0,
  lowIncomePercent,
  disabilitiesPercent,
  nonNativeRussianPercent: 0,
});

const registry: RawWorkbook = rawBook('реестр.xlsx', {
  region: { rows: [CONDITIONAL_REGION] },
  municipalities: {
    rows: [{ code: 'МО-01', name: 'Северный район', educationAuthority: 'Отдел образования', head: 'Петров П.П.' }],
  },
  schools: {
    rows: [
      { ...school('P1', 'Школа П1', 'городская'), ...participant('ШНОР', 'Волкова Анна Сергеевна', 'a.xlsx', 'N2') },
      { ...school('P2', 'Школа П2', 'сельская'), ...participant('ШНОР и ШФНСУ', 'Зайцев Олег Игоревич', 'b.xlsx') },
      { ...school('P3', 'Школа П3', 'городская'), ...participant('ШНОР', 'Зайцев Олег Игоревич', 'c.xlsx') },
      school('N1', 'Школа Н1', 'городская'),
      school('N2', 'Школа Н2', 'городская'),
    ],
  },
  'assessment-results': {
    rows: [
      ...[
        ['P1', 20, 18],
        ['P2', 10, 12],
        ['P3', 12, 10],
        ['N1', 8, 8],
        ['N2', 2, 2],
      ].flatMap(([code, y2025, y2026]) => [
        result(String(code), 2025, Number(y2025)),
        result(String(code), 2026, Number(y2026)),
      ]),
    ],
  },
  'context-data': { rows: [context('P2', 40, 0), context('N1', 35, 20), context('N2', 5, 0), context('P1', 5, 0)] },
});

function model(): RegionModel {
  const reg = readRegistryWorkbook(registry, rules.specs, rules.settings);
  const workbooks: Record<string, RawWorkbook> = { 'a.xlsx': schoolA, 'b.xlsx': schoolB };
  const participants: ParticipantReading[] = usableRows(reg, 'schools')
    .filter((r) => r.values.participant)
    .map((row) => {
      const raw = workbooks[row.values.workbook ?? ''];
      return raw
        ? { row, status: 'read', reading: readSchoolWorkbook(raw, rules.specs, rules.settings, reg.schoolYear) }
        : { row, status: 'missing', reading: undefined };
    });
  return regionModel({
    registry: reg,
    participants,
    issues: [...reg.issues, ...participants.flatMap((p) => p.reading?.issues ?? [])],
    asOf: '2026-11-20',
    stage: 'промежуточный',
    settings: rules.settings,
    recommendations: rules.recommendations,
    feedbackInSheets: false,
  });
}

describe('one decision per school, stated identically by the list order and the school reports', () => {
  const m = model();
  const order = lowResultsOrderView(m.indicators, m.registry, m.identification, m.decisions);
  const row = (code: string) => order.schools.find((s) => s.code === code);
  const report = (code: string) => {
    const indicators = m.indicators.schools[code];
    if (!indicators) throw new Error(`no report of ${code}`);
    return schoolReportView(m.indicators, m.registry, indicators, m.decisions[code]);
  };

  it('lists every participant and every newly identified school with its status, and no one else', () => {
    expect(order.schools.map((s) => [s.code, s.status])).toEqual([
      ['P1', 'продолжает участие'],
      ['P2', 'продолжает участие'],
      ['N1', 'включается впервые'],
      ['P3', 'предлагается к исключению'],
    ]);
    expect(row('N2')).toBeUndefined();
  });

  it('states the category of the identification, with the registry’s in brackets where it differs', () => {
    expect(row('P1')?.category).toBe('ШНОР');
    expect(row('P2')?.category).toBe('ШФНСУ (в реестре — ШНОР и ШФНСУ)');
    expect(row('P3')?.category).toBe('не подтверждена отбором (в реестре — ШНОР)');
    expect(row('N1')?.category).toBe('ШФНСУ');
    // The rule is stated in the document, in the same words in the report.
    expect(order.categoryRule).toMatch(/^Категория указана по итогам отбора на 20 ноября 2026/);
    expect(order.categoryRule).toContain('в реестре школ (список текущего учебного года)');
    expect(report('P2').list?.categoryRule).toBe(order.categoryRule);
  });

  it('gives the school report the same category and status as the order, for every participant', () => {
    const participants = Object.keys(m.indicators.schools);
    expect(participants.sort()).toEqual(['P1', 'P2', 'P3']);
    for (const code of participants) {
      const view = report(code);
      expect(view.school.category, code).toBe(row(code)?.category);
      expect(view.list?.status, code).toBe(row(code)?.status);
      expect(view.school.curator, code).toBe(row(code)?.curator);
      // The reasons in the order's «Основание» are the report's.
      for (const reason of view.list?.reasons ?? []) expect(row(code)?.basis, code).toContain(reason);
    }
    // The whole catalogue plans the same: the report it prints for P2 says what the order says.
    const planned = documentCatalogue(m).find((d) => d.scope.level === 'school' && d.scope.code === 'P2');
    expect((planned?.view as ReturnType<typeof schoolReportView>).school.category).toBe(row('P2')?.category);
  });

  it('cites the rank among the ranked schools in the reasons', () => {
    expect(row('P1')?.basis).toContain('в 2025\u00a0г. — 50\u00a0%, 1\u2011е\u00a0место из 5');
    expect(row('P2')?.basis).toContain('не входила в худшие');
  });

  it('says plainly why a school in effective mode stays on the list, in the order and in its report', () => {
    expect(m.indicators.schools.P1?.effectiveMode.value).toBe(true);
    const note = report('P1').effectiveMode.listNote;
    expect(note).toContain('школа работает в эффективном режиме и всё же остаётся в списке');
    expect(note).toContain('результатам оценочных процедур прошлых лет (2025 и 2026\u00a0гг.)');
    expect(row('P1')?.basis).toContain(note);
    expect(report('P2').effectiveMode.listNote).toBe('');
  });

  it('fixes curators and partners only for schools that stay or are included, and decides on exclusions', () => {
    const texts = order.clauses.map((c) => [c.text, ...c.items].join(' '));
    const fix = texts.find((t) => t.startsWith('Закрепить'));
    expect(fix).toContain('со статусами «продолжает участие» и «включается впервые»');
    expect(fix).not.toContain('предлагается к исключению');
    expect(texts.some((t) => t.startsWith('Исключить') && t.includes('«предлагается к исключению» (1 '))).toBe(true);
    expect(texts[0]).toContain('(3 общеобразовательные организации: продолжают участие — 2, включаются впервые — 1)');
    // N1 has no curator in the registry: the order says so and asks for one.
    expect(row('N1')?.curator).toBe('не назначен');
    expect(texts.some((t) => t.includes('предложения о кураторах и школах-партнёрах'))).toBe(true);
    expect(row('P1')?.partner).toBe('Школа Н2');
  });

  it('takes no exclusion decision when no participant drops out', () => {
    const noExclusion = { ...m.decisions };
    delete noExclusion.P3;
    const view = lowResultsOrderView(m.indicators, m.registry, m.identification, noExclusion);
    expect(view.clauses.some((c) => c.text.startsWith('Исключить'))).toBe(false);
    expect(view.clauses.map((c) => c.items.join(' ')).join(' ')).not.toContain('итоговый мониторинг');
  });
});
