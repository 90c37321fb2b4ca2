import { describe, expect, it } from 'vitest';
import { parseRawJson, rawJson, type RawWorkbook } from '../../functions/core/raw-workbook.js';

describe('raw workbooks kept as JSON', () => {
  it('come back with dates as dates, broken dates as broken dates, and text that looks like a date as text', () => {
    const workbook: RawWorkbook = {
      name: 'школа.xlsx',
      tabs: [
        {
          name: 'Дорожная карта',
          rows: [
            [{ value: 'Срок' }, { value: 'Доля' }],
            [{ value: new Date('2026-10-31T00:00:00Z') }, { value: 0.25, percentFormat: true }],
            [{ value: new Date(Number.NaN) }, { value: '2026-10-31T00:00:00.000Z' }],
            [{ value: null }, { value: true }],
          ],
        },
      ],
    };
    const back = parseRawJson<RawWorkbook>(rawJson(workbook));
    const rows = back.tabs[0]!.rows;
    expect(rows[1]![0]!.value).toEqual(new Date('2026-10-31T00:00:00Z'));
    expect(rows[1]![1]).toEqual({ value: 0.25, percentFormat: true });
    expect(rows[2]![0]!.value).toBeInstanceOf(Date);
    expect(Number.isNaN((rows[2]![0]!.value as Date).getTime())).toBe(true);
    expect(rows[2]![1]!.value).toBe('2026-10-31T00:00:00.000Z');
    expect(rows[3]).toEqual([{ value: null }, { value: true }]);
  });
});
