import { countOf, formatDate } from '../format-ru.js';
import type { NetworkPartnershipRow } from '../tab-types.generated.js';
import {
  CONTRACTS,
  CONTROL,
  coordinatorOf,
  duringYear,
  groupBy,
  orderHead,
  PROJECT,
  type OrderClause,
} from './order-head.js';
import { municipalityOrder, municipalityTitle, type RegistryFacts } from './registry-facts.js';

/** Seed 002, приложение 4. */
/** The draft order approving the pairs of participant schools and partner schools, with their contracts. */
export function networkPartnershipOrderView(facts: RegistryFacts, partnerships: readonly NetworkPartnershipRow[]) {
  const schools = facts.schools;
  const subject = 'общеобразовательных организаций, показывающих низкие образовательные результаты, и школ-партнёров';
  const head = orderHead(facts, `Об утверждении сетевого партнёрства ${subject}`);
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
      heading: municipalityTitle(facts, code),
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
