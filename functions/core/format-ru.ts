/** Russian formatting of what users read: numbers, percents, dates, plurals. */

const MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

/** "1 школа", "2 школы", "5 школ": picks the form for n from [one, few, many]. */
export function plural(n: number, forms: readonly [string, string, string]): string {
  const abs = Math.abs(Math.trunc(n));
  const mod10 = abs % 10;
  const mod100 = abs % 100;
  if (!Number.isInteger(n)) return forms[1];
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

/** "5 школ": the number and its noun in agreement. */
export function countOf(n: number, forms: readonly [string, string, string]): string {
  return `${formatNumber(n)} ${plural(n, forms)}`;
}

/** 1234.5 → "1 234,5"; at most `digits` decimals, trailing zeros dropped. */
export function formatNumber(n: number, digits = 1): string {
  const fixed = Math.abs(n).toFixed(digits);
  const [whole = '0', fraction = ''] = fixed.split('.');
  const grouped = whole.length > 4 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0') : whole;
  const trimmed = fraction.replace(/0+$/, '');
  const sign = n < 0 && Number(fixed) !== 0 ? '−' : '';
  return sign + grouped + (trimmed ? `,${trimmed}` : '');
}

/** A share 0–1 as "12,5 %" (narrow no-break space before the sign). */
export function formatShare(share: number, digits = 1): string {
  return `${formatNumber(share * 100, digits)}\u00a0%`;
}

/** ISO date "2021-06-05" → "5 июня 2021 г.". */
export function formatDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${day} ${MONTHS_GENITIVE[(month ?? 1) - 1]} ${year}\u00a0г.`;
}

/** ISO date "2021-06-05" → "05.06.2021". */
export function formatDateShort(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}.${month}.${year}`;
}

/** "Иванова Мария Петровна" → "М.П. Иванова" (signature blocks of orders). */
export function initialsAndSurname(fullName: string): string {
  const parts = fullName.trim().split(/\s+/);
  if (parts.length < 2) return fullName.trim();
  const [surname, ...names] = parts;
  return `${names.map((n) => `${n.charAt(0)}.`).join('')}\u00a0${surname}`;
}

/** An indicator's value as a person reads it: "12,5 %", "7", "да", or "нет данных". */
export function formatIndicatorValue(
  value: number | boolean | null | undefined,
  unit: 'share' | 'count' | 'bool',
): string {
  if (value === null || value === undefined) return 'нет данных';
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  return unit === 'share' ? formatShare(value) : formatNumber(value);
}

/** «входного», «промежуточного», «итогового»: the stage as in «по результатам … мониторинга». */
export function stageGenitive(stage: 'входной' | 'промежуточный' | 'итоговый'): string {
  return { входной: 'входного', промежуточный: 'промежуточного', итоговый: 'итогового' }[stage];
}
