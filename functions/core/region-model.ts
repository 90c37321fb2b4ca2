import { computeIndicators, type IndicatorInput } from './compute-indicators.js';
import type { RegionModel } from './documents/catalogue.js';
import { identifySchools } from './identification.js';
import type { MonitoringIndicators } from './indicators.js';
import { usableRows } from './read-workbook.js';
import { decideSchools } from './school-decisions.js';
import { schoolFindings } from './school-findings.js';
import { compareWithPrevious } from './stage-comparison.js';

/**
 * The compute stage: indicators (with «было / стало» against the previous stage), the
 * identification of schools with low results, the one decision per school every document states
 * (category, status on the list, effective mode, curator, partner), and the registry's records the
 * documents cite, each participant's own findings and whether the run wrote them back into the
 * school's table — everything later stages need, so none of them goes back to the rows read.
 */
export function regionModel(
  input: IndicatorInput & {
    previous?: MonitoringIndicators | undefined;
    /** Whether the run writes each workbook's findings back into it (Google Sheets: a «Проверка» tab). */
    feedbackInSheets: boolean;
  },
): RegionModel {
  const { registry, asOf, settings, previous, feedbackInSheets } = input;
  const computed = computeIndicators(input);
  const schools = usableRows(registry, 'schools').map((r) => r.values);
  const indicators = previous ? compareWithPrevious(computed, previous) : computed;
  const identification = identifySchools({
    asOf,
    schools,
    results: usableRows(registry, 'assessment-results').map((r) => r.values),
    context: usableRows(registry, 'context-data').map((r) => r.values),
    settings,
  });
  return {
    indicators,
    identification,
    decisions: decideSchools({ identification, schools, indicators }),
    feedbackInSheets,
    findings: Object.fromEntries(
      schoolFindings(registry, input.participants, input.issues).map((own, i) => [
        input.participants[i]!.row.values.code,
        own,
      ]),
    ),
    registry: {
      region: registry.tabs.region?.rows[0]?.values ?? {},
      municipalities: usableRows(registry, 'municipalities').map((r) => r.values),
      schools,
      workingGroup: usableRows(registry, 'working-group').map((r) => r.values),
      partnerships: usableRows(registry, 'network-partnership').map((r) => r.values),
      planGraph: usableRows(registry, 'plan-graph').map((r) => r.values),
    },
  };
}
