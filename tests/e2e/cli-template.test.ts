import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { runCli } from '../support/run-cli.js';

const FACTOR = 'Низкая учебная мотивация обучающихся';
const date = (iso: string) => new Date(`${iso}T00:00:00Z`);

// One correct row per tab, keyed by the contract's headers.
const REGISTRY_ROWS: Record<string, Record<string, ExcelJS.CellValue>[]> = {
  Муниципалитеты: [
    {
      'Код МО': 'МО-01',
      Муниципалитет: 'Пономарёвский район',
      'Орган управления образованием': 'Отдел образования',
      Руководитель: 'Иванов Иван Иванович',
      'Муниципальный координатор': 'Петрова Анна Сергеевна',
    },
  ],
  Школы: [
    {
      'Код ОО': '56-001',
      Наименование: 'МБОУ «Романовская ООШ»',
      'Код МО': 'МО-01',
      Местность: 'сельская',
      'Участник проекта': 'да',
      Категория: 'ШНОР',
      Куратор: 'Петрова Анна Сергеевна',
      'Школа-партнёр': '56-002',
      'Таблица школы': 'school.xlsx',
      'Год включения': 2026,
    },
    {
      'Код ОО': '56-002',
      Наименование: 'МБОУ «Пономарёвская СОШ»',
      'Код МО': 'МО-01',
      Местность: 'сельская',
      'Участник проекта': 'нет',
    },
  ],
  'Рабочая группа': [{ ФИО: 'Сидорова Мария Петровна', Должность: 'методист', Роль: 'секретарь' }],
  'Сетевое партнёрство': [
    {
      'Код ОО': '56-001',
      'Код ОО партнёра': '56-002',
      'Номер договора': '12',
      'Дата договора': date('2026-09-15'),
      'Направления сотрудничества': 'методическая помощь',
    },
  ],
  'План-график': [
    {
      '№': '1',
      Направление: 'Методическое',
      Мероприятие: 'Консультации',
      Сроки: 'в течение учебного года',
      Ответственный: 'ИРО',
      'Показатель результативности': 'Не менее 50 консультаций',
      Статус: 'в работе',
      Подтверждение: 'https://example.ru/plan',
    },
  ],
  'Работа кураторов': [
    {
      Дата: date('2026-10-01'),
      Куратор: 'Петрова Анна Сергеевна',
      'Код ОО': '56-001',
      Вид: 'посещение',
      Тема: 'Анализ рискового профиля',
    },
  ],
  'Результаты оценочных процедур': [
    {
      'Код ОО': '56-001',
      Год: 2026,
      Процедура: 'ВПР',
      Класс: 5,
      Предмет: 'Математика',
      Участников: 20,
      'Получили «2»': 5,
      'Получили «4» и «5»': 6,
      'Средний балл': 3.2,
    },
  ],
  'Контекстные данные': [
    {
      'Код ОО': '56-001',
      Год: 2026,
      Обучающихся: 120,
      Педагогов: 14,
      Вакансий: 2,
      'Из малоимущих семей, %': 0.34,
      'С ОВЗ, %': 0.05,
      'С неродным русским языком, %': 0.12,
    },
  ],
  Удовлетворённость: [{ 'Код ОО': '56-001', 'Группа респондентов': 'Родители', Опрошено: 40, Удовлетворены: 33 }],
};
const REGION: Record<string, string> = {
  'Субъект РФ': 'Оренбургская область',
  'Орган управления образованием': 'Министерство образования Оренбургской области',
  'Руководитель органа': 'Кузнецова Елена Александровна',
  'Должность руководителя': 'Министр образования',
  'Региональный координатор': 'ГАУ ДПО «ИРО»',
  'Место составления': 'г. Оренбург',
  'Учебный год': '2026/2027',
};
const SCHOOL_ROWS: Record<string, Record<string, ExcelJS.CellValue>[]> = {
  Анкетирование: [{ 'Группа респондентов': 'Учителя', Требуется: 14, 'Приняли участие': 13 }],
  'Рисковый профиль': [
    { 'Фактор риска': FACTOR, 'Уровень риска': 'высокий', 'Выбран для работы': 'да', 'Верифицирован куратором': 'да' },
  ],
  Документы: [
    {
      Документ: 'Антирисковая программа',
      'Фактор риска': FACTOR,
      Статус: 'согласован куратором',
      Дата: date('2026-10-10'),
      Ссылка: 'https://example.ru/doc',
    },
  ],
  'Дорожная карта': [
    {
      '№': '1',
      'Фактор риска': FACTOR,
      Задача: 'Повысить мотивацию',
      Мероприятие: 'Педсовет',
      Срок: 'октябрь',
      Ответственный: 'Директор',
      'Ожидаемый результат': 'Протокол',
      Статус: 'выполнено',
      'Дата выполнения': date('2026-10-20'),
    },
  ],
  'Повышение квалификации': [
    {
      Программа: 'Формирующее оценивание',
      Часов: 36,
      'Категория слушателей': 'учитель',
      Слушателей: 6,
      'Дата окончания': date('2026-11-01'),
    },
  ],
  Мероприятия: [{ Дата: date('2026-10-05'), Тема: 'Мотивация', Форма: 'семинар', Часов: 4, Участников: 14 }],
};

let dir: string;

async function fill(
  file: string,
  rows: Record<string, Record<string, ExcelJS.CellValue>[]>,
  region?: Record<string, string>,
) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  for (const [tab, records] of Object.entries(rows)) {
    const sheet = workbook.getWorksheet(tab)!;
    const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).map(String);
    records.forEach((record, i) => {
      for (const [header, value] of Object.entries(record)) sheet.getCell(i + 2, headers.indexOf(header)).value = value;
    });
  }
  if (region) {
    const sheet = workbook.getWorksheet('Регион')!;
    sheet.eachRow((row, n) => {
      const value = REGION[String(row.getCell(1).value)];
      if (n > 1 && value) row.getCell(2).value = value;
    });
  }
  await workbook.xlsx.writeFile(file);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-template-'));
  expect((await runCli(['template', 'registry', '--out', path.join(dir, 'registry.xlsx')])).code).toBe(0);
  expect((await runCli(['template', 'school', '--out', path.join(dir, 'school.xlsx')])).code).toBe(0);
});

describe('monitor500 template', () => {
  it('lays out every tab of the contract with its headers, notes, frozen header and dropdowns', async () => {
    const { specs } = monitoringRules();
    for (const kind of ['registry', 'school'] as const) {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(path.join(dir, `${kind === 'registry' ? 'registry' : 'school'}.xlsx`));
      for (const spec of [...specs.values()].filter((s) => s.workbook === kind)) {
        const sheet = workbook.getWorksheet(spec.title);
        expect(sheet, spec.title).toBeDefined();
        expect(sheet!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
        if (spec.layout === 'key-value') continue;
        spec.columns.forEach((column, i) => {
          const header = sheet!.getCell(1, i + 1);
          expect(header.value).toBe(column.header);
          expect(String(header.note ?? '')).toMatch(/[а-яё]{3}/i);
          const cell = sheet!.getCell(2, i + 1);
          if (column.cell.type === 'enum' || column.cell.type === 'bool') {
            expect(cell.dataValidation?.type, `${spec.title} / ${column.header}`).toBe('list');
            expect(cell.dataValidation?.formulae?.[0]).toMatch(/^Списки!\$[A-Z]+\$1:\$[A-Z]+\$\d+$/);
          }
          if (column.cell.type === 'date') expect(cell.numFmt).toBe('dd.mm.yyyy');
          if (column.cell.type === 'percent') expect(cell.numFmt).toBe('0%');
        });
      }
    }
  });

  it('gives workbooks that, filled correctly, validate with no issues', async () => {
    await fill(path.join(dir, 'school.xlsx'), SCHOOL_ROWS);
    await fill(path.join(dir, 'registry.xlsx'), REGISTRY_ROWS, REGION);
    const school = await runCli(['validate', path.join(dir, 'school.xlsx'), '--school-year', '2026/2027']);
    expect(school.stdout.trim()).toBe('«school.xlsx»: ошибок не найдено.');
    expect(school.code).toBe(0);
    const registry = await runCli(['validate', path.join(dir, 'registry.xlsx')]);
    expect(registry.stdout.trim()).toBe('«registry.xlsx»: ошибок не найдено.');
    expect(registry.code).toBe(0);
  });

  it('asks which workbook to make', async () => {
    const result = await runCli(['template', 'region', '--out', path.join(dir, 'x.xlsx')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('registry (реестр региона) или school (таблица школы)');
  });
});
