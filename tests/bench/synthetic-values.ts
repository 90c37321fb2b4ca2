/**
 * The values synthetic workbooks are made of (bench/region-generator.ts, bench/school-tabs.ts): a
 * seeded PRNG, names, codes, dates and the contract's own lists.
 */
import type { TabId } from '../../functions/core/tab-specs.js';
import type { CellInput } from '../../functions/core/workbook-sheets.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';

export const RESULT_YEARS = [2024, 2025, 2026];

/** The contract the values follow. */
export const rules = monitoringRules();
/** The values of a list column of the contract, in the schema's order. */
export function listOf(tab: TabId, field: string): readonly string[] {
  const values = rules.specs.get(tab)?.columns.find((c) => c.key === field)?.cell.values;
  if (!values) throw new Error(`${tab}.${field} is not a list`);
  return values;
}
export const RISK_FACTORS = rules.settings.riskFactors;
export const RESPONDENTS = listOf('survey', 'respondentGroup');
export const DOC_STATUSES = listOf('documents', 'status');
export const EVENT_FORMS = listOf('events', 'form');
export const PLAN_DIRECTIONS = listOf('plan-graph', 'direction');
export const PLAN_STATUSES = listOf('plan-graph', 'status');
export const DISTRICTS = ['Северный', 'Южный', 'Заречный', 'Лесной', 'Приозёрный', 'Степной', 'Горный', 'Речной'];
export const VILLAGES = ['Берёзовка', 'Каменка', 'Озёрное', 'Покровское', 'Сосновка', 'Никольское', 'Ольховка'];
export const SURNAMES = ['Волкова', 'Зайцев', 'Морозова', 'Петров', 'Кузнецова', 'Смирнов', 'Орлова', 'Белов'];
export const GIVEN = ['Анна Сергеевна', 'Олег Игоревич', 'Елена Викторовна', 'Павел Петрович', 'Ольга Николаевна'];
export const SUBJECTS = ['Математика', 'Русский язык', 'Окружающий мир', 'История', 'Биология', 'Физика'];
/** Deadlines in words the contract's grammar reads, plus one it cannot date (a warning). */
export const DEADLINES = [
  'сентябрь',
  'октябрь',
  'Апрель - май',
  'сентябрь- октябрь 2026 года',
  'ноябрь, декабрь',
  'в течение учебного года',
  'ежеквартально',
  'с октября',
  'по отдельному плану',
  'декабрь',
  'январь-февраль 2027 года',
  '15.11.2026',
];
export const PLAN_TARGETS: [indicator: string, actual: string | null][] = [
  ['Не менее 90% требуемых респондентов участвовали', '85%'],
  ['Не менее 50 консультаций', '34'],
  ['Не менее 10 совещаний', '12'],
  ['100% школ-участников приняли участие в мероприятии', '100 %'],
  ['Приказ Департамента', null],
  ['Сайт', null],
];

/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** A date cell in the school year: month 9 + m (September–November), day 1–28. */
export const autumnDay = (m: number, d: number): CellInput => ({
  date: `2026-${pad(9 + (m % 3), 2)}-${pad(1 + (d % 28), 2)}`,
});

export function pick<T>(list: readonly T[], k: number): T {
  const value = list[((k % list.length) + list.length) % list.length];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

/** A code of municipality m (0-based). */
export const municipalityCode = (m: number) => `МО-${pad(m + 1, 3)}`;
/** A code of school i of municipality m. */
export const schoolCode = (m: number, i: number) => `${pad(m + 1, 3)}-${pad(i + 1, 5)}`;

export function personName(k: number): string {
  return `${pick(SURNAMES, k)} ${pick(GIVEN, Math.floor(k / SURNAMES.length))}`;
}
