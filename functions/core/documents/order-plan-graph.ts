import { countOf } from '../format-ru.js';
import { byNumber } from '../school-indicators.js';
import type { PlanGraphRow } from '../tab-types.generated.js';
import {
  BLANK_REGISTRATION,
  CONTROL,
  coordinatorOf,
  forYear,
  inYear,
  MEASURES,
  MUNICIPAL_AUTHORITIES,
  orderHead,
  PROJECT,
  type OrderClause,
} from './order-head.js';
import type { RegistryFacts } from './registry-facts.js';

/** The plan-graph order (seed 003). */
const DIRECTION_HEADINGS: Record<PlanGraphRow['direction'], string> = {
  'Организационно-управленческое': 'Организационно-управленческое направление',
  'Аналитико-мониторинговое': 'Аналитико-мониторинговое направление',
  Методическое: 'Методическое направление',
  'Информационное сопровождение': 'Информационное сопровождение',
};

/**
 * The draft order approving the regional plan-graph, or amending it by setting it out in a new
 * edition (seed 003); the appendix is the plan-graph grouped by direction.
 */
export function planGraphOrderView(facts: RegistryFacts, items: readonly PlanGraphRow[], mode: 'approve' | 'amend') {
  const schoolYear = facts.region.schoolYear ?? '';
  const amend = mode === 'amend';
  const title = amend
    ? `О внесении изменений в план-график («дорожную карту») реализации проекта «500+»${forYear(schoolYear)}`
    : `Об утверждении плана-графика («дорожной карты») реализации проекта «500+»${forYear(schoolYear)}`;
  const head = orderHead(facts, title);
  const measures = countOf(items.length, MEASURES);

  const clauses: OrderClause[] = amend
    ? [
        {
          text: `Внести в план-график («дорожную карту») реализации проекта «500+»${forYear(schoolYear)} (далее — план-график), утверждённый приказом ${BLANK_REGISTRATION}, изменения, изложив его в новой редакции согласно приложению к настоящему приказу.`,
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
    /** The amended order's date and number for the appendix stamp: blank in a draft. */
    amendedOrder: { date: '', number: '' },
    preamble: amend
      ? `В связи с уточнением мероприятий, сроков и показателей результативности плана-графика («дорожной карты») и в целях реализации ${PROJECT}`
      : `В целях реализации ${PROJECT} и организации методической поддержки общеобразовательных организаций, показывающих низкие образовательные результаты,${inYear(schoolYear)}`,
    clauses,
    appendixTitle: `План-график («дорожная карта») реализации проекта «500+»${forYear(schoolYear)}`,
    groups,
  };
}
