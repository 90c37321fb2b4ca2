import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type WorkbookReading,
} from '../../functions/core/read-workbook.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { root } from '../support/run-cli.js';

const DEMO = path.join(root, 'examples', 'demo-region');
const SCHOOLS = ['56-001', '56-002', '56-005', '56-006', '56-008', '56-011'];
const readings = new Map<string, WorkbookReading>();

beforeAll(async () => {
  const rules = monitoringRules();
  const registry = readRegistryWorkbook(
    await readXlsxWorkbook(path.join(DEMO, 'registry.xlsx'), 20),
    rules.specs,
    rules.settings,
  );
  readings.set('registry.xlsx', registry);
  for (const code of SCHOOLS) {
    const raw = await readXlsxWorkbook(path.join(DEMO, 'schools', `${code}.xlsx`), 20);
    readings.set(`${code}.xlsx`, readSchoolWorkbook(raw, rules.specs, rules.settings, registry.schoolYear));
  }
});

// The mistakes planted in the demo region (examples/demo-region/README.md, «Заложенные ошибки»).
const PLANTED = [
  ['registry.xlsx', 'Школы', 'A16', 'error', 'duplicate', '«56-004» уже есть в строке 5'],
  [
    'registry.xlsx',
    'Школы',
    'D15',
    'error',
    'unknown_reference',
    '«МО-05» нет в столбце «Код МО» листа «Муниципалитеты»',
  ],
  [
    'registry.xlsx',
    'Школы',
    'I12',
    'error',
    'required',
    'Заполните «Куратор»: это обязательно, когда «Участник проекта» — «да»',
  ],
  ['registry.xlsx', 'Школы', 'E11', 'error', 'not_in_list', 'Значения «село» нет в списке'],
  [
    'registry.xlsx',
    'Результаты оценочных процедур',
    'G416',
    'error',
    'exceeds',
    '«Получили «2»» (62) не может быть больше, чем «Участников» (26)',
  ],
  ['56-002.xlsx', 'Дорожная карта', 'H7', 'error', 'not_in_list', 'возможно, имелось в виду «выполнено»'],
  [
    '56-002.xlsx',
    'Дорожная карта',
    'I8',
    'error',
    'required',
    'Заполните «Дата выполнения»: это обязательно, когда «Статус» — «выполнено»',
  ],
  ['56-005.xlsx', 'Дорожная карта', 'E5', 'warning', 'unparsed_period', 'такой даты нет в календаре'],
  ['56-005.xlsx', 'Дорожная карта', 'E9', 'warning', 'unparsed_period', 'Срок «по мере необходимости» не распознан'],
  [
    '56-008.xlsx',
    'Дорожная карта',
    'J7',
    'error',
    'not_url',
    'Нужна ссылка, начинающаяся с https:// или http://, а введено «сайт школы»',
  ],
  [
    '56-008.xlsx',
    'Дорожная карта',
    'D14',
    'error',
    'factor_not_chosen',
    'не выбран для работы на листе «Рисковый профиль»',
  ],
  ['56-005.xlsx', 'Анкетирование', 'C4', 'error', 'not_integer', 'Нужно целое число, а введено «около 20»'],
  [
    '56-006.xlsx',
    'Рисковый профиль',
    'C10',
    'error',
    'too_many_chosen',
    'выбрано: 4 фактора риска, а можно не больше 3',
  ],
  ['56-011.xlsx', 'Документы', 'F1', 'warning', 'unknown_column', 'Столбец «Примечание» не предусмотрен формой'],
  ['56-011.xlsx', 'Повышение квалификации', 'E4', 'error', 'not_date', 'Такой даты нет в календаре: «31.09.2026»'],
] as const;

describe('validation of the demo region', () => {
  it.each(PLANTED)('%s / %s / %s: %s %s', (workbook, tab, cell, severity, code, message) => {
    const found = readings.get(workbook)!.issues.filter((i) => i.tab === tab && i.cell === cell);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ workbook, severity, code });
    expect(found[0]!.message).toContain(message);
  });

  it('finds nothing else: the harmless variations of real sheets are accepted silently', () => {
    const all = [...readings.values()].flatMap((r) => r.issues.map((i) => `${i.workbook} / ${i.tab} / ${i.cell}`));
    expect(all.sort()).toEqual(PLANTED.map(([w, t, c]) => `${w} / ${t} / ${c}`).sort());
  });

  it('loses only the bad cell: a row with a bad optional value still counts', () => {
    const roadmap = usableRows(readings.get('56-008.xlsx')!, 'roadmap');
    const row7 = roadmap.find((r) => r.row === 7);
    expect(row7?.values.status).toBeDefined();
    expect(row7?.values.evidence).toBeUndefined();
  });

  it('reads what people typed their own way', () => {
    const registry = readings.get('registry.xlsx')!;
    const context = usableRows(registry, 'context-data');
    const percents = context.flatMap((r) => [
      r.values.lowIncomePercent,
      r.values.disabilitiesPercent,
      r.values.nonNativeRussianPercent,
    ]);
    expect(percents.every((p) => p >= 0 && p <= 100)).toBe(true);
    expect(percents.some((p) => p > 1)).toBe(true);
    const schools = usableRows(registry, 'schools');
    expect(schools.filter((r) => r.values.partnerSchoolCode).length).toBeGreaterThan(0); // «Школа-партнер» header
    const done = usableRows(readings.get('56-001.xlsx')!, 'roadmap').find((r) => r.row === 6);
    expect(done?.values.status).toBe('выполнено'); // typed «Выполнено »
    const dated = usableRows(readings.get('56-001.xlsx')!, 'roadmap').find((r) => r.row === 4);
    expect(dated?.values.deadline).toMatchObject({ kind: 'range', end: '2026-10-30' });
  });
});
