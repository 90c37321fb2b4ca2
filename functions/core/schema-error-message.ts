import type { CellValue } from './coerce-cell.js';
import type { RawCell } from './raw-workbook.js';
import type { SchemaError, TabSpec } from './tab-specs.js';
import { textKey } from './text-key.js';
import type { ValidationIssue } from './validation-issue.js';

/** The row a schema error belongs to. */
export interface RowContext {
  workbook: string;
  tab: string;
  row: number;
  cells: Record<string, string>;
  raw: Record<string, RawCell | undefined>;
  values: Record<string, CellValue>;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => `«${String(v)}»`).join(', ');
}

/** Turns one schema error into a located Russian issue; undefined for errors that only echo another. */
export function schemaErrorIssue(error: SchemaError, spec: TabSpec, context: RowContext): ValidationIssue | undefined {
  if (error.keyword === 'if') return undefined;
  const key =
    error.keyword === 'required'
      ? String((error.params as { missingProperty: string }).missingProperty)
      : (error.instancePath.split('/')[1] ?? '');
  const column = spec.columns.find((c) => c.key === key);
  if (!column) return undefined;
  const cell = context.cells[key];
  // A column missing from the sheet is reported once for the whole tab.
  if (cell === undefined) return undefined;
  const raw = context.raw[key]?.value ?? null;
  const typed = raw instanceof Date ? (Number.isNaN(raw.getTime()) ? '' : raw.toISOString().slice(0, 10)) : raw;
  const value = context.values[key];
  const at = {
    workbook: context.workbook,
    tab: context.tab,
    cell,
    row: context.row,
    column: column.header,
    value: typed,
    severity: 'error' as const,
  };
  const property = spec.schema.properties[key];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        ...at,
        code: 'required',
        message: error.schemaPath.startsWith('#/then')
          ? `Заполните «${column.header}»: ${conditionText(spec)}.`
          : `Не заполнено обязательное поле «${column.header}».`,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = closest(String(value), allowed);
      return {
        ...at,
        code: 'not_in_list',
        message:
          `Значения «${String(value)}» нет в списке` +
          (hint ? `; возможно, имелось в виду «${hint}»` : '') +
          `. Допустимо: ${quoteList(allowed)}.`,
      };
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const limit = String(params.limit);
      const phrase = {
        minimum: `не меньше ${limit}`,
        exclusiveMinimum: `больше ${limit}`,
        maximum: `не больше ${limit}`,
        exclusiveMaximum: `меньше ${limit}`,
      }[error.keyword];
      return { ...at, code: 'out_of_range', message: `Значение ${String(value)} вне допустимого: нужно ${phrase}.` };
    }
    case 'maxLength':
      return {
        ...at,
        code: 'too_long',
        message: `Текст длиннее ${String(params.limit)} символов (${String(value).length}); сократите его.`,
      };
    case 'format':
    case 'pattern':
      if (column.cell.type === 'email') {
        return {
          ...at,
          code: 'not_email',
          message: `Нужен адрес электронной почты вида name@example.ru (несколько — через запятую), а введено «${String(value)}».`,
        };
      }
      if (column.cell.type === 'url') {
        return {
          ...at,
          code: 'not_url',
          message: `Нужна ссылка, начинающаяся с https:// или http://, а введено «${String(value)}».`,
        };
      }
      return {
        ...at,
        code: 'invalid_value',
        message: String(property?.['x-pattern-message'] ?? `Значение «${String(value)}» записано не по форме.`),
      };
    default:
      return { ...at, code: 'invalid_value', message: `Значение «${String(value)}» не подходит для этого столбца.` };
  }
}

/** "когда «Статус» — «выполнено»", read from the schema's if-clause. */
function conditionText(spec: TabSpec): string {
  const conditions = Object.entries(spec.schema.if?.properties ?? {}).map(([key, rule]) => {
    const header = spec.columns.find((c) => c.key === key)?.header ?? key;
    const values = rule.const !== undefined ? [rule.const] : (rule.enum ?? []);
    const shown = values.map((v) => (v === true ? 'да' : v === false ? 'нет' : String(v)));
    return `«${header}» — ${shown.map((v) => `«${v}»`).join(' или ')}`;
  });
  return `это обязательно, когда ${conditions.join(' и ')}`;
}

function closest(typed: string, values: readonly string[]): string | undefined {
  const key = textKey(typed);
  let best: { value: string; distance: number } | undefined;
  for (const value of values) {
    const distance = editDistance(key, textKey(value));
    if (!best || distance < best.distance) best = { value, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.value : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
