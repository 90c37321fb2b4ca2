import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TabId } from '../../functions/core/tab-specs.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { runCli } from '../support/run-cli.js';

const FACTOR = 'Низкая учебная мотивация обучающихся';
const date = (iso: string) => new Date(`${iso}T00:00:00Z`);

type Rows = Partial<Record<TabId, Record<string, ExcelJS.CellValue>[]>>;

// One correct row per tab, keyed by the fields of the tab's schema.
const REGISTRY_ROWS: Rows = {
  municipalities: [
    {
      code: 'МО-01',
      name: 'Пономарёвский район',
      educationAuthority: 'Отдел образования',
      head: 'Иванов Иван Иванович',
      coordinator: 'Петрова Анна Сергеевна',
    },
  ],
  schools: [
    {
      code: '56-001',
      name: 'МБОУ «Романовская ООШ»',
      municipalityCode: 'МО-01',
      locality: 'сельская',
      participant: 'да',
      category: 'ШНОР',
      curator: 'Петрова Анна Сергеевна',
      partnerSchoolCode: '56-002',
      workbook: 'school.xlsx',
      yearJoined: 2026,
    },
    {
      code: '56-002',
      name: 'МБОУ «Пономарёвская СОШ»',
      municipalityCode: 'МО-01',
      locality: 'сельская',
      participant: 'нет',
    },
  ],
  'working-group': [{ fullName: 'Сидорова Мария Петровна', position: 'методист', role: 'секретарь' }],
  'network-partnership': [
    {
      schoolCode: '56-001',
      partnerSchoolCode: '56-002',
      contractNumber: '12',
      contractDate: date('2026-09-15'),
      directions: 'методическая помощь',
    },
  ],
  'plan-graph': [
    {
      number: '1',
      direction: 'Методическое',
      activity: 'Консультации',
      deadline: 'в течение учебного года',
      responsible: 'ИРО',
      indicator: 'Не менее 50 консультаций',
      status: 'в работе',
      evidence: 'https://example.ru/plan',
    },
  ],
  'curator-work': [
    {
      date: date('2026-10-01'),
      curator: 'Петрова Анна Сергеевна',
      schoolCode: '56-001',
      kind: 'посещение',
      topic: 'Анализ рискового профиля',
    },
  ],
  'assessment-results': [
    {
      schoolCode: '56-001',
      year: 2026,
      procedure: 'ВПР',
      grade: 5,
      subject: 'Математика',
      participants: 20,
      failed: 5,
      good: 6,
      averageScore: 3.2,
    },
  ],
  'context-data': [
    {
      schoolCode: '56-001',
      year: 2026,
      students: 120,
      teachers: 14,
      vacancies: 2,
      lowIncomePercent: 0.34,
      disabilitiesPercent: 0.05,
      nonNativeRussianPercent: 0.12,
    },
  ],
  satisfaction: [{ schoolCode: '56-001', respondentGroup: 'Родители', surveyed: 40, satisfied: 33 }],
};
const REGION: Record<string, string> = {
  subject: 'Оренбургская область',
  educationAuthority: 'Министерство образования Оренбургской области',
  authorityHead: 'Кузнецова Елена Александровна',
  authorityHeadPosition: 'Министр образования',
  regionalCoordinator: 'ГАУ ДПО «ИРО»',
  place: 'г. Оренбург',
  schoolYear: '2026/2027',
};
const SCHOOL_ROWS: Rows = {
  survey: [{ respondentGroup: 'Учителя', required: 14, participated: 13 }],
  'risk-profile': [{ riskFactor: FACTOR, level: 'высокий', chosen: 'да', verified: 'да' }],
  documents: [
    {
      document: 'Антирисковая программа',
      riskFactor: FACTOR,
      status: 'согласован куратором',
      date: date('2026-10-10'),
      link: 'https://example.ru/doc',
    },
  ],
  roadmap: [
    {
      number: '1',
      riskFactor: FACTOR,
      task: 'Повысить мотивацию',
      activity: 'Педсовет',
      deadline: 'октябрь',
      responsible: 'Директор',
      expectedResult: 'Протокол',
      status: 'выполнено',
      completedOn: date('2026-10-20'),
    },
  ],
  'professional-development': [
    {
      programme: 'Формирующее оценивание',
      hours: 36,
      audience: 'учитель',
      listeners: 6,
      finishedOn: date('2026-11-01'),
    },
  ],
  events: [{ date: date('2026-10-05'), topic: 'Мотивация', form: 'семинар', hours: 4, participants: 14 }],
};

let dir: string;

/** Types the rows into a blank workbook made by `template`, each value under its field's header. */
async function fill(file: string, rows: Rows, region?: Record<string, string>) {
  const { specs } = monitoringRules();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  for (const [id, records] of Object.entries(rows) as [TabId, Record<string, ExcelJS.CellValue>[]][]) {
    const spec = specs.get(id)!;
    const sheet = workbook.getWorksheet(spec.title)!;
    const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).map(String);
    records.forEach((record, i) => {
      for (const [field, value] of Object.entries(record)) {
        const header = spec.columns.find((c) => c.key === field)!.header;
        sheet.getCell(i + 2, headers.indexOf(header)).value = value;
      }
    });
  }
  if (region) {
    // «Регион» lists its parameters down column A, the values go in column B.
    const spec = specs.get('region')!;
    const sheet = workbook.getWorksheet(spec.title)!;
    sheet.eachRow((row, n) => {
      const value = region[spec.columns.find((c) => c.header === String(row.getCell(1).value))?.key ?? ''];
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
