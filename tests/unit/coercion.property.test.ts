import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coerceCell, type CellType } from '../../functions/core/coerce-cell.js';
import type { RawCell } from '../../functions/core/raw-workbook.js';
import { readTab } from '../../functions/core/read-tab.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';

const CELL_TYPES: CellType[] = ['text', 'int', 'number', 'percent', 'date', 'period', 'enum', 'bool', 'ref', 'url'];
const CYRILLIC = /[А-Яа-яЁё]/;

/** Anything a spreadsheet cell might hold, including what it should not. */
const rawValue: fc.Arbitrary<RawCell['value']> = fc.oneof(
  fc.constant(null),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789.,- %#!/абвгдеёжзиклмнопрстуфхцчшщыэюя'), maxLength: 30 }),
  fc.constantFrom('#DIV/0!', '#REF!', 'да', 'НЕТ', '31.02.2027', '15.05.2027', '45,5 %', 'апрель-май', '__proto__', ''),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.date({ noInvalidDate: false }),
);
const rawCell: fc.Arbitrary<RawCell> = fc.record({ value: rawValue, percentFormat: fc.boolean() });

describe('cell coercion never throws', () => {
  it('gives a value, "empty", or a Russian reason for every cell of every type', () => {
    fc.assert(
      fc.property(rawCell, fc.constantFrom(...CELL_TYPES), (cell, type) => {
        const result = coerceCell(cell, { type, values: ['выполнено', 'в работе'] }, { firstYear: 2026 });
        if (result.kind === 'invalid') expect(result.message).toMatch(CYRILLIC);
        if (result.kind === 'value' && result.warning) expect(result.warning.message).toMatch(CYRILLIC);
        if (result.kind === 'value' && typeof result.value === 'number')
          expect(Number.isFinite(result.value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('reading a tab never throws and locates every finding', () => {
  const { specs } = monitoringRules();
  const roadmap = specs.get('roadmap')!;
  const headers = fc.array(
    fc.oneof(fc.constantFrom(...roadmap.columns.map((c) => c.header)), fc.string({ maxLength: 12 })),
    {
      minLength: 0,
      maxLength: 12,
    },
  );

  it('for any headers and cells', () => {
    fc.assert(
      fc.property(headers, fc.array(fc.array(rawCell, { maxLength: 12 }), { maxLength: 15 }), (header, rows) => {
        const tab = { name: 'Дорожная карта', rows: [header.map((value) => ({ value })), ...rows] };
        const reading = readTab(tab, roadmap, { workbook: 'w.xlsx', schoolYear: { firstYear: 2026 }, maxRows: 100 });
        for (const issue of reading.issues) {
          expect(issue.message).toMatch(CYRILLIC);
          expect(issue.tab).toBe('Дорожная карта');
          if (issue.row !== undefined) expect(issue.cell).toMatch(new RegExp(`^[A-Z]+${issue.row}$`));
        }
        // A row left out of the indicators always has an error that says why.
        for (const row of reading.rows.filter((r) => !r.usable)) {
          expect(reading.issues.some((i) => i.severity === 'error' && (i.row === row.row || i.row === 1))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
