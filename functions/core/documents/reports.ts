import { visibleText } from '../coerce-cell.js';
import {
  countOf,
  declineRegionName,
  formatDate,
  formatIndicatorValue,
  formatNumber,
  inRegion,
  nestQuotes,
  plural,
  sentenceCase,
  stageGenitive,
} from '../format-ru.js';
import type { Indicator } from '../indicator.js';
import type { AreaIndicators, MonitoringIndicators, SchoolIndicators } from '../indicators.js';
import type { SchoolWorkbookStatus } from '../read-workbook.js';
import type { SchoolDecision } from '../school-decisions.js';
import type { SchoolFindings } from '../school-findings.js';
import type { ValidationIssue } from '../validation-issue.js';
import { indicatorLine, municipalityRows } from './indicator-text.js';
import { municipalityName, type RegistryFacts } from './registry-facts.js';

/** Header every document shares. */
interface DocumentHead {
  title: string;
  authority: string;
  regionName: string;
  /** «в Оренбургской области». */
  inRegionText: string;
  asOfText: string;
  stageText: string;
  schoolYear: string;
}

function head(indicators: MonitoringIndicators, facts: RegistryFacts, title: string): DocumentHead {
  return {
    title,
    authority: facts.region.educationAuthority ?? '',
    regionName: facts.region.subject ?? '',
    inRegionText: inRegion(facts.region.subject ?? ''),
    asOfText: formatDate(indicators.asOf),
    stageText: `${stageGenitive(indicators.stage)} мониторинга`,
    schoolYear: indicators.schoolYear,
  };
}

/** Overdue measures listed in a school's report: the earliest first; a school's own table has them all. */
const OVERDUE_LISTED = 30;

const WORKBOOK_STATUS_TEXT: Record<SchoolWorkbookStatus, string> = {
  read: 'таблица школы прочитана',
  missing: 'таблица школы не найдена',
  unreadable: 'таблица школы не читается',
  not_named: 'в реестре не указана таблица школы',
  not_arrived: 'таблица школы не обработана к сроку этапа',
};

/**
 * The schools whose part of the run did not complete by the stage's deadline (`not_arrived`), by
 * name and code, in a sentence: «В этот прогон не вошла 1 школа, обработка таблицы которой не
 * завершилась к сроку этапа: МБОУ «СОШ № 3» (56-003). …»; '' when there are none.
 */
export function notArrivedText(schools: readonly SchoolIndicators[]): string {
  const late = schools
    .filter((s) => s.workbook.status === 'not_arrived')
    .sort((a, b) => a.code.localeCompare(b.code, 'ru') || a.name.localeCompare(b.name, 'ru'));
  const n = late.length;
  if (n === 0) return '';
  const list = late.map((s) => `${s.name} (${s.code})`).join(', ');
  const after =
    n === 1
      ? 'В показателях она учтена без данных своей таблицы; её данные войдут в следующий прогон.'
      : 'В показателях они учтены без данных своих таблиц; их данные войдут в следующий прогон.';
  return nestQuotes(
    `В этот прогон не ${plural(n, ['вошла', 'вошли', 'вошли'])} ${countOf(n, ['школа', 'школы', 'школ'])}, ` +
      `${plural(n, ['обработка таблицы которой', 'обработка таблиц которых', 'обработка таблиц которых'])} не завершилась к сроку этапа: ${list}. ${after}`,
  );
}

/** "«Дорожная карта» — 1 строка, «Анкетирование» — 2 строки". */
function leftOutText(school: SchoolIndicators): string {
  return school.rowsLeftOut.map((t) => `«${t.tab}» — ${countOf(t.rows, ['строка', 'строки', 'строк'])}`).join(', ');
}

/** Findings listed in a school's report, errors first; the regional coordinator has them all (validation.json). */
const FINDINGS_LISTED = 30;

const SEVERITY_TEXT = { error: 'Ошибка', warning: 'Предупреждение' } as const;

/** Where a school reads its findings: its report lists them unless the run wrote them into its table. */
export interface SchoolFeedback {
  /** The run wrote the findings back into the school's own table (a «Проверка» tab). */
  inSheets: boolean;
  findings: SchoolFindings;
}

/** The data-quality section: the counts, where the findings are, and — when only the report reaches the school — the findings. */
function dataQualityList(school: SchoolIndicators, feedback: SchoolFeedback | undefined) {
  const none = { whereListed: '', findings: [], notListed: '' };
  if (!feedback || school.errors + school.warnings === 0) return none;
  const { workbook, registry } = feedback.findings;
  // A school whose table refused the write has no «Проверка» tab of this run's findings.
  const written = feedback.inSheets && !registry.some((i) => i.code === 'feedback_not_written');
  if (written) return { ...none, whereListed: 'на листе «Проверка» таблицы школы' };
  const row = (where: string) => (issue: ValidationIssue) => ({
    severity: SEVERITY_TEXT[issue.severity],
    tab: `${where}«${visibleText(issue.tab)}»`,
    cell: issue.cell ?? '—',
    message: visibleText(issue.message),
  });
  const all = [...workbook.map(row('')), ...registry.map(row('Реестр, '))];
  const sorted = [
    ...all.filter((f) => f.severity === SEVERITY_TEXT.error),
    ...all.filter((f) => f.severity === SEVERITY_TEXT.warning),
  ];
  return {
    whereListed: 'ниже',
    findings: sorted.slice(0, FINDINGS_LISTED),
    notListed:
      sorted.length > FINDINGS_LISTED
        ? `Показаны первые ${FINDINGS_LISTED}; ещё ${countOf(sorted.length - FINDINGS_LISTED, ['замечание', 'замечания', 'замечаний'])} — у регионального координатора.`
        : '',
  };
}

/**
 * What the school's analytic report shows, every value already in Russian. The category, the status
 * on the list and the curator are the run's decision about the school (core/school-decisions.ts), the
 * same words the low-results order states; without one the report states the registry's. The
 * findings are listed in the report unless the run wrote them into the school's own table
 * (`feedback`); without `feedback` the report only counts them.
 */
export function schoolReportView(
  indicators: MonitoringIndicators,
  facts: RegistryFacts,
  school: SchoolIndicators,
  decision?: SchoolDecision,
  feedback?: SchoolFeedback,
) {
  const hasData = school.workbook.status === 'read';
  return {
    ...head(indicators, facts, 'Аналитическая справка'),
    hasPrevious: indicators.previous !== undefined,
    previousText: indicators.previous
      ? `${stageGenitive(indicators.previous.stage)} мониторинга на ${formatDate(indicators.previous.asOf)}`
      : '',
    school: {
      code: school.code,
      name: school.name,
      fullName: school.fullName ?? school.name,
      municipality: municipalityName(facts, school.municipalityCode),
      category: decision ? decision.categoryText : (school.category ?? '—'),
      curator: (decision ? decision.curator : school.curatorName) ?? '—',
      workbookStatus: WORKBOOK_STATUS_TEXT[school.workbook.status],
    },
    hasData,
    summary: [
      indicatorLine('Охват анкетирования', school.survey.coverage),
      indicatorLine('Факторов риска высокого уровня', school.risks.high),
      indicatorLine('Факторов риска выбрано для работы', school.risks.chosen),
      indicatorLine('Документы разработаны и согласованы', school.documents.complete),
      indicatorLine('Мероприятий дорожной карты', school.roadmap.total),
      indicatorLine('Выполнено', school.roadmap.done),
      indicatorLine('Просрочено', school.roadmap.overdue),
      indicatorLine('Выполнение дорожной карты', school.roadmap.progress),
      indicatorLine('Выполнено в срок (от выполненных)', school.roadmap.onTime),
      indicatorLine('Педагогов прошли курсы от 32 ч', school.pd.trainedLong),
      indicatorLine('Мероприятий в школе от 4 ч', school.events.long),
      indicatorLine('Посещений куратора', school.curator.visits),
      indicatorLine('Консультаций куратора', school.curator.consultations),
      indicatorLine('Доля «2» (последний год)', school.results.failShare),
      indicatorLine('Доля «4» и «5» (последний год)', school.results.qualityShare),
    ],
    risks: {
      chosen: school.risks.chosenFactors,
      verifiedText:
        school.risks.verified === null
          ? ''
          : school.risks.verified
            ? 'Выбор подтверждён куратором.'
            : 'Выбор не подтверждён куратором.',
    },
    documentsMissing: school.documents.missing,
    roadmap: {
      total: formatIndicatorValue(school.roadmap.total.value, 'count'),
      done: formatIndicatorValue(school.roadmap.done.value, 'count'),
      overdue: formatIndicatorValue(school.roadmap.overdue.value, 'count'),
      progress: formatIndicatorValue(school.roadmap.progress.value, 'share'),
      overdueItems: school.roadmap.overdueItems.slice(0, OVERDUE_LISTED).map((item) => ({
        number: item.number,
        activity: item.activity,
        deadline: item.deadlineText,
        deadlineEnd: formatDate(item.deadlineEnd),
        status: item.status,
        responsible: item.responsible,
      })),
      overdueNotListed:
        school.roadmap.overdueItems.length > OVERDUE_LISTED
          ? `Показаны первые ${OVERDUE_LISTED}; ещё ${countOf(school.roadmap.overdueItems.length - OVERDUE_LISTED, ['просроченное мероприятие', 'просроченных мероприятия', 'просроченных мероприятий'])} — в таблице школы.`
          : '',
    },
    resultsChart: {
      series: ['Доля «2»', 'Доля «4» и «5»'],
      groups: school.results.years.map((y) => ({ label: String(y.year), values: [y.failShare, y.qualityShare] })),
    },
    results: school.results.years.map((y) => ({
      year: y.year,
      participants: formatNumber(y.participants),
      failShare: formatIndicatorValue(y.failShare, 'share'),
      qualityShare: formatIndicatorValue(y.qualityShare, 'share'),
    })),
    list: decision
      ? {
          status: decision.statusText,
          reasons: decision.reasons,
          categoryRule: decision.categoryRule,
        }
      : undefined,
    effectiveMode: {
      verdict: school.effectiveMode.undetermined
        ? 'Не определено, перешла ли школа в эффективный режим работы: часть строк её таблицы не прочитана.'
        : school.effectiveMode.value
          ? 'Школа работает в эффективном режиме.'
          : 'Школа пока не перешла в эффективный режим работы.',
      gaps: school.effectiveModeGaps,
      listNote: decision?.effectiveModeNote ?? '',
    },
    dataQuality: {
      errors: countOf(school.errors, ['ошибка', 'ошибки', 'ошибок']),
      warnings: countOf(school.warnings, ['предупреждение', 'предупреждения', 'предупреждений']),
      leftOut: leftOutText(school),
      status: sentenceCase(WORKBOOK_STATUS_TEXT[school.workbook.status]),
      ...dataQualityList(school, feedback),
    },
    recommendations: school.recommendations,
  };
}

/** The indicators of a municipality or the region every regional document lists, with their labels. */
export function areaIndicatorList(area: AreaIndicators): { label: string; indicator: Indicator }[] {
  return [
    { label: 'Доля школ в эффективном режиме', indicator: area.effectiveModeShare },
    { label: 'Доля школ с охватом анкетирования не ниже нормы', indicator: area.surveyCoveredShare },
    { label: 'Доля школ с полным комплектом документов', indicator: area.documentsCompleteShare },
    { label: 'Доля школ, где не менее 6 педагогов прошли курсы', indicator: area.pdCoveredShare },
    { label: 'Доля школ с мероприятием от 4 ч', indicator: area.eventsCoveredShare },
    { label: 'Консультаций кураторов', indicator: area.consultations },
    { label: 'Рабочих совещаний', indicator: area.meetings },
    { label: 'Договоров сетевого партнёрства', indicator: area.partnershipContracts },
    { label: 'Удовлетворённость участников', indicator: area.satisfaction },
    { label: 'Мероприятий в дорожных картах', indicator: area.roadmap.total },
    { label: 'Выполнено', indicator: area.roadmap.done },
    { label: 'Просрочено', indicator: area.roadmap.overdue },
    { label: 'Выполнение дорожных карт', indicator: area.roadmap.progress },
    { label: 'Школ с просроченными мероприятиями', indicator: area.roadmap.schoolsWithOverdue },
  ];
}

function areaSummary(area: AreaIndicators) {
  return areaIndicatorList(area).map(({ label, indicator }) => indicatorLine(label, indicator));
}

const VERDICT_TEXT = { achieved: 'достигнут', not_achieved: 'не достигнут', not_measurable: 'не измеряется' } as const;

/** What the analytic report of the region (no code) or of one municipality shows. */
export function areaReportView(
  indicators: MonitoringIndicators,
  facts: RegistryFacts,
  municipalityCode: string | undefined,
) {
  const municipality = municipalityCode === undefined ? undefined : indicators.municipalities[municipalityCode];
  const area = municipality ?? indicators.region;
  const schools = Object.values(indicators.schools).filter(
    (s) => municipalityCode === undefined || s.municipalityCode === municipalityCode,
  );
  const ranked = [...schools].sort(
    (a, b) =>
      Number(b.effectiveMode.value) - Number(a.effectiveMode.value) ||
      (b.roadmap.progress.value ?? -1) - (a.roadmap.progress.value ?? -1) ||
      a.name.localeCompare(b.name, 'ru'),
  );
  const planGraph = indicators.region.planGraph;
  const registryMunicipality = municipality && facts.municipalities.find((m) => m.code === municipality.code);
  return {
    ...head(indicators, facts, 'Аналитическая справка'),
    isRegion: municipality === undefined,
    areaText: municipality
      ? inMunicipality(municipality.name, facts.region.subject ?? '')
      : inRegion(facts.region.subject ?? ''),
    /** The second line of the heading: the municipal education authority, or the regional coordinator. */
    areaAuthority: municipality
      ? (registryMunicipality?.educationAuthority ?? '')
      : (facts.region.regionalCoordinator ?? ''),
    /** Who coordinates the project in the area, named in the report. */
    coordinatorText: municipality
      ? registryMunicipality?.coordinator
        ? sentence(`Муниципальный координатор проекта — ${registryMunicipality.coordinator}`)
        : ''
      : facts.region.regionalCoordinator
        ? sentence(`Региональный координатор проекта — ${facts.region.regionalCoordinator}`)
        : '',
    hasPrevious: indicators.previous !== undefined,
    participantsText: countOf(area.participants, ['школа-участник', 'школы-участника', 'школ-участников']),
    notArrivedText: notArrivedText(schools),
    reportedText:
      area.reported === 0
        ? 'таблицы мониторинга не представила ни одна школа'
        : `${countOf(area.reported, ['школа представила', 'школы представили', 'школ представили'])} ${area.reported === 1 ? 'таблицу' : 'таблицы'} мониторинга`,
    summary: areaSummary(area),
    municipalities: municipalityRows(indicators, facts),
    schools: ranked.map((s, index) => ({
      rank: index + 1,
      name: s.name,
      municipality: municipalityName(facts, s.municipalityCode),
      effective: s.effectiveMode.undetermined ? 'не определено' : s.effectiveMode.value ? 'да' : 'нет',
      coverage: formatIndicatorValue(s.survey.coverage.value, 'share'),
      progress: formatIndicatorValue(s.roadmap.progress.value, 'share'),
      overdue: formatIndicatorValue(s.roadmap.overdue.value, 'count'),
      failShare: formatIndicatorValue(s.results.failShare.value, 'share'),
      note: s.workbook.status === 'read' ? '' : WORKBOOK_STATUS_TEXT[s.workbook.status],
    })),
    planGraph: {
      totals: `${countOf(planGraph.total, ['пункт', 'пункта', 'пунктов'])}: выполнено ${formatNumber(planGraph.done)}, просрочено ${formatNumber(planGraph.overdue)}; целевой показатель достигнут по ${formatNumber(planGraph.achieved)}, не достигнут по ${formatNumber(planGraph.notAchieved)}, не измеряется по ${formatNumber(planGraph.notMeasurable)}.`,
      items: planGraph.items.map((item) => ({
        number: item.number,
        activity: item.activity,
        deadline: item.deadlineText,
        status: item.status,
        overdue: item.overdue ? 'просрочено' : '',
        indicator: item.indicatorText,
        actual: item.actualText ?? '—',
        verdict: VERDICT_TEXT[item.verdict],
      })),
    },
  };
}

/** A sentence ends with one full stop, also after initials («… — Сидорова С.С.»). */
function sentence(text: string): string {
  return text.endsWith('.') ? text : `${text}.`;
}

/** «в муниципальном образовании «Пономарёвский район» Оренбургской области». */
function inMunicipality(name: string, region: string): string {
  const regionGenitive = declineRegionName(region, 'genitive');
  return nestQuotes(`в муниципальном образовании «${name}» ${regionGenitive ?? (region ? `(${region})` : '')}`.trim());
}

/** «было / стало» of one indicator, or just «стало» without a previous stage. */
function wasIs(indicator: Indicator): string {
  const now = formatIndicatorValue(indicator.value, indicator.unit);
  return indicator.previous === undefined
    ? now
    : `${formatIndicatorValue(indicator.previous, indicator.unit)} / ${now}`;
}

/** The report of a monitoring stage: the region's indicators against the previous stage, and what changed. */
export function stageReportView(indicators: MonitoringIndicators, facts: RegistryFacts) {
  const schools = Object.values(indicators.schools).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  const entered = schools.filter((s) => s.effectiveMode.value === true && s.effectiveMode.previous === false);
  const left = schools.filter((s) => s.effectiveMode.value === false && s.effectiveMode.previous === true);
  const moreOverdue = schools.filter((s) => (s.roadmap.overdue.change ?? 0) > 0);
  return {
    ...head(indicators, facts, `Отчёт о результатах ${stageGenitive(indicators.stage)} мониторинга`),
    hasPrevious: indicators.previous !== undefined,
    previousText: indicators.previous
      ? `${stageGenitive(indicators.previous.stage)} мониторинга на ${formatDate(indicators.previous.asOf)}`
      : '',
    summary: areaSummary(indicators.region),
    notArrivedText: notArrivedText(schools),
    municipalities: Object.values(indicators.municipalities).map((m) => ({
      name: m.name,
      effectiveModeShare: wasIs(m.effectiveModeShare),
      documentsCompleteShare: wasIs(m.documentsCompleteShare),
      progress: wasIs(m.roadmap.progress),
      overdue: wasIs(m.roadmap.overdue),
    })),
    schools: schools.map((s) => ({
      name: s.name,
      municipality: municipalityName(facts, s.municipalityCode),
      effective: wasIs(s.effectiveMode),
      progress: wasIs(s.roadmap.progress),
      overdue: wasIs(s.roadmap.overdue),
      coverage: wasIs(s.survey.coverage),
    })),
    changes: [
      ...(entered.length ? [`Перешли в эффективный режим: ${entered.map((s) => s.name).join(', ')}.`] : []),
      ...(left.length ? [`Вышли из эффективного режима: ${left.map((s) => s.name).join(', ')}.`] : []),
      ...(moreOverdue.length
        ? [
            `Выросло число просроченных мероприятий: ${moreOverdue.map((s) => `${s.name} (+${formatNumber(s.roadmap.overdue.change ?? 0)})`).join(', ')}.`,
          ]
        : []),
    ],
  };
}
