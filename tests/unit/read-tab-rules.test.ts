import { describe, expect, it } from 'vitest';
import type { RawCell } from '../../functions/core/raw-workbook.js';
import { readTab } from '../../functions/core/read-tab.js';
import type { TabId } from '../../functions/core/tab-specs.js';
import { headersOf, rawBook, rules } from '../support/workbook-content.js';

const { specs } = rules;
const context = { workbook: 'реестр.xlsx', schoolYear: { firstYear: 2026 }, maxRows: 1000 };
const cells = (values: RawCell['value'][]): RawCell[] => values.map((value) => ({ value }));
/** Reads rows of values in the schema's column order, under the schema's headers. */
const read = (id: TabId, rows: RawCell['value'][][]) =>
  readTab({ name: specs.get(id)!.title, rows: [headersOf(id), ...rows].map(cells) }, specs.get(id)!, context);
const found = (reading: ReturnType<typeof read>) => reading.issues.map((i) => [i.cell, i.code, i.message]);

describe('row rules of the contract', () => {
  it('bounds «Получили «4» и «5»» by the participants who did not get «2»', () => {
    const reading = read('assessment-results', [
      ['56-001', 2026, 'ВПР', 5, 'Математика', 20, 5, 15],
      ['56-001', 2026, 'ВПР', 5, 'Русский язык', 20, 5, 16],
    ]);
    expect(found(reading)).toEqual([
      ['H3', 'exceeds', '«Получили «4» и «5»» (16) не может быть больше, чем «Участников» − «Получили «2»» (15).'],
    ]);
    expect(reading.rows.map((r) => r.usable)).toEqual([true, false]);
  });

  it('needs a school for a visit or a consultation, not for a meeting', () => {
    const reading = read('curator-work', [
      // Дата, Куратор, Код ОО, Код МО, Вид, Тема.
      ['01.10.2026', 'Петрова А.С.', null, null, 'совещание', 'Итоги входного мониторинга'],
      ['02.10.2026', 'Петрова А.С.', null, null, 'Консультация', 'Рисковый профиль'],
    ]);
    expect(found(reading)).toEqual([
      ['C3', 'required', 'Заполните «Код ОО»: это обязательно, когда «Вид» — «посещение» или «консультация».'],
    ]);
  });

  it('needs a risk factor for an anti-risk programme', () => {
    const reading = read('documents', [
      ['Концепция развития', null, 'согласован куратором'],
      ['антирисковая программа', null, 'разработан'],
    ]);
    expect(found(reading)).toEqual([
      ['B3', 'required', 'Заполните «Фактор риска»: это обязательно, когда «Документ» — «Антирисковая программа».'],
    ]);
  });

  it('reads «Регион» as parameter rows, naming a missing one and a badly written school year', () => {
    // «Место составления» left out.
    const { columns } = specs.get('region')!;
    const region = rawBook('реестр.xlsx', {
      region: {
        columns: columns.map((c) => c.key).filter((key) => key !== 'place'),
        rows: [
          {
            subject: 'Оренбургская область',
            educationAuthority: 'Министерство образования Оренбургской области',
            authorityHead: 'Кузнецова Елена Александровна',
            authorityHeadPosition: 'Министр',
            regionalCoordinator: 'ИРО',
            schoolYear: '26-27',
          },
        ],
      },
    });
    const reading = readTab(region.tabs[0], specs.get('region')!, context);
    expect(found(reading)).toEqual([
      [
        undefined,
        'missing_column',
        'На листе нет строки «Место составления». Добавьте её: в столбце «Параметр» — название, в «Значение» — значение.',
      ],
      ['B7', 'invalid_value', 'Учебный год записывается так: 2026/2027.'],
    ]);
  });

  it('keeps numbers in range', () => {
    const reading = read('assessment-results', [['56-001', 2026, 'ВПР', 3, 'Математика', 20, -1, 2]]);
    expect(found(reading)).toEqual([
      ['D2', 'out_of_range', 'Значение 3 вне допустимого: нужно не меньше 4.'],
      ['G2', 'out_of_range', 'Значение -1 вне допустимого: нужно не меньше 0.'],
    ]);
  });
});
