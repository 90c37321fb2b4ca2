/**
 * One decision per school per run — category, status on the list, effective mode, curator, partner —
 * made once in the compute stage from the identification, the registry «Школы» and the indicators,
 * so that every document states it in the same words.
 */
import { formatDate } from './format-ru.js';
import type { Identification, IdentifiedCategory, IdentifiedSchool } from './identification.js';
import type { MonitoringIndicators } from './indicators.js';
import type { SchoolsRow } from './tab-types.generated.js';

/** Where a school stands on the list the low-results order approves. */
export type ListStatus = 'continues' | 'included' | 'proposed-exclusion';

/** The status as the order's appendix and the school's report spell it. */
export const LIST_STATUS_TEXT: Record<ListStatus, string> = {
  continues: 'продолжает участие',
  included: 'включается впервые',
  'proposed-exclusion': 'предлагается к исключению',
};

/** What the run decided about one school of the registry. */
export interface SchoolDecision {
  code: string;
  name: string;
  fullName: string;
  municipalityCode: string;
  /** A current participant of the project, by the registry. */
  participant: boolean;
  /** The registry's «Категория» (the current year's list); null when it states none. */
  registryCategory: IdentifiedCategory | null;
  /** This run's identification (the yearly decision); null when the school meets neither criterion. */
  identifiedCategory: IdentifiedCategory | null;
  /**
   * The category as every document states it: the identification's, with the registry's in brackets
   * where it differs — «ШФНСУ (в реестре — ШНОР и ШФНСУ)», «не подтверждена отбором (в реестре — ШНОР)».
   */
  categoryText: string;
  /** The rule above in Russian, for the documents to state it (categoryRule). */
  categoryRule: string;
  /** null: neither a participant nor identified — not on the list. */
  status: ListStatus | null;
  /** LIST_STATUS_TEXT of the status; '' off the list. */
  statusText: string;
  /** The identification's explanation, Russian sentences. */
  reasons: string[];
  /** The participant's effective mode now; null for schools that are not participants. */
  effectiveMode: boolean | null;
  /** Said plainly where a school in effective mode stays on the list; '' otherwise. */
  effectiveModeNote: string;
  /** ФИО from the registry; null when it names none. */
  curator: string | null;
  partner: { code: string; name: string } | null;
}

/** Decisions by school code, in the identification's order (candidates first). */
export type SchoolDecisions = Record<string, SchoolDecision>;

const NBSP = '\u00a0';

/** Decides, once, what the documents of a run state about each school of the registry. */
export function decideSchools(input: {
  identification: Identification;
  schools: SchoolsRow[];
  indicators: MonitoringIndicators;
}): SchoolDecisions {
  const { identification, indicators } = input;
  const registry = new Map<string, SchoolsRow>();
  for (const row of input.schools) if (!registry.has(row.code)) registry.set(row.code, row);
  const decisions: SchoolDecisions = {};
  const rule = categoryRule(identification);
  for (const school of identification.schools) {
    const row = registry.get(school.code);
    const registryCategory = row?.category ?? null;
    const identifiedCategory = school.category;
    const status = statusOf(school.participant, identifiedCategory);
    const effectiveMode = school.participant ? (indicators.schools[school.code]?.effectiveMode.value ?? null) : null;
    const partnerCode = row?.partnerSchoolCode;
    decisions[school.code] = {
      code: school.code,
      name: school.name,
      fullName: row?.fullName ?? school.name,
      municipalityCode: school.municipalityCode,
      participant: school.participant,
      registryCategory,
      identifiedCategory,
      categoryText: categoryText(school.participant, registryCategory, identifiedCategory),
      categoryRule: rule,
      status,
      statusText: status ? LIST_STATUS_TEXT[status] : '',
      reasons: school.reasons,
      effectiveMode,
      effectiveModeNote:
        effectiveMode === true && identifiedCategory !== null
          ? effectiveModeNote(school, identification, indicators.asOf)
          : '',
      curator: row?.curator ?? null,
      partner: partnerCode ? { code: partnerCode, name: registry.get(partnerCode)?.name ?? partnerCode } : null,
    };
  }
  return decisions;
}

/**
 * The rule by which documents state a category, in Russian: the identification is the yearly
 * decision, the registry states the current year's list.
 */
export function categoryRule(identification: Identification): string {
  const years = identification.years.length > 0 ? ` за ${yearsPhrase(identification.years)}` : '';
  return (
    `Категория указана по итогам отбора на ${formatDate(identification.asOf)} — ежегодного решения по результатам ` +
    `оценочных процедур${years} и контекстным данным; где категория в реестре школ (список текущего учебного года) ` +
    `иная, она приведена в скобках.`
  );
}

function statusOf(participant: boolean, identified: IdentifiedCategory | null): ListStatus | null {
  if (identified !== null) return participant ? 'continues' : 'included';
  return participant ? 'proposed-exclusion' : null;
}

function categoryText(
  participant: boolean,
  registry: IdentifiedCategory | null,
  identified: IdentifiedCategory | null,
): string {
  const inRegistry = registry ? `в реестре — ${registry}` : 'в реестре не указана';
  if (identified === null) return participant || registry ? `не подтверждена отбором (${inRegistry})` : '—';
  // A school not yet in the project has no category of the current year to compare with.
  if (registry === identified || (!participant && registry === null)) return identified;
  return `${identified} (${inRegistry})`;
}

/** Why a school working in effective mode now still stays on the list. */
function effectiveModeNote(school: IdentifiedSchool, identification: Identification, asOf: string): string {
  const grounds: string[] = [];
  if (school.lowResults.met) {
    const years = school.lowResults.years.filter((y) => y.worst).map((y) => y.year);
    grounds.push(`результатам оценочных процедур прошлых лет (${yearsPhrase(years)})`);
  }
  if (school.unfavourable.met) {
    const year = school.unfavourable.contextYear ?? identification.years[identification.years.length - 1];
    grounds.push(
      `социальным условиям${year ? ` (контекстные данные за ${year}${NBSP}г.)` : ''}, от работы школы не зависящим`,
    );
  }
  return (
    `По данным мониторинга на ${formatDate(asOf)} школа работает в эффективном режиме и всё же остаётся в списке: ` +
    `эффективный режим — это её работа сейчас, а в список она отобрана по ${grounds.join(' и по ')}.`
  );
}

/** "2026 г.", "2025 и 2026 гг.", "2024, 2025 и 2026 гг.". */
function yearsPhrase(years: number[]): string {
  const list = years.length <= 1 ? years.join('') : `${years.slice(0, -1).join(', ')} и ${years[years.length - 1]}`;
  return `${list}${NBSP}${years.length === 1 ? 'г.' : 'гг.'}`;
}
