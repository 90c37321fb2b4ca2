/**
 * What a spreadsheet number format makes of the number it shows: a date (or date-time, or time),
 * a percent, text («@»), a truth value or a plain number. The meaning of a cell comes from its stored value and
 * this kind, never from the text a program shows for it (ECMA-376 Part 1, 18.8.30–31).
 */
export type NumberFormatKind = 'date' | 'percent' | 'text' | 'bool' | 'number';

/**
 * Kinds of the built-in formats that a file names by id alone. 14–22 and 45–47 are Excel's dates
 * and times; 27–36 and 50–58 are the East Asian date formats some locales write; 9–10 percents;
 * 49 «@». Every other id without a format code of its own is a number.
 */
const BUILT_IN: ReadonlyMap<number, NumberFormatKind> = new Map<number, NumberFormatKind>([
  [9, 'percent'],
  [10, 'percent'],
  ...range(14, 22).map((id) => [id, 'date'] as const),
  ...range(27, 36).map((id) => [id, 'date'] as const),
  ...range(45, 47).map((id) => [id, 'date'] as const),
  [49, 'text'],
  ...range(50, 58).map((id) => [id, 'date'] as const),
]);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * LibreOffice keeps a logical cell (and a comparison's result) as a number shown through a format of
 * three quoted words: «"TRUE";"TRUE";"FALSE"», in a Russian file «"ИСТИНА";"ИСТИНА";"ЛОЖЬ"».
 */
const BOOLEAN_FORMAT = /^\s*"([^"]+)"\s*;\s*"\1"\s*;\s*"(?!\1")[^"]+"\s*$/;

/** The kind of a built-in format id (a file may still define its own code for that id). */
export function builtInFormatKind(id: number): NumberFormatKind {
  return BUILT_IN.get(id) ?? 'number';
}

/**
 * The kind of a format code such as «dd.mm.yyyy hh:mm», «0.0%», «[$-419]d mmmm yyyy», «@» or
 * «# ##0,00 ₽». Quoted text, backslash escapes, fill and padding characters and bracketed
 * colours, conditions and locales say nothing of the kind and are dropped first; elapsed-time
 * brackets ([h], [mm], [ss]) are times. The first section decides, as it is the one for
 * positive numbers and the one every date format has.
 */
export function formatCodeKind(code: string): NumberFormatKind {
  if (BOOLEAN_FORMAT.test(code)) return 'bool';
  const bare = code
    .replace(/"[^"]*"?/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[(h+|m+|s+)\]/gi, ' $1 ')
    .replace(/\[[^\]]*\]?/g, '');
  const first = bare.split(';')[0] ?? '';
  if (/^\s*@\s*$/.test(first) || (first.trim() === '' && bare.includes('@'))) return 'text';
  const words = first.replace(/general/gi, '').replace(/e[+-]/gi, '');
  if (/[dmyhs]|am\/pm|a\/p/i.test(words)) return 'date';
  if (words.includes('%')) return 'percent';
  if (words.includes('@')) return 'text';
  return 'number';
}

const DAY_MS = 86_400_000;
/** Day 0 of each date system, as UTC milliseconds. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * How a file counts days: Excel's 1900 system (and every .xlsx without date1904), its 1904 system,
 * or Google Sheets, which counts plainly from 30 December 1899.
 */
export type DateSystem = 'excel-1900' | 'excel-1904' | 'sheets';

/**
 * The wall-clock date-time of a spreadsheet serial number, as a Date whose UTC fields are that
 * date and time. In Excel's 1900 system days 1–59 are 1 January – 28 February 1900 and day 60 is
 * the 29 February 1900 that Lotus 1-2-3 invented (and Excel kept); from day 61 on it counts like
 * Google Sheets. Rounded to the millisecond, so that float noise never moves a date across midnight.
 */
export function dateFromSerial(serial: number, system: DateSystem): Date {
  if (system === 'excel-1904') return new Date(EPOCH_1904 + Math.round(serial * DAY_MS));
  if (system === 'excel-1900' && serial >= 1 && serial < 61) {
    const day = serial >= 60 ? 59 + (serial - 60) : serial;
    return new Date(EPOCH_1900 + DAY_MS + Math.round(day * DAY_MS));
  }
  return new Date(EPOCH_1900 + Math.round(serial * DAY_MS));
}
