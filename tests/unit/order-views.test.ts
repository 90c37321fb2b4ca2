import { describe, expect, it } from 'vitest';
import type { MonitoringIndicators, SchoolIndicators } from '../../functions/core/indicators.js';
import { monitoringResultsOrderView } from '../../functions/core/documents/order-monitoring-results.js';
import { networkPartnershipOrderView } from '../../functions/core/documents/order-network-partnership.js';
import { orderHead, type OrderClause } from '../../functions/core/documents/order-head.js';
import { planGraphOrderView } from '../../functions/core/documents/order-plan-graph.js';
import { workingGroupOrderView } from '../../functions/core/documents/order-working-group.js';
import type { RegistryFacts } from '../../functions/core/documents/registry-facts.js';
import type { Period } from '../../functions/core/period.js';
import type {
  NetworkPartnershipRow,
  PlanGraphRow,
  SchoolsRow,
  WorkingGroupRow,
} from '../../functions/core/tab-types.generated.js';
import { fixtureIndicators } from '../support/fixture-region.js';

const NB = '\u00a0';
const CONTROL = 'Контроль за исполнением настоящего приказа оставляю за собой.';

const school = (code: string, name: string, municipalityCode: string, participant = true): SchoolsRow => ({
  code,
  name,
  municipalityCode,
  locality: 'сельская',
  participant,
});

/** The fixture region's registry (tests/support/fixture-region.ts), written out by hand. */
const facts: RegistryFacts = {
  region: {
    subject: 'Условная область',
    educationAuthority: 'Министерство образования Условной области',
    authorityHead: 'Иванова Мария Петровна',
    authorityHeadPosition: 'Министр образования Условной области',
    regionalCoordinator: 'ГАУ ДПО «Институт развития образования»',
    place: 'г. Условный',
    schoolYear: '2026/2027',
  },
  municipalities: [
    {
      code: 'МО-01',
      name: 'Северный район',
      educationAuthority: 'Отдел образования Северного района',
      head: 'Петров П.П.',
      coordinator: 'Сидорова С.С.',
    },
    {
      code: 'МО-02',
      name: 'Южный район',
      educationAuthority: 'Отдел образования Южного района',
      head: 'Кузнецов К.К.',
      coordinator: 'Орлова О.О.',
    },
  ],
  schools: [
    school('01-001', 'МБОУ «Школа А»', 'МО-01'),
    school('01-002', 'МБОУ «Школа Б»', 'МО-01'),
    school('02-001', 'МБОУ «Школа В»', 'МО-02'),
    school('02-002', 'МАОУ «Гимназия Г»', 'МО-02', false),
  ],
};

const texts = (clauses: OrderClause[]) => clauses.map((c) => [c.text, ...c.items].join(' '));

/** Every value a template prints is text already: nothing undefined, null or NaN leaks into it. */
function expectPrintable(view: object) {
  expect(JSON.stringify(view)).not.toMatch(/undefined|null|NaN|\[object/);
}

describe('orderHead', () => {
  it('leaves the date and the number of a draft blank and signs with initials before the surname', () => {
    const head = orderHead(facts, 'Об утверждении');
    expect(head).toMatchObject({
      title: 'Об утверждении',
      authority: 'Министерство образования Условной области',
      place: 'г. Условный',
      date: '',
      number: '',
      signerPosition: 'Министр образования Условной области',
      signerName: `М.П.${NB}Иванова`,
      coordinator: 'ГАУ ДПО «Институт развития образования»',
      schoolYear: '2026/2027',
    });
  });

  it('prints blanks, not «undefined», when the region tab is empty', () => {
    const head = orderHead({ region: {}, municipalities: [], schools: [] }, 'Об утверждении');
    expect(Object.values(head).every((v) => typeof v === 'string')).toBe(true);
    expect(head.signerName).toBe('');
  });
});

describe('workingGroupOrderView', () => {
  const member = (fullName: string, role: WorkingGroupRow['role'], municipalityCode?: string): WorkingGroupRow => ({
    fullName,
    position: 'Методист',
    role,
    ...(municipalityCode ? { municipalityCode } : {}),
  });

  it('orders the group leader, deputy, secretary, then members alphabetically', () => {
    const view = workingGroupOrderView(facts, [
      member('Яковлев Юрий Юрьевич', 'член рабочей группы'),
      member('Борисова Вера Павловна', 'секретарь'),
      member('Алексеев Андрей Андреевич', 'член рабочей группы'),
      member('Ковалёва Наталья Петровна', 'руководитель'),
      member('Жукова Елена Ивановна', 'заместитель руководителя'),
    ]);
    expect(view.title).toBe('Об утверждении состава рабочей группы по реализации проекта «500+»');
    expect(view.showGroupHeadings).toBe(false);
    expect(view.groups).toHaveLength(1);
    expect(view.groups[0]?.members.map((m) => [m.index, m.fullName, m.role])).toEqual([
      [1, 'Ковалёва Наталья Петровна', 'руководитель рабочей группы'],
      [2, 'Жукова Елена Ивановна', 'заместитель руководителя рабочей группы'],
      [3, 'Борисова Вера Павловна', 'секретарь рабочей группы'],
      [4, 'Алексеев Андрей Андреевич', 'член рабочей группы'],
      [5, 'Яковлев Юрий Юрьевич', 'член рабочей группы'],
    ]);
    expect(view.clauses[0]?.text).toBe(
      'Утвердить состав рабочей группы по оказанию методической помощи общеобразовательным организациям, показывающим низкие образовательные результаты (5 человек) согласно приложению к настоящему приказу.',
    );
    expect(view.clauses.at(-1)?.text).toBe(CONTROL);
    expectPrintable(view);
  });

  it.each([
    [1, '1 человек'],
    [2, '2 человека'],
    [4, '4 человека'],
    [5, '5 человек'],
    [11, '11 человек'],
    [21, '21 человек'],
    [22, '22 человека'],
  ])('counts %i members as «%s»', (n, text) => {
    const rows = Array.from({ length: n }, (_, i) =>
      member(`Член ${String(i).padStart(2, '0')}`, 'член рабочей группы'),
    );
    const view = workingGroupOrderView(facts, rows);
    expect(view.clauses[0]?.text).toContain(`(${text})`);
  });

  it('adds one table per municipality with a group, in the order of the «Муниципалитеты» tab', () => {
    const view = workingGroupOrderView(facts, [
      member('Орлова Ольга Олеговна', 'руководитель', 'МО-02'),
      member('Ковалёва Наталья Петровна', 'руководитель'),
      member('Сидорова Софья Сергеевна', 'член рабочей группы', 'МО-01'),
      member('Зайцев Олег Игоревич', 'член рабочей группы', 'МО-02'),
    ]);
    expect(view.title).toBe(
      'Об утверждении составов региональной и муниципальных рабочих групп по реализации проекта «500+»',
    );
    expect(view.appendixTitle).toMatch(/^Составы региональной и муниципальных рабочих групп по оказанию/);
    expect(view.showGroupHeadings).toBe(true);
    expect(view.groups.map((g) => [g.heading, g.countText])).toEqual([
      ['Региональная рабочая группа', '1 человек'],
      ['Муниципальная рабочая группа: Северный район', '1 человек'],
      ['Муниципальная рабочая группа: Южный район', '2 человека'],
    ]);
    expect(view.groups[2]?.members.map((m) => m.fullName)).toEqual(['Орлова Ольга Олеговна', 'Зайцев Олег Игоревич']);
    expect(texts(view.clauses)).toContain(
      'Утвердить составы муниципальных рабочих групп (Северный район — 1 человек, Южный район — 2 человека) согласно приложению к настоящему приказу.',
    );
    expect(
      texts(view.clauses).some((t) => t.startsWith('Рекомендовать руководителям органов местного самоуправления')),
    ).toBe(true);
    expectPrintable(view);
  });

  it.each([
    [['МО-01'], 'Об утверждении состава муниципальной рабочей группы по реализации проекта «500+»'],
    [['МО-01', 'МО-02'], 'Об утверждении составов муниципальных рабочих групп по реализации проекта «500+»'],
  ])('names only municipal groups when there is no regional one (%j)', (codes, title) => {
    const view = workingGroupOrderView(
      facts,
      codes.map((code) => member(`Член ${code}`, 'руководитель', code)),
    );
    expect(view.title).toBe(title);
    // Without a regional clause the municipal one spells out what the group is for.
    expect(view.clauses[0]?.text).toContain('по оказанию методической помощи');
  });
});

describe('networkPartnershipOrderView', () => {
  const pair = (schoolCode: string, contractNumber: string, contractDate: string): NetworkPartnershipRow => ({
    schoolCode,
    partnerSchoolCode: '02-002',
    contractNumber,
    contractDate,
    directions: 'методическая помощь; наставничество',
  });

  it('lists the pairs by municipality with the contract number and date in Russian', () => {
    const view = networkPartnershipOrderView(facts, [
      pair('02-001', '3', '2026-05-01'),
      pair('01-002', '№ 2/2027', '2027-03-01'),
      pair('01-001', '1', '2026-09-20'),
    ]);
    expect(view.title).toBe(
      'Об утверждении сетевого партнёрства общеобразовательных организаций, показывающих низкие образовательные результаты, и школ-партнёров',
    );
    expect(view.groups.map((g) => g.heading)).toEqual(['Северный район', 'Южный район']);
    expect(view.groups.flatMap((g) => g.pairs.map((p) => [p.index, p.school, p.partner]))).toEqual([
      [1, 'МБОУ «Школа А»', 'МАОУ «Гимназия Г»'],
      [2, 'МБОУ «Школа Б»', 'МАОУ «Гимназия Г»'],
      [3, 'МБОУ «Школа В»', 'МАОУ «Гимназия Г»'],
    ]);
    const second = view.groups[0]?.pairs[1];
    expect(second?.contractNumber).toBe('2/2027');
    expect(second?.contractDate).toBe(`1 марта 2027${NB}г.`);
    expect(view.clauses[0]?.text).toContain('(3 договора о сетевом взаимодействии)');
    expect(view.clauses[1]?.text).toContain('в течение 2026/2027 учебного года');
    expect(texts(view.clauses).some((t) => t.includes('не заключивш'))).toBe(false);
    expect(view.clauses.at(-1)?.text).toBe(CONTROL);
    expectPrintable(view);
  });

  it.each([
    [
      ['01-001', '01-002'],
      'Руководителю общеобразовательной организации, участвующей в проекте «500+» и не заключившей договор о сетевом партнёрстве (МБОУ «Школа В»), заключить договор со школой-партнёром',
    ],
    [
      ['01-001'],
      'Руководителям общеобразовательных организаций, участвующих в проекте «500+» и не заключивших договоры о сетевом партнёрстве (МБОУ «Школа Б», МБОУ «Школа В»), заключить договоры со школами-партнёрами',
    ],
  ])('asks participants without a partner (pairs for %j) to sign a contract', (codes, clause) => {
    const view = networkPartnershipOrderView(
      facts,
      codes.map((code) => pair(code, '1', '2026-09-20')),
    );
    expect(texts(view.clauses).some((t) => t.startsWith(clause))).toBe(true);
  });

  it.each([
    [1, '1 договор'],
    [2, '2 договора'],
    [5, '5 договоров'],
  ])('counts %i contracts as «%s»', (n, text) => {
    const rows = Array.from({ length: n }, (_, i) => pair('01-001', String(i + 1), '2026-09-20'));
    expect(networkPartnershipOrderView(facts, rows).clauses[0]?.text).toContain(`(${text} о сетевом взаимодействии)`);
  });
});

describe('planGraphOrderView', () => {
  const none = (text: string): Period => ({ kind: 'none', text });
  const item = (number: string, direction: PlanGraphRow['direction'], activity: string): PlanGraphRow => ({
    number,
    direction,
    activity,
    deadline: none('по отдельному плану'),
    responsible: 'Региональный координатор',
    indicator: 'Не менее 50 консультаций',
    status: 'в работе',
  });
  const items = [
    item('10', 'Методическое', 'Вебинар'),
    item('2', 'Организационно-управленческое', 'Приказ о кураторах'),
    item('1', 'Организационно-управленческое', 'Приказ о составе участников'),
    item('12', 'Информационное сопровождение', 'Страница проекта'),
    { ...item('3', 'Аналитико-мониторинговое', 'Мониторинг'), description: 'Сбор данных' },
  ];

  it.each([
    [
      'approve' as const,
      'Об утверждении плана-графика («дорожной карты») реализации проекта «500+» на 2026/2027 учебный год',
      'Утвердить план-график («дорожную карту») реализации проекта «500+» на 2026/2027 учебный год (далее — план-график), включающий 5 мероприятий, согласно приложению к настоящему приказу.',
    ],
    [
      'amend' as const,
      'О внесении изменений в план-график («дорожную карту») реализации проекта «500+» на 2026/2027 учебный год',
      'Внести в план-график («дорожную карту») реализации проекта «500+» на 2026/2027 учебный год (далее — план-график), утверждённый приказом от ____________ № ______, изменения, изложив его в новой редакции согласно приложению к настоящему приказу.',
    ],
  ])('%s: title and first clause', (mode, title, clause) => {
    const view = planGraphOrderView(facts, items, mode);
    expect(view.title).toBe(title);
    expect(view.amend).toBe(mode === 'amend');
    expect(view.clauses[0]?.text).toBe(clause);
    expect(view.clauses.at(-1)?.text).toBe(CONTROL);
    expect(view.appendixTitle).toBe(
      'План-график («дорожная карта») реализации проекта «500+» на 2026/2027 учебный год',
    );
    expectPrintable(view);
  });

  it('leaves the amended order and its own registration blank in a draft', () => {
    const view = planGraphOrderView(facts, items, 'amend');
    expect(view.clauses[0]?.text).toContain('утверждённый приказом от ____________ № ______, изменения');
    expect(view.amendedOrder).toEqual({ date: '', number: '' });
    expect([view.date, view.number]).toEqual(['', '']);
  });

  it('groups the items by direction in the fixed order, numbers sorted as numbers', () => {
    const view = planGraphOrderView(facts, items, 'approve');
    expect(view.groups.map((g) => [g.heading, g.items.map((i) => i.number)])).toEqual([
      ['Организационно-управленческое направление', ['1', '2']],
      ['Аналитико-мониторинговое направление', ['3']],
      ['Методическое направление', ['10']],
      ['Информационное сопровождение', ['12']],
    ]);
    expect(view.groups[1]?.items[0]).toEqual({
      number: '3',
      activity: 'Мониторинг',
      description: 'Сбор данных',
      deadline: 'по отдельному плану',
      responsible: 'Региональный координатор',
      indicator: 'Не менее 50 консультаций',
    });
    expect(view.groups[0]?.items[0]?.description).toBe('');
  });

  it.each([
    [1, 'включающий 1 мероприятие,'],
    [3, 'включающий 3 мероприятия,'],
    [11, 'включающий 11 мероприятий,'],
  ])('counts %i items as «%s»', (n, text) => {
    const rows = Array.from({ length: n }, (_, i) => item(String(i + 1), 'Методическое', `Мероприятие ${i + 1}`));
    expect(planGraphOrderView(facts, rows, 'approve').clauses[0]?.text).toContain(text);
  });
});

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
    expect(clause).toContain('(целевое значение — не менее 50, фактически — 4)');

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
      target: 'не менее 50',
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
