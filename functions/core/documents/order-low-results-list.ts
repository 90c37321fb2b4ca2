import { countOf } from '../format-ru.js';
import type { Identification } from '../identification.js';
import type { MonitoringIndicators } from '../indicators.js';
import { categoryRule, LIST_STATUS_TEXT, type ListStatus, type SchoolDecisions } from '../school-decisions.js';
import {
  clause,
  CONTROL,
  coordinatorOf,
  forYear,
  MUNICIPAL_AUTHORITIES,
  orderHead,
  ORGANIZATIONS,
  PROJECT,
  type OrderClause,
} from './order-head.js';
import { municipalityName, type RegistryFacts } from './registry-facts.js';

/** The appendix lists schools that stay, then those included, then those proposed for exclusion. */
const STATUS_ORDER: ListStatus[] = ['continues', 'included', 'proposed-exclusion'];

/**
 * The draft order approving the list of schools with low results (seed 002, приложение 2): every
 * current participant and every newly identified school with its status and the reason, stated as
 * the run's decisions state them; the clauses decide for each status.
 */
export function lowResultsOrderView(
  indicators: MonitoringIndicators,
  facts: RegistryFacts,
  identification: Identification,
  decisions: SchoolDecisions,
) {
  const head = orderHead(
    facts,
    'Об утверждении списка ОО, показывающих низкие образовательные результаты',
    indicators.schoolYear,
  );
  const listed = Object.values(decisions).filter((d) => d.status !== null);
  const ordered = STATUS_ORDER.flatMap((status) => listed.filter((d) => d.status === status));
  const count = (status: ListStatus) => listed.filter((d) => d.status === status).length;
  const staying = count('continues') + count('included');
  const excluded = count('proposed-exclusion');
  const unassigned = listed.filter((d) => d.status === 'included' && (d.curator === null || d.partner === null)).length;
  const statuses = (...of: ListStatus[]) => of.map((s) => `«${LIST_STATUS_TEXT[s]}»`).join(' и ');
  // «организаций, указанных …» and «организациями, указанными …»: the participle agrees with its noun's case.
  const onList = (ending: 'ых' | 'ыми') =>
    `указанн${ending} в приложении со статусами ${statuses('continues', 'included')}`;
  const y = identification.years;
  const years =
    y.length > 0
      ? ` за ${y.length > 1 ? `${y.slice(0, -1).join(', ')} и ${y[y.length - 1]}` : y[0]}\u00a0${y.length > 1 ? 'гг.' : 'г.'}`
      : '';

  const clauses: OrderClause[] = [
    clause(
      `Утвердить список общеобразовательных организаций, показывающих низкие образовательные результаты ` +
        `(${countOf(staying, ORGANIZATIONS)}: продолжают участие — ${count('continues')}, включаются впервые — ${count('included')}), ` +
        `согласно приложению к настоящему приказу (организации со статусами ${statuses('continues', 'included')}).`,
    ),
    clause(
      `Закрепить за общеобразовательными организациями, ${onList('ыми')}, кураторов и школы-партнёры согласно приложению${forYear(head.schoolYear)}.`,
    ),
  ];
  if (excluded > 0)
    clauses.push(
      clause(
        `Исключить из числа участников проекта «500+» общеобразовательные организации, указанные в приложении со статусом ` +
          `${statuses('proposed-exclusion')} (${countOf(excluded, ORGANIZATIONS)}), по завершении мероприятий их дорожных карт${forYear(head.schoolYear)}.`,
      ),
    );
  const coordinatorItems = [
    `обеспечить методическое сопровождение общеобразовательных организаций, ${onList('ых')}, и мониторинг реализации их дорожных карт`,
    ...(unassigned > 0
      ? [
          `в месячный срок представить предложения о кураторах и школах-партнёрах общеобразовательных организаций со статусом ` +
            `${statuses('included')}, для которых они в приложении не указаны`,
        ]
      : []),
    ...(excluded > 0
      ? [
          `провести итоговый мониторинг выполнения дорожных карт общеобразовательных организаций со статусом ` +
            `${statuses('proposed-exclusion')}`,
        ]
      : []),
  ];
  clauses.push(
    {
      text: `${coordinatorOf(head)}:`,
      items: coordinatorItems.map((item, i) => `${item}${i === coordinatorItems.length - 1 ? '.' : ';'}`),
    },
    clause(
      `Рекомендовать руководителям ${MUNICIPAL_AUTHORITIES}, обеспечить участие общеобразовательных организаций, ${onList('ых')}, в проекте «500+».`,
    ),
    CONTROL,
  );

  return {
    ...head,
    preamble: `В целях реализации ${PROJECT}, на основании анализа результатов оценочных процедур${years} и контекстных данных всех общеобразовательных организаций региона`,
    clauses,
    categoryRule: categoryRule(identification),
    schools: ordered.map((d, index) => ({
      index: index + 1,
      municipality: municipalityName(facts, d.municipalityCode),
      code: d.code,
      name: d.fullName,
      category: d.categoryText,
      status: d.statusText,
      basis: [...d.reasons, ...(d.effectiveModeNote ? [d.effectiveModeNote] : [])].join(' '),
      curator: d.curator ?? (d.status === 'included' ? 'не назначен' : '—'),
      partner: d.partner ? d.partner.name : d.status === 'included' ? 'не назначена' : '—',
    })),
  };
}
