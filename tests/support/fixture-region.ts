/**
 * A small region built in memory, whose every indicator is worked out by hand in
 * tests/unit/indicators.golden.test.ts. As of 20.11.2026, school year 2026/2027.
 */
import { computeIndicators, type IndicatorInput } from '../../functions/core/compute-indicators.js';
import type { RegionModel } from '../../functions/core/documents/catalogue.js';
import { regionModel } from '../../functions/core/region-model.js';
import type { MonitoringIndicators, Stage } from '../../functions/core/indicators.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type ParticipantReading,
} from '../../functions/core/read-workbook.js';
import type { WorkbookContent } from '../../functions/core/workbook-sheets.js';
import { CONDITIONAL_REGION, measure, rawBook, rules } from './workbook-content.js';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

export const MOTIVATION = 'Низкая учебная мотивация обучающихся';
export const PARENTS = 'Низкий уровень вовлечённости родителей';
export const STAFF = 'Дефицит педагогических кадров';

const school = (code: string, name: string, municipalityCode: string, locality: string, participant: string) => ({
  code,
  name,
  municipalityCode,
  locality,
  participant,
});
const participant = (category: string, curator: string, partnerSchoolCode: string | null, workbook: string) => ({
  category,
  curator,
  partnerSchoolCode,
  workbook,
});
const visit = (date: string, curator: string, schoolCode: string | null, kind: string, topic: string) => ({
  date: d(date),
  curator,
  schoolCode,
  kind,
  topic,
});
const result = (schoolCode: string, year: number, procedure: string, grade: number, subject: string, n: number[]) => ({
  schoolCode,
  year,
  procedure,
  grade,
  subject,
  participants: n[0],
  failed: n[1],
  good: n[2],
});
const contract = (schoolCode: string, contractNumber: string, date: string) => ({
  schoolCode,
  partnerSchoolCode: '02-002',
  contractNumber,
  contractDate: d(date),
  directions: 'методическая помощь',
});

/** The fixture registry's tabs, rows by field (tests build variants of the registry from them). */
export const registryTabs = {
  region: { rows: [CONDITIONAL_REGION] },
  municipalities: {
    rows: [
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
  },
  schools: {
    rows: [
      {
        ...school('01-001', 'МБОУ «Школа А»', 'МО-01', 'сельская', 'да'),
        ...participant('ШНОР', 'Волкова Анна Сергеевна', '02-002', 'a.xlsx'),
      },
      {
        ...school('01-002', 'МБОУ «Школа Б»', 'МО-01', 'городская', 'да'),
        ...participant('ШФНСУ', 'Волкова Анна Сергеевна', '02-002', 'b.xlsx'),
      },
      {
        ...school('02-001', 'МБОУ «Школа В»', 'МО-02', 'сельская', 'да'),
        ...participant('ШНОР', 'Зайцев Олег Игоревич', null, 'v.xlsx'),
      },
      school('02-002', 'МАОУ «Гимназия Г»', 'МО-02', 'городская', 'нет'),
    ],
  },
  'curator-work': {
    rows: [
      visit('2026-09-10', 'Волкова А.С.', '01-001', 'посещение', 'Знакомство'),
      visit('2026-09-15', 'Волкова А.С.', '01-001', 'консультация', 'Рисковый профиль'),
      visit('2026-10-01', 'Волкова А.С.', '01-001', 'консультация', 'Антирисковые программы'),
      visit('2026-10-05', 'Волкова А.С.', '01-002', 'консультация', 'Дорожная карта'),
      visit('2026-10-12', 'Волкова А.С.', null, 'совещание', 'Итоги входного мониторинга'),
      visit('2026-11-25', 'Волкова А.С.', '01-002', 'консультация', 'после даты мониторинга'),
      visit('2026-05-10', 'Волкова А.С.', '01-001', 'консультация', 'прошлый учебный год'),
      visit('2026-11-01', 'Зайцев О.И.', '02-001', 'консультация', 'Таблица мониторинга'),
    ],
  },
  'assessment-results': {
    rows: [
      result('01-001', 2025, 'ВПР', 5, 'Математика', [40, 10, 12]),
      result('01-001', 2026, 'ВПР', 5, 'Математика', [40, 8, 14]),
      result('01-001', 2027, 'ВПР', 5, 'Математика', [10, 10, 0]),
      result('01-002', 2025, 'ВПР', 5, 'Математика', [20, 4, 5]),
      result('01-002', 2026, 'ВПР', 5, 'Математика', [20, 6, 4]),
      result('02-001', 2026, 'ОГЭ', 9, 'Русский язык', [30, 3, 9]),
      result('02-002', 2026, 'ЕГЭ', 11, 'Математика', [50, 1, 30]),
    ],
  },
  'network-partnership': {
    rows: [
      contract('01-001', '1', '2026-09-20'),
      contract('01-002', '2', '2027-03-01'),
      contract('02-001', '3', '2026-05-01'),
    ],
  },
  satisfaction: {
    rows: [
      { schoolCode: '01-001', respondentGroup: 'Родители', surveyed: 20, satisfied: 18 },
      { schoolCode: '01-001', respondentGroup: 'Учителя', surveyed: 10, satisfied: 8 },
      { schoolCode: '01-002', respondentGroup: 'Родители', surveyed: 10, satisfied: 5 },
      { schoolCode: '02-002', respondentGroup: 'Родители', surveyed: 10, satisfied: 10 },
    ],
  },
  'plan-graph': {
    rows: [
      {
        number: '1',
        direction: 'Методическое',
        activity: 'Консультации кураторов',
        deadline: 'в течение учебного года',
        responsible: 'ИРО',
        indicator: 'Не менее 50 консультаций',
        actualValue: '4',
        status: 'в работе',
      },
      {
        number: '2',
        direction: 'Организационно-управленческое',
        activity: 'Приказ об утверждении списка школ',
        deadline: 'сентябрь',
        responsible: 'Министерство',
        indicator: 'Приказ министерства',
        status: 'выполнено',
      },
      {
        number: '3',
        direction: 'Аналитико-мониторинговое',
        activity: 'Анкетирование школ',
        deadline: 'октябрь',
        responsible: 'ИРО',
        indicator: 'Не менее 90% требуемых респондентов участвовали',
        actualValue: '85%',
        status: 'не выполнено',
      },
      {
        number: '4',
        direction: 'Информационное сопровождение',
        activity: 'Страница проекта на сайте',
        deadline: 'ежеквартально',
        responsible: 'ИРО',
        indicator: 'Сайт',
        status: 'в работе',
      },
    ],
  },
} satisfies WorkbookContent['tabs'];

export const registry: RawWorkbook = rawBook('реестр.xlsx', registryTabs);

const risk = (riskFactor: string, level: string, chosen: string, verified: string) => ({
  riskFactor,
  level,
  chosen,
  verified,
});
const roadmapRow = (number: string, riskFactor: string, deadline: string, status: string, completedOn?: Date) =>
  measure(number, { riskFactor, deadline, status, completedOn });
const course = (programme: string, hours: number, audience: string, listeners: number, finishedOn: string) => ({
  programme,
  hours,
  audience,
  listeners,
  finishedOn: d(finishedOn),
});

/** School А's tabs (its workbook a.xlsx). */
export const schoolATabs = {
  survey: {
    rows: [
      { respondentGroup: 'Учителя', required: 10, participated: 10 },
      { respondentGroup: 'Родители', required: 20, participated: 25 },
      { respondentGroup: 'Обучающиеся', required: 30, participated: 24 },
    ],
  },
  'risk-profile': {
    rows: [
      risk(MOTIVATION, 'высокий', 'да', 'да'),
      risk(PARENTS, 'высокий', 'да', 'да'),
      risk(STAFF, 'средний', 'нет', 'нет'),
    ],
  },
  documents: {
    rows: [
      { document: 'Концепция развития', status: 'согласован куратором' },
      { document: 'Среднесрочная программа развития', status: 'размещён в ИС МЭДК' },
      { document: 'Антирисковая программа', riskFactor: MOTIVATION, status: 'согласован куратором' },
      { document: 'Антирисковая программа', riskFactor: PARENTS, status: 'согласован куратором' },
    ],
  },
  roadmap: {
    rows: [
      roadmapRow('1', MOTIVATION, 'сентябрь', 'выполнено', d('2026-09-25')),
      roadmapRow('2', MOTIVATION, 'октябрь', 'выполнено', d('2026-11-05')),
      roadmapRow('3', PARENTS, 'октябрь', 'выполнено', d('2026-10-31')),
      roadmapRow('4', PARENTS, 'ноябрь', 'выполнено', d('2026-11-10')),
      roadmapRow('5', PARENTS, 'декабрь', 'запланировано'),
      roadmapRow('6', MOTIVATION, 'октябрь', 'отменено'),
    ],
  },
  'professional-development': {
    rows: [
      course('Формирующее оценивание', 36, 'учитель', 4, '2026-10-15'),
      course('Управление изменениями', 72, 'руководитель', 3, '2026-11-01'),
      course('Короткий семинар', 16, 'учитель', 10, '2026-10-01'),
      course('Прошлогодний курс', 36, 'учитель', 5, '2026-05-15'),
      course('Будущий курс', 36, 'учитель', 2, '2026-12-15'),
    ],
  },
  events: {
    rows: [
      { date: d('2026-10-10'), topic: 'Мотивация', form: 'семинар', hours: 4, participants: 15 },
      { date: d('2026-10-20'), topic: 'Родители', form: 'вебинар', hours: 2, participants: 30 },
      { date: d('2026-08-20'), topic: 'Прошлый год', form: 'педсовет', hours: 6, participants: 20 },
    ],
  },
} satisfies WorkbookContent['tabs'];
export const schoolA: RawWorkbook = rawBook('a.xlsx', schoolATabs);

/** School Б's tabs (its workbook b.xlsx). */
export const schoolBTabs = {
  survey: {
    rows: [
      { respondentGroup: 'Учителя', required: 10, participated: 5 },
      { respondentGroup: 'Родители', required: 20, participated: 10 },
    ],
  },
  'risk-profile': { rows: [risk(MOTIVATION, 'высокий', 'да', 'нет')] },
  documents: {
    rows: [
      { document: 'Концепция развития', status: 'разработан' },
      { document: 'Среднесрочная программа развития', status: 'согласован куратором' },
    ],
  },
  roadmap: {
    rows: [
      roadmapRow('1', MOTIVATION, 'сентябрь', 'в работе'),
      roadmapRow('2', MOTIVATION, 'октябрь', 'выполнено', d('2026-10-20')),
      roadmapRow('3', MOTIVATION, 'март', 'запланировано'),
      roadmapRow('4', MOTIVATION, 'по мере необходимости', 'в работе'),
      roadmapRow('5', MOTIVATION, 'октябрь', 'выполнен'),
    ],
  },
  'professional-development': { rows: [course('Формирующее оценивание', 36, 'учитель', 2, '2026-10-01')] },
  events: { rows: [] },
} satisfies WorkbookContent['tabs'];
export const schoolB: RawWorkbook = rawBook('b.xlsx', schoolBTabs);

/** Indicators of the fixture region as of a date (default 20.11.2026); school В's workbook is missing. */
export function fixtureIndicators(
  asOf = '2026-11-20',
  stage: Stage = 'промежуточный',
  registryBook: RawWorkbook = registry,
): MonitoringIndicators {
  return computeIndicators(fixtureInput(asOf, stage, registryBook));
}

/**
 * The whole model of a run over the fixture region (indicators, identification, registry records);
 * `feedbackInSheets` — as a run over Google Sheets, which writes the findings into each table.
 */
export function fixtureModel(
  asOf = '2026-11-20',
  stage: Stage = 'промежуточный',
  feedbackInSheets = false,
): RegionModel {
  return regionModel({ ...fixtureInput(asOf, stage), feedbackInSheets });
}

/** What the compute stage gets for the fixture region. */
function fixtureInput(asOf: string, stage: Stage, registryBook: RawWorkbook = registry): IndicatorInput {
  const reg = readRegistryWorkbook(registryBook, rules.specs, rules.settings);
  const rows = usableRows(reg, 'schools').filter((r) => r.values.participant);
  const workbooks: Record<string, RawWorkbook> = { 'a.xlsx': schoolA, 'b.xlsx': schoolB };
  const participants: ParticipantReading[] = rows.map((row) => {
    const raw = workbooks[row.values.workbook ?? ''];
    return raw
      ? { row, status: 'read', reading: readSchoolWorkbook(raw, rules.specs, rules.settings, reg.schoolYear) }
      : { row, status: 'missing', reading: undefined };
  });
  const issues = [...reg.issues, ...participants.flatMap((p) => p.reading?.issues ?? [])];
  return {
    registry: reg,
    participants,
    issues,
    asOf,
    stage,
    settings: rules.settings,
    recommendations: rules.recommendations,
  };
}
