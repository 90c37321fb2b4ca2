import { describe, expect, it } from 'vitest';
import { notArrivedText } from '../../functions/core/documents/reports.js';
import type { SchoolIndicators } from '../../functions/core/indicators.js';
import type { SchoolWorkbookStatus } from '../../functions/core/read-workbook.js';

/** Only what the sentence reads of a school. */
const school = (code: string, status: SchoolWorkbookStatus = 'not_arrived') =>
  ({ code, name: `МБОУ «СОШ № ${Number(code.slice(3))}»`, workbook: { status } }) as SchoolIndicators;
const late = (n: number) => Array.from({ length: n }, (_, i) => school(`56-${String(i + 1).padStart(3, '0')}`));

describe('the sentence naming the schools whose part of the run did not complete by the deadline', () => {
  it('is empty without such schools: a school read, missing or unreadable is not one', () => {
    expect(notArrivedText([])).toBe('');
    expect(
      notArrivedText([school('56-001', 'read'), school('56-002', 'missing'), school('56-003', 'unreadable')]),
    ).toBe('');
  });

  it('names one school by name and code, in the singular', () => {
    expect(notArrivedText([school('56-001', 'read'), school('56-003')])).toBe(
      'В этот прогон не вошла 1 школа, обработка таблицы которой не завершилась к сроку этапа: МБОУ «СОШ № 3» (56-003). В показателях она учтена без данных своей таблицы; её данные войдут в следующий прогон.',
    );
  });

  it('agrees with the number: 2 школы, 5 школ, 21 школа, in the order of their codes', () => {
    expect(notArrivedText([school('56-004'), school('56-002')])).toBe(
      'В этот прогон не вошли 2 школы, обработка таблиц которых не завершилась к сроку этапа: МБОУ «СОШ № 2» (56-002), МБОУ «СОШ № 4» (56-004). В показателях они учтены без данных своих таблиц; их данные войдут в следующий прогон.',
    );
    expect(notArrivedText(late(5))).toMatch(/^В этот прогон не вошли 5 школ, обработка таблиц которых не завершилась/);
    expect(notArrivedText(late(11))).toMatch(/^В этот прогон не вошли 11 школ, обработка таблиц которых/);
    expect(notArrivedText(late(21))).toMatch(/^В этот прогон не вошла 21 школа, обработка таблицы которой/);
  });

  it('nests the quotes of a name that has its own', () => {
    const quoted = { ...school('56-007'), name: 'МАОУ «Лицей «Радуга»»' } as SchoolIndicators;
    expect(notArrivedText([quoted])).toContain('МАОУ «Лицей „Радуга“» (56-007)');
  });
});
