import { countOf, formatDate, formatNumber, formatShare, initialsAndSurname } from './format-ru.js';
import type { AreaIndicators, MonitoringIndicators, SchoolIndicators } from './indicators.js';
import type { MunicipalitiesRow, RegionRow, SchoolsRow } from './tab-types.generated.js';

/** Registry facts the documents name: the region, its municipalities and schools. */
export interface RegistryFacts {
  region: Partial<RegionRow>;
  municipalities: MunicipalitiesRow[];
  schools: SchoolsRow[];
}

/** Header every document shares. */
interface DocumentHead {
  title: string;
  authority: string;
  regionName: string;
  asOfText: string;
  stageText: string;
  schoolYear: string;
}

const STAGE_GENITIVE: Record<string, string> = {
  входной: 'входного',
  промежуточный: 'промежуточного',
  итоговый: 'итогового',
};

function share(value: number | null): string {
  return value === null ? '—' : formatShare(value);
}

function head(indicators: MonitoringIndicators, facts: RegistryFacts, title: string): DocumentHead {
  return {
    title,
    authority: facts.region.educationAuthority ?? '',
    regionName: facts.region.subject ?? '',
    asOfText: formatDate(indicators.asOf),
    stageText: `${STAGE_GENITIVE[indicators.stage] ?? indicators.stage} мониторинга`,
    schoolYear: indicators.schoolYear,
  };
}

function municipalityName(facts: RegistryFacts, code: string): string {
  return facts.municipalities.find((m) => m.code === code)?.name ?? `код МО ${code}`;
}

const WORKBOOK_STATUS_TEXT: Record<SchoolIndicators['workbook']['status'], string> = {
  read: 'таблица школы прочитана',
  missing: 'таблица школы не найдена',
  unreadable: 'таблица школы не читается',
  not_named: 'в реестре не указана таблица школы',
};

/** What the school's analytic report shows, every value already in Russian. */
export function schoolReportView(indicators: MonitoringIndicators, facts: RegistryFacts, school: SchoolIndicators) {
  const roadmap = school.roadmap;
  const recommendations: string[] = [];
  if (!roadmap) {
    recommendations.push(
      `Заполнить таблицу школы по форме мониторинга: ${WORKBOOK_STATUS_TEXT[school.workbook.status]}.`,
    );
  } else {
    if (roadmap.overdue > 0) {
      recommendations.push(
        `Выполнить ${countOf(roadmap.overdue, ['просроченное мероприятие', 'просроченных мероприятия', 'просроченных мероприятий'])} дорожной карты или перенести сроки решением рабочей группы.`,
      );
    }
    if (roadmap.total === 0) recommendations.push('Внести мероприятия дорожной карты по выбранным факторам риска.');
  }
  if (school.rowsLeftOut.length > 0) {
    recommendations.push(`Исправить ошибки, из-за которых строки не учтены в показателях: ${leftOutText(school)}.`);
  }
  if (school.errors > 0) {
    recommendations.push(
      `Исправить ${countOf(school.errors, ['ошибку', 'ошибки', 'ошибок'])} в таблице школы (перечень — в файле validation.json).`,
    );
  }
  return {
    ...head(indicators, facts, 'Аналитическая справка'),
    school: {
      code: school.code,
      name: school.name,
      fullName: school.fullName ?? school.name,
      municipality: municipalityName(facts, school.municipalityCode),
      category: school.category ?? '—',
      curator: school.curator ?? '—',
      workbookStatus: WORKBOOK_STATUS_TEXT[school.workbook.status],
    },
    roadmap: roadmap && {
      total: formatNumber(roadmap.total),
      done: formatNumber(roadmap.done),
      overdue: formatNumber(roadmap.overdue),
      progress: share(roadmap.progress),
      hasOverdue: roadmap.overdue > 0,
      overdueItems: roadmap.overdueItems.map((item) => ({
        number: item.number,
        activity: item.activity,
        riskFactor: item.riskFactor,
        deadline: item.deadlineText,
        deadlineEnd: formatDate(item.deadlineEnd),
        status: item.status,
        responsible: item.responsible,
      })),
    },
    dataQuality: {
      leftOut: leftOutText(school),
      errors: countOf(school.errors, ['ошибка', 'ошибки', 'ошибок']),
      warnings: countOf(school.warnings, ['предупреждение', 'предупреждения', 'предупреждений']),
    },
    recommendations,
  };
}

/** "«Дорожная карта» — 1 строка, «Анкетирование» — 2 строки". */
function leftOutText(school: SchoolIndicators): string {
  return school.rowsLeftOut.map((t) => `«${t.tab}» — ${countOf(t.rows, ['строка', 'строки', 'строк'])}`).join(', ');
}

function areaRow(area: AreaIndicators) {
  return {
    participants: formatNumber(area.participants),
    reported: formatNumber(area.reported),
    total: formatNumber(area.roadmap.total),
    done: formatNumber(area.roadmap.done),
    overdue: formatNumber(area.roadmap.overdue),
    progress: share(area.roadmap.progress),
    schoolsWithOverdue: formatNumber(area.roadmap.schoolsWithOverdue),
  };
}

/** What the regional analytic report shows. */
export function regionReportView(indicators: MonitoringIndicators, facts: RegistryFacts) {
  const region = indicators.region;
  const ranked = [...indicators.schools].sort(
    (a, b) => (b.roadmap?.progress ?? -1) - (a.roadmap?.progress ?? -1) || a.name.localeCompare(b.name, 'ru'),
  );
  return {
    ...head(indicators, facts, 'Аналитическая справка'),
    coordinator: facts.region.regionalCoordinator ?? '',
    participantsText: countOf(region.participants, ['школа-участник', 'школы-участника', 'школ-участников']),
    reportedText: countOf(region.reported, ['школа представила', 'школы представили', 'школ представили']),
    totals: areaRow(region),
    municipalities: indicators.municipalities.map((m) => ({ name: m.name, ...areaRow(m) })),
    schools: ranked.map((s, index) => ({
      rank: index + 1,
      name: s.name,
      municipality: municipalityName(facts, s.municipalityCode),
      total: s.roadmap ? formatNumber(s.roadmap.total) : '—',
      done: s.roadmap ? formatNumber(s.roadmap.done) : '—',
      overdue: s.roadmap ? formatNumber(s.roadmap.overdue) : '—',
      progress: share(s.roadmap?.progress ?? null),
      note: s.roadmap ? '' : WORKBOOK_STATUS_TEXT[s.workbook.status],
    })),
  };
}

/** The draft order approving the list of schools with low results (seed 002, приложение 2). */
export function lowResultsOrderView(indicators: MonitoringIndicators, facts: RegistryFacts) {
  const region = facts.region;
  const participants = facts.schools
    .filter((s) => s.participant)
    .sort(
      (a, b) =>
        municipalityName(facts, a.municipalityCode).localeCompare(municipalityName(facts, b.municipalityCode), 'ru') ||
        a.name.localeCompare(b.name, 'ru'),
    );
  const partnerName = (code: string | undefined) =>
    code ? (facts.schools.find((s) => s.code === code)?.name ?? code) : '—';
  return {
    title: 'Об утверждении списка ОО, показывающих низкие образовательные результаты',
    date: '',
    number: '',
    authority: region.educationAuthority ?? '',
    place: region.place ?? '',
    schoolYear: indicators.schoolYear,
    coordinator: region.regionalCoordinator ?? '',
    signerPosition: region.authorityHeadPosition ?? '',
    signerName: region.authorityHead ? initialsAndSurname(region.authorityHead) : '',
    schoolCountText: countOf(participants.length, [
      'общеобразовательная организация',
      'общеобразовательные организации',
      'общеобразовательных организаций',
    ]),
    schools: participants.map((s, index) => ({
      index: index + 1,
      municipality: municipalityName(facts, s.municipalityCode),
      code: s.code,
      name: s.fullName ?? s.name,
      category: s.category ?? '—',
      curator: s.curator ?? '—',
      partner: partnerName(s.partnerSchoolCode),
    })),
  };
}
