import { countOf } from '../format-ru.js';
import type { Identification, IdentifiedSchool } from '../identification.js';
import type { MonitoringIndicators } from '../indicators.js';
import {
  clause,
  CONTROL,
  coordinatorOf,
  MUNICIPAL_AUTHORITIES,
  orderHead,
  ORGANIZATIONS,
  PROJECT,
} from './order-head.js';
import { municipalityName, type RegistryFacts } from './registry-facts.js';

/** The draft order approving the list of schools with low results (seed 002, приложение 2), from the identification. */
export function lowResultsOrderView(
  indicators: MonitoringIndicators,
  facts: RegistryFacts,
  identification: Identification,
) {
  const head = orderHead(
    facts,
    'Об утверждении списка ОО, показывающих низкие образовательные результаты',
    indicators.schoolYear,
  );
  const candidates = identification.schools.filter((s) => s.category !== null);
  const registryRow = (code: string) => facts.schools.find((s) => s.code === code);
  const partnerName = (code: string | undefined) => (code ? (registryRow(code)?.name ?? code) : '—');
  const years = identification.years.length > 0 ? ` за ${identification.years.join(', ')}\u00a0гг.` : '';
  return {
    ...head,
    preamble: `В целях реализации ${PROJECT}, на основании анализа результатов оценочных процедур${years} и контекстных данных всех общеобразовательных организаций региона`,
    clauses: [
      clause(
        `Утвердить список общеобразовательных организаций, показывающих низкие образовательные результаты (${countOf(candidates.length, ORGANIZATIONS)}), согласно приложению к настоящему приказу.`,
      ),
      clause(
        `Закрепить за общеобразовательными организациями, указанными в приложении, кураторов и школы-партнёры согласно приложению на ${head.schoolYear} учебный год.`,
      ),
      clause(
        `${coordinatorOf(head)} обеспечить методическое сопровождение общеобразовательных организаций, указанных в приложении, и мониторинг реализации их дорожных карт.`,
      ),
      clause(
        `Руководителям ${MUNICIPAL_AUTHORITIES}, обеспечить участие общеобразовательных организаций, указанных в приложении, в проекте «500+».`,
      ),
      CONTROL,
    ],
    schools: candidates.map((s, index) => {
      const row = registryRow(s.code);
      return {
        index: index + 1,
        municipality: municipalityName(facts, s.municipalityCode),
        code: s.code,
        name: row?.fullName ?? s.name,
        category: s.category ?? '—',
        basis: basisText(s),
        curator: row?.curator ?? '—',
        partner: partnerName(row?.partnerSchoolCode),
      };
    }),
  };
}

/** A short basis for the order's table: which years of low results, which social criteria. */
function basisText(school: IdentifiedSchool): string {
  const parts: string[] = [];
  if (school.lowResults.met) {
    const years = school.lowResults.years.filter((y) => y.worst).map((y) => y.year);
    parts.push(`низкие результаты в ${years.join(', ')}\u00a0${years.length > 1 ? 'гг.' : 'г.'}`);
  }
  if (school.unfavourable.met) {
    parts.push(
      `неблагоприятные условия: ${school.unfavourable.criteria
        .filter((c) => c.met)
        .map((c) => c.label)
        .join(', ')}`,
    );
  }
  return parts.join('; ');
}
