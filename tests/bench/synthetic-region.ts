/**
 * A synthetic region of N participant schools, built in memory from the fixture region's schools:
 * distinct codes and names, a few municipalities, and deterministically varied numbers (roadmap
 * size and progress, overdue measures, survey coverage, curator work, assessment results).
 */
import { measure, measureAgainst, type Indicator } from '../../functions/core/indicator.js';
import { areaIndicators, type MonitoringIndicators, type SchoolIndicators } from '../../functions/core/indicators.js';
import type { RegistryFacts } from '../../functions/core/documents/registry-facts.js';
import type { OverdueItem } from '../../functions/core/school-indicators.js';
import type { MunicipalitiesRow } from '../../functions/core/tab-types.generated.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { fixtureIndicators } from '../support/fixture-region.js';

/** The region's indicators and the registry facts its documents name. */
export interface SyntheticRegion {
  indicators: MonitoringIndicators;
  facts: RegistryFacts;
}

const DISTRICTS = ['Северный', 'Южный', 'Заречный', 'Лесной', 'Приозёрный', 'Степной', 'Горный', 'Речной'];
const VILLAGES = ['Берёзовка', 'Каменка', 'Озёрное', 'Покровское', 'Сосновка', 'Никольское', 'Ольховка'];
/** Short and full names of a kind of school; {n} is the school's number, {v} a village. */
const KINDS: [short: string, full: string][] = [
  [
    'МБОУ «СОШ №\u00a0{n} с.\u00a0{v}»',
    'Муниципальное бюджетное общеобразовательное учреждение «Средняя школа №\u00a0{n} с.\u00a0{v}»',
  ],
  [
    'МКОУ «ООШ №\u00a0{n} с.\u00a0{v}»',
    'Муниципальное казённое общеобразовательное учреждение «Основная школа №\u00a0{n} с.\u00a0{v}»',
  ],
  ['МАОУ «Лицей №\u00a0{n}»', 'Муниципальное автономное общеобразовательное учреждение «Лицей №\u00a0{n}»'],
  ['МБОУ «Гимназия №\u00a0{n}»', 'Муниципальное бюджетное общеобразовательное учреждение «Гимназия №\u00a0{n}»'],
];
const ACTIVITIES = [
  'Семинар для педагогов по формирующему оцениванию',
  'Родительское собрание «Учимся вместе»',
  'Открытые уроки с участием школы-партнёра',
  'Диагностика учебной мотивации обучающихся 5–9 классов',
  'Курсы повышения квалификации по управлению изменениями',
  'Проектная неделя для обучающихся',
  'Методический день по анализу результатов ВПР',
];
const DEADLINES: [text: string, end: string][] = [
  ['сентябрь', '2026-09-30'],
  ['октябрь', '2026-10-31'],
  ['до 15 октября', '2026-10-15'],
  ['I четверть', '2026-10-25'],
  ['до 10 ноября', '2026-11-10'],
];
const RESPONSIBLE = ['Директор', 'Заместитель директора по УВР', 'Руководитель МО учителей', 'Педагог-психолог'];
const CURATORS = ['Волкова Анна Сергеевна', 'Зайцев Олег Игоревич', 'Морозова Елена Викторовна'];

/** Picks the k-th element of a non-empty list, cyclically. */
function pick<T>(list: readonly T[], k: number): T {
  const value = list[k % list.length];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

/** The same indicator with another value, its verdict recomputed against the same target. */
function withValue<T extends number | boolean>(indicator: Indicator<T>, value: T | null): Indicator<T> {
  return indicator.target ? measureAgainst(value, indicator.unit, indicator.target) : measure(value, indicator.unit);
}

/** Distinct names of school i: every one carries the school's number. */
function schoolNames(i: number): { name: string; fullName: string } {
  const fill = (text: string) =>
    text.replace('{n}', String(i + 1)).replace('{v}', pick(VILLAGES, Math.floor(i / KINDS.length)));
  const [short, full] = pick(KINDS, i);
  return { name: fill(short), fullName: fill(full) };
}

/** School i of the region, cloned from one of the fixture schools with varied numbers. */
function syntheticSchool(base: SchoolIndicators, i: number, municipalityCode: string): SchoolIndicators {
  const code = `${municipalityCode.slice(-2)}-${String(i + 1).padStart(3, '0')}`;
  const school: SchoolIndicators = {
    ...base,
    code,
    ...schoolNames(i),
    municipalityCode,
    curatorName: pick(CURATORS, i),
    curator: {
      visits: withValue(base.curator.visits, i % 4),
      consultations: withValue(base.curator.consultations, (i * 3) % 7),
    },
    results: {
      ...base.results,
      years: base.results.years.map((y, k) => ({
        ...y,
        participants: y.participants + ((i * 7 + k * 3) % 40),
        failShare: y.failShare === null ? null : ((i * 11 + k * 5) % 35) / 100,
        qualityShare: y.qualityShare === null ? null : ((i * 13 + k * 7) % 50) / 100 + 0.1,
      })),
    },
  };
  if (base.workbook.status !== 'read') return school;

  // Roadmap: 4–20 measures, some done, 0–12 overdue (a long overdue table now and then).
  const total = 4 + ((i * 7) % 17);
  const overdue = Math.min(total, i % 13);
  const done = Math.min(total - overdue, Math.floor((total * ((i * 37) % 100)) / 100));
  const overdueItems: OverdueItem[] = Array.from({ length: overdue }, (_, k) => {
    const [deadlineText, deadlineEnd] = pick(DEADLINES, i + k);
    return {
      number: String(k * 2 + 1),
      riskFactor: pick(base.risks.chosenFactors.length ? base.risks.chosenFactors : ['—'], k),
      activity: pick(ACTIVITIES, i + k),
      deadlineText,
      deadlineEnd,
      status: k % 3 === 0 ? 'запланировано' : 'в работе',
      responsible: pick(RESPONSIBLE, i * 3 + k),
    };
  });
  return {
    ...school,
    survey: { coverage: withValue(base.survey.coverage, 0.5 + ((i * 17) % 51) / 100) },
    roadmap: {
      total: withValue(base.roadmap.total, total),
      done: withValue(base.roadmap.done, done),
      overdue: withValue(base.roadmap.overdue, overdue),
      progress: withValue(base.roadmap.progress, done / total),
      onTime: withValue(base.roadmap.onTime, done === 0 ? null : 1 - (i % 5) / 10),
      overdueItems,
    },
  };
}

/** A region of `count` participant schools in a few municipalities; every 10th school sent no workbook. */
export function syntheticRegion(count: number): SyntheticRegion {
  const fixture = fixtureIndicators();
  const settings = monitoringRules().settings;
  const fixtureSchool = (code: string): SchoolIndicators => {
    const school = fixture.schools[code];
    if (!school) throw new Error(`В тестовом регионе нет школы ${code}`);
    return school;
  };
  const withWorkbookA = fixtureSchool('01-001');
  const withWorkbookB = fixtureSchool('01-002');
  const missing = fixtureSchool('02-001');

  const municipalityCount = Math.min(count, DISTRICTS.length, Math.max(3, Math.ceil(count / 40)));
  const municipalities: MunicipalitiesRow[] = DISTRICTS.slice(0, municipalityCount).map((district, m) => ({
    code: `МО-${String(m + 1).padStart(2, '0')}`,
    name: `${district} район`,
    educationAuthority: `Отдел образования администрации ${district.replace(/ый$|ий$/, 'ого')} района`,
    head: pick(['Петров П.П.', 'Кузнецов К.К.', 'Смирнова А.А.'], m),
    coordinator: pick(['Сидорова С.С.', 'Орлова О.О.', 'Белов Б.Б.'], m),
  }));

  const schools = Array.from({ length: count }, (_, i) => {
    const base = i % 10 === 9 ? missing : i % 2 === 0 ? withWorkbookA : withWorkbookB;
    return syntheticSchool(base, i, pick(municipalities, i).code);
  });
  const noRows = { curatorWork: [], partnerships: [], satisfaction: [] };
  const indicators: MonitoringIndicators = {
    ...fixture,
    region: { ...fixture.region, ...areaIndicators(schools, noRows, fixture.asOf, settings, 'region') },
    municipalities: Object.fromEntries(
      municipalities.map((m) => [
        m.code,
        {
          code: m.code,
          name: m.name,
          ...areaIndicators(
            schools.filter((s) => s.municipalityCode === m.code),
            noRows,
            fixture.asOf,
            settings,
            'municipality',
          ),
        },
      ]),
    ),
    schools: Object.fromEntries(schools.map((s) => [s.code, s])),
  };
  const facts: RegistryFacts = {
    region: {
      subject: 'Условная область',
      educationAuthority: 'Министерство образования Условной области',
      regionalCoordinator: 'ГАУ ДПО «Институт развития образования»',
      schoolYear: fixture.schoolYear,
    },
    municipalities,
    schools: [],
  };
  return { indicators, facts };
}
