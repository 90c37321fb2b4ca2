import { describe, expect, it } from 'vitest';
import { coerceCell, type CellSpec } from '../../functions/core/coerce-cell.js';
import type { RawCell } from '../../functions/core/raw-workbook.js';

const YEAR = { firstYear: 2026 };
const cell = (value: RawCell['value'], percentFormat = false): RawCell => ({ value, percentFormat });
const valueOf = (raw: RawCell, spec: CellSpec) => {
  const result = coerceCell(raw, spec, YEAR);
  return result.kind === 'value' ? result.value : result.kind;
};

describe('cell coercion', () => {
  it.each([
    [cell('12'), 12],
    [cell(12), 12],
    [cell('12,0'), 12],
    [cell(' 1 234 '), 1234],
    [cell('12,5'), 'invalid'],
    [cell('около 20'), 'invalid'],
    [cell(null), 'empty'],
    [cell('   '), 'empty'],
  ])('int %j → %j', (raw, expected) => {
    expect(valueOf(raw, { type: 'int' })).toEqual(expected);
  });

  it.each([
    [cell('45'), 45],
    [cell('45%'), 45],
    [cell('45,5 %'), 45.5],
    [cell(0.34, true), 34],
    [cell(34), 34],
    [cell('треть'), 'invalid'],
  ])('percent %j → %j', (raw, expected) => {
    expect(valueOf(raw, { type: 'percent' })).toEqual(expected);
  });

  it.each([
    [cell('15.05.2027'), '2027-05-15'],
    [cell('5.9.2026'), '2026-09-05'],
    [cell(new Date(Date.UTC(2026, 8, 1))), '2026-09-01'],
    [cell('31.02.2027'), 'invalid'],
    [cell('2027-05-15'), 'invalid'],
    [cell(new Date(8.64e15)), 'invalid'], // year 275760: a broken date cell
    [cell(new Date(NaN)), 'invalid'],
  ])('date %j → %j', (raw, expected) => {
    expect(valueOf(raw, { type: 'date' })).toEqual(expected);
  });

  it.each([
    [cell('Да'), true],
    [cell(' нет '), false],
    [cell(true), true],
    [cell('+'), 'invalid'],
  ])('bool %j → %j', (raw, expected) => {
    expect(valueOf(raw, { type: 'bool' })).toEqual(expected);
  });

  it('gives an enum its canonical spelling whatever the case, spaces and ё', () => {
    const spec: CellSpec = { type: 'enum', values: ['выполнено', 'размещён в ИС МЭДК'] };
    expect(valueOf(cell('Выполнено '), spec)).toBe('выполнено');
    expect(valueOf(cell('РАЗМЕЩЕН В ИС МЭДК'), spec)).toBe('размещён в ИС МЭДК');
    expect(valueOf(cell('выполнен'), spec)).toBe('выполнен');
  });

  it('keeps an unreadable deadline as written, with a warning naming it', () => {
    const result = coerceCell(cell('по мере необходимости'), { type: 'period' }, YEAR);
    expect(result.kind).toBe('value');
    if (result.kind !== 'value') return;
    expect(result.value).toEqual({ kind: 'unparsed', text: 'по мере необходимости' });
    expect(result.warning?.code).toBe('unparsed_period');
    expect(result.warning?.message).toContain('по мере необходимости');
  });

  it('explains a bad number in Russian, quoting what was typed', () => {
    const result = coerceCell(cell('около 20'), { type: 'int' }, YEAR);
    expect(result).toMatchObject({ kind: 'invalid', code: 'not_integer' });
    if (result.kind === 'invalid') expect(result.message).toBe('Нужно целое число, а введено «около 20».');
  });
});
