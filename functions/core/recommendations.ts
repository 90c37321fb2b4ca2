import { formatIndicatorValue } from './format-ru.js';
import type { Indicator } from './indicator.js';
import type { Recommendations } from './indicators.js';
import type { SchoolMeasures } from './school-indicators.js';

/** Recommendation rules a region can edit (config/recommendations.json). */
export interface RecommendationRules {
  noWorkbook: { school: string; curator: string };
  unmetTargets: { indicator: string; school: string; curator: string }[];
  /** Per chosen risk factor: what to do about it. */
  riskFactors: Record<string, string>;
}

function indicatorAt(measures: SchoolMeasures, path: string): Indicator | undefined {
  let node: unknown = measures;
  for (const key of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[key];
  return node as Indicator | undefined;
}

/** Details a rule's text may cite: the missing documents or the numbers of overdue measures. */
function details(measures: SchoolMeasures, path: string): string {
  if (path === 'documents.complete') return measures.documents.missing.join(', ');
  if (path === 'roadmap.overdue') return measures.roadmap.overdueItems.map((i) => i.number).join(', ');
  return '';
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** Addressed recommendations from every unmet target and every chosen risk factor. */
export function recommend(
  measures: SchoolMeasures | undefined,
  rules: RecommendationRules,
  workbookProblem: string | undefined,
): Recommendations {
  const result: Recommendations = { school: [], curator: [] };
  if (workbookProblem !== undefined) {
    result.school.push(fill(rules.noWorkbook.school, { details: workbookProblem }));
    result.curator.push(fill(rules.noWorkbook.curator, { details: workbookProblem }));
  }
  if (!measures) return result;
  for (const rule of rules.unmetTargets) {
    const indicator = indicatorAt(measures, rule.indicator);
    if (indicator?.met !== false) continue;
    const values = {
      value: formatIndicatorValue(indicator.value, indicator.unit),
      target: formatIndicatorValue(indicator.target?.value, indicator.unit),
      details: details(measures, rule.indicator),
    };
    result.school.push(fill(rule.school, values));
    result.curator.push(fill(rule.curator, values));
  }
  for (const factor of measures.risks.chosenFactors) {
    const text = rules.riskFactors[factor];
    if (text) result.school.push(`По фактору «${factor}»: ${text.charAt(0).toLowerCase()}${text.slice(1)}`);
  }
  if (measures.risks.verified === false) {
    result.curator.push('Верифицировать рисковый профиль школы: не все выбранные факторы подтверждены куратором.');
  }
  return result;
}
