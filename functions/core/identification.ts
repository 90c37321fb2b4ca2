/** Identification of ШНОР and ШФНСУ over all schools of the region, by the criteria of config/monitoring.json. */
import { countOf, formatShare, plural } from './format-ru.js';
import type { MonitoringSettings } from './settings.js';
import type { AssessmentResultsRow, ContextDataRow, SchoolsRow } from './tab-types.generated.js';

/** A school's share of «2» in one year and its place among the region's schools that year. */
export interface YearFailShare {
  year: number;
  participants: number;
  failed: number;
  /** failed / participants; null when the school had no participants that year. */
  failShare: number | null;
  /** 1 = worst; tied schools share a rank; null when not ranked (fewer than minParticipantsToRank participants) */
  rank: number | null;
  /** How many schools of the region were ranked that year. */
  ranked: number;
  /** in the worst share (default 10 %) of ranked schools that year */
  worst: boolean;
}

/** One criterion of unfavourable social conditions, with the school's value and the threshold. */
export interface SocialCriterion {
  key: 'lowIncome' | 'disabilities' | 'nonNativeRussian' | 'vacancies' | 'rural';
  /** Russian, e.g. «доля обучающихся из малоимущих семей». */
  label: string;
  /** percent 0–100 for the first three, share of staff 0–1 for vacancies (null without teachers), null for rural */
  value: number | null;
  threshold: number | null;
  met: boolean;
}

/** Category of a school as the registry spells it. */
export type IdentifiedCategory = 'ШНОР' | 'ШФНСУ' | 'ШНОР и ШФНСУ';

/** One school of the registry with the verdict on both criteria and the reasons for it. */
export interface IdentifiedSchool {
  code: string;
  name: string;
  municipalityCode: string;
  locality: string;
  participant: boolean;
  /** may be empty for non-candidates */
  categories: ('ШНОР' | 'ШФНСУ')[];
  /** the registry's spelling of the combination */
  category: IdentifiedCategory | null;
  lowResults: { years: YearFailShare[]; worstYears: number; met: boolean };
  unfavourable: { criteria: SocialCriterion[]; count: number; contextYear: number | null; met: boolean };
  /** Russian sentences explaining why (or why not), e.g. «Доля «2» в худших 10 % школ региона: в 2025 г. — 21 %, 1-е место из 12; в 2026 г. — 18,2 %, 1-е место из 12.» */
  reasons: string[];
}

/** The ranked list of all schools of the region, candidates first. */
export interface Identification {
  asOf: string;
  /** Years of results considered, ascending. */
  years: number[];
  /** ALL schools of the registry (first row of a duplicated code), candidates first, ranked */
  schools: IdentifiedSchool[];
  candidates: number;
}

type Settings = MonitoringSettings['identification'];
type CriterionKey = SocialCriterion['key'];

const NBSP = '\u00a0';
const NB_HYPHEN = '\u2011';
const PARTICIPANTS = ['участник', 'участника', 'участников'] as const;
const CRITERIA_FORMS = ['критерий', 'критерия', 'критериев'] as const;
const MET_FORMS = ['выполнен', 'выполнено', 'выполнено'] as const;
const YEARS_LOCATIVE = ['году', 'годах', 'годах'] as const;
const VACANCIES = ['вакансия', 'вакансии', 'вакансий'] as const;

const LABELS: Record<CriterionKey, string> = {
  lowIncome: 'доля обучающихся из малоимущих семей',
  disabilities: 'доля обучающихся с ОВЗ',
  nonNativeRussian: 'доля обучающихся, для которых русский язык не родной',
  vacancies: 'доля незакрытых вакансий педагогов от числа педагогов',
  rural: 'сельская школа',
};

/** Short names used inside reasons: «малоимущие семьи — 34 % (порог 30 %)». */
const SHORT: Record<Exclude<CriterionKey, 'vacancies' | 'rural'>, string> = {
  lowIncome: 'малоимущие семьи',
  disabilities: 'обучающиеся с ОВЗ',
  nonNativeRussian: 'русский язык не родной',
};

/** Identifies ШНОР and ШФНСУ candidates over all schools of the region, by the configured criteria. */
export function identifySchools(input: {
  asOf: string;
  schools: SchoolsRow[];
  results: AssessmentResultsRow[];
  context: ContextDataRow[];
  settings: MonitoringSettings;
}): Identification {
  const cfg = input.settings.identification;
  const lastYear = calendarYear(input.asOf);

  // The registry, first row of each code.
  const registry = new Map<string, SchoolsRow>();
  for (const school of input.schools) if (!registry.has(school.code)) registry.set(school.code, school);

  // Σ participants and Σ «2» per school and year; rows of unknown schools are ignored.
  const totals = new Map<string, Map<number, { participants: number; failed: number }>>();
  const yearsPresent = new Set<number>();
  for (const row of input.results) {
    if (!registry.has(row.schoolCode) || !Number.isFinite(row.year) || row.year > lastYear) continue;
    yearsPresent.add(row.year);
    const participants = nonNegative(row.participants);
    const failed = Math.min(nonNegative(row.failed), participants);
    let byYear = totals.get(row.schoolCode);
    if (!byYear) totals.set(row.schoolCode, (byYear = new Map()));
    const sum = byYear.get(row.year) ?? { participants: 0, failed: 0 };
    byYear.set(row.year, { participants: sum.participants + participants, failed: sum.failed + failed });
  }
  const window = Math.max(0, Math.floor(cfg.lowResultsYearsWindow));
  const years = [...yearsPresent]
    .sort((a, b) => b - a)
    .slice(0, window)
    .sort((a, b) => a - b);

  // Ranks per year: competition ranking (ties share the best rank), worst first.
  const rankings = new Map<number, { ranks: Map<string, number>; ranked: number; cutoff: number }>();
  for (const year of years) {
    const shares: { code: string; share: number }[] = [];
    for (const [code, byYear] of totals) {
      const sum = byYear.get(year);
      if (sum && sum.participants > 0 && sum.participants >= cfg.minParticipantsToRank)
        shares.push({ code, share: sum.failed / sum.participants });
    }
    shares.sort((a, b) => b.share - a.share);
    const ranks = new Map<string, number>();
    shares.forEach((s, i) => {
      const previous = shares[i - 1];
      ranks.set(s.code, previous && previous.share === s.share ? (ranks.get(previous.code) ?? i + 1) : i + 1);
    });
    rankings.set(year, { ranks, ranked: shares.length, cutoff: worstCutoff(cfg.lowResultsWorstShare, shares.length) });
  }

  // The latest context row of each school up to the as-of year.
  const latestContext = new Map<string, ContextDataRow>();
  for (const row of input.context) {
    if (!registry.has(row.schoolCode) || !Number.isFinite(row.year) || row.year > lastYear) continue;
    const current = latestContext.get(row.schoolCode);
    if (!current || compareContext(row, current) > 0) latestContext.set(row.schoolCode, row);
  }

  const schools = [...registry.values()].map((school) => {
    const byYear = totals.get(school.code);
    const yearShares = years.map((year): YearFailShare => {
      const sum = byYear?.get(year) ?? { participants: 0, failed: 0 };
      const ranking = rankings.get(year);
      const rank = ranking?.ranks.get(school.code) ?? null;
      return {
        year,
        participants: sum.participants,
        failed: sum.failed,
        failShare: sum.participants > 0 ? sum.failed / sum.participants : null,
        rank,
        ranked: ranking?.ranked ?? 0,
        worst: rank !== null && ranking !== undefined && rank <= ranking.cutoff,
      };
    });
    const worstYears = yearShares.filter((y) => y.worst).length;
    const lowResults = { years: yearShares, worstYears, met: worstYears >= cfg.lowResultsMinYears };

    const context = latestContext.get(school.code);
    const criteria = socialCriteria(school, context, cfg);
    const count = criteria.filter((c) => c.met).length;
    const unfavourable = {
      criteria,
      count,
      contextYear: context?.year ?? null,
      met: context !== undefined && count >= cfg.unfavourable.minCriteria,
    };

    const categories: ('ШНОР' | 'ШФНСУ')[] = [];
    if (lowResults.met) categories.push('ШНОР');
    if (unfavourable.met) categories.push('ШФНСУ');
    const identified: IdentifiedSchool = {
      code: school.code,
      name: school.name,
      municipalityCode: school.municipalityCode,
      locality: school.locality,
      participant: school.participant,
      categories,
      category: categoryOf(categories),
      lowResults,
      unfavourable,
      reasons: [],
    };
    identified.reasons = [
      ...lowResultsReasons(identified, years, cfg),
      unfavourableReason(identified, context, cfg, lastYear),
    ];
    return identified;
  });

  schools.sort(compareSchools);
  return {
    asOf: input.asOf,
    years,
    schools,
    candidates: schools.filter((s) => s.categories.length > 0).length,
  };
}

/**
 * How many of the worst-ranked places make the worst share: share × ranked rounded down, at least the
 * first place (domain.md «Identification»: of 12 ranked schools at 10 % only rank 1), float noise aside.
 */
export function worstCutoff(worstShare: number, ranked: number): number {
  if (!(ranked > 0) || !(worstShare > 0)) return 0;
  // 0.29 × 100 is 28.999999999999996 in floating point; it must give 29, not 28: round off the noise first.
  return Math.max(1, Math.min(ranked, Math.floor(Math.round(worstShare * ranked * 1e9) / 1e9)));
}

function calendarYear(asOf: string): number {
  const match = /^\s*(\d{4})/.exec(asOf);
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}

function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Later year first; among rows of one year, a fixed order of the figures, so row order never matters. */
function compareContext(a: ContextDataRow, b: ContextDataRow): number {
  const keys = [
    (r: ContextDataRow) => r.year,
    (r: ContextDataRow) => r.lowIncomePercent,
    (r: ContextDataRow) => r.disabilitiesPercent,
    (r: ContextDataRow) => r.nonNativeRussianPercent,
    (r: ContextDataRow) => r.vacancies,
    (r: ContextDataRow) => r.teachers,
    (r: ContextDataRow) => r.students,
  ];
  for (const key of keys) {
    const x = finiteOr(key(a), Number.NEGATIVE_INFINITY);
    const y = finiteOr(key(b), Number.NEGATIVE_INFINITY);
    if (x !== y) return x > y ? 1 : -1;
  }
  return 0;
}

function finiteOr(n: number, fallback: number): number {
  return Number.isFinite(n) ? n : fallback;
}

function socialCriteria(school: SchoolsRow, context: ContextDataRow | undefined, cfg: Settings): SocialCriterion[] {
  const t = cfg.unfavourable;
  const percent = (key: CriterionKey, value: number | undefined, threshold: number): SocialCriterion => {
    const v = value !== undefined && Number.isFinite(value) ? value : null;
    return { key, label: LABELS[key], value: v, threshold, met: v !== null && v >= threshold };
  };
  const teachers = context ? nonNegative(context.teachers) : 0;
  const vacancies = context ? nonNegative(context.vacancies) : 0;
  const vacancyShare = context && teachers > 0 ? vacancies / teachers : null;
  return [
    percent('lowIncome', context?.lowIncomePercent, t.lowIncomePercent),
    percent('disabilities', context?.disabilitiesPercent, t.disabilitiesPercent),
    percent('nonNativeRussian', context?.nonNativeRussianPercent, t.nonNativeRussianPercent),
    {
      key: 'vacancies',
      label: LABELS.vacancies,
      value: vacancyShare,
      threshold: t.vacanciesShareOfStaff,
      met: context !== undefined && (vacancyShare === null ? vacancies > 0 : vacancyShare >= t.vacanciesShareOfStaff),
    },
    {
      key: 'rural',
      label: LABELS.rural,
      value: null,
      threshold: null,
      met: t.ruralCountsAsCriterion && school.locality === 'сельская',
    },
  ];
}

function categoryOf(categories: ('ШНОР' | 'ШФНСУ')[]): IdentifiedCategory | null {
  if (categories.length === 2) return 'ШНОР и ШФНСУ';
  return categories[0] ?? null;
}

/** Candidates first (both categories before one), more worst years, higher latest «2» share, more social criteria, code. */
function compareSchools(a: IdentifiedSchool, b: IdentifiedSchool): number {
  const latest = (s: IdentifiedSchool) => s.lowResults.years[s.lowResults.years.length - 1]?.failShare ?? -1;
  return (
    b.categories.length - a.categories.length ||
    b.lowResults.worstYears - a.lowResults.worstYears ||
    latest(b) - latest(a) ||
    b.unfavourable.count - a.unfavourable.count ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/** "a", "a и b", "a, b и c". */
function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} и ${items[items.length - 1]}`;
}

/** "2026 г.", "2025 и 2026 гг.". */
function yearsPhrase(years: number[]): string {
  return `${joinAnd(years.map(String))}${NBSP}${years.length === 1 ? 'г.' : 'гг.'}`;
}

/** «2-е место из 12»: the school's rank that year among the ranked schools (ties share the better rank). */
export function placeText(y: Pick<YearFailShare, 'rank' | 'ranked'>): string {
  // Ordinals of the neuter «место» end in «-е» whatever the number: 1-е, 2-е, 3-е, 11-е, 23-е. The hyphen
  // is the non-breaking one (U+2011, in the documents' font), so a line never ends in «2-».
  return y.rank === null ? 'не ранжировалась' : `${y.rank}${NB_HYPHEN}е${NBSP}место из ${y.ranked}`;
}

/** «в 2025 г. — 27 %, 2-е место из 12; в 2026 г. — 26,9 %, 1-е место из 12». */
function yearsDetail(years: YearFailShare[]): string {
  return years.map((y) => `в ${y.year}${NBSP}г. — ${formatShare(y.failShare ?? 0)}, ${placeText(y)}`).join('; ');
}

function lowResultsReasons(school: IdentifiedSchool, years: number[], cfg: Settings): string[] {
  const share = formatShare(cfg.lowResultsWorstShare);
  if (years.length === 0)
    return ['Нет результатов оценочных процедур — низкие образовательные результаты не оценивались.'];
  const reasons: string[] = [];
  const all = school.lowResults.years;
  const worst = all.filter((y) => y.worst);
  const notWorst = all.filter((y) => y.rank !== null && !y.worst);
  if (school.lowResults.met && worst.length > 0) {
    reasons.push(`Доля «2» в худших ${share} школ региона: ${yearsDetail(worst)}.`);
  } else if (worst.length > 0) {
    reasons.push(
      `Доля «2» в худших ${share} школ региона только в ${countOf(worst.length, YEARS_LOCATIVE)} из ${years.length} ` +
        `(нужно не менее чем в ${cfg.lowResultsMinYears}): ${yearsDetail(worst)}.`,
    );
  }
  if (notWorst.length > 0)
    reasons.push(`Доля «2» не входила в худшие ${share} школ региона: ${yearsDetail(notWorst)}.`);
  for (const y of all) {
    if (y.participants > 0 && y.rank === null)
      reasons.push(
        `В ${y.year}${NBSP}г. школа не ранжировалась: ${countOf(y.participants, PARTICIPANTS)} оценочных процедур, ` +
          `нужно не менее ${cfg.minParticipantsToRank}.`,
      );
  }
  const empty = all.filter((y) => y.participants === 0).map((y) => y.year);
  if (empty.length > 0) reasons.push(`Нет результатов оценочных процедур за ${yearsPhrase(empty)}`); // «гг.» ends the sentence
  return reasons;
}

function criterionPhrase(c: SocialCriterion, context: ContextDataRow): string {
  switch (c.key) {
    case 'rural':
      return 'сельская школа';
    case 'vacancies':
      return c.value === null
        ? `вакансии педагогов — ${countOf(nonNegative(context.vacancies), VACANCIES)}, педагогов в штате нет (порог ${formatShare(c.threshold ?? 0)})`
        : `вакансии педагогов — ${formatShare(c.value)} от числа педагогов (порог ${formatShare(c.threshold ?? 0)})`;
    default:
      return `${SHORT[c.key]} — ${formatShare((c.value ?? 0) / 100)} (порог ${formatShare((c.threshold ?? 0) / 100)})`;
  }
}

function unfavourableReason(
  school: IdentifiedSchool,
  context: ContextDataRow | undefined,
  cfg: Settings,
  lastYear: number,
): string {
  if (!context) {
    const upTo = Number.isFinite(lastYear) ? ` за ${lastYear}${NBSP}г. и ранее` : '';
    return `Нет контекстных данных${upTo} — неблагоприятные социальные условия не оценивались.`;
  }
  const { count, met, criteria } = school.unfavourable;
  const head = met ? 'Неблагоприятные социальные условия' : 'Социальные условия не признаны неблагоприятными';
  const tally = `${plural(count, MET_FORMS)} ${countOf(count, CRITERIA_FORMS)}, нужно не менее ${cfg.unfavourable.minCriteria}`;
  const list = criteria.filter((c) => c.met).map((c) => criterionPhrase(c, context));
  return `${head} по данным за ${context.year}${NBSP}г. (${tally})${list.length > 0 ? `: ${list.join('; ')}` : ''}.`;
}
