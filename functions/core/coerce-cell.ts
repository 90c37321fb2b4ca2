import type { RawCell } from './raw-workbook.js';
import type { IssueCode } from './validation-issue.js';
import { isoFromDateCell, isoFromRussianDate, type PlanYear, type SchoolYear } from './calendar.js';
import { parsePeriod, periodFromDate, type Period } from './period.js';
import { formatNumber } from './format-ru.js';
import { textKey } from './text-key.js';

/** Cell types of the data contract. */
export type CellType =
  'text' | 'int' | 'number' | 'percent' | 'date' | 'period' | 'enum' | 'bool' | 'ref' | 'url' | 'email';

/** A typed cell value after coercion. */
export type CellValue = string | number | boolean | Period;

/** What a column needs to coerce its cells (constraints are the schema's job). */
export interface CellSpec {
  type: CellType;
  /** Canonical values of an enum column. */
  values?: readonly string[];
}

/** Outcome of coercing one cell: empty, a value (maybe with a warning), or a located problem. */
export type Coerced =
  | { kind: 'empty' }
  | { kind: 'value'; value: CellValue; warning?: { code: IssueCode; message: string } }
  | { kind: 'invalid'; code: IssueCode; message: string };

/** One answer for every empty cell: nothing is allocated for the many empty optional cells. */
const EMPTY: Coerced = Object.freeze({ kind: 'empty' });

const BROKEN_DATE = 'Ячейка с датой повреждена или дата вне 1000–9999 годов.';

/** Error values a spreadsheet shows instead of a formula's result. */
const FORMULA_ERROR = /^#(DIV\/0!|REF!|N\/A|NAME\?|NULL!|NUM!|VALUE!|SPILL!|CALC!|GETTING_DATA|ERROR!)$/;

/** Coerces one raw cell to the column's type; never throws. */
export function coerceCell(
  cell: RawCell | undefined,
  spec: CellSpec,
  schoolYear: SchoolYear | PlanYear | undefined,
): Coerced {
  const raw = cell?.value ?? null;
  if (raw === null) return EMPTY;
  if (typeof raw === 'string') {
    const trimmed = raw.trim();
    if (trimmed === '') return EMPTY;
    if (trimmed.startsWith('#') && FORMULA_ERROR.test(trimmed)) {
      return invalid(
        'formula_error',
        `В ячейке ошибка формулы ${trimmed}: исправьте формулу или введите значение вручную.`,
      );
    }
  }
  // A percent-formatted number is the fraction behind what the cell shows: 0,925 is «92,5 %».
  const percent = cell?.percentFormat === true && typeof raw === 'number';
  switch (spec.type) {
    case 'text':
      return percent ? { kind: 'value', value: `${formatNumber(percentOf(raw), 6)}\u00a0%` } : coerceText(raw);
    case 'ref':
      return coerceText(raw);
    case 'url':
      // A hyperlink is read as its address, whatever text the cell shows for it.
      return coerceText(cell?.link ?? raw);
    case 'email':
      return coerceEmails(cell?.link ?? raw);
    case 'int':
      return coerceInt(percent ? percentOf(raw) : raw);
    case 'number':
      return coerceNumber(percent ? percentOf(raw) : raw);
    case 'percent':
      return coercePercent(raw, cell?.percentFormat === true);
    case 'date':
      return coerceDate(raw);
    case 'period':
      return coercePeriod(raw, schoolYear);
    case 'enum':
      return coerceEnum(raw, spec.values ?? []);
    case 'bool':
      return coerceBool(raw);
  }
}

function shown(raw: string | number | boolean | Date): string {
  return raw instanceof Date ? (isoFromDateCell(raw) ?? String(raw)) : String(raw).trim();
}

function invalid(code: IssueCode, message: string): Coerced {
  return { kind: 'invalid', code, message };
}

function coerceText(raw: string | number | boolean | Date): Coerced {
  if (typeof raw === 'boolean') return { kind: 'value', value: raw ? 'да' : 'нет' };
  if (raw instanceof Date) {
    const iso = isoFromDateCell(raw);
    return iso ? { kind: 'value', value: russianDate(iso) } : invalid('not_date', BROKEN_DATE);
  }
  const text = String(raw).trim();
  return HAS_INVISIBLE.test(text) ? withoutInvisible(text) : { kind: 'value', value: text };
}

/**
 * Characters a cell has no use for and a document must not get: C0 and C1 controls (but tab and
 * line breaks), which terminals obey, and bidi marks, embeddings, overrides and isolates, which
 * reorder the text around them, so that a PDF would show other words than the sheet was checked for.
 */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const HAS_INVISIBLE = new RegExp(INVISIBLE.source);

/** Text as a document may show it, without those characters: a finding quotes the value as it was typed. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** The text without its invisible characters, with a warning naming them (an error when nothing else is left). */
function withoutInvisible(text: string): Coerced {
  const found = [...new Set(text.match(INVISIBLE))]
    .slice(0, 5)
    .map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
    .join(', ');
  const clean = text.replace(INVISIBLE, '').trim();
  if (clean === '') {
    return invalid(
      'invalid_value',
      `В ячейке только невидимые управляющие символы (${found}): введите текст или очистите ячейку.`,
    );
  }
  return {
    kind: 'value',
    value: clean,
    warning: {
      code: 'invalid_value',
      message: `В тексте были невидимые управляющие символы (${found}); они удалены, потому что меняют вид или порядок текста в документах. Проверьте, что текст читается как задумано.`,
    },
  };
}

/** Reads "12", "12,5", " 1 234 " and numbers; undefined when the text is not a number. */
export function parseDecimal(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  const text = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return undefined;
  return Number(text);
}

/**
 * One e-mail address as the contract takes it: a local part and a domain with a dot, no spaces,
 * no angle brackets or quotes (a display name is not an address). Deliberately plain: what a
 * person types into a cell, not every form RFC 5322 allows.
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The addresses of an e-mail cell's value (as coerced: «a@b.ru, c@d.ru»); none for an empty one. */
export function emailAddresses(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,;]/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** Whether a text is one e-mail address the contract accepts. */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && EMAIL.test(text) && !text.split('@')[0]!.startsWith('.');
}

/**
 * An e-mail cell: one address or several separated by commas or semicolons, each checked; the
 * value is the addresses joined by «, ». A hyperlink «mailto:» is read as its address.
 */
function coerceEmails(raw: string | number | boolean | Date): Coerced {
  const text = coerceText(raw);
  if (text.kind !== 'value') return text;
  const addresses = emailAddresses(String(text.value).replace(/^mailto:/i, ''));
  const bad = addresses.filter((a) => !isEmailAddress(a));
  if (addresses.length === 0 || bad.length > 0) {
    const shownBad = bad.length > 0 ? bad : [String(text.value)];
    return invalid(
      'not_email',
      `${shownBad.length > 1 ? 'Не адреса' : 'Не адрес'} электронной почты: ${shownBad.map((a) => `«${a}»`).join(', ')}. ` +
        'Нужен адрес вида name@example.ru; несколько адресов разделяются запятой или точкой с запятой.',
    );
  }
  return { kind: 'value', value: addresses.join(', '), ...(text.warning ? { warning: text.warning } : {}) };
}

function coerceInt(raw: string | number | boolean | Date): Coerced {
  const n = typeof raw === 'string' || typeof raw === 'number' ? parseDecimal(raw) : undefined;
  if (n === undefined || !Number.isInteger(n)) {
    return invalid('not_integer', `Нужно целое число, а введено «${shown(raw)}».`);
  }
  return { kind: 'value', value: n };
}

function coerceNumber(raw: string | number | boolean | Date): Coerced {
  const n = typeof raw === 'string' || typeof raw === 'number' ? parseDecimal(raw) : undefined;
  if (n === undefined)
    return invalid('not_number', `Нужно число (дробная часть — через запятую), а введено «${shown(raw)}».`);
  return { kind: 'value', value: n };
}

/** The percent a percent-formatted cell shows for its stored fraction; toFixed drops the float noise of ×100. */
function percentOf(fraction: number): number {
  return Number((fraction * 100).toFixed(6));
}

function coercePercent(raw: string | number | boolean | Date, percentFormat: boolean): Coerced {
  if (typeof raw === 'number') {
    const value = percentFormat ? percentOf(raw) : raw;
    if (Number.isFinite(value)) return { kind: 'value', value };
  }
  const n = typeof raw === 'string' ? parseDecimal(raw.replace(/%\s*$/, '')) : undefined;
  if (n === undefined)
    return invalid('not_percent', `Нужен процент (например, «45» или «45,5 %»), а введено «${shown(raw)}».`);
  return { kind: 'value', value: n };
}

function russianDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

function coerceDate(raw: string | number | boolean | Date): Coerced {
  const iso =
    raw instanceof Date ? isoFromDateCell(raw) : typeof raw === 'string' ? isoFromRussianDate(raw) : undefined;
  if (iso === undefined && raw instanceof Date) return invalid('not_date', BROKEN_DATE);
  if (iso === undefined) {
    const looksLikeDate = typeof raw === 'string' && /^\d{1,2}\.\d{1,2}\.\d{4}$/.test(raw.trim());
    return invalid(
      'not_date',
      looksLikeDate
        ? `Такой даты нет в календаре: «${shown(raw)}».`
        : `Нужна дата в виде ДД.ММ.ГГГГ, а введено «${shown(raw)}».`,
    );
  }
  return { kind: 'value', value: iso };
}

function coercePeriod(raw: string | number | boolean | Date, schoolYear: SchoolYear | PlanYear | undefined): Coerced {
  if (raw instanceof Date) {
    const iso = isoFromDateCell(raw);
    return iso ? { kind: 'value', value: periodFromDate(iso) } : invalid('not_date', BROKEN_DATE);
  }
  const text = String(raw).trim();
  const period = schoolYear ? parsePeriod(text, schoolYear) : ({ kind: 'unparsed', text } as const);
  if (period.kind === 'unparsed') {
    return {
      kind: 'value',
      value: period,
      warning: {
        code: 'unparsed_period',
        message: /^\d{1,2}\.\d{1,2}\.\d{4}$/.test(text)
          ? `Срок «${text}»: такой даты нет в календаре. Строка учтена, но без срока, поэтому просрочка по ней не проверяется.`
          : schoolYear
            ? `Срок «${text}» не распознан: строка учтена, но без срока, поэтому просрочка по ней не проверяется. Напишите месяц («март»), месяцы («апрель–май») или дату ДД.ММ.ГГГГ.`
            : `Срок «${text}» не разобран: в реестре не указан учебный год.`,
      },
    };
  }
  return { kind: 'value', value: period };
}

/** The canonical spelling when the text matches a listed value; otherwise the text as typed (the schema rejects it). */
function coerceEnum(raw: string | number | boolean | Date, values: readonly string[]): Coerced {
  const text = shown(raw);
  const list = canonicalValues(values);
  return { kind: 'value', value: list.exact.get(text) ?? list.byKey.get(textKey(text)) ?? text };
}

/**
 * A list's canonical spelling by textKey (the first value wins a shared key), and the same answer
 * for text typed exactly as a listed value (most cells: no textKey needed). Built once per list.
 */
interface CanonicalValues {
  byKey: Map<string, string>;
  exact: Map<string, string>;
}
const canonicalByList = new WeakMap<readonly string[], CanonicalValues>();
function canonicalValues(values: readonly string[]): CanonicalValues {
  let canonical = canonicalByList.get(values);
  if (!canonical) {
    const byKey = new Map<string, string>();
    for (const value of values) {
      const key = textKey(value);
      if (!byKey.has(key)) byKey.set(key, value);
    }
    const exact = new Map(values.map((value) => [value, byKey.get(textKey(value)) ?? value]));
    canonical = { byKey, exact };
    canonicalByList.set(values, canonical);
  }
  return canonical;
}

function coerceBool(raw: string | number | boolean | Date): Coerced {
  if (typeof raw === 'boolean') return { kind: 'value', value: raw };
  const text = shown(raw);
  const key = text === 'да' || text === 'нет' ? text : textKey(text);
  if (key === 'да') return { kind: 'value', value: true };
  if (key === 'нет') return { kind: 'value', value: false };
  return invalid('not_bool', `Нужно «да» или «нет», а введено «${shown(raw)}».`);
}
