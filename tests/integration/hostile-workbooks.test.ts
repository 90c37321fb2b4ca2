import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import type { WorkbookContent } from '../../functions/core/workbook-sheets.js';
import { readSchoolWorkbook, usableRows } from '../../functions/core/read-workbook.js';
import { InfrastructureError } from '../../functions/errors.js';
import {
  brokenWorkbook,
  deeplyNestedXlsx,
  entitiesXlsx,
  manyPartsZip,
  manyTabsXlsx,
  zipBomb,
} from '../support/hostile-corpus.js';
import { minimalXlsx, sheetRowXml, SHEET_XML_HEAD, SHEET_XML_TAIL } from '../support/hostile-zip.js';
import { chosenFactor, headersOf, measure, rawBook, rules, writeBook } from '../support/workbook-content.js';

const YEAR = { firstYear: 2026 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-hostile-'));
});

/** Writes a school workbook with a chosen factor, then the given tabs, and reads it back as a user's file. */
async function schoolFile(name: string, tabs: WorkbookContent['tabs']) {
  const file = path.join(dir, name);
  await writeBook(file, { 'risk-profile': { rows: [chosenFactor()] }, ...tabs });
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
    const schoolTabs = [...rules.specs.values()].filter((spec) => spec.workbook === 'school').map((spec) => spec.title);
    expect(missing.sort()).toEqual(schoolTabs.sort());
    expect(reading.issues.find((i) => i.tab === 'Дорожная карта')?.message).toContain(
      'В таблице нет листа «Дорожная карта»',
    );
  });

  it('treats a renamed tab as missing and still reads the others', async () => {
    const reading = await schoolFile('переименован.xlsx', {
      roadmap: { name: 'Дорожная карта (2)', rows: [measure(1)] },
    });
    expect(reading.issues.some((i) => i.code === 'missing_tab' && i.tab === 'Дорожная карта')).toBe(true);
    expect(usableRows(reading, 'risk-profile')).toHaveLength(1);
  });

  it('matches tab names and headers whatever the case, spaces and ё', async () => {
    const headers = rules.specs.get('roadmap')!.columns.map((c) => [c.key, ` ${c.header.toUpperCase()} `]);
    const reading = await schoolFile('регистр.xlsx', {
      roadmap: { name: '  дорожная  КАРТА ', headers: Object.fromEntries(headers), rows: [measure(1)] },
    });
    expect(reading.issues.filter((i) => i.tab === 'Дорожная карта')).toEqual([]);
    expect(usableRows(reading, 'roadmap')).toHaveLength(1);
  });

  it('names a missing required column once, for the whole tab', async () => {
    // The columns up to «Статус», without it.
    const columns = rules.specs.get('roadmap')!.columns.map((c) => c.key);
    const reading = await schoolFile('без-статуса.xlsx', {
      roadmap: { columns: columns.slice(0, columns.indexOf('status')), rows: [measure(1), measure(2)] },
    });
    const issues = reading.issues.filter((i) => i.tab === 'Дорожная карта');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'missing_column', severity: 'error', cell: 'H1', column: 'Статус' });
    expect(issues[0]!.message).toContain('нет обязательного столбца «Статус»');
  });

  it('says a cell holds a formula error instead of a value', async () => {
    const reading = await schoolFile('формулы.xlsx', {
      survey: {
        rows: [
          { respondentGroup: 'Учителя', required: 10, participated: { formula: 'B2/0', result: { error: '#DIV/0!' } } },
          { respondentGroup: 'Родители', required: { formula: 'Z99', result: { error: '#REF!' } }, participated: 5 },
        ],
      },
    });
    const errors = reading.issues.filter((i) => i.code === 'formula_error');
    expect(errors.map((i) => [i.cell, i.value])).toEqual([
      ['C2', '#DIV/0!'],
      ['B3', '#REF!'],
    ]);
    expect(errors[0]!.message).toBe('В ячейке ошибка формулы #DIV/0!: исправьте формулу или введите значение вручную.');
  });

  it('reads a merged cell as belonging to every row it spans', async () => {
    const reading = await schoolFile('объединённые.xlsx', {
      roadmap: { rows: [measure(1, { task: 'Общая задача' }), measure(2, { task: null })], merges: ['C2:C3'] },
    });
    expect(reading.issues.filter((i) => i.tab === 'Дорожная карта')).toEqual([]);
    expect(usableRows(reading, 'roadmap').map((r) => r.values.task)).toEqual(['Общая задача', 'Общая задача']);
  });

  it('refuses a 10 000-character cell with its address, keeps emoji, lists values for a wrong one', async () => {
    const reading = await schoolFile('длинные.xlsx', {
      roadmap: {
        rows: [
          measure(1, { activity: 'я'.repeat(10_000) }),
          measure(2, { activity: 'Праздник 🎉 для родителей 👨‍👩‍👧' }),
          measure(3, { status: '✅' }),
        ],
      },
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
    const reading = await schoolFile('proto.xlsx', {
      roadmap: {
        extraColumns: ['__proto__', 'constructor'],
        rows: [{ ...measure(1), ['__proto__']: '{"polluted": true}', constructor: 'x' }],
      },
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
  const bigRoadmap = (rows: number): RawWorkbook =>
    rawBook('большая.xlsx', {
      'risk-profile': { rows: [chosenFactor()] },
      roadmap: { rows: Array.from({ length: rows }, (_, i) => measure(i + 1)) },
    });

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

describe('malformed .xlsx files', () => {
  /** Writes the bytes as a user's file and reads it the way a run does; the error when it is refused. */
  async function read(name: string, bytes: Buffer | Promise<Buffer>) {
    const file = path.join(dir, name);
    await writeFile(file, await bytes);
    return readXlsxWorkbook(file, 20).then(
      (workbook) => ({ workbook, error: undefined }),
      (error: unknown) => {
        expect(error).toBeInstanceOf(InfrastructureError);
        const { message, reason } = error as InfrastructureError;
        expect(message).toContain(`«${file}»`);
        return { workbook: undefined, error: { message: message.replace(/\u00a0/g, ' '), reason } };
      },
    );
  }
  const survey = (rows: string[][]) =>
    SHEET_XML_HEAD + [headersOf('survey'), ...rows].map((r, i) => sheetRowXml(i + 1, r)).join('') + SHEET_XML_TAIL;

  it('says a truncated file, a renamed non-spreadsheet and an old .xls are not .xlsx, and why', async () => {
    const valid = await minimalXlsx([{ name: 'Анкетирование', xml: survey([['Учителя', '10', '9']]) }]);
    const origin = 'http://127.0.0.1:9';
    const truncated = await read('обрезан.xlsx', brokenWorkbook('truncated', valid, origin));
    expect(truncated.error).toMatchObject({ reason: 'unreadable' });
    expect(truncated.error?.message).toContain('не читается как таблица .xlsx: файл повреждён, записан не полностью');
    const html = await read('страница.xlsx', brokenWorkbook('not-a-zip', valid, origin));
    expect(html.error?.message).toContain('файл повреждён, записан не полностью или это не таблица Excel');
    const xls = await read('старый.xlsx', brokenWorkbook('old-xls', valid, origin));
    expect(xls.error?.message).toContain('это файл старого формата .xls или таблица, защищённая паролем');
  });

  it('refuses a zip bomb before unpacking it, whether it tells its size or lies about it', async () => {
    const honest = await read('бомба.xlsx', zipBomb(400));
    expect(honest.error).toMatchObject({ reason: 'too_large' });
    expect(honest.error?.message).toContain('в распакованном виде больше допустимых 100 МБ');
    const lying = await read('бомба-лжёт.xlsx', zipBomb(400, { declaredMegabytes: 1 }));
    expect(lying.error).toMatchObject({ reason: 'too_large' });
    expect(lying.error?.message).toContain('в распакованном виде больше допустимых 100 МБ');
    // The same shape, small enough: read whole.
    const small = await read('не-бомба.xlsx', zipBomb(5));
    expect(small.workbook?.tabs[0]?.rows.length).toBe(2);
  });

  it('refuses a zip of 20 000 parts, 251 tabs, element nesting 2 000 000 deep and XML entities, fetching nothing', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const parts = await read('части.xlsx', manyPartsZip(20_000));
      expect(parts.error?.message).toContain('в нём больше 10 000 внутренних частей');
      const tabs = await read('251-лист.xlsx', manyTabsXlsx(251));
      expect(tabs.error).toMatchObject({ reason: 'too_large' });
      expect(tabs.error?.message).toContain('в таблице 251 лист — больше допустимых 250');
      const nested = await read('вложенность.xlsx', deeplyNestedXlsx(2_000_000));
      expect(nested.error?.message).toContain(
        'в части «xl/worksheets/sheet1.xml» элементы вложены друг в друга глубже 100 уровней',
      );
      const entities = await read('сущности.xlsx', entitiesXlsx(origin));
      expect(entities.error?.message).toContain('объявлен тип документа (<!DOCTYPE>)');
      expect(requests).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("reads 200 tabs, and finds the contract's among names like «__proto__» and «=HYPERLINK»", async () => {
    const { workbook } = await read('200-листов.xlsx', manyTabsXlsx(200));
    expect(workbook?.tabs).toHaveLength(200);
    expect(workbook?.tabs.map((t) => t.name)).toContain('__proto__ 0');
    const reading = readSchoolWorkbook(workbook!, rules.specs, rules.settings, YEAR);
    expect(usableRows(reading, 'survey').map((r) => Object.values(r.values))).toEqual([['Учителя', 10, 9]]);
  });

  it('reads a value in row 1 048 576 without building the rows before it, and refuses a grid of too many cells', async () => {
    const far = (sheets: number) =>
      minimalXlsx(
        Array.from({ length: sheets }, (_, i) => ({
          name: i === 0 ? 'Анкетирование' : `Лист ${i}`,
          xml: survey([]).replace(
            SHEET_XML_TAIL,
            '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Гости</t></is></c><c r="XFD1048576"><v>1</v></c></row>' +
              SHEET_XML_TAIL,
          ),
        })),
      );
    const { workbook } = await read('дальняя-строка.xlsx', far(1));
    expect(workbook?.tabs[0]?.rows).toHaveLength(1_048_576);
    const reading = readSchoolWorkbook(workbook!, rules.specs, rules.settings, YEAR);
    expect(
      reading.issues
        .filter((i) => i.tab === 'Анкетирование')
        .map((i) => `${i.cell} ${i.code}`)
        .sort(),
    ).toEqual(['A1048576 not_in_list', 'B1048576 required', 'C1048576 required']);
    const many = await read('дальние-строки.xlsx', far(10));
    expect(many.error).toMatchObject({ reason: 'too_large' });
    expect(many.error?.message).toContain('на листах больше 5 000 000 ячеек до последних заполненных строк и столбцов');
  });

  it("turns Excel's _xHHHH_ escapes back into what was typed, without the control characters", async () => {
    const { workbook } = await read(
      'экранирование.xlsx',
      minimalXlsx([
        {
          name: 'Анкетирование',
          xml: survey([['Строка_x000D_\nвторая', 'звонок_x0007__x001B_[31m', '_x005F_x0041_ и _x0041_']]),
        },
      ]),
    );
    expect(workbook?.tabs[0]?.rows[1]?.map((c) => c.value)).toEqual(['Строка\r\nвторая', 'звонок[31m', '_x0041_ и A']);
  });

  it('keeps the words of a text with control or bidi characters, with a warning naming them', () => {
    const workbook = rawBook('из-google', {
      'risk-profile': { rows: [chosenFactor()] },
      roadmap: {
        rows: [
          measure(1, { activity: 'Встреча\u001b]0;взлом\u0007 с родителями' }),
          measure(2, { responsible: 'Директор \u202eвонавИ\u202c' }),
          measure(3, { responsible: '\u200f\u0000' }),
        ],
      },
    });
    const reading = readSchoolWorkbook(workbook, rules.specs, rules.settings, YEAR);
    expect(usableRows(reading, 'roadmap').map((r) => [r.values.activity, r.values.responsible])).toEqual([
      ['Встреча]0;взлом с родителями', 'Директор'],
      ['Мероприятие 2', 'Директор вонавИ'],
    ]);
    const roadmapIssues = reading.issues.filter((i) => i.tab === 'Дорожная карта');
    expect(roadmapIssues.map((i) => [i.cell, i.severity, i.code, i.message])).toEqual([
      [
        'D2',
        'warning',
        'invalid_value',
        'В тексте были невидимые управляющие символы (U+001B, U+0007); они удалены, потому что меняют вид или порядок текста в документах. Проверьте, что текст читается как задумано.',
      ],
      ['F3', 'warning', 'invalid_value', expect.stringContaining('(U+202E, U+202C)')],
      [
        'F4',
        'error',
        'invalid_value',
        expect.stringContaining('В ячейке только невидимые управляющие символы (U+200F, U+0000)'),
      ],
    ]);
  });
});
