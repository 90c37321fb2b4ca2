/**
 * Synthetic regions of any size that follow the data contract (../shared/data-contract.md):
 * a registry workbook and one workbook per participant school, as raw cells — the shape both
 * adapters (.xlsx, Google Sheets) hand to the core — and, for the read stage, written as .xlsx.
 *
 * Deterministic (seeded PRNG): the same size and seed give the same workbooks. A small share of
 * rows carries the mistakes people really make (a word where a number goes, an unknown list value,
 * a deadline in words nobody can date), so the validation's error paths are measured too.
 *
 * The identification input of a national scale (tens of thousands of schools) is generated
 * separately as typed rows: it is what identifySchools receives after validation.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { RawCell, RawCellValue, RawTab, RawWorkbook } from '../functions/core/raw-workbook.js';
import type { AssessmentResultsRow, ContextDataRow, SchoolsRow } from '../functions/core/tab-types.generated.js';

/** How big a region to make. */
export interface RegionSize {
  /** Schools in the registry («Школы»), participants included. */
  schools: number;
  /** Participant schools, each with its own workbook. */
  participants: number;
  /** Rows of «Результаты оценочных процедур» per school (over three years). */
  resultsPerSchool: number;
  /** Share of data rows with one planted mistake (0–1). */
  errorRate: number;
  seed: number;
}

export const DEFAULT_REGION: RegionSize = {
  schools: 1500,
  participants: 500,
  resultsPerSchool: 30,
  errorRate: 0.005,
  seed: 500,
};

/** A generated region: raw workbooks by the name the registry gives them. */
export interface GeneratedRegion {
  registry: RawWorkbook;
  /** School workbooks by their «Таблица школы» reference (a path relative to the registry). */
  schoolWorkbooks: Map<string, RawWorkbook>;
  /** Data rows (header rows not counted) of the registry and of all school workbooks. */
  rows: { registry: number; schools: number };
  /** Rows with a planted mistake. */
  planted: number;
}

/** The as-of date and school year the synthetic data are dated for. */
export const AS_OF = '2026-11-20';
const SCHOOL_YEAR = '2026/2027';
const RESULT_YEARS = [2024, 2025, 2026];

const RISK_FACTORS = [
  'Низкий уровень оснащения школы',
  'Дефицит педагогических кадров',
  'Недостаточная предметная и методическая компетентность педагогических работников',
  'Риски низкой адаптивности учебного процесса',
  'Несформированность внутришкольной системы повышения квалификации',
  'Высокая доля обучающихся с рисками учебной неуспешности',
  'Низкое качество преодоления языковых и культурных барьеров',
  'Пониженный уровень качества школьной образовательной и воспитательной среды',
  'Низкий уровень вовлечённости родителей',
  'Низкая учебная мотивация обучающихся',
];
const DISTRICTS = ['Северный', 'Южный', 'Заречный', 'Лесной', 'Приозёрный', 'Степной', 'Горный', 'Речной'];
const VILLAGES = ['Берёзовка', 'Каменка', 'Озёрное', 'Покровское', 'Сосновка', 'Никольское', 'Ольховка'];
const SURNAMES = ['Волкова', 'Зайцев', 'Морозова', 'Петров', 'Кузнецова', 'Смирнов', 'Орлова', 'Белов'];
const GIVEN = ['Анна Сергеевна', 'Олег Игоревич', 'Елена Викторовна', 'Павел Петрович', 'Ольга Николаевна'];
const SUBJECTS = ['Математика', 'Русский язык', 'Окружающий мир', 'История', 'Биология', 'Физика'];
/** Deadlines in words the contract's grammar reads, plus one it cannot date (a warning). */
const DEADLINES = [
  'сентябрь',
  'октябрь',
  'Апрель - май',
  'сентябрь- октябрь 2026 года',
  'ноябрь, декабрь',
  'в течение учебного года',
  'ежеквартально',
  'с октября',
  'по отдельному плану',
  'декабрь',
  'январь-февраль 2027 года',
  '15.11.2026',
];
const RESPONDENTS = ['Руководитель', 'Заместители руководителя', 'Учителя', 'Обучающиеся', 'Родители'];
const DOC_STATUSES = ['в разработке', 'разработан', 'согласован куратором', 'размещён в ИС МЭДК'];
const EVENT_FORMS = ['семинар', 'вебинар', 'тренинг', 'мастер-класс', 'круглый стол', 'педсовет'];
const PLAN_DIRECTIONS = [
  'Организационно-управленческое',
  'Аналитико-мониторинговое',
  'Методическое',
  'Информационное сопровождение',
];
const PLAN_TARGETS: [indicator: string, actual: string | null][] = [
  ['Не менее 90% требуемых респондентов участвовали', '85%'],
  ['Не менее 50 консультаций', '34'],
  ['Не менее 10 совещаний', '12'],
  ['100% школ-участников приняли участие в мероприятии', '100 %'],
  ['Приказ Департамента', null],
  ['Сайт', null],
];

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

function pick<T>(list: readonly T[], k: number): T {
  const value = list[((k % list.length) + list.length) % list.length];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

/** A tab from a header row and rows of plain values (null: empty cell). */
function tab(name: string, header: readonly string[], rows: readonly (readonly (RawCellValue | RawCell)[])[]): RawTab {
  const cell = (v: RawCellValue | RawCell): RawCell =>
    v !== null && typeof v === 'object' && !(v instanceof Date) ? v : { value: v };
  return { name, rows: [header.map((h) => ({ value: h })), ...rows.map((r) => r.map(cell))] };
}

/** A code of municipality m (0-based). */
const municipalityCode = (m: number) => `МО-${pad(m + 1, 3)}`;
/** A code of school i of municipality m. */
const schoolCode = (m: number, i: number) => `${pad(m + 1, 3)}-${pad(i + 1, 5)}`;

function personName(k: number): string {
  return `${pick(SURNAMES, k)} ${pick(GIVEN, Math.floor(k / SURNAMES.length))}`;
}

interface PlannedSchool {
  code: string;
  municipality: number;
  participant: boolean;
  rural: boolean;
  workbook: string | undefined;
}

/** A region of `size`: registry plus every participant's workbook, as raw cells. */
export function generateRegion(size: RegionSize = DEFAULT_REGION): GeneratedRegion {
  if (size.participants > size.schools) throw new Error('participants cannot outnumber the schools of the registry');
  const random = prng(size.seed);
  let planted = 0;
  /** True for about errorRate of the calls: this row gets a mistake. */
  const mistake = () => {
    const yes = random() < size.errorRate;
    if (yes) planted++;
    return yes;
  };
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const municipalityCount = Math.max(1, Math.round(size.schools / 40));
  // Participants spread evenly over the registry: every (schools / participants)-th school.
  const every = size.schools / Math.max(1, size.participants);
  const schools: PlannedSchool[] = Array.from({ length: size.schools }, (_, i) => {
    const participant = size.participants > 0 && Math.floor(i / every) !== Math.floor((i - 1) / every);
    const municipality = i % municipalityCount;
    const code = schoolCode(municipality, i);
    return {
      code,
      municipality,
      participant,
      rural: i % 3 !== 0,
      workbook: participant ? `schools/${code}.xlsx` : undefined,
    };
  });
  const participants = schools.filter((s) => s.participant);
  const nonParticipants = schools.filter((s) => !s.participant);
  const partnerOf = (k: number) => pick(nonParticipants.length ? nonParticipants : schools, k * 7).code;

  const region = tab(
    'Регион',
    ['Параметр', 'Значение'],
    [
      ['Субъект РФ', 'Условная область'],
      ['Орган управления образованием', 'Министерство образования Условной области'],
      ['Руководитель органа', 'Иванова Мария Петровна'],
      ['Должность руководителя', 'Министр образования Условной области'],
      ['Региональный координатор', 'ГАУ ДПО «Институт развития образования»'],
      ['Место составления', 'г. Условный'],
      ['Учебный год', SCHOOL_YEAR],
    ],
  );
  const municipalities = tab(
    'Муниципалитеты',
    ['Код МО', 'Муниципалитет', 'Орган управления образованием', 'Руководитель', 'Муниципальный координатор'],
    Array.from({ length: municipalityCount }, (_, m) => {
      const district = `${pick(DISTRICTS, m)}${m >= DISTRICTS.length ? `-${Math.floor(m / DISTRICTS.length) + 1}` : ''}`;
      return [
        municipalityCode(m),
        `${district} район`,
        `Отдел образования администрации района «${district}»`,
        personName(m),
        personName(m + 3),
      ];
    }),
  );
  const schoolsTab = tab(
    'Школы',
    [
      'Код ОО',
      'Наименование',
      'Полное наименование',
      'Код МО',
      'Местность',
      'Участник проекта',
      'Категория',
      'Кластер',
      'Куратор',
      'Школа-партнёр',
      'Таблица школы',
      'Год включения',
    ],
    schools.map((s, i) => {
      const village = pick(VILLAGES, i);
      const bad = s.participant && mistake();
      return [
        s.code,
        s.rural ? `МБОУ «СОШ №\u00a0${i + 1} с.\u00a0${village}»` : `МАОУ «Лицей №\u00a0${i + 1}»`,
        s.rural
          ? `Муниципальное бюджетное общеобразовательное учреждение «Средняя школа №\u00a0${i + 1} с.\u00a0${village}»`
          : null,
        municipalityCode(s.municipality),
        s.rural ? 'сельская' : 'городская',
        s.participant ? 'да' : 'нет',
        s.participant ? pick(['ШНОР', 'ШФНСУ', 'ШНОР и ШФНСУ'], i) : null,
        s.participant ? `Кластер ${(i % 5) + 1}` : null,
        s.participant ? personName(i) : null,
        s.participant ? partnerOf(i) : null,
        s.workbook ?? null,
        // A year in words is a planted mistake: «Год включения» is a whole number.
        s.participant ? (bad ? 'двадцать пятый' : pick([2024, 2025, 2026], i)) : null,
      ];
    }),
  );
  const workingGroup = tab(
    'Рабочая группа',
    ['ФИО', 'Должность', 'Роль', 'Код МО'],
    [
      ['Иванова Мария Петровна', 'Министр образования', 'руководитель', null],
      ['Петров Павел Петрович', 'Заместитель министра', 'заместитель руководителя', null],
      ['Орлова Ольга Николаевна', 'Методист ИРО', 'секретарь', null],
      ...Array.from({ length: municipalityCount }, (_, m) => [
        personName(m + 11),
        'Начальник отдела образования',
        'член рабочей группы',
        municipalityCode(m),
      ]),
    ],
  );
  const partnerships = tab(
    'Сетевое партнёрство',
    ['Код ОО', 'Код ОО партнёра', 'Номер договора', 'Дата договора', 'Направления сотрудничества'],
    participants.map((s, k) => [
      s.code,
      partnerOf(k),
      `СП-${k + 1}`,
      day(`2026-${pad(9 + (k % 3), 2)}-${pad(1 + (k % 28), 2)}`),
      'методическая помощь, открытые уроки',
    ]),
  );
  const planGraph = tab(
    'План-график',
    [
      '№',
      'Направление',
      'Мероприятие',
      'Описание',
      'Сроки',
      'Ответственный',
      'Показатель результативности',
      'Фактическое значение',
      'Статус',
      'Подтверждение',
    ],
    Array.from({ length: 30 }, (_, k) => {
      const [indicator, actual] = pick(PLAN_TARGETS, k);
      return [
        String(k + 1),
        pick(PLAN_DIRECTIONS, k),
        `Мероприятие плана-графика ${k + 1}`,
        k % 2 ? 'Для всех школ-участников' : null,
        pick(DEADLINES, k),
        'ГАУ ДПО ИРО',
        indicator,
        actual,
        pick(['не начато', 'в работе', 'выполнено', 'не выполнено', 'перенесено'], k),
        k % 3 === 0 ? `https://iro.example.ru/plan/${k + 1}` : null,
      ];
    }),
  );
  const curatorWork = tab(
    'Работа кураторов',
    ['Дата', 'Куратор', 'Код ОО', 'Вид', 'Тема', 'Результат'],
    participants.flatMap((s, k) =>
      Array.from({ length: 12 }, (_, j) => {
        const kind = pick(['посещение', 'консультация', 'консультация', 'совещание', 'вебинар'], k + j);
        const meeting = kind === 'совещание' || kind === 'вебинар';
        return [
          day(`2026-${pad(9 + (j % 3), 2)}-${pad(1 + ((k + j * 3) % 28), 2)}`),
          personName(k),
          meeting && j % 2 ? null : s.code,
          mistake() ? 'звонок' : kind,
          `Тема встречи ${j + 1}`,
          j % 4 ? 'Даны рекомендации' : null,
        ];
      }),
    ),
  );
  const results = tab(
    'Результаты оценочных процедур',
    [
      'Код ОО',
      'Год',
      'Процедура',
      'Класс',
      'Предмет',
      'Участников',
      'Получили «2»',
      'Получили «4» и «5»',
      'Средний балл',
    ],
    schools.flatMap((s) => {
      // A school's own level of «2», so that the worst schools are the same ones year to year.
      const weak = random() * 0.3;
      return Array.from({ length: size.resultsPerSchool }, (_, j) => {
        const year = pick(RESULT_YEARS, j);
        const procedure = pick(['ВПР', 'ВПР', 'ВПР', 'ОГЭ', 'ЕГЭ'], Math.floor(j / 3));
        const grade = procedure === 'ОГЭ' ? 9 : procedure === 'ЕГЭ' ? 11 : 4 + (Math.floor(j / 3) % 5);
        const participantsCount = int(8, 60);
        const failed = Math.min(participantsCount, Math.round(participantsCount * weak * (0.6 + random() * 0.8)));
        const good = Math.floor((participantsCount - failed) * random() * 0.7);
        return [
          s.code,
          year,
          procedure,
          grade,
          pick(SUBJECTS, j),
          participantsCount,
          // More «2» than participants: a planted mistake.
          mistake() ? participantsCount + 5 : failed,
          good,
          j % 2 ? `${int(2, 4)},${int(0, 9)}` : null,
        ];
      });
    }),
  );
  const percent = (value: number, k: number): RawCell =>
    k % 3 === 0
      ? { value: value / 100, percentFormat: true }
      : k % 3 === 1
        ? { value }
        : { value: `${String(value).replace('.', ',')} %` };
  const context = tab(
    'Контекстные данные',
    [
      'Код ОО',
      'Год',
      'Обучающихся',
      'Педагогов',
      'Вакансий',
      'Из малоимущих семей, %',
      'С ОВЗ, %',
      'С неродным русским языком, %',
    ],
    schools.flatMap((s, k) =>
      [2025, 2026].map((year, j) => [
        s.code,
        year,
        int(40, 900),
        int(5, 60),
        // Skewed towards the low end: a minority of schools cross each threshold of config/monitoring.json.
        Math.floor(random() ** 4 * 6),
        percent(Math.round(random() ** 3 * 45), k + j),
        percent(Math.round(random() ** 3 * 25), k + j + 1),
        percent(mistake() ? 140 : Math.round(random() ** 4 * 35), k + j + 2),
      ]),
    ),
  );
  const satisfaction = tab(
    'Удовлетворённость',
    ['Код ОО', 'Группа респондентов', 'Опрошено', 'Удовлетворены'],
    participants.flatMap((s) =>
      ['Родители', 'Обучающиеся', 'Учителя'].map((group) => {
        const surveyed = int(10, 120);
        return [s.code, group, surveyed, Math.floor(surveyed * (0.5 + random() * 0.5))];
      }),
    ),
  );
  const registryTabs = [
    region,
    municipalities,
    schoolsTab,
    workingGroup,
    partnerships,
    planGraph,
    curatorWork,
    results,
    context,
    satisfaction,
  ];

  const schoolWorkbooks = new Map<string, RawWorkbook>();
  let schoolRows = 0;
  for (const [k, s] of participants.entries()) {
    const workbook = schoolWorkbook(s, k, random, mistake);
    schoolRows += dataRows(workbook);
    if (s.workbook) schoolWorkbooks.set(s.workbook, workbook);
  }
  const registry: RawWorkbook = { name: 'registry.xlsx', tabs: registryTabs };
  return { registry, schoolWorkbooks, rows: { registry: dataRows(registry), schools: schoolRows }, planted };
}

/** Data rows of a workbook: all rows but the header (key-value «Регион»: its parameters). */
export function dataRows(workbook: RawWorkbook): number {
  return workbook.tabs.reduce((sum, t) => sum + Math.max(0, t.rows.length - 1), 0);
}

function schoolWorkbook(s: PlannedSchool, k: number, random: () => number, mistake: () => boolean): RawWorkbook {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const chosenCount = 1 + (k % 3);
  const chosen = Array.from({ length: chosenCount }, (_, j) => pick(RISK_FACTORS, k + j * 3));
  const survey = tab(
    'Анкетирование',
    ['Группа респондентов', 'Требуется', 'Приняли участие'],
    RESPONDENTS.map((group) => {
      const required = int(1, 80);
      return [group, required, mistake() ? 'все' : Math.min(required + 3, int(Math.floor(required / 2), required + 3))];
    }),
  );
  const risks = tab(
    'Рисковый профиль',
    ['Фактор риска', 'Уровень риска', 'Выбран для работы', 'Верифицирован куратором'],
    RISK_FACTORS.map((factor, j) => [
      factor,
      chosen.includes(factor) ? 'высокий' : pick(['средний', 'низкий'], j + k),
      chosen.includes(factor) ? 'да' : 'нет',
      chosen.includes(factor) && (k + j) % 4 !== 0 ? 'да' : 'нет',
    ]),
  );
  const documents = tab(
    'Документы',
    ['Документ', 'Фактор риска', 'Статус', 'Дата', 'Ссылка'],
    [
      ['Концепция развития', null, pick(DOC_STATUSES, k), day('2026-09-15'), `https://school.example.ru/${k}/concept`],
      ['Среднесрочная программа развития', null, pick(DOC_STATUSES, k + 1), null, null],
      ...chosen.map((factor, j) => [
        'Антирисковая программа',
        factor,
        pick(DOC_STATUSES, k + j + 2),
        day('2026-10-01'),
        null,
      ]),
      ['Аналитическая справка по повышению квалификации', null, pick(DOC_STATUSES, k + 2), null, null],
      ['Аналитическая справка по ВСОКО', null, pick(DOC_STATUSES, k + 3), null, null],
      ['Аналитическая справка по ООП', null, mistake() ? 'почти готово' : pick(DOC_STATUSES, k), null, null],
    ],
  );
  const measures = 8 + (k % 17);
  const roadmap = tab(
    'Дорожная карта',
    [
      '№',
      'Фактор риска',
      'Задача',
      'Мероприятие',
      'Срок',
      'Ответственный',
      'Ожидаемый результат',
      'Статус',
      'Дата выполнения',
      'Подтверждение',
    ],
    Array.from({ length: measures }, (_, j) => {
      const status = pick(['выполнено', 'в работе', 'запланировано', 'выполнено', 'не выполнено', 'отменено'], k + j);
      const done = status === 'выполнено';
      return [
        `${Math.floor(j / 3) + 1}.${(j % 3) + 1}`,
        pick(chosen, j),
        `Задача ${Math.floor(j / 3) + 1}`,
        `Мероприятие ${j + 1} по снижению риска`,
        mistake() ? 'когда получится' : pick(DEADLINES, k + j),
        pick(['Директор', 'Заместитель директора по УВР', 'Руководитель МО учителей'], j),
        'Протокол, отчёт',
        status,
        done ? day(`2026-${pad(9 + (j % 3), 2)}-${pad(1 + ((k + j) % 28), 2)}`) : null,
        done && j % 2 ? `https://school.example.ru/${k}/roadmap/${j + 1}` : null,
      ];
    }),
  );
  const development = tab(
    'Повышение квалификации',
    ['Программа', 'Часов', 'Категория слушателей', 'Слушателей', 'Дата окончания'],
    Array.from({ length: 3 + (k % 8) }, (_, j) => [
      `Программа повышения квалификации ${j + 1}`,
      pick([16, 24, 36, 72], k + j),
      pick(['руководитель', 'заместитель руководителя', 'учитель', 'учитель', 'иной работник'], j),
      mistake() ? 0 : int(1, 12),
      day(`2026-${pad(9 + (j % 3), 2)}-${pad(1 + ((k * 3 + j) % 28), 2)}`),
    ]),
  );
  const events = tab(
    'Мероприятия',
    ['Дата', 'Тема', 'Форма', 'Часов', 'Участников'],
    Array.from({ length: 3 + (k % 6) }, (_, j) => [
      day(`2026-${pad(9 + (j % 3), 2)}-${pad(1 + ((k + 5 * j) % 28), 2)}`),
      `Мероприятие школы ${j + 1}`,
      pick(EVENT_FORMS, k + j),
      j % 2 ? '1,5' : pick([2, 4, 6], j),
      int(5, 60),
    ]),
  );
  return { name: s.workbook ?? `${s.code}.xlsx`, tabs: [survey, risks, documents, roadmap, development, events] };
}

/** Writes the region as .xlsx files under `dir`: registry.xlsx and schools/<Код ОО>.xlsx. */
export async function writeRegion(region: GeneratedRegion, dir: string): Promise<{ registryPath: string }> {
  await mkdir(path.join(dir, 'schools'), { recursive: true });
  const registryPath = path.join(dir, region.registry.name);
  await writeXlsx(region.registry, registryPath);
  for (const [reference, workbook] of region.schoolWorkbooks) await writeXlsx(workbook, path.join(dir, reference));
  return { registryPath };
}

/** One workbook as .xlsx: values as typed, dates as date cells, percent cells percent-formatted. */
async function writeXlsx(raw: RawWorkbook, file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = workbook.modified = new Date(Date.UTC(2026, 10, 20));
  for (const rawTab of raw.tabs) {
    const sheet = workbook.addWorksheet(rawTab.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    for (const [r, cells] of rawTab.rows.entries()) {
      const row = sheet.addRow(cells.map((c) => c.value));
      cells.forEach((c, j) => {
        if (c.value instanceof Date) row.getCell(j + 1).numFmt = 'dd.mm.yyyy';
        else if (c.percentFormat) row.getCell(j + 1).numFmt = '0.0%';
      });
      if (r === 0) row.font = { bold: true };
    }
  }
  await workbook.xlsx.writeFile(file);
}

/** The identification input at a national scale: `schools` schools, `resultsPerSchool` result rows each. */
export function identificationInput(
  schools: number,
  resultsPerSchool: number,
  seed = 40_000,
): { schools: SchoolsRow[]; results: AssessmentResultsRow[]; context: ContextDataRow[] } {
  const random = prng(seed);
  const municipalities = Math.max(1, Math.round(schools / 40));
  const schoolRows: SchoolsRow[] = [];
  const results: AssessmentResultsRow[] = [];
  const context: ContextDataRow[] = [];
  for (let i = 0; i < schools; i++) {
    const m = i % municipalities;
    const code = schoolCode(m, i);
    const rural = i % 10 < 3;
    schoolRows.push({
      code,
      name: rural ? `МБОУ «СОШ №\u00a0${i + 1} с.\u00a0${pick(VILLAGES, i)}»` : `МАОУ «Лицей №\u00a0${i + 1}»`,
      municipalityCode: municipalityCode(m),
      locality: rural ? 'сельская' : 'городская',
      participant: i % 10 === 0,
    });
    const weak = random() * 0.3;
    for (let j = 0; j < resultsPerSchool; j++) {
      const participants = 8 + Math.floor(random() * 53);
      const failed = Math.min(participants, Math.round(participants * weak * (0.6 + random() * 0.8)));
      results.push({
        schoolCode: code,
        year: pick(RESULT_YEARS, j),
        procedure: 'ВПР',
        grade: 4 + (Math.floor(j / 3) % 5),
        subject: pick(SUBJECTS, j),
        participants,
        failed,
        good: Math.floor((participants - failed) * random() * 0.7),
      });
    }
    for (const year of [2025, 2026]) {
      context.push({
        schoolCode: code,
        year,
        students: 40 + Math.floor(random() * 860),
        teachers: 5 + Math.floor(random() * 55),
        // Skewed towards the low end: a minority of schools cross each threshold of config/monitoring.json.
        vacancies: Math.floor(random() ** 4 * 6),
        lowIncomePercent: Math.round(random() ** 3 * 45),
        disabilitiesPercent: Math.round(random() ** 3 * 25),
        nonNativeRussianPercent: Math.round(random() ** 4 * 35),
      });
    }
  }
  return { schools: schoolRows, results, context };
}
