import { countOf } from '../format-ru.js';
import type { WorkingGroupRow } from '../tab-types.generated.js';
import { CONTROL, inYear, MUNICIPAL_AUTHORITIES, orderHead, PEOPLE, PROJECT, type OrderClause } from './order-head.js';
import { municipalityOrder, municipalityTitle, type RegistryFacts } from './registry-facts.js';

/** The draft order on the working groups (seed 002, приложение 3). */
const PURPOSE_OF_GROUP =
  'по оказанию методической помощи общеобразовательным организациям, показывающим низкие образовательные результаты';
/** Who approves a municipal group: the municipality's own act. */
const MUNICIPAL_AUTHORITY_ACT = 'актом органа местного самоуправления, осуществляющего управление в сфере образования';
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

/**
 * The draft order on the working groups. The region approves its own group; a municipal group is
 * the municipality's act, so the regional order recommends the heads of the municipal education
 * authorities to approve theirs and gives the registry's lists as the recommended composition.
 */
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
  const hasMunicipal = municipal.length > 0;
  const many = municipal.length > 1;
  const municipalGroups = many ? 'муниципальных рабочих групп' : 'муниципальной рабочей группы';

  const ofProject = 'по реализации проекта «500+»';
  const title = !hasMunicipal
    ? `Об утверждении состава рабочей группы ${ofProject}`
    : hasRegional
      ? `Об утверждении состава региональной рабочей группы и о ${many ? 'муниципальных рабочих группах' : 'муниципальной рабочей группе'} ${ofProject}`
      : `О ${many ? 'муниципальных рабочих группах' : 'муниципальной рабочей группе'} ${ofProject}`;
  const head = orderHead(facts, title);
  // Two appendices are numbered; one is just «приложение».
  const regionalAppendix = hasRegional && hasMunicipal ? 'приложению 1' : 'приложению';
  const municipalAppendix = hasRegional && hasMunicipal ? 'приложение 2' : 'приложение';

  const clauses: OrderClause[] = [];
  if (hasRegional) {
    const which = hasMunicipal ? 'региональной рабочей группы' : 'рабочей группы';
    clauses.push({
      text: `Утвердить состав ${which} ${PURPOSE_OF_GROUP} (${countOf(regional.length, PEOPLE)}) согласно ${regionalAppendix} к настоящему приказу.`,
      items: [],
    });
    clauses.push({
      text: `${hasMunicipal ? 'Региональной рабочей группе' : 'Рабочей группе'} обеспечить координацию деятельности участников проекта «500+», рассматривать ход выполнения плана-графика («дорожной карты») и итоги мониторинга реализации проекта на заседаниях не реже одного раза в квартал.`,
      items: [],
    });
  }
  if (hasMunicipal) {
    const names = municipal.map((m) => m.name).join(', ');
    // The purpose is spelled out once: in the regional group's clause when there is one.
    const purpose = hasRegional ? '' : ` ${PURPOSE_OF_GROUP}`;
    clauses.push({
      text: `Рекомендовать руководителям ${MUNICIPAL_AUTHORITIES} (${names}), утвердить ${many ? 'составы' : 'состав'} ${municipalGroups}${purpose} с учётом ${many ? 'рекомендуемых составов' : 'рекомендуемого состава'} (${municipalAppendix} к настоящему приказу), обеспечить ${many ? 'их' : 'её'} работу и участие ${many ? 'их' : 'её'} членов в мероприятиях проекта «500+».`,
      items: [],
    });
  }
  clauses.push(CONTROL);

  const appendices = [
    ...(hasRegional
      ? [
          {
            appendixNumber: hasMunicipal ? '1' : '',
            title: `Состав ${hasMunicipal ? 'региональной рабочей группы' : 'рабочей группы'} ${PURPOSE_OF_GROUP}`,
            showGroupHeadings: false,
            groups: [
              {
                heading: 'Региональная рабочая группа',
                countText: countOf(regional.length, PEOPLE),
                members: groupMembers(regional),
              },
            ],
          },
        ]
      : []),
    ...(hasMunicipal
      ? [
          {
            appendixNumber: hasRegional ? '2' : '',
            title: `${many ? 'Рекомендуемые составы' : 'Рекомендуемый состав'} ${municipalGroups} ${PURPOSE_OF_GROUP} (${many ? 'утверждаются' : 'утверждается'} ${MUNICIPAL_AUTHORITY_ACT})`,
            // Each municipality is named above its table.
            showGroupHeadings: true,
            groups: municipal.map((m) => ({
              heading: `Муниципальная рабочая группа: ${m.name}`,
              countText: countOf(m.rows.length, PEOPLE),
              members: groupMembers(m.rows),
            })),
          },
        ]
      : []),
  ];

  return {
    ...head,
    preamble: `В целях реализации ${PROJECT} и координации деятельности его участников${inYear(head.schoolYear)}`,
    clauses,
    appendices,
  };
}
