import { describe, expect, it } from 'vitest';
import { coerceCell, type CellSpec } from '../../functions/core/coerce-cell.js';
import { textKey } from '../../functions/core/text-key.js';

describe('textKey', () => {
  it('ignores case, runs of spaces, edges and ё/е', () => {
    expect(textKey('  Размещён   в ИС\u00a0МЭДК ')).toBe('размещен в ис мэдк');
    expect(textKey('ЁЛКА')).toBe('елка');
  });

  // textKey lower-cases with toLowerCase() for speed; it must agree with the Russian locale's rules.
  it("lower-cases every code point exactly as toLocaleLowerCase('ru-RU') does", () => {
    // Every code point, alone and between letters (final sigma and the like depend on the
    // neighbours), 256 to a string: one call per string keeps the test quick.
    const differ: string[] = [];
    for (let start = 0; start <= 0x10ffff; start += 256) {
      let alone = '';
      let inWords = '';
      for (let code = start; code < start + 256 && code <= 0x10ffff; code++) {
        if (code >= 0xd800 && code <= 0xdfff) continue;
        const c = String.fromCodePoint(code);
        alone += `${c} `;
        inWords += `Σ${c}Σ${c} `;
      }
      for (const text of [alone, inWords]) {
        if (text.toLowerCase() !== text.toLocaleLowerCase('ru-RU')) differ.push(start.toString(16));
      }
    }
    expect(differ).toEqual([]);
  });
});

describe('enum cells', () => {
  it('give the first listed spelling of a key, however the cell is typed', () => {
    // Two listed values with one key: the first wins, also for a cell typed exactly as the second.
    const spec: CellSpec = { type: 'enum', values: ['Выполнено', 'выполнено', 'в работе'] };
    const valueOf = (text: string) => {
      const coerced = coerceCell({ value: text }, spec, undefined);
      return coerced.kind === 'value' ? coerced.value : coerced.kind;
    };
    expect(valueOf('выполнено')).toBe('Выполнено');
    expect(valueOf(' ВЫПОЛНЕНО ')).toBe('Выполнено');
    expect(valueOf('в работе')).toBe('в работе');
    expect(valueOf('в  Работе')).toBe('в работе');
    expect(valueOf('отложено')).toBe('отложено');
  });
});
