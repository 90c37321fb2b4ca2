import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx-workbook-file.js';
import type { RawCell, RawWorkbook } from '../../functions/core/raw-workbook.js';
import { readSchoolWorkbook, usableRows } from '../../functions/core/read-workbook.js';
import { InfrastructureError } from '../../functions/errors.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';

const rules = monitoringRules();
const YEAR = { firstYear: 2026 };
const FACTOR = 'Низкая учебная мотивация обучающихся';
const ROADMAP_HEADERS = [
  '№',
  'Фактор риска',
  'Задача',
  'Мероприятие',
  'Срок',
  'Ответственный',
  'Ожидаемый результат',
  'Статус',
];
const roadmapRow = (n: number, overrides: Record<string, ExcelJS.CellValue> = {}): ExcelJS.CellValue[] =>
  ROADMAP_HEADERS.map(
    (h) =>
      overrides[h] ??
      {
        '№': String(n),
        'Фактор риска': FACTOR,
        Задача: 'Задача',
        Мероприятие: `Мероприятие ${n}`,
        Срок: 'октябрь',
        Ответственный: 'Директор',
        'Ожидаемый результат': 'Отчёт',
        Статус: 'в работе',
      }[h] ??
      null,
  );

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-hostile-'));
});

/** Writes a school workbook with a chosen factor, then the given tabs, and reads it back as a user's file. */
async function schoolFile(name: string, build: (workbook: ExcelJS.Workbook) => void) {
  const workbook = new ExcelJS.Workbook();
  const profile = workbook.addWorksheet('Рисковый профиль');
  profile.addRow(['Фактор риска', 'Уровень риска', 'Выбран для работы', 'Верифицирован куратором']);
  profile.addRow([FACTOR, 'высокий', 'да', 'да']);
  build(workbook);
  const file = path.join(dir, name);
  await workbook.xlsx.writeFile(file);
  return readSchoolWorkbook(await readXlsxWorkbook(file, 20), rules.specs, rules.settings, YEAR);
}

describe('hostile and broken school workbooks', () => {
  it('reports every missing tab by name when the workbook has none of them', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Лист1').addRow(['что-то своё']);
    const file = path.join(dir, 'чужая.xlsx');
    await workbook.xlsx.writeFile(file);
    const reading = readSchoolWorkbook(await readXlsxWorkbook(file, 20), rules.specs, rules.settings, YEAR);
    const missing = reading.issues.filter((i) => i.code === 'missing_tab').map((i) => i.tab);
    expect(missing.sort()).toEqual(
      [
        'Анкетирование',
        'Документы',
        'Дорожная карта',
        'Мероприятия',
        'Повышение квалификации',
        'Рисковый профиль',
      ].sort(),
    );
    expect(reading.issues.find((i) => i.tab === 'Дорожная карта')?.message).toContain(
      'В таблице нет листа «Дорожная карта»',
    );
  });

  it('treats a renamed tab as missing and still reads the others', async () => {
    const reading = await schoolFile('переименован.xlsx', (wb) => {
      const sheet = wb.addWorksheet('Дорожная карта (2)');
      sheet.addRow(ROADMAP_HEADERS);
      sheet.addRow(roadmapRow(1));
    });
    expect(reading.issues.some((i) => i.code === 'missing_tab' && i.tab === 'Дорожная карта')).toBe(true);
    expect(usableRows(reading, 'risk-profile')).toHaveLength(1);
  });

  it('matches tab names and headers whatever the case, spaces and ё', async () => {
    const reading = await schoolFile('регистр.xlsx', (wb) => {
      const sheet = wb.addWorksheet('  дорожная  КАРТА ');
      sheet.addRow(ROADMAP_HEADERS.map((h) => ` ${h.toUpperCase()} `));
      sheet.addRow(roadmapRow(1));
    });
    expect(reading.issues.filter((i) => i.tab === 'Дорожная карта')).toEqual([]);
    expect(usableRows(reading, 'roadmap')).toHaveLength(1);
  });

  it('names a missing required column once, for the whole tab', async () => {
    const reading = await schoolFile('без-статуса.xlsx', (wb) => {
      const sheet = wb.addWorksheet('Дорожная карта');
      sheet.addRow(ROADMAP_HEADERS.slice(0, -1));
      sheet.addRow(roadmapRow(1).slice(0, -1));
      sheet.addRow(roadmapRow(2).slice(0, -1));
    });
    const issues = reading.issues.filter((i) => i.tab === 'Дорожная карта');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'missing_column', severity: 'error', cell: 'H1', column: 'Статус' });
    expect(issues[0]!.message).toContain('нет обязательного столбца «Статус»');
  });

  it('says a cell holds a formula error instead of a value', async () => {
    const reading = await schoolFile('формулы.xlsx', (wb) => {
      const sheet = wb.addWorksheet('Анкетирование');
      sheet.addRow(['Группа респондентов', 'Требуется', 'Приняли участие']);
      sheet.addRow(['Учителя', 10, null]);
      sheet.getCell('C2').value = { formula: 'B2/0', result: { error: '#DIV/0!' } };
      sheet.addRow(['Родители', { formula: 'Z99', result: { error: '#REF!' } }, 5]);
    });
    const errors = reading.issues.filter((i) => i.code === 'formula_error');
    expect(errors.map((i) => [i.cell, i.value])).toEqual([
      ['C2', '#DIV/0!'],
      ['B3', '#REF!'],
    ]);
    expect(errors[0]!.message).toBe('В ячейке ошибка формулы #DIV/0!: исправьте формулу или введите значение вручную.');
  });

  it('reads a merged cell as belonging to every row it spans', async () => {
    const reading = await schoolFile('объединённые.xlsx', (wb) => {
      const sheet = wb.addWorksheet('Дорожная карта');
      sheet.addRow(ROADMAP_HEADERS);
      sheet.addRow(roadmapRow(1, { Задача: 'Общая задача' }));
      sheet.addRow(roadmapRow(2, { Задача: null }));
      sheet.mergeCells('C2:C3');
    });
    expect(reading.issues.filter((i) => i.tab === 'Дорожная карта')).toEqual([]);
    expect(usableRows(reading, 'roadmap').map((r) => r.values.task)).toEqual(['Общая задача', 'Общая задача']);
  });

  it('refuses a 10 000-character cell with its address, keeps emoji, lists values for a wrong one', async () => {
    const reading = await schoolFile('длинные.xlsx', (wb) => {
      const sheet = wb.addWorksheet('Дорожная карта');
      sheet.addRow(ROADMAP_HEADERS);
      sheet.addRow(roadmapRow(1, { Мероприятие: 'я'.repeat(10_000) }));
      sheet.addRow(roadmapRow(2, { Мероприятие: 'Праздник 🎉 для родителей 👨‍👩‍👧' }));
      sheet.addRow(roadmapRow(3, { Статус: '✅' }));
    });
    const issues = reading.issues.filter((i) => i.tab === 'Дорожная карта');
    expect(issues.map((i) => [i.cell, i.code])).toEqual([
      ['D2', 'too_long'],
      ['H4', 'not_in_list'],
    ]);
    expect(issues[0]!.message).toContain('Текст длиннее 2000 символов (10000)');
    expect(usableRows(reading, 'roadmap').map((r) => r.values.activity)).toContain('Праздник 🎉 для родителей 👨‍👩‍👧');
  });

  it('ignores headers like __proto__ with a warning and pollutes nothing', async () => {
    const reading = await schoolFile('proto.xlsx', (wb) => {
      const sheet = wb.addWorksheet('Дорожная карта');
      sheet.addRow([...ROADMAP_HEADERS, '__proto__', 'constructor']);
      sheet.addRow([...roadmapRow(1), '{"polluted": true}', 'x']);
    });
    const warnings = reading.issues.filter((i) => i.tab === 'Дорожная карта');
    expect(warnings.map((i) => [i.code, i.value])).toEqual([
      ['unknown_column', '__proto__'],
      ['unknown_column', 'constructor'],
    ]);
    expect(usableRows(reading, 'roadmap')).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a file that is not a spreadsheet or is too large, with a reason', async () => {
    const fake = path.join(dir, 'не-таблица.xlsx');
    await writeFile(fake, '<html>это не xlsx</html>');
    await expect(readXlsxWorkbook(fake, 20)).rejects.toMatchObject({ reason: 'unreadable' });
    const real = path.join(dir, 'переименован.xlsx');
    const tooLarge = await readXlsxWorkbook(real, 0.001).catch((e: unknown) => e);
    expect(tooLarge).toBeInstanceOf(InfrastructureError);
    expect((tooLarge as InfrastructureError).message).toMatch(/больше допустимых 0,001 МБ/);
  });
});

describe('large tabs', () => {
  const bigRoadmap = (rows: number): RawWorkbook => {
    const cells = (values: ExcelJS.CellValue[]): RawCell[] =>
      values.map((value) => ({ value: value as RawCell['value'] }));
    return {
      name: 'большая.xlsx',
      tabs: [
        {
          name: 'Рисковый профиль',
          rows: [
            cells(['Фактор риска', 'Уровень риска', 'Выбран для работы', 'Верифицирован куратором']),
            cells([FACTOR, 'высокий', 'да', 'да']),
          ],
        },
        {
          name: 'Дорожная карта',
          rows: [cells(ROADMAP_HEADERS), ...Array.from({ length: rows }, (_, i) => cells(roadmapRow(i + 1)))],
        },
      ],
    };
  };

  it('reads a 50 000-row tab whole', () => {
    const reading = readSchoolWorkbook(bigRoadmap(50_000), rules.specs, rules.settings, YEAR);
    expect(usableRows(reading, 'roadmap')).toHaveLength(50_000);
    expect(reading.issues.filter((i) => i.tab === 'Дорожная карта')).toEqual([]);
  });

  it('stops at the configured row limit and says so', () => {
    const settings = { ...rules.settings, limits: { ...rules.settings.limits, maxRowsPerTab: 1000 } };
    const reading = readSchoolWorkbook(bigRoadmap(1500), rules.specs, settings, YEAR);
    expect(usableRows(reading, 'roadmap')).toHaveLength(1000);
    const limit = reading.issues.find((i) => i.code === 'too_many_rows');
    expect(limit?.message).toContain('На листе 1500 строк данных — больше предела 1000');
  });
});
