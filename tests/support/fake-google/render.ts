/** Rendering values as the spreadsheet's locale shows them, and date serials. */
import type { FakeCell } from './types.js';

const DAY_MS = 86_400_000;
/** Serial day number of 1970-01-01 in the 1899-12-30 epoch used by Sheets and Excel. */
const UNIX_EPOCH_SERIAL = 25_569;

export type Locale = 'ru_RU' | 'en_US';
/** ru_RU groups thousands with a no-break space (U+00A0), as ICU's ru locale does. */
export const SEPARATORS: Record<Locale, { decimal: string; group: string }> = {
  ru_RU: { decimal: ',', group: '\u00a0' },
  en_US: { decimal: '.', group: ',' },
};
/** The patterns Sheets gives a date/time typed into a cell of each locale. */
const DEFAULT_PATTERNS: Record<Locale, Record<string, string>> = {
  ru_RU: { DATE: 'dd.mm.yyyy', DATE_TIME: 'dd.mm.yyyy H:mm:ss', TIME: 'H:mm:ss' },
  en_US: { DATE: 'M/d/yyyy', DATE_TIME: 'M/d/yyyy H:mm:ss', TIME: 'h:mm:ss am/pm' },
};

/** A number in the automatic format: locale decimal separator, no grouping, up to 15 significant digits. */
function autoNumber(n: number, locale: Locale = 'ru_RU'): string {
  if (!Number.isFinite(n)) return String(n);
  const rounded = Number(n.toPrecision(15));
  const text = Object.is(rounded, -0) ? '0' : String(rounded);
  return text.toUpperCase().replace('.', SEPARATORS[locale].decimal);
}

export function serialToDate(serial: number): Date {
  return new Date(Math.round((serial - UNIX_EPOCH_SERIAL) * DAY_MS));
}

export function ruDate(serial: number): string {
  return formatDate(Math.floor(serial), 'dd.mm.yyyy');
}

export function dateToSerial(date: Date): number {
  return date.getTime() / DAY_MS + UNIX_EPOCH_SERIAL;
}

/** Renders a date/time serial with a Sheets date pattern (d, dd, m/mm months or minutes, yyyy, h/H, ss, am/pm). */
function formatDate(serial: number, pattern: string): string {
  const d = serialToDate(serial);
  const parts = {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
  const tokens =
    pattern.match(/"[^"]*"|\\.|yyyy|yy|mmmm|mmm|mm|m|MM|M|dd|d|DD|D|hh|h|HH|H|ss|s|am\/pm|AM\/PM|./g) ?? [];
  const twelve = tokens.some((t) => /^(am\/pm)$/i.test(t));
  const isTime = (t: string | undefined) => t !== undefined && /^(h+|H+|s+)$/.test(t);
  const two = (n: number) => String(n).padStart(2, '0');
  let out = '';
  tokens.forEach((t, i) => {
    const prev = tokens
      .slice(0, i)
      .reverse()
      .find((x) => /^[A-Za-z]/.test(x));
    const next = tokens.slice(i + 1).find((x) => /^[A-Za-z]/.test(x));
    if (t.startsWith('"')) out += t.slice(1, -1);
    else if (t.startsWith('\\')) out += t.slice(1);
    else if (t === 'yyyy') out += String(parts.y);
    else if (t === 'yy') out += two(parts.y % 100);
    else if (/^[mM]{1,2}$/.test(t)) {
      const minute = t.startsWith('m') && (isTime(prev) || isTime(next));
      const n = minute ? parts.mi : parts.mo;
      out += t.length === 2 ? two(n) : String(n);
    } else if (/^[mM]{3,4}$/.test(t)) out += two(parts.mo);
    else if (/^[dD]{1,2}$/.test(t)) out += t.length === 2 ? two(parts.day) : String(parts.day);
    else if (/^[hH]{1,2}$/.test(t)) {
      const h = twelve ? parts.h % 12 || 12 : parts.h;
      out += t.length === 2 ? two(h) : String(h);
    } else if (/^s{1,2}$/.test(t)) out += t.length === 2 ? two(parts.s) : String(parts.s);
    else if (/^am\/pm$/i.test(t)) out += parts.h < 12 ? 'AM' : 'PM';
    else out += t;
  });
  return out;
}

/**
 * Renders a number with a Sheets number pattern: `0`, `#`, grouping `,`, decimals `.`, `%`, literals in quotes,
 * a second section for negatives. As Sheets does, `0.##` keeps the decimal point for a whole number («1.»).
 */
function formatNumber(n: number, pattern: string, locale: Locale): string {
  const sections = pattern.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const negativeSection = n < 0 && sections[1] !== undefined;
  const section = (negativeSection ? sections[1] : sections[0]) ?? '';
  let plain = '';
  const literals: string[] = [];
  for (const t of section.match(/"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|./g) ?? []) {
    if (t.startsWith('"')) {
      literals.push(t.slice(1, -1));
      plain += '\u0000';
    } else if (t.startsWith('\\')) {
      literals.push(t.slice(1));
      plain += '\u0000';
    } else if (t.startsWith('_')) {
      literals.push(' ');
      plain += '\u0000';
    } else if (t.startsWith('*') || t.startsWith('[')) continue;
    else plain += t;
  }
  const core = /[#0?][#0?,]*(\.[#0?]*)?|\.[#0?]+/.exec(plain);
  const unliteral = (text: string) => text.replace(/\u0000/g, () => literals.shift() ?? '');
  if (!core) return unliteral(plain);
  const prefix = plain.slice(0, core.index);
  const suffix = plain.slice(core.index + core[0].length);
  const [intSpec = '', decSpec] = core[0].split('.');
  const percent = (prefix + suffix).includes('%');
  const value = Math.abs(n) * (percent ? 100 : 1);
  const maxDec = decSpec === undefined ? 0 : decSpec.replace(/[^#0?]/g, '').length;
  const minDec = decSpec === undefined ? 0 : (decSpec.match(/0/g) ?? []).length;
  const fixed = value.toFixed(maxDec);
  let [intText = '0', decText = ''] = fixed.split('.');
  while (decText.length > minDec && decText.endsWith('0')) decText = decText.slice(0, -1);
  const minInt = (intSpec.match(/0/g) ?? []).length;
  if (intText === '0' && minInt === 0) intText = '';
  intText = intText.padStart(minInt, '0');
  const { decimal, group } = SEPARATORS[locale];
  if (intSpec.includes(',')) intText = intText.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const sign = n < 0 && !negativeSection && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${unliteral(prefix)}${intText}${decSpec === undefined ? '' : decimal + decText}${unliteral(suffix)}`;
}

/** The number format a cell carries: its own, or the one its shorthand stands for. */
export function numberFormatOfCell(cell: FakeCell, locale: Locale): { type: string; pattern?: string } | undefined {
  if (cell.numberFormat) {
    const pattern = cell.numberFormat.pattern || DEFAULT_PATTERNS[locale][cell.numberFormat.type];
    return { type: cell.numberFormat.type, ...(pattern ? { pattern } : {}) };
  }
  switch (cell.format) {
    case 'date':
      return { type: 'DATE', pattern: DEFAULT_PATTERNS[locale].DATE };
    case 'datetime':
      return { type: 'DATE_TIME', pattern: DEFAULT_PATTERNS[locale].DATE_TIME };
    case 'time':
      return { type: 'TIME', pattern: DEFAULT_PATTERNS[locale].TIME };
    case 'percent':
      return { type: 'PERCENT', pattern: '0.##%' };
    case 'number':
      return { type: 'NUMBER', pattern: '0.##########' };
    case 'text':
      return { type: 'TEXT' };
    default:
      return undefined;
  }
}

const DATE_TYPES = new Set(['DATE', 'DATE_TIME', 'TIME']);

/**
 * The cell as the sheet shows it. Booleans stay TRUE/FALSE in every locale (the fake's long-standing choice:
 * Sheets' ru_RU display of booleans, «ИСТИНА»/«ЛОЖЬ» or TRUE/FALSE, could not be confirmed).
 */
export function formattedValue(cell: FakeCell, locale: Locale = 'ru_RU'): string {
  const { value } = cell;
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (!cell.numberFormat) {
    // Shorthand formats keep the fake's historical rendering (no trailing decimal point).
    if (cell.format === 'percent') return `${autoNumber(Math.round(value * 100 * 100) / 100, locale)}%`;
    if (cell.format === 'number' || cell.format === 'text' || !cell.format) return autoNumber(value, locale);
  }
  const nf = numberFormatOfCell(cell, locale);
  if (!nf || nf.type === 'TEXT') return autoNumber(value, locale);
  if (DATE_TYPES.has(nf.type)) return formatDate(value, nf.pattern ?? DEFAULT_PATTERNS[locale].DATE ?? 'dd.mm.yyyy');
  if (nf.pattern) return formatNumber(value, nf.pattern, locale);
  if (nf.type === 'PERCENT') return formatNumber(value, '0.00%', locale);
  return autoNumber(value, locale);
}

export type ValueRender = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
export type DateRender = 'SERIAL_NUMBER' | 'FORMATTED_STRING';

export function renderValue(
  cell: FakeCell | undefined,
  mode: ValueRender,
  dates: DateRender,
  locale: Locale = 'ru_RU',
): string | number | boolean {
  if (!cell || cell.value === null) return '';
  if (mode === 'FORMATTED_VALUE' || typeof cell.value === 'string') return formattedValue(cell, locale);
  if (typeof cell.value === 'boolean') return cell.value;
  const nf = numberFormatOfCell(cell, locale);
  if (nf?.type === 'TEXT') return formattedValue(cell, locale);
  if (nf && DATE_TYPES.has(nf.type) && dates === 'FORMATTED_STRING') return formattedValue(cell, locale);
  return cell.value;
}

export const isEmptyRendered = (v: string | number | boolean) => v === '';
