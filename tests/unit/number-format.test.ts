import { describe, expect, it } from 'vitest';
import { builtInFormatKind, formatCodeKind } from '../../functions/core/number-format.js';

describe('number formats say what a cell holds', () => {
  it.each([
    // Excel, LibreOffice (escaped separators), Gnumeric (quoted separators), Sheets, locales.
    ['dd.mm.yyyy', 'date'],
    ['DD.MM.YYYY', 'date'],
    ['dd\\.mm\\.yyyy\\ hh:mm', 'date'],
    ['dd"."mm"."yyyy', 'date'],
    ['[$-419]d mmmm yyyy "г."', 'date'],
    ['[$-F800]dddd, mmmm dd, yyyy', 'date'],
    ['[h]:mm:ss', 'date'],
    ['h:mm AM/PM', 'date'],
    ['0.0%', 'percent'],
    ['0%', 'percent'],
    ['#,##0.00 %;[Red]-#,##0.00 %', 'percent'],
    ['@', 'text'],
    ['"TRUE";"TRUE";"FALSE"', 'bool'],
    ['"ИСТИНА";"ИСТИНА";"ЛОЖЬ"', 'bool'],
    ['General', 'number'],
    ['0.00E+00', 'number'],
    ['# ##0,00\\ "₽"', 'number'],
    ['[$₽-419]# ##0.00', 'number'],
    ['0" дней"', 'number'],
    ['"Срок: "0', 'number'],
    ['[Red][<0]-0;0', 'number'],
  ] as const)('«%s» is a %s', (code, kind) => {
    expect(formatCodeKind(code)).toBe(kind);
  });

  it('knows the built-in formats a file names by id alone', () => {
    expect([0, 1, 2, 3, 4, 9, 10, 14, 22, 45, 49, 11].map(builtInFormatKind)).toEqual([
      'number',
      'number',
      'number',
      'number',
      'number',
      'percent',
      'percent',
      'date',
      'date',
      'date',
      'text',
      'number',
    ]);
  });
});
