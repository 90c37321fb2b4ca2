import { countOf, formatDate, formatIndicatorValue, formatNumber, plural, stageGenitive } from '../format-ru.js';
import { monthsLater, schoolYearContaining } from '../calendar.js';
import { undeterminedText, type Indicator } from '../indicator.js';
import type { MonitoringIndicators, SchoolIndicators, Stage } from '../indicators.js';
import { municipalityRows, targetSourceText, verdictText } from './indicator-text.js';
import {
  CONTROL,
  coordinatorOf,
  groupBy,
  MEASURES,
  MUNICIPAL_AUTHORITIES,
  orderHead,
  PARTICIPANTS,
  PROJECT,
  punctuated,
  type OrderClause,
} from './order-head.js';
import { municipalityOrder, municipalityTitle, type RegistryFacts } from './registry-facts.js';

/** The order on a monitoring stage's results. */
const NEXT_STAGE: Record<Stage, Stage | null> = {
  входной: 'промежуточный',
  промежуточный: 'итоговый',
  итоговый: null,
};
const FACTORS = ['фактор', 'фактора', 'факторов'] as const;
const WORKBOOK_PROBLEM = {
  missing: 'таблица школы не представлена',
  unreadable: 'таблица школы не читается',
  not_named: 'в реестре не указана таблица школы',
} as const;

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

/** «не менее 6 по плану-графику, п. 4», «не менее 50 по настройкам мониторинга региона»: a target and its source. */
function citedTarget(indicator: Indicator): string {
  const source = targetSourceText(indicator.target);
  return source ? `${targetText(indicator)} ${source}` : targetText(indicator);
}

/** «целевое значение — не менее 6 по плану-графику, п. 4, фактически — 4». */
function targetAndActual(indicator: Indicator): string {
  return `целевое значение — ${citedTarget(indicator)}, фактически — ${formatIndicatorValue(indicator.value, indicator.unit)}`;
}

/** What a school has to fix, in the words of the order's appendix. */
function schoolProblems(school: SchoolIndicators): string[] {
  // A table the run did not get to by the stage's deadline is no fault of the school: the reports name it.
  if (school.workbook.status === 'not_arrived') return [];
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
  if (school.risks.chosen.met === false)
    problems.push(
      `для работы выбрано ${countOf(school.risks.chosen.value ?? 0, FACTORS)} риска (норма — ${targetText(school.risks.chosen)})`,
    );
  if (school.risks.verified === false) problems.push('выбор факторов риска не подтверждён куратором');
  if (school.pd.trainedLong.met === false)
    problems.push(
      `педагогов, прошедших курсы повышения квалификации от 32 ч, — ${formatIndicatorValue(school.pd.trainedLong.value, 'count')} (норма — ${targetText(school.pd.trainedLong)})`,
    );
  if (school.events.long.met === false)
    problems.push(
      `мероприятий продолжительностью от 4 ч — ${formatIndicatorValue(school.events.long.value, 'count')} (норма — ${targetText(school.events.long)})`,
    );
  if (school.results.failShare.met === false) problems.push(`доля «2» выросла: ${failShareChange(school)}`);
  return problems;
}

/** «26,9 % против 24,4 % годом ранее». */
function failShareChange(school: SchoolIndicators): string {
  const before = school.results.failShare.target?.value;
  const now = formatIndicatorValue(school.results.failShare.value, 'share');
  return typeof before === 'number' ? `${now} против ${formatIndicatorValue(before, 'share')} годом ранее` : now;
}

/**
 * The draft order on the results of a monitoring stage: management decisions generated from the
 * indicators (appendix 1: the region's indicators against targets; appendix 2: schools with gaps).
 */
export function monitoringResultsOrderView(indicators: MonitoringIndicators, facts: RegistryFacts) {
  const region = indicators.region;
  const stageWord = stageGenitive(indicators.stage);
  const head = orderHead(
    facts,
    `Об итогах мониторинга реализации проекта «500+» (${indicators.stage} этап)`,
    indicators.schoolYear,
  );
  const asOfText = formatDate(indicators.asOf);
  const fixByText = formatDate(monthsLater(indicators.asOf, 1));
  // Yearly targets (consultations, meetings, contracts) are due by the end of the school year.
  const yearEndText = formatDate(`${schoolYearContaining(indicators.asOf).firstYear + 1}-08-31`);
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
        : share.undetermined
          ? ` Достижение целевого значения показателя (${targetText(share)}) ${undeterminedText(share.undetermined)}.`
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
    const noWorkbook = schools.filter((s) => s.workbook.status !== 'read' && s.workbook.status !== 'not_arrived');
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
    const tooManyFactors = read.filter((s) => s.risks.chosen.met === false);
    if (tooManyFactors.length > 0)
      fixes.push(
        `скорректировать рисковый профиль, оставив для работы ${targetText(tooManyFactors[0]!.risks.chosen)} факторов риска: ${tooManyFactors.map((s) => `${s.name} (выбрано ${formatIndicatorValue(s.risks.chosen.value, 'count')})`).join(', ')}`,
      );
    const untrained = read.filter((s) => s.pd.trainedLong.met === false);
    if (untrained.length > 0)
      fixes.push(
        `направить на курсы повышения квалификации объёмом от 32 часов ${targetText(untrained[0]!.pd.trainedLong)} педагогов: ${untrained.map((s) => `${s.name} (прошли ${formatIndicatorValue(s.pd.trainedLong.value, 'count')})`).join(', ')}`,
      );
    const noEvents = read.filter((s) => s.events.long.met === false);
    if (noEvents.length > 0)
      fixes.push(`провести для педагогов мероприятие продолжительностью от 4 часов: ${names(noEvents)}`);
    const moreFails = read.filter((s) => s.results.failShare.met === false);
    if (moreFails.length > 0)
      fixes.push(
        `проанализировать причины роста доли обучающихся, получивших «2», и включить в дорожную карту меры по её снижению: ${moreFails.map((s) => `${s.name} (${failShareChange(s)})`).join(', ')}`,
      );
    if (noWorkbook.length > 0)
      fixes.push(
        `представить региональному координатору заполненную таблицу школы для мониторинга: ${names(noWorkbook)}`,
      );
    if (fixes.length > 0)
      clauses.push({
        text: `Руководителям общеобразовательных организаций, указанных в ${problemsRef}, устранить выявленные недостатки в срок до ${fixByText}:`,
        items: punctuated(fixes),
      });
    const unverified = read.filter((s) => s.risks.verified === false);
    clauses.push(
      unverified.length > 0
        ? {
            text: `Кураторам общеобразовательных организаций, указанных в ${problemsRef}, в срок до ${fixByText}:`,
            items: punctuated([
              'оказать методическую помощь в устранении выявленных недостатков',
              `проверить и подтвердить (верифицировать) выбор факторов риска: ${names(unverified)}`,
            ]),
          }
        : {
            text: `Кураторам общеобразовательных организаций, указанных в ${problemsRef}, в срок до ${fixByText} оказать методическую помощь в устранении выявленных недостатков.`,
            items: [],
          },
    );
  }

  if (region.consultations.met === false) {
    const without = schools.filter((s) => s.curator.consultations.value === 0);
    clauses.push({
      text: `Кураторам школ-участников провести консультации для общеобразовательных организаций — участников проекта в объёме не ниже целевого значения (${targetAndActual(region.consultations)})${without.length > 0 ? `, в первую очередь для ${without.length === 1 ? 'школы' : 'школ'}, где консультации в текущем учебном году не проводились: ${names(without)}` : ''}. Срок — до ${yearEndText}`,
      items: [],
    });
  }

  const coordinatorTasks: string[] = [];
  if (share.met === false)
    coordinatorTasks.push(
      `совместно с кураторами проанализировать причины, по которым школы-участники не перешли в эффективный режим работы (${targetAndActual(share)}), и в срок до ${fixByText} представить предложения по их устранению`,
    );
  if (region.meetings.met === false)
    coordinatorTasks.push(
      `провести рабочие совещания с кураторами, муниципальными координаторами и руководителями школ-участников в объёме не ниже целевого значения (${targetAndActual(region.meetings)}) в срок до ${yearEndText}`,
    );
  if (region.partnershipContracts.met === false)
    coordinatorTasks.push(
      `совместно с органами местного самоуправления, осуществляющими управление в сфере образования, обеспечить заключение договоров о сетевом партнёрстве школ-участников со школами-партнёрами (${targetAndActual(region.partnershipContracts)}) в срок до ${yearEndText}`,
    );
  if (region.satisfaction.met === false)
    coordinatorTasks.push(
      `проанализировать причины недостаточной удовлетворённости участников проекта методическим сопровождением (${targetAndActual(region.satisfaction)}) и в срок до ${fixByText} принять меры по её повышению`,
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
      text: `Рекомендовать руководителям ${MUNICIPAL_AUTHORITIES} (${codes.map((c) => municipalityTitle(facts, c)).join(', ')}), обеспечить контроль за устранением недостатков в общеобразовательных организациях, указанных в ${problemsRef}.`,
      items: [],
    });
  }
  clauses.push(CONTROL);

  const line = (label: string, indicator: Indicator) => ({
    label,
    target:
      indicator.target?.source?.kind === 'plan-graph'
        ? `${targetText(indicator)} (${targetSourceText(indicator.target)})`
        : targetText(indicator),
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
    municipalities: municipalityRows(indicators, facts),
    hasProblems,
    problemsTitle: `Перечень общеобразовательных организаций — участников проекта «500+», в которых по итогам ${stageWord} этапа мониторинга выявлены недостатки`,
    /** Schools with gaps, grouped by municipality and numbered through. */
    problemGroups: groupBy(problemSchools, (p) => p.school.municipalityCode).map(([code, entries]) => ({
      heading: municipalityTitle(facts, code),
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
