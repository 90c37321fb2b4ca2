import {
  countOf,
  formatDate,
  formatIndicatorValue,
  formatNumber,
  initialsAndSurname,
  plural,
  stageGenitive,
} from './format-ru.js';
import type { Indicator } from './indicator.js';
import type { MonitoringIndicators, SchoolIndicators, Stage } from './indicators.js';
import type { IsoDate } from './period.js';
import { municipalityName, verdictText, type RegistryFacts } from './report-views.js';
import { byNumber } from './school-indicators.js';
import type {
  MunicipalitiesRow,
  NetworkPartnershipRow,
  PlanGraphRow,
  SchoolsRow,
  WorkingGroupRow,
} from './tab-types.generated.js';

/** Date and number of a signed order; a draft leaves both out and prints blanks. */
export interface OrderRegistration {
  date?: IsoDate;
  number?: string;
}

/** Options every order builder takes. */
export interface OrderOptions {
  /** The order's own date and number, when already assigned. */
  registration?: OrderRegistration;
}

/** Requisites every order shares: issuing body, place, title, registration, signer. */
export interface OrderHead {
  title: string;
  authority: string;
  place: string;
  /** «5 июня 2021 г.», or '' for the blank «____» ____________ 20___ г. */
  date: string;
  /** The registration number, or '' for the blank «№ ______». */
  number: string;
  signerPosition: string;
  signerName: string;
  coordinator: string;
  schoolYear: string;
}

/** A numbered clause of an order, with its sub-clauses (rendered 3.1, 3.2 …). */
export interface OrderClause {
  text: string;
  items: string[];
}

const PROJECT =
  'проекта адресной методической помощи общеобразовательным организациям, имеющим низкие образовательные результаты обучающихся (проект «500+»)';
const CONTROL: OrderClause = { text: 'Контроль за исполнением настоящего приказа оставляю за собой.', items: [] };
const MUNICIPAL_AUTHORITIES = 'органов местного самоуправления, осуществляющих управление в сфере образования';
/** A blank registration inside running text: «от ____________ № ______». */
const BLANK_DATE = '____________';
const BLANK_NUMBER = '______';

const PEOPLE = ['человек', 'человека', 'человек'] as const;
const MEASURES = ['мероприятие', 'мероприятия', 'мероприятий'] as const;
const CONTRACTS = ['договор', 'договора', 'договоров'] as const;
const PARTICIPANTS = ['школа-участник', 'школы-участника', 'школ-участников'] as const;

/** The head of an order issued by the region's education authority and signed by its head. */
export function orderHead(facts: RegistryFacts, title: string, registration: OrderRegistration = {}): OrderHead {
  const region = facts.region;
  return {
    title,
    authority: region.educationAuthority ?? '',
    place: region.place ?? '',
    date: registration.date ? formatDate(registration.date) : '',
    number: registration.number ?? '',
    signerPosition: region.authorityHeadPosition ?? '',
    signerName: region.authorityHead ? initialsAndSurname(region.authorityHead) : '',
    coordinator: region.regionalCoordinator ?? '',
    schoolYear: region.schoolYear ?? '',
  };
}

/** «от 5 июня 2021 г. № 12-ОД», or the blanks of a draft. */
function registrationText(registration: OrderRegistration): string {
  const date = registration.date ? formatDate(registration.date) : BLANK_DATE;
  return `от ${date} № ${registration.number || BLANK_NUMBER}`;
}

const forYear = (schoolYear: string) => (schoolYear ? ` на ${schoolYear} учебный год` : '');
const inYear = (schoolYear: string) => (schoolYear ? ` в ${schoolYear} учебном году` : '');
const duringYear = (schoolYear: string) =>
  schoolYear ? `в течение ${schoolYear} учебного года` : 'в течение учебного года';
const coordinatorOf = (head: OrderHead) =>
  `Региональному координатору проекта${head.coordinator ? ` (${head.coordinator})` : ''}`;

/** Sub-clauses read as one sentence: «…;» between them, «.» after the last. */
function punctuated(items: string[]): string[] {
  return items.map((item, index) => `${item}${index === items.length - 1 ? '.' : ';'}`);
}

function municipalityOrder(facts: RegistryFacts): (code: string) => number {
  return (code) => {
    const index = facts.municipalities.findIndex((m) => m.code === code);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
}

/** Consecutive runs of items with the same key, in order: [[key, items], …]. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups: [string, T[]][] = [];
  for (const item of items) {
    const k = key(item);
    const last = groups[groups.length - 1];
    if (last && last[0] === k) last[1].push(item);
    else groups.push([k, [item]]);
  }
  return groups;
}

function municipalityTitle(municipalities: readonly MunicipalitiesRow[], code: string): string {
  return code ? municipalityName({ municipalities: [...municipalities] }, code) : '—';
}

// --- Working group (seed 002, приложение 3) -------------------------------------------------

const PURPOSE_OF_GROUP =
  'по оказанию методической помощи общеобразовательным организациям, показывающим низкие образовательные результаты';
const ROLE_ORDER: readonly WorkingGroupRow['role'][] = [
  'руководитель',
  'заместитель руководителя',
  'секретарь',
  'член рабочей группы',
];
const ROLE_TEXT: Record<WorkingGroupRow['role'], string> = {
  руководитель: 'руководитель рабочей группы',
  'заместитель руководителя': 'заместитель руководителя рабочей группы',
  секретарь: 'секретарь рабочей группы',
  'член рабочей группы': 'член рабочей группы',
};

/** Leader first, then deputy, secretary, members in alphabetical order. */
function groupMembers(rows: readonly WorkingGroupRow[]) {
  return [...rows]
    .sort(
      (a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.fullName.localeCompare(b.fullName, 'ru'),
    )
    .map((row, index) => ({
      index: index + 1,
      fullName: row.fullName,
      position: row.position,
      role: ROLE_TEXT[row.role],
    }));
}

/** The draft order approving the working group: the regional group and one group per municipality that has one. */
export function workingGroupOrderView(
  facts: RegistryFacts,
  workingGroup: readonly WorkingGroupRow[],
  municipalities: readonly MunicipalitiesRow[] = facts.municipalities,
  options: OrderOptions = {},
) {
  const regional = workingGroup.filter((row) => !row.municipalityCode);
  const codes = [...new Set(workingGroup.flatMap((row) => (row.municipalityCode ? [row.municipalityCode] : [])))];
  const order = (code: string) => {
    const index = municipalities.findIndex((m) => m.code === code);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  codes.sort((a, b) => order(a) - order(b) || a.localeCompare(b, 'ru'));
  const municipal = codes.map((code) => ({
    name: municipalityTitle(municipalities, code),
    rows: workingGroup.filter((row) => row.municipalityCode === code),
  }));
  const hasRegional = regional.length > 0;
  const many = municipal.length > 1;
  const municipalAdjective = many ? 'муниципальных' : 'муниципальной';

  const ofProject = 'по реализации проекта «500+»';
  let title: string;
  let appendixTitle: string;
  if (municipal.length === 0) {
    title = `Об утверждении состава рабочей группы ${ofProject}`;
    appendixTitle = `Состав рабочей группы ${PURPOSE_OF_GROUP}`;
  } else if (!hasRegional) {
    title = many
      ? `Об утверждении составов муниципальных рабочих групп ${ofProject}`
      : `Об утверждении состава муниципальной рабочей группы ${ofProject}`;
    appendixTitle = many
      ? `Составы муниципальных рабочих групп ${PURPOSE_OF_GROUP}`
      : `Состав муниципальной рабочей группы ${PURPOSE_OF_GROUP}`;
  } else {
    title = `Об утверждении составов региональной и ${municipalAdjective} рабочих групп ${ofProject}`;
    appendixTitle = `Составы региональной и ${municipalAdjective} рабочих групп ${PURPOSE_OF_GROUP}`;
  }
  const head = orderHead(facts, title, options.registration);

  const clauses: OrderClause[] = [];
  if (hasRegional) {
    const which = municipal.length > 0 ? 'региональной рабочей группы' : 'рабочей группы';
    clauses.push({
      text: `Утвердить состав ${which} ${PURPOSE_OF_GROUP} (${countOf(regional.length, PEOPLE)}) согласно приложению к настоящему приказу.`,
      items: [],
    });
  }
  if (municipal.length > 0) {
    const list = municipal.map((m) => `${m.name} — ${countOf(m.rows.length, PEOPLE)}`).join(', ');
    // The purpose is spelled out once: in the regional group's clause when there is one.
    const purpose = hasRegional ? '' : ` ${PURPOSE_OF_GROUP}`;
    clauses.push({
      text: many
        ? `Утвердить составы муниципальных рабочих групп${purpose} (${list}) согласно приложению к настоящему приказу.`
        : `Утвердить состав муниципальной рабочей группы${purpose} (${list}) согласно приложению к настоящему приказу.`,
      items: [],
    });
  }
  if (hasRegional) {
    clauses.push({
      text: `${municipal.length > 0 ? 'Региональной рабочей группе' : 'Рабочей группе'} обеспечить координацию деятельности участников проекта «500+», рассматривать ход выполнения плана-графика («дорожной карты») и итоги мониторинга реализации проекта на заседаниях не реже одного раза в квартал.`,
      items: [],
    });
  }
  if (municipal.length > 0) {
    clauses.push({
      text: `Рекомендовать руководителям ${MUNICIPAL_AUTHORITIES}, обеспечить работу ${municipalAdjective} ${many ? 'рабочих групп' : 'рабочей группы'} и участие ${many ? 'их' : 'её'} членов в мероприятиях проекта «500+».`,
      items: [],
    });
  }
  clauses.push(CONTROL);

  const groups = [
    ...(hasRegional
      ? [
          {
            heading: 'Региональная рабочая группа',
            countText: countOf(regional.length, PEOPLE),
            members: groupMembers(regional),
          },
        ]
      : []),
    ...municipal.map((m) => ({
      heading: `Муниципальная рабочая группа: ${m.name}`,
      countText: countOf(m.rows.length, PEOPLE),
      members: groupMembers(m.rows),
    })),
  ];

  return {
    ...head,
    preamble: `В целях реализации ${PROJECT} и координации деятельности его участников${inYear(head.schoolYear)}`,
    clauses,
    appendixTitle,
    /** Section headings are needed only when the appendix holds more than one group. */
    showGroupHeadings: groups.length > 1,
    groups,
  };
}

// --- Network partnership (seed 002, приложение 4) -------------------------------------------

/** The draft order approving the pairs of participant schools and partner schools, with their contracts. */
export function networkPartnershipOrderView(
  facts: RegistryFacts,
  partnerships: readonly NetworkPartnershipRow[],
  schools: readonly SchoolsRow[] = facts.schools,
  options: OrderOptions = {},
) {
  const subject = 'общеобразовательных организаций, показывающих низкие образовательные результаты, и школ-партнёров';
  const head = orderHead(facts, `Об утверждении сетевого партнёрства ${subject}`, options.registration);
  const school = (code: string) => schools.find((s) => s.code === code);
  // Short names («МБОУ «Ефимовская СОШ»»): full names do not fit a six-column table.
  const schoolName = (code: string) => school(code)?.name ?? code;
  const order = municipalityOrder(facts);
  const municipalityOf = (code: string) => school(code)?.municipalityCode ?? '';
  const pairs = [...partnerships].sort(
    (a, b) =>
      order(municipalityOf(a.schoolCode)) - order(municipalityOf(b.schoolCode)) ||
      schoolName(a.schoolCode).localeCompare(schoolName(b.schoolCode), 'ru') ||
      a.contractDate.localeCompare(b.contractDate),
  );
  const partnered = new Set(partnerships.map((p) => p.schoolCode));
  const unpartnered = schools
    .filter((s) => s.participant && !partnered.has(s.code))
    .sort((a, b) => order(a.municipalityCode) - order(b.municipalityCode) || a.name.localeCompare(b.name, 'ru'));

  const clauses: OrderClause[] = [
    {
      text: `Утвердить список сетевого партнёрства ${subject} (${countOf(pairs.length, CONTRACTS)} о сетевом взаимодействии) согласно приложению к настоящему приказу.`,
      items: [],
    },
    {
      text: `Руководителям общеобразовательных организаций, указанных в приложении к настоящему приказу, организовать работу в рамках сетевого партнёрства по направлениям сотрудничества, предусмотренным договорами, ${duringYear(head.schoolYear)}.`,
      items: [],
    },
  ];
  if (unpartnered.length > 0) {
    const names = unpartnered.map((s) => s.name).join(', ');
    clauses.push({
      text:
        unpartnered.length === 1
          ? `Руководителю общеобразовательной организации, участвующей в проекте «500+» и не заключившей договор о сетевом партнёрстве (${names}), заключить договор со школой-партнёром в течение месяца со дня издания настоящего приказа.`
          : `Руководителям общеобразовательных организаций, участвующих в проекте «500+» и не заключивших договоры о сетевом партнёрстве (${names}), заключить договоры со школами-партнёрами в течение месяца со дня издания настоящего приказа.`,
      items: [],
    });
  }
  clauses.push(
    {
      text: `${coordinatorOf(head)} обеспечить методическое сопровождение сетевого взаимодействия школ и учитывать заключённые договоры при мониторинге реализации проекта.`,
      items: [],
    },
    CONTROL,
  );

  return {
    ...head,
    preamble: `В целях реализации ${PROJECT}, оказания консультационной, методической и организационной поддержки школам-участникам проекта со стороны общеобразовательных организаций с высокими образовательными результатами`,
    clauses,
    appendixTitle: `Список сетевого партнёрства ${subject}`,
    /** Pairs grouped by the participant school's municipality, numbered through. */
    groups: groupBy(pairs, (p) => municipalityOf(p.schoolCode)).map(([code, rows]) => ({
      heading: municipalityTitle(facts.municipalities, code),
      pairs: rows.map((p) => ({
        index: pairs.indexOf(p) + 1,
        school: schoolName(p.schoolCode),
        schoolCode: p.schoolCode,
        partner: schoolName(p.partnerSchoolCode),
        partnerCode: p.partnerSchoolCode,
        // The sheet may hold «№ 12/2026» or «12/2026»; the template adds the sign itself.
        contractNumber: p.contractNumber.replace(/^№\s*/, ''),
        contractDate: formatDate(p.contractDate),
        directions: p.directions,
      })),
    })),
  };
}

// --- Plan-graph (seed 003) ------------------------------------------------------------------

const DIRECTION_HEADINGS: Record<PlanGraphRow['direction'], string> = {
  'Организационно-управленческое': 'Организационно-управленческое направление',
  'Аналитико-мониторинговое': 'Аналитико-мониторинговое направление',
  Методическое: 'Методическое направление',
  'Информационное сопровождение': 'Информационное сопровождение',
};

/** Options of the plan-graph order. */
export interface PlanGraphOrderOptions extends OrderOptions {
  /** The order being amended (mode 'amend'): its date and number, blank when not given. */
  amendedOrder?: OrderRegistration;
}

/**
 * The draft order approving the regional plan-graph, or amending it by setting it out in a new
 * edition (seed 003); the appendix is the plan-graph grouped by direction.
 */
export function planGraphOrderView(
  facts: RegistryFacts,
  items: readonly PlanGraphRow[],
  mode: 'approve' | 'amend',
  options: PlanGraphOrderOptions = {},
) {
  const schoolYear = facts.region.schoolYear ?? '';
  const amend = mode === 'amend';
  const title = amend
    ? `О внесении изменений в план-график («дорожную карту») реализации проекта «500+»${forYear(schoolYear)}`
    : `Об утверждении плана-графика («дорожной карты») реализации проекта «500+»${forYear(schoolYear)}`;
  const head = orderHead(facts, title, options.registration);
  const amendedOrder = options.amendedOrder ?? {};
  const measures = countOf(items.length, MEASURES);

  const clauses: OrderClause[] = amend
    ? [
        {
          text: `Внести в план-график («дорожную карту») реализации проекта «500+»${forYear(schoolYear)} (далее — план-график), утверждённый приказом ${registrationText(amendedOrder)}, изменения, изложив его в новой редакции согласно приложению к настоящему приказу.`,
          items: [],
        },
        {
          text: 'Ответственным исполнителям, указанным в плане-графике, обеспечить выполнение мероприятий плана-графика в новой редакции в установленные сроки и достижение показателей результативности.',
          items: [],
        },
        {
          text: `${coordinatorOf(head)} обеспечить мониторинг выполнения плана-графика в новой редакции.`,
          items: [],
        },
        CONTROL,
      ]
    : [
        {
          text: `Утвердить план-график («дорожную карту») реализации проекта «500+»${forYear(schoolYear)} (далее — план-график), включающий ${measures}, согласно приложению к настоящему приказу.`,
          items: [],
        },
        {
          text: 'Ответственным исполнителям, указанным в плане-графике, обеспечить выполнение мероприятий в установленные сроки и достижение показателей результативности.',
          items: [],
        },
        {
          text: `${coordinatorOf(head)} обеспечить координацию выполнения плана-графика и мониторинг достижения показателей результативности.`,
          items: [],
        },
        {
          text: `Рекомендовать руководителям ${MUNICIPAL_AUTHORITIES}, обеспечить участие муниципальных координаторов, кураторов и общеобразовательных организаций — участников проекта в мероприятиях плана-графика.`,
          items: [],
        },
        CONTROL,
      ];

  const sorted = [...items].sort((a, b) => byNumber(a.number, b.number));
  const groups = (Object.keys(DIRECTION_HEADINGS) as PlanGraphRow['direction'][])
    .map((direction) => ({
      heading: DIRECTION_HEADINGS[direction],
      items: sorted
        .filter((row) => row.direction === direction)
        .map((row) => ({
          number: row.number,
          activity: row.activity,
          description: row.description ?? '',
          deadline: row.deadline.text,
          responsible: row.responsible,
          indicator: row.indicator,
        })),
    }))
    .filter((group) => group.items.length > 0);

  return {
    ...head,
    amend,
    /** The amended order's date and number for the appendix stamp, '' when blank. */
    amendedOrder: {
      date: amendedOrder.date ? formatDate(amendedOrder.date) : '',
      number: amendedOrder.number ?? '',
    },
    preamble: amend
      ? `В связи с уточнением мероприятий, сроков и показателей результативности плана-графика («дорожной карты») и в целях реализации ${PROJECT}`
      : `В целях реализации ${PROJECT} и организации методической поддержки общеобразовательных организаций, показывающих низкие образовательные результаты,${inYear(schoolYear)}`,
    clauses,
    appendixTitle: `План-график («дорожная карта») реализации проекта «500+»${forYear(schoolYear)}`,
    groups,
  };
}

// --- Results of a monitoring stage -----------------------------------------------------------

const NEXT_STAGE: Record<Stage, Stage | null> = {
  входной: 'промежуточный',
  промежуточный: 'итоговый',
  итоговый: null,
};
const WORKBOOK_PROBLEM = {
  missing: 'таблица школы не представлена',
  unreadable: 'таблица школы не читается',
  not_named: 'в реестре не указана таблица школы',
} as const;

/** Options of the order on a monitoring stage's results. */
export interface MonitoringResultsOrderOptions extends OrderOptions {
  /** Deadline for fixing the gaps found; a month after the as-of date when not given. */
  fixBy?: IsoDate;
}

/** The same day a month later (the last day of a shorter month). */
function monthLater(iso: IsoDate): IsoDate {
  const [year = 0, month = 1, day = 1] = iso.split('-').map(Number);
  const next = new Date(Date.UTC(year, month, 1));
  const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, lastDay));
  return next.toISOString().slice(0, 10);
}

/** «не менее 75 %», «не более 0», «да» — a target as an order writes it. */
function targetText(indicator: Indicator): string {
  const target = indicator.target;
  if (!target) return '—';
  const value = formatIndicatorValue(target.value, indicator.unit);
  // «не менее 100 %» is just «100 %».
  if (target.comparator === '>=') return indicator.unit === 'share' && target.value === 1 ? value : `не менее ${value}`;
  if (target.comparator === '<=') return target.value === 0 ? '0' : `не более ${value}`;
  return value;
}

/** «(целевое значение — не менее 50, фактически — 22)». */
function targetAndActual(indicator: Indicator): string {
  return `целевое значение — ${targetText(indicator)}, фактически — ${formatIndicatorValue(indicator.value, indicator.unit)}`;
}

/** What a school has to fix, in the words of the order's appendix. */
function schoolProblems(school: SchoolIndicators): string[] {
  if (school.workbook.status !== 'read') return [WORKBOOK_PROBLEM[school.workbook.status]];
  const problems: string[] = [];
  const overdue = school.roadmap.overdueItems;
  if (overdue.length > 0)
    problems.push(
      `просрочено ${countOf(overdue.length, MEASURES)} дорожной карты (${overdue.map((i) => `№\u00a0${i.number}`).join(', ')})`,
    );
  if (school.documents.complete.value === false)
    problems.push(`не согласованы куратором документы: ${school.documents.missing.join(', ')}`);
  if (school.survey.coverage.met === false)
    problems.push(
      `охват анкетирования ${formatIndicatorValue(school.survey.coverage.value, 'share')} (норма — ${targetText(school.survey.coverage)})`,
    );
  return problems;
}

/**
 * The draft order on the results of a monitoring stage: management decisions generated from the
 * indicators (appendix 1: the region's indicators against targets; appendix 2: schools with gaps).
 */
export function monitoringResultsOrderView(
  indicators: MonitoringIndicators,
  facts: RegistryFacts,
  options: MonitoringResultsOrderOptions = {},
) {
  const region = indicators.region;
  const stageWord = stageGenitive(indicators.stage);
  const head = {
    ...orderHead(
      facts,
      `Об итогах мониторинга реализации проекта «500+» (${indicators.stage} этап)`,
      options.registration,
    ),
    schoolYear: indicators.schoolYear,
  };
  const asOfText = formatDate(indicators.asOf);
  const fixByText = formatDate(options.fixBy ?? monthLater(indicators.asOf));
  const order = municipalityOrder(facts);
  const schools = Object.values(indicators.schools).sort(
    (a, b) => order(a.municipalityCode) - order(b.municipalityCode) || a.name.localeCompare(b.name, 'ru'),
  );
  const names = (list: readonly SchoolIndicators[]) => list.map((s) => s.name).join(', ');
  const read = schools.filter((s) => s.workbook.status === 'read');

  const problemSchools = schools
    .map((school) => ({ school, problems: schoolProblems(school) }))
    .filter((entry) => entry.problems.length > 0);
  const hasProblems = problemSchools.length > 0;
  const reportRef = hasProblems ? 'приложению 1' : 'приложению';
  const problemsRef = 'приложении 2 к настоящему приказу';

  const clauses: OrderClause[] = [
    {
      text: `Утвердить аналитическую справку по итогам ${stageWord} этапа мониторинга реализации проекта «500+» по состоянию на ${asOfText} согласно ${reportRef} к настоящему приказу.`,
      items: [],
    },
  ];

  const effective = schools.filter((s) => s.effectiveMode.value === true);
  const share = region.effectiveModeShare;
  const targetNote =
    share.met === true
      ? ` Целевое значение показателя (${targetText(share)}) достигнуто.`
      : share.met === false
        ? ` Целевое значение показателя (${targetText(share)}) не достигнуто.`
        : '';
  clauses.push({
    text:
      effective.length > 0
        ? `Отметить, что в эффективный режим работы ${plural(effective.length, ['перешла', 'перешли', 'перешли'])} ${countOf(effective.length, PARTICIPANTS)} из ${formatNumber(region.participants)} (${formatIndicatorValue(share.value, 'share')}): ${names(effective)}.${targetNote}`
        : `Отметить, что по состоянию на ${asOfText} ни одна школа-участник не перешла в эффективный режим работы.${targetNote}`,
    items: [],
  });

  if (hasProblems) {
    const overdue = read.filter((s) => s.roadmap.overdueItems.length > 0);
    const documents = read.filter((s) => s.documents.complete.value === false);
    const survey = read.filter((s) => s.survey.coverage.met === false);
    const noWorkbook = schools.filter((s) => s.workbook.status !== 'read');
    const coverageTarget = survey[0] ? targetText(survey[0].survey.coverage) : '';
    const fixes: string[] = [];
    if (overdue.length > 0)
      fixes.push(
        `завершить выполнение просроченных мероприятий дорожных карт: ${overdue.map((s) => `${s.name} (${countOf(s.roadmap.overdueItems.length, MEASURES)})`).join(', ')}`,
      );
    if (documents.length > 0)
      fixes.push(
        `обеспечить разработку и согласование с куратором концептуальных документов (концепции развития, среднесрочной программы развития, антирисковых программ): ${names(documents)}`,
      );
    if (survey.length > 0)
      fixes.push(
        `обеспечить участие в анкетировании ${coverageTarget} требуемых респондентов: ${survey.map((s) => `${s.name} (охват ${formatIndicatorValue(s.survey.coverage.value, 'share')})`).join(', ')}`,
      );
    if (noWorkbook.length > 0)
      fixes.push(
        `представить региональному координатору заполненную таблицу школы для мониторинга: ${names(noWorkbook)}`,
      );
    clauses.push({
      text: `Руководителям общеобразовательных организаций, указанных в ${problemsRef}, устранить выявленные недостатки в срок до ${fixByText}:`,
      items: punctuated(fixes),
    });
    clauses.push({
      text: `Кураторам общеобразовательных организаций, указанных в ${problemsRef}, оказать методическую помощь в устранении выявленных недостатков.`,
      items: [],
    });
  }

  if (region.consultations.met === false) {
    const without = schools.filter((s) => s.curator.consultations.value === 0);
    clauses.push({
      text: `Кураторам школ-участников провести консультации для общеобразовательных организаций — участников проекта в объёме, предусмотренном планом-графиком реализации проекта (${targetAndActual(region.consultations)})${without.length > 0 ? `, в первую очередь для ${without.length === 1 ? 'школы' : 'школ'}, где консультации в текущем учебном году не проводились: ${names(without)}` : ''}.`,
      items: [],
    });
  }

  const coordinatorTasks: string[] = [];
  if (region.meetings.met === false)
    coordinatorTasks.push(
      `провести рабочие совещания с кураторами, муниципальными координаторами и руководителями школ-участников в объёме, предусмотренном планом-графиком реализации проекта (${targetAndActual(region.meetings)})`,
    );
  if (region.partnershipContracts.met === false)
    coordinatorTasks.push(
      `совместно с органами местного самоуправления, осуществляющими управление в сфере образования, обеспечить заключение договоров о сетевом партнёрстве школ-участников со школами-партнёрами (${targetAndActual(region.partnershipContracts)})`,
    );
  if (region.satisfaction.met === false)
    coordinatorTasks.push(
      `проанализировать причины недостаточной удовлетворённости участников проекта методическим сопровождением (${targetAndActual(region.satisfaction)}) и принять меры по её повышению`,
    );
  const overdueItems = region.planGraph.items.filter((item) => item.overdue);
  if (overdueItems.length > 0) {
    const numbers = overdueItems.map((item) => item.number).join(', ');
    coordinatorTasks.push(
      `обеспечить выполнение просроченных ${overdueItems.length === 1 ? `пункта ${numbers}` : `пунктов ${numbers}`} плана-графика («дорожной карты») в срок до ${fixByText}`,
    );
  }
  if (hasProblems)
    coordinatorTasks.push(
      `проконтролировать устранение недостатков, выявленных в общеобразовательных организациях, указанных в ${problemsRef}`,
    );
  const next = NEXT_STAGE[indicators.stage];
  coordinatorTasks.push(
    next
      ? `провести ${next} этап мониторинга реализации проекта «500+» в сроки, установленные планом-графиком`
      : `подготовить проект плана-графика («дорожной карты») реализации проекта «500+» на следующий учебный год с учётом итогов мониторинга`,
  );
  clauses.push({ text: `${coordinatorOf(head)}:`, items: punctuated(coordinatorTasks) });

  if (hasProblems) {
    const codes = [...new Set(problemSchools.map((p) => p.school.municipalityCode))];
    clauses.push({
      text: `Рекомендовать руководителям ${MUNICIPAL_AUTHORITIES} (${codes.map((c) => municipalityTitle(facts.municipalities, c)).join(', ')}), обеспечить контроль за устранением недостатков в общеобразовательных организациях, указанных в ${problemsRef}.`,
      items: [],
    });
  }
  clauses.push(CONTROL);

  const line = (label: string, indicator: Indicator) => ({
    label,
    target: targetText(indicator),
    value: formatIndicatorValue(indicator.value, indicator.unit),
    verdict: verdictText(indicator),
    missed: indicator.met === false,
  });
  const lines = [
    line('Доля школ-участников, перешедших в эффективный режим работы', region.effectiveModeShare),
    line('Доля школ с охватом анкетирования не ниже нормы', region.surveyCoveredShare),
    line('Доля школ с полным комплектом согласованных документов', region.documentsCompleteShare),
    line('Доля школ, где не менее 6 педагогов прошли курсы от 32 ч', region.pdCoveredShare),
    line('Доля школ, проведших мероприятие от 4 ч', region.eventsCoveredShare),
    line('Консультаций кураторов', region.consultations),
    line('Рабочих совещаний', region.meetings),
    line('Договоров сетевого партнёрства', region.partnershipContracts),
    line('Удовлетворённость участников методическим сопровождением', region.satisfaction),
    line('Выполнение дорожных карт школ', region.roadmap.progress),
    line('Просроченных мероприятий дорожных карт', region.roadmap.overdue),
    line('Школ с просроченными мероприятиями', region.roadmap.schoolsWithOverdue),
  ].map((l, index) => ({ index: index + 1, ...l }));
  const pg = region.planGraph;

  return {
    ...head,
    preamble: `По итогам ${stageWord} этапа мониторинга реализации ${PROJECT} по состоянию на ${asOfText} (${countOf(region.participants, PARTICIPANTS)}, данные представили ${formatNumber(region.reported)}) и в целях повышения качества образования в общеобразовательных организациях, показывающих низкие образовательные результаты`,
    clauses,
    asOfText,
    fixByText,
    regionName: region.name,
    /** '1' when there are two appendices, '' when the analytic report is the only one. */
    reportAppendixNumber: hasProblems ? '1' : '',
    reportTitle: `Аналитическая справка по итогам ${stageWord} этапа мониторинга реализации проекта «500+» по состоянию на ${asOfText}`,
    participantsText: countOf(region.participants, PARTICIPANTS),
    lines,
    planGraphText:
      pg.total > 0
        ? `План-график («дорожная карта»): ${countOf(pg.total, ['пункт', 'пункта', 'пунктов'])}, выполнено ${formatNumber(pg.done)}, просрочено ${formatNumber(pg.overdue)}; показатель результативности достигнут по ${formatNumber(pg.achieved)}, не достигнут по ${formatNumber(pg.notAchieved)}, не измеряется по ${formatNumber(pg.notMeasurable)}.`
        : '',
    municipalities: Object.values(indicators.municipalities)
      .sort((a, b) => order(a.code) - order(b.code))
      .map((m) => ({
        name: m.name,
        participants: formatNumber(m.participants),
        effectiveModeShare: formatIndicatorValue(m.effectiveModeShare.value, 'share'),
        documentsCompleteShare: formatIndicatorValue(m.documentsCompleteShare.value, 'share'),
        progress: formatIndicatorValue(m.roadmap.progress.value, 'share'),
        overdue: formatIndicatorValue(m.roadmap.overdue.value, 'count'),
      })),
    hasProblems,
    problemsTitle: `Перечень общеобразовательных организаций — участников проекта «500+», в которых по итогам ${stageWord} этапа мониторинга выявлены недостатки`,
    /** Schools with gaps, grouped by municipality and numbered through. */
    problemGroups: groupBy(problemSchools, (p) => p.school.municipalityCode).map(([code, entries]) => ({
      heading: municipalityTitle(facts.municipalities, code),
      schools: entries.map(({ school, problems }) => ({
        index: problemSchools.findIndex((p) => p.school === school) + 1,
        code: school.code,
        name: school.name,
        curator: school.curatorName ?? '—',
        problems,
      })),
    })),
  };
}
