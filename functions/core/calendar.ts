/**
 * The calendar of the project, in one place: ISO days, the school year, «today» in the region's
 * time zone, and the date texts people type. Everything here is a calendar day ('YYYY-MM-DD'),
 * never an instant: a day is the same wherever the code runs.
 */
import { textKey } from './text-key.js';

/** ISO calendar date 'YYYY-MM-DD'. */
export type IsoDate = string;

/** A school year, «2026/2027»: firstYear = 2026. It starts on 1 September. */
export interface SchoolYear {
  firstYear: number;
}

/**
 * The year a plan's deadlines belong to: a school year (September–August) or a calendar year
 * (January–December), as the registry's «Год плана-графика» states it.
 */
export type PlanYear = { kind: 'school'; firstYear: number } | { kind: 'calendar'; year: number };

/** «2021» → the calendar year 2021; «2020/2021» → that school year; anything else undefined. */
export function parsePlanYear(text: string | undefined): PlanYear | undefined {
  if (text === undefined) return undefined;
  const calendar = /^(\d{4})(?: ?(?:год|г))?$/.exec(normalizeDateText(text));
  if (calendar) return { kind: 'calendar', year: Number(calendar[1]) };
  const school = parseSchoolYear(text);
  return school ? { kind: 'school', firstYear: school.firstYear } : undefined;
}

/** The first and last day of a plan's year. */
export function planYearBounds(year: PlanYear): { start: IsoDate; end: IsoDate } {
  return year.kind === 'calendar'
    ? { start: isoDay(year.year, 1, 1), end: isoDay(year.year, 12, 31) }
    : { start: isoDay(year.firstYear, SCHOOL_YEAR_START_MONTH, 1), end: monthEnd(year.firstYear + 1, 8) };
}

/** The month the school year starts. */
export const SCHOOL_YEAR_START_MONTH = 9;

/** "2020/2021", "2020-2021", "2020 / 2021", "2020–2021 учебный год" → { firstYear: 2020 }; undefined otherwise. */
export function parseSchoolYear(text: string): SchoolYear | undefined {
  const m = /^(\d{4}) ?[/-] ?(\d{4})(?: (?:(?:учебн(?:ый|ого)|уч\.?) ?(?:год|года|г)|гг?))?$/.exec(
    normalizeDateText(text),
  );
  if (!m) return undefined;
  const firstYear = Number(m[1]);
  return Number(m[2]) === firstYear + 1 ? { firstYear } : undefined;
}

/** Date text as the parsers read it: text key (case, ё, spaces), any dash as «-», no trailing dots. */
export function normalizeDateText(text: string): string {
  const s = textKey(text.replace(/[\u2010-\u2015\u2212]/g, '-'));
  // Trailing dots by hand: /\.+$/ is quadratic on long runs of dots.
  let end = s.length;
  while (end > 0 && s[end - 1] === '.') end--;
  return s.slice(0, end).trim();
}

/** { firstYear: 2026 } → "2026/2027", as the registry writes it. */
export function formatSchoolYear(year: SchoolYear): string {
  return `${year.firstYear}/${year.firstYear + 1}`;
}

/** The school year a day falls in: September–December start it, January–August end it. */
export function schoolYearContaining(date: IsoDate): SchoolYear {
  const [year = 0, month = 1] = date.split('-').map(Number);
  return { firstYear: month >= SCHOOL_YEAR_START_MONTH ? year : year - 1 };
}

/** The calendar year a month of a school year falls in. */
export function yearOfMonth(month: number, year: SchoolYear): number {
  return month >= SCHOOL_YEAR_START_MONTH ? year.firstYear : year.firstYear + 1;
}

/** The first day of a school year. */
export function schoolYearStart(year: SchoolYear): IsoDate {
  return isoDay(year.firstYear, SCHOOL_YEAR_START_MONTH, 1);
}

/** The day an instant falls on in a time zone (the region's): «today» for every entry point. */
export function dayIn(instant: Date, timeZone: string): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO day: the one count every day arithmetic goes through. */
function dayNumber(day: IsoDate): number {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The day `days` later (earlier when negative). */
export function daysLater(day: IsoDate, days: number): IsoDate {
  return new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`: 0 on the same day, negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** The same day `months` later; the last day of the month when it is shorter (31 января + 1 → 28 февраля). */
export function monthsLater(date: IsoDate, months: number): IsoDate {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const [y, m] = [Math.floor(index / 12), (index % 12) + 1];
  return isoDay(y, m, Math.min(day, daysInMonth(y, m)));
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The last day of a month. */
export function monthEnd(year: number, month: number): IsoDate {
  return isoDay(year, month, daysInMonth(year, month));
}

/** The ISO day of year, month, day when that day exists. */
export function existingDay(year: number, month: number, day: number): IsoDate | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return isoDay(year, month, day);
}

/** 'YYYY-MM-DD' of year, month, day (not checked). */
export function isoDay(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The day of "yyyy-mm-dd" text (how dates are asked for on the command line and in requests) when that day exists. */
export function isoFromIsoText(text: string): IsoDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  return m ? existingDay(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** The day of "dd.mm.yyyy" text (optionally «г.») when that day exists. */
export function isoFromRussianDate(text: string): IsoDate | undefined {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(\s*г\.?)?$/.exec(text.trim());
  return m ? existingDay(Number(m[3]), Number(m[2]), Number(m[1])) : undefined;
}

/** The day of a spreadsheet date cell (its UTC fields are the wall-clock date and time it holds). */
export function isoFromDateCell(date: Date): IsoDate | undefined {
  if (Number.isNaN(date.getTime())) return undefined;
  // A date-time is on its own day, as the spreadsheet shows it: 15.10.2026 23:30 is the 15th.
  const iso = date.toISOString().slice(0, 10);
  // Years outside 1000–9999 are no real date: a broken cell.
  return /^[1-9]\d{3}-\d{2}-\d{2}$/.test(iso) ? iso : undefined;
}
