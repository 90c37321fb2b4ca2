import { describe, expect, it } from 'vitest';
import { networkPartnershipOrderView } from '../../functions/core/documents/order-network-partnership.js';
import { orderHead } from '../../functions/core/documents/order-head.js';
import { planGraphOrderView } from '../../functions/core/documents/order-plan-graph.js';
import { workingGroupOrderView } from '../../functions/core/documents/order-working-group.js';
import type { Period } from '../../functions/core/period.js';
import type { NetworkPartnershipRow, PlanGraphRow, WorkingGroupRow } from '../../functions/core/tab-types.generated.js';
import { CONTROL, expectPrintable, facts, NB, texts } from '../support/order-facts.js';

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
    expect(view.appendices).toHaveLength(1);
    expect(view.appendices[0]?.appendixNumber).toBe('');
    expect(view.appendices[0]?.showGroupHeadings).toBe(false);
    expect(view.appendices[0]?.groups).toHaveLength(1);
    expect(view.appendices[0]?.groups[0]?.members.map((m) => [m.index, m.fullName, m.role])).toEqual([
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

  it('approves the regional group and only recommends the municipal ones (the municipality’s own act), a table per municipality in the order of «Муниципалитеты»', () => {
    const view = workingGroupOrderView(facts, [
      member('Орлова Ольга Олеговна', 'руководитель', 'МО-02'),
      member('Ковалёва Наталья Петровна', 'руководитель'),
      member('Сидорова Софья Сергеевна', 'член рабочей группы', 'МО-01'),
      member('Зайцев Олег Игоревич', 'член рабочей группы', 'МО-02'),
    ]);
    expect(view.title).toBe(
      'Об утверждении состава региональной рабочей группы и о муниципальных рабочих группах по реализации проекта «500+»',
    );
    // The regional order approves nothing of a municipality's: no «Утвердить» names a municipal group.
    const all = texts(view.clauses);
    expect(all.filter((t) => t.startsWith('Утвердить'))).toEqual([
      'Утвердить состав региональной рабочей группы по оказанию методической помощи общеобразовательным организациям, показывающим низкие образовательные результаты (1 человек) согласно приложению 1 к настоящему приказу.',
    ]);
    expect(all).toContain(
      'Рекомендовать руководителям органов местного самоуправления, осуществляющих управление в сфере образования (Северный район, Южный район), утвердить составы муниципальных рабочих групп с учётом рекомендуемых составов (приложение 2 к настоящему приказу), обеспечить их работу и участие их членов в мероприятиях проекта «500+».',
    );
    expect(view.appendices.map((a) => [a.appendixNumber, a.title.split(' по оказанию')[0]])).toEqual([
      ['1', 'Состав региональной рабочей группы'],
      ['2', 'Рекомендуемые составы муниципальных рабочих групп'],
    ]);
    expect(view.appendices[1]?.title).toMatch(/\(утверждаются актом органа местного самоуправления/);
    expect(view.appendices.flatMap((a) => a.groups).map((g) => [g.heading, g.countText])).toEqual([
      ['Региональная рабочая группа', '1 человек'],
      ['Муниципальная рабочая группа: Северный район', '1 человек'],
      ['Муниципальная рабочая группа: Южный район', '2 человека'],
    ]);
    expect(view.appendices[1]?.groups[1]?.members.map((m) => m.fullName)).toEqual([
      'Орлова Ольга Олеговна',
      'Зайцев Олег Игоревич',
    ]);
    expectPrintable(view);
  });

  it.each([
    [['МО-01'], 'О муниципальной рабочей группе по реализации проекта «500+»'],
    [['МО-01', 'МО-02'], 'О муниципальных рабочих группах по реализации проекта «500+»'],
  ])('only recommends when there is no regional group (%j)', (codes, title) => {
    const view = workingGroupOrderView(
      facts,
      codes.map((code) => member(`Член ${code}`, 'руководитель', code)),
    );
    expect(view.title).toBe(title);
    // Without a regional clause the municipal one spells out what the group is for.
    expect(view.clauses[0]?.text).toMatch(
      /^Рекомендовать руководителям .* утвердить .*по оказанию методической помощи/,
    );
    expect(texts(view.clauses).some((t) => t.startsWith('Утвердить'))).toBe(false);
    expect(view.appendices.map((a) => a.appendixNumber)).toEqual(['']);
    expect(view.clauses[0]?.text).toContain('(приложение к настоящему приказу)');
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
