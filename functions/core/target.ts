import { textKey } from './text-key.js';

/** A target read from «Показатель результативности»: a number to compare with, or words only. */
export type Target =
  | { kind: 'measurable'; comparator: '>=' | '=' | '<='; value: number; unit: 'percent' | 'count'; text: string }
  | { kind: 'text'; text: string };

/** What «Фактическое значение» says: a number (a bare number is a count), words, or nothing. */
export type Actual =
  { kind: 'number'; value: number; unit: 'percent' | 'count' } | { kind: 'text'; text: string } | { kind: 'empty' };

/** Whether the actual value meets the target. */
export type TargetVerdict = 'achieved' | 'not_achieved' | 'not_measurable';

/**
 * "Не менее 90% …" → >= 90 percent, "не более 5 %" → <= 5 percent, "100% школ" → = 100 percent,
 * a bare planned number "10" → >= 10 count (a plan figure is met when reached or exceeded); words → text.
 */
export function parseTarget(text: string): Target {
  const s = normalize(text);
  if (BARE_NUMBER.test(s)) {
    const [n] = numbersIn(s);
    if (n) return { kind: 'measurable', comparator: '>=', value: n.value, unit: 'count', text };
  }
  for (const n of numbersIn(s)) {
    const comparator = comparatorBefore(n.before);
    if (comparator === 'strict') continue;
    if (comparator || n.unit === 'percent') {
      return { kind: 'measurable', comparator: comparator ?? '=', value: n.value, unit: n.unit, text };
    }
  }
  return { kind: 'text', text };
}

/** "95 %", "52", 52, "проведено 12 совещаний" → number; "выполнено" → text; ""/null → empty. */
export function parseActual(value: string | number | undefined | null): Actual {
  if (value === undefined || value === null) return { kind: 'empty' };
  if (typeof value === 'number')
    return Number.isFinite(value) ? { kind: 'number', value, unit: 'count' } : { kind: 'empty' };
  const text = value.trim();
  if (text === '') return { kind: 'empty' };
  const [first] = numbersIn(normalize(text));
  return first ? { kind: 'number', value: first.value, unit: first.unit } : { kind: 'text', text };
}

/** Compares a numeric actual with a measurable target; words-only targets are achieved when the status is «выполнено». */
export function judgeTarget(target: Target, actual: Actual, status: string | undefined): TargetVerdict {
  if (target.kind === 'text')
    return status !== undefined && textKey(status) === 'выполнено' ? 'achieved' : 'not_measurable';
  if (actual.kind !== 'number') return 'not_measurable';
  if (target.unit === 'count' && actual.unit === 'percent') return 'not_measurable';
  const diff = actual.value - target.value;
  const eps = 1e-9;
  const met =
    target.comparator === '>=' ? diff >= -eps : target.comparator === '<=' ? diff <= eps : Math.abs(diff) <= eps;
  return met ? 'achieved' : 'not_achieved';
}

function normalize(text: string): string {
  return textKey(text.replace(/[\u2010-\u2015\u2212]/g, '-'));
}

/** The whole cell is one number: "10", "12,5", "1 000". */
const BARE_NUMBER = /^(?:\d{1,3}(?: \d{3})+|\d+(?:[.,]\d+)?)$/;

interface FoundNumber {
  value: number;
  unit: 'percent' | 'count';
  before: string;
}

const MONTH_AFTER = /^ ?(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)/;
const YEAR_AFTER = /^ ?(?:год|гг?(?![а-я])|учебн)/;

/** Numbers that can be amounts: not dates, years, codes («№ 744», «ПК-3», «500+») or days of a month. */
function numbersIn(s: string): FoundNumber[] {
  const found: FoundNumber[] = [];
  for (const m of s.matchAll(/\d{1,3}(?: \d{3})+(?![\d.,])|\d+(?:[.,]\d+)*/g)) {
    const blob = m[0];
    const before = s.slice(0, m.index);
    const after = s.slice(m.index + blob.length);
    if ((blob.match(/[.,]/g) ?? []).length > 1) continue;
    if (/№ ?$|(?:^|[^а-яa-z])n ?$/.test(before) || /(?:[а-яa-z]|[а-яa-z\d][-/.:])$/.test(before)) continue;
    if (/^ ?\+|^[-/]\d|^[а-яa-z]/.test(after)) continue;
    if (/^(?:19|20)\d\d$/.test(blob) && YEAR_AFTER.test(after)) continue;
    if (MONTH_AFTER.test(after) || /^ ?числ/.test(after)) continue;
    const value = Number(blob.replace(/ /g, '').replace(',', '.'));
    if (!Number.isFinite(value)) continue;
    found.push({ value, unit: /^ ?(?:%|процент)/.test(after) ? 'percent' : 'count', before });
  }
  return found;
}

const COMPARATOR_BEFORE =
  /(?:^|[^а-я])(не менее|не ниже|не меньше|как минимум|минимум|от|не более|не выше|не больше|максимум|до|более|больше|свыше|менее|меньше|выше|ниже)(?:,? чем)?(?: на)? ?$|(>=|≥|<=|≤|>|<) ?$/;
const AT_LEAST = new Set(['не менее', 'не ниже', 'не меньше', 'как минимум', 'минимум', 'от', '>=', '≥']);
const AT_MOST = new Set(['не более', 'не выше', 'не больше', 'максимум', 'до', '<=', '≤']);

/** The comparator right before a number; 'strict' for «более»/«менее», which the target kinds cannot express. */
function comparatorBefore(before: string): '>=' | '<=' | 'strict' | undefined {
  const m = COMPARATOR_BEFORE.exec(before);
  const word = m?.[1] ?? m?.[2];
  if (word === undefined) return undefined;
  return AT_LEAST.has(word) ? '>=' : AT_MOST.has(word) ? '<=' : 'strict';
}
