import { countOf } from '../format-ru.js';
import type { WorkingGroupRow } from '../tab-types.generated.js';
import { CONTROL, inYear, MUNICIPAL_AUTHORITIES, orderHead, PEOPLE, PROJECT, type OrderClause } from './order-head.js';
import { municipalityOrder, municipalityTitle, type RegistryFacts } from './registry-facts.js';

/** The draft order on the working groups (seed 002, приложение 3). */
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
export function workingGroupOrderView(facts: RegistryFacts, workingGroup: readonly WorkingGroupRow[]) {
  const regional = workingGroup.filter((row) => !row.municipalityCode);
  const codes = [...new Set(workingGroup.flatMap((row) => (row.municipalityCode ? [row.municipalityCode] : [])))];
  const order = municipalityOrder(facts);
  codes.sort((a, b) => order(a) - order(b) || a.localeCompare(b, 'ru'));
  const municipal = codes.map((code) => ({
    name: municipalityTitle(facts, code),
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
  const head = orderHead(facts, title);

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
