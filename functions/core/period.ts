import {
  existingDay,
  isoDay,
  monthEnd,
  normalizeDateText,
  SCHOOL_YEAR_START_MONTH,
  type IsoDate,
  type PlanYear,
  type SchoolYear,
} from './calendar.js';

/** A deadline written in words, placed inside a school year. */
export type Period =
  | { kind: 'range'; text: string; start: IsoDate; end: IsoDate; deadlines: IsoDate[] }
  | { kind: 'quarterly'; text: string }
  | { kind: 'open'; text: string; start: IsoDate }
  | { kind: 'none'; text: string }
  | { kind: 'unparsed'; text: string };

/**
 * Reads a deadline written in words («апрель - май», «ежеквартально», «15.05.2021»…); never throws.
 * Months without a written year land in the plan's year: a school year (September–December in its
 * first calendar year) or, for { kind: 'calendar' }, that calendar year.
 */
export function parsePeriod(text: string, year: SchoolYear | PlanYear): Period {
  const period = parseNormalized(normalizeDateText(text), text, frameOf(year));
  // Years are four digits: "декабрь 9999 - январь" would spill into a fifth.
  if (!period || (period.kind === 'range' && !(ISO_DATE.test(period.start) && ISO_DATE.test(period.end))))
    return { kind: 'unparsed', text };
  return period;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The plan's year as the parser places months: it starts in firstMonth of firstYear and lasts twelve months. */
interface Frame {
  firstYear: number;
  firstMonth: number;
}

function frameOf(year: SchoolYear | PlanYear): Frame {
  return 'kind' in year && year.kind === 'calendar'
    ? { firstYear: year.year, firstMonth: 1 }
    : { firstYear: year.firstYear, firstMonth: SCHOOL_YEAR_START_MONTH };
}

/** The calendar year a month of the plan's year falls in. */
function yearOfMonth(month: number, f: Frame): number {
  return month >= f.firstMonth ? f.firstYear : f.firstYear + 1;
}

/** The whole plan's year as a range. */
function wholeYear(text: string, f: Frame): Period {
  const lastMonth = f.firstMonth === 1 ? 12 : f.firstMonth - 1;
  return range(text, f.firstYear, f.firstMonth, yearOfMonth(lastMonth, f), lastMonth);
}

/** A spreadsheet date cell as a one-day range. */
export function periodFromDate(date: IsoDate): Period {
  const [y = '', m = '', d = ''] = date.split('-');
  return { kind: 'range', text: `${d}.${m}.${y}`, start: date, end: date, deadlines: [date] };
}

/** End of the deadline as of a date: range → end; quarterly → end of asOf's quarter; otherwise undefined. */
export function deadlineEnd(period: Period, asOf: IsoDate): IsoDate | undefined {
  switch (period.kind) {
    case 'range':
      return period.end;
    case 'quarterly': {
      if (!ISO_DATE.test(asOf)) return undefined;
      const year = Number(asOf.slice(0, 4));
      const lastMonth = Math.ceil(Number(asOf.slice(5, 7)) / 3) * 3;
      return monthEnd(year, lastMonth);
    }
    default:
      return undefined;
  }
}

const NONE_PHRASES: readonly RegExp[] = [
  /^постоянно(?:$|[ ,;(])/,
  /^на постоянной основе$/,
  /^по (?:отдельному |утвержденному |согласованному )?(?:плану|графику)(?:$|[ ,;(])/,
  /^(?:в соответствии с|согласно) (?:отдельным |отдельному |утвержденным |утвержденному )?(?:планом|плану|графиком|графику)(?:$|[ ,;(])/,
];

const WHOLE_SCHOOL_YEAR: readonly RegExp[] = [
  /^(?:в течение|в течении|на протяжении) (?:всего )?(?:учебного )?(?:года|периода)$/,
  /^(?:за )?весь (?:учебный )?(?:год|период)$/,
  /^(?:до конца|в течение|на протяжении) (?:всего )?учебного года$/,
];

const YEAR_SUFFIX = String.raw`(?: ?(?:год[ау]?|гг?)(?![а-я])\.?)?`;

function parseNormalized(s: string, text: string, sy: Frame): Period | undefined {
  if (s === '') return undefined;
  if (NONE_PHRASES.some((re) => re.test(s))) return { kind: 'none', text };
  if (s === 'ежеквартально') return { kind: 'quarterly', text };
  if (WHOLE_SCHOOL_YEAR.some((re) => re.test(s))) return wholeYear(text, sy);

  const named =
    /^(?:(?:в течение|в течении|на протяжении|в) )?(\d{4}) ?[/-] ?(\d{4}) (?:учебного года|учебном году|учебный год)$/.exec(
      s,
    );
  if (named) {
    const first = Number(named[1]);
    return Number(named[2]) === first + 1 ? range(text, first, 9, first + 1, 8) : undefined;
  }
  const calendar = new RegExp(`^(?:(?:в течение|в течении|на протяжении|в) )?(\\d{4})${YEAR_SUFFIX}$`).exec(s);
  if (calendar) {
    const y = Number(calendar[1]);
    return range(text, y, 1, y, 12);
  }
  const quarter = new RegExp(
    `^(?:(?:в|в течение) )?(iv|i{1,3}|[1-4])(?:-?й)? квартал[еа]?(?: (\\d{4})${YEAR_SUFFIX})?$`,
  ).exec(s);
  if (quarter) {
    const q = ROMAN_QUARTERS[quarter[1] ?? ''] ?? Number(quarter[1]);
    const y = quarter[2] ? Number(quarter[2]) : yearOfMonth(q * 3, sy);
    return range(text, y, q * 3 - 2, y, q * 3);
  }

  const tokens = tokenize(s);
  return tokens ? parseTokens(tokens, text, sy) : undefined;
}

const ROMAN_QUARTERS: Readonly<Record<string, number>> = { i: 1, ii: 2, iii: 3, iv: 4 };

type Token =
  | { t: 'month'; month: number }
  | { t: 'year'; year: number }
  | { t: 'day'; day: number }
  | { t: 'date'; iso: IsoDate }
  | { t: 'dash' }
  | { t: 'sep' }
  | { t: 'word'; word: string };

const MONTH_RE =
  /(январ[ьяею]?|феврал[ьяею]?|март[ауе]?|апрел[ьяею]?|ма[йяею]|июн[ьяею]?|июл[ьяею]?|август[ауе]?|сентябр[ьяею]?|октябр[ьяею]?|ноябр[ьяею]?|декабр[ьяею]?)(?![а-я])/y;
const MONTH_STEMS = [
  'январ',
  'феврал',
  'март',
  'апрел',
  'ма',
  'июн',
  'июл',
  'август',
  'сентябр',
  'октябр',
  'ноябр',
  'декабр',
];

const DATE_RE = new RegExp(String.raw`(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)${YEAR_SUFFIX}`, 'y');
const YEAR_RE = new RegExp(String.raw`(\d{4})(?!\d)${YEAR_SUFFIX}`, 'y');

function tokenize(s: string): Token[] | undefined {
  const tokens: Token[] = [];
  let pos = 0;
  const at = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m) pos = re.lastIndex;
    return m;
  };
  while (pos < s.length) {
    let m: RegExpExecArray | null;
    if (at(/ +/y)) continue;
    if ((m = at(DATE_RE))) {
      const iso = existingDay(Number(m[3]), Number(m[2]), Number(m[1]));
      if (!iso) return undefined;
      tokens.push({ t: 'date', iso });
    } else if ((m = at(YEAR_RE))) tokens.push({ t: 'year', year: Number(m[1]) });
    else if ((m = at(/(\d{1,2})(?![\d.])/y))) tokens.push({ t: 'day', day: Number(m[1]) });
    else if ((m = at(MONTH_RE))) {
      const word = m[1] ?? '';
      tokens.push({ t: 'month', month: MONTH_STEMS.findIndex((stem) => word.startsWith(stem)) + 1 });
    } else if (at(/-/y)) tokens.push({ t: 'dash' });
    else if (at(/[,;]|и(?![а-я])/y)) tokens.push({ t: 'sep' });
    else if ((m = at(/[а-я]+/y))) tokens.push({ t: 'word', word: m[0] });
    else return undefined;
  }
  return tokens;
}

function startsWithWords(tokens: readonly Token[], words: readonly string[]): boolean {
  return words.every((w, i) => {
    const token = tokens[i];
    return token?.t === 'word' && token.word === w;
  });
}

function parseTokens(tokens: Token[], text: string, sy: Frame): Period | undefined {
  const after = (words: readonly string[]): Token[] | undefined =>
    startsWithWords(tokens, words) ? tokens.slice(words.length) : undefined;

  let rest: Token[] | undefined;
  if ((rest = after(['начиная', 'с']) ?? after(['с']))) {
    const to = rest.findIndex((t) => t.t === 'word' && (t.word === 'по' || t.word === 'до'));
    if (to > 0) return parseSpan([...rest.slice(0, to), { t: 'dash' }, ...rest.slice(to + 1)], text, sy);
    const point = parsePoint(rest, sy);
    if (point) return { kind: 'open', text, start: point };
    const month = singleMonth(parseMonthList(rest, sy));
    return month ? { kind: 'open', text, start: month.start } : undefined;
  }
  if ((rest = after(['до', 'конца']) ?? after(['к', 'концу']) ?? after(['не', 'позднее', 'конца']))) {
    const month = singleMonth(parseMonthList(rest, sy));
    if (!month) return undefined;
    const yearStart = isoDay(sy.firstYear, sy.firstMonth, 1);
    const start = yearStart < month.start ? yearStart : month.start;
    return { kind: 'range', text, start, end: month.end, deadlines: [month.end] };
  }
  if ((rest = after(['не', 'позднее']) ?? after(['не', 'позже']) ?? after(['до']) ?? after(['к']) ?? after(['по']))) {
    const point = parsePoint(rest, sy);
    return point ? { kind: 'range', text, start: point, end: point, deadlines: [point] } : undefined;
  }
  rest = after(['в', 'течение']) ?? after(['в', 'течении']) ?? after(['на', 'протяжении']) ?? after(['в']);
  return rest ? parseMonths(rest, text, sy) : parseSpan(tokens, text, sy);
}

/** Dates or months, optionally as "from - to". */
function parseSpan(tokens: Token[], text: string, sy: Frame): Period | undefined {
  const single = parsePoint(tokens, sy);
  if (single) return { kind: 'range', text, start: single, end: single, deadlines: [single] };
  const dash = tokens.findIndex((t) => t.t === 'dash');
  if (dash > 0) {
    const from = parsePoint(tokens.slice(0, dash), sy);
    const to = parsePoint(tokens.slice(dash + 1), sy);
    if (from && to) return from <= to ? { kind: 'range', text, start: from, end: to, deadlines: [to] } : undefined;
  }
  return parseMonths(tokens, text, sy);
}

function parseMonths(tokens: Token[], text: string, sy: Frame): Period | undefined {
  const items = parseMonthList(tokens, sy);
  if (!items || items.length === 0) return undefined;
  const starts = items.map((i) => i.start).sort();
  const deadlines = [...new Set(items.map((i) => i.end))].sort();
  const start = starts[0];
  const end = deadlines[deadlines.length - 1];
  return start && end ? { kind: 'range', text, start, end, deadlines } : undefined;
}

/** A date "15.05.2021" or "15 мая [2021]". */
function parsePoint(tokens: readonly Token[], sy: Frame): IsoDate | undefined {
  const [a, b, c, ...more] = tokens;
  if (a?.t === 'date' && !b) return a.iso;
  if (a?.t !== 'day' || b?.t !== 'month' || more.length > 0) return undefined;
  if (c && c.t !== 'year') return undefined;
  return existingDay(c ? c.year : yearOfMonth(b.month, sy), b.month, a.day);
}

interface MonthRef {
  month: number;
  year?: number;
}
interface MonthItem {
  start: IsoDate;
  end: IsoDate;
  /** Set when the item is a range of months. */
  from?: MonthRef;
}

/** "апрель - май, октябрь 2020 года и ноябрь": months and ranges of months, years placed. */
function parseMonthList(tokens: readonly Token[], sy: Frame): MonthItem[] | undefined {
  const groups: MonthRef[][] = [];
  let i = 0;
  const readRef = (): MonthRef | undefined => {
    const m = tokens[i];
    if (m?.t !== 'month') return undefined;
    i++;
    const y = tokens[i];
    if (y?.t === 'year') {
      i++;
      return { month: m.month, year: y.year };
    }
    return { month: m.month };
  };
  while (i < tokens.length) {
    const first = readRef();
    if (!first) return undefined;
    const group = [first];
    if (tokens[i]?.t === 'dash') {
      i++;
      const last = readRef();
      if (!last) return undefined;
      group.push(last);
    }
    groups.push(group);
    if (i === tokens.length) break;
    if (tokens[i]?.t !== 'sep') return undefined;
    while (tokens[i]?.t === 'sep') i++;
    if (i === tokens.length) return undefined;
  }

  const refs = groups.flat();
  if (refs.some((r) => r.year !== undefined)) placeAroundExplicitYears(refs);
  else {
    // Without a written year every month sits in the plan's year (contract: a school year puts
    // September–December in its first calendar year), so «март, октябрь, ноябрь» of 2020/2021 is
    // October, November, then March; of the calendar year 2021, March, October, November 2021.
    for (const group of groups) {
      const last = group[group.length - 1];
      if (!last) continue;
      last.year = yearOfMonth(last.month, sy);
      const first = group[0];
      if (!first || first === last) continue;
      if (first.month <= last.month) {
        first.year = last.year;
        continue;
      }
      // A range may wrap only at a new year ("декабрь-январь"), not "май-апрель"; it starts in the plan's
      // year (a calendar plan's «ноябрь – январь» ends in January of the next year).
      if (first.month < SCHOOL_YEAR_START_MONTH || last.month >= SCHOOL_YEAR_START_MONTH) return undefined;
      first.year = yearOfMonth(first.month, sy);
      last.year = first.year + 1;
    }
  }

  const items: MonthItem[] = [];
  for (const group of groups) {
    const first = group[0];
    const last = group[group.length - 1];
    if (!first || !last || first.year === undefined || last.year === undefined) return undefined;
    const start = existingDay(first.year, first.month, 1);
    const end = monthEnd(last.year, last.month);
    if (!start || start > end) return undefined;
    items.push(first === last ? { start, end } : { start, end, from: first });
  }
  return items;
}

function singleMonth(items: MonthItem[] | undefined): MonthItem | undefined {
  const [item, ...more] = items ?? [];
  return item && !item.from && more.length === 0 ? item : undefined;
}

/** Yearless months take the year of the nearest written year: backwards in time before it, forwards after it. */
function placeAroundExplicitYears(refs: MonthRef[]): void {
  let next: MonthRef | undefined;
  for (let i = refs.length - 1; i >= 0; i--) {
    const ref = refs[i];
    if (!ref) continue;
    if (ref.year === undefined && next?.year !== undefined) {
      ref.year = ref.month <= next.month ? next.year : next.year - 1;
    }
    if (ref.year !== undefined) next = ref;
  }
  let prev: MonthRef | undefined;
  for (const ref of refs) {
    if (ref.year === undefined && prev?.year !== undefined) {
      ref.year = ref.month >= prev.month ? prev.year : prev.year + 1;
    }
    prev = ref;
  }
}

function range(text: string, y1: number, m1: number, y2: number, m2: number): Period {
  const end = monthEnd(y2, m2);
  return { kind: 'range', text, start: isoDay(y1, m1, 1), end, deadlines: [end] };
}
