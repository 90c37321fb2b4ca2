/**
 * The hostile-input corpus (issue #9): what a careless or malicious person can type into a cell or
 * upload as a workbook, and a copy of the demo region that carries all of it at once.
 *
 * Texts that would reach the network point at `origin`, a local server the tests watch; a script
 * that ran would write SCRIPT_MARK, which no payload spells out literally.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { ColumnSpec, TabSpec } from '../../functions/core/tab-specs.js';
import { textKey } from '../../functions/core/text-key.js';
import { cellAddress } from '../../functions/core/validation-issue.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { minimalXlsx, sheetRowXml, SHEET_XML_HEAD, SHEET_XML_TAIL, zipArchive } from './hostile-zip.js';
import { root } from './run-cli.js';

/** What a script in a payload writes if it ever runs; no payload contains it as such. */
export const SCRIPT_MARK = 'ВЗЛОМАНО';

/** Characters that show nothing or reorder the text around them (controls, bidi marks and overrides). */
export const INVISIBLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One hostile text and what a reader of the PDF must see instead (the same text, less invisible characters). */
export interface HostileText {
  text: string;
  kind: 'markup' | 'template' | 'formula' | 'prototype' | 'invisible' | 'unicode';
}

/** The corpus of hostile texts: each goes into text cells as it is. */
export function hostileTexts(origin: string): HostileText[] {
  const mark = `'${SCRIPT_MARK.slice(0, 4)}'+'${SCRIPT_MARK.slice(4)}'`;
  return [
    { kind: 'markup', text: `<script>document.body.innerHTML=${mark}</script>` },
    { kind: 'markup', text: `<img src="${origin}/img.png" onerror="document.body.innerHTML=${mark}">` },
    { kind: 'markup', text: `<iframe src="${origin}/frame"></iframe><object data="${origin}/object"></object>` },
    {
      kind: 'markup',
      text: `<link rel="stylesheet" href="${origin}/link.css"><style>@import "${origin}/import.css"; body { background: url(${origin}/bg.png) }</style>`,
    },
    { kind: 'markup', text: `<svg onload="fetch('${origin}/svg')"><a href="javascript:alert(1)">ссылка</a></svg>` },
    { kind: 'markup', text: `"><meta http-equiv="refresh" content="0;url=${origin}/refresh"><base href="${origin}/">` },
    { kind: 'markup', text: `</td></tr></table><h1>Поддельный заголовок</h1><!-- ]]> &amp; &lt; &#x3C;` },
    { kind: 'template', text: `{{constructor.constructor('return process')()}} {{{@root}}}` },
    { kind: 'template', text: `{{#each this}}{{@key}}{{/each}} {{> document-head}} \${process.exit(1)} %s%n` },
    { kind: 'formula', text: `=HYPERLINK("${origin}/hyperlink";"Нажмите здесь")` },
    { kind: 'formula', text: `=IMPORTXML("${origin}/importxml";"//a")` },
    { kind: 'formula', text: `+cmd|' /C calc'!A0` },
    { kind: 'formula', text: `@SUM(1+1)*cmd|' /C calc'!A0` },
    { kind: 'formula', text: `-2+3+cmd|' /C calc'!A0` },
    { kind: 'prototype', text: '__proto__' },
    { kind: 'prototype', text: 'constructor' },
    { kind: 'prototype', text: '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}' },
    { kind: 'invisible', text: 'Школа\u0007 № 5\u001b[31m красная\u001b]0;заголовок\u0007\u0085' },
    { kind: 'invisible', text: 'МБОУ \u202eШОС\u202c «\u2067Берёзка\u2069»\u200f' },
    { kind: 'unicode', text: 'Школа «Ёлочка» — № 7 ½ ‰ ∑ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢' },
  ];
}

/** A long text: too long for any cell of the contract. */
export const LONG_TEXT = 'Очень длинный текст. '.repeat(5_000);

/** What a person reading the PDF should find for a hostile text. */
export function shownText(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Broken school workbooks of the corpus, by file name under `broken/`. */
export type BrokenKind = 'truncated' | 'not-a-zip' | 'old-xls' | 'zip-bomb' | 'nested' | 'entities' | 'many-parts';

/** One school of the hostile region whose workbook cannot be read, and why. */
export interface BrokenSchool {
  code: string;
  kind: BrokenKind;
  /** As written in «Таблица школы». */
  reference: string;
}

/** A cell of the region that got a hostile text, as validation.json names it. */
export interface PlantedCell {
  workbook: string;
  tab: string;
  cell: string;
  column: ColumnSpec;
  text: string;
}

/** The hostile region on disk and where everything was put. */
export interface HostileRegion {
  registry: string;
  /** Every text cell that got a hostile text. */
  planted: PlantedCell[];
  /** Cells of the last row of each tab, where every column (of any type) got a hostile text. */
  hostileRows: PlantedCell[];
  broken: BrokenSchool[];
  /** Participants whose codes are JavaScript's own property names; their workbooks are fine. */
  prototypeSchools: string[];
  /** A participant whose code climbs out of the output directory if taken for a file name. */
  traversalSchool: string;
  /** A participant whose workbook has 200 tabs (the six of the contract and 194 others). */
  manyTabsSchool: string;
  /** The cell that got LONG_TEXT. */
  longCell: { workbook: string; tab: string; cell: string };
}

const rules = monitoringRules();

/** Columns that keep their values: codes, the workbook's school year and file names hold the region together. */
function keepsValue(column: ColumnSpec): boolean {
  return column.unique || column.header === 'Таблица школы' || column.header === 'Учебный год';
}

function specFor(kind: 'registry' | 'school', name: string): TabSpec | undefined {
  return [...rules.specs.values()].find((s) => s.workbook === kind && textKey(s.title) === textKey(name));
}

/**
 * Puts hostile texts into every text cell of a workbook (column by column, cycling through the corpus),
 * adds «__proto__» and «constructor» columns to each table, and appends a row whose every cell is hostile.
 */
function poison(
  workbook: ExcelJS.Workbook,
  kind: 'registry' | 'school',
  name: string,
  texts: readonly HostileText[],
  region: HostileRegion,
): void {
  workbook.eachSheet((sheet) => {
    const spec = specFor(kind, sheet.name);
    if (!spec) return;
    const at = (column: ColumnSpec, row: number, index: number) => ({
      workbook: name,
      tab: spec.title,
      cell: cellAddress(index, row),
      column,
    });
    let next = 0;
    if (spec.layout === 'key-value') {
      sheet.eachRow((row, n) => {
        const column = spec.columns.find((c) => textKey(String(row.getCell(1).value ?? '')) === textKey(c.header));
        if (n === 1 || !column || keepsValue(column)) return;
        const text = texts[next++ % texts.length]!.text;
        row.getCell(2).value = text;
        region.planted.push({ ...at(column, n, 1), text });
      });
      sheet.addRow(['__proto__', '{"polluted": true}']);
      return;
    }
    const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => String(v ?? ''));
    const columns = headers.map((h) => spec.columns.find((c) => textKey(c.header) === textKey(h)));
    const last = sheet.rowCount;
    columns.forEach((column, index) => {
      if (!column || column.cell.type !== 'text' || keepsValue(column)) return;
      for (let n = 2; n <= last; n++) {
        const cell = sheet.getRow(n).getCell(index + 1);
        if (cell.value === null || cell.value === undefined || cell.value === '') continue;
        const text = texts[next++ % texts.length]!.text;
        cell.value = text;
        region.planted.push({ ...at(column, n, index), text });
      }
    });
    sheet.getRow(1).getCell(headers.length + 1).value = '__proto__';
    sheet.getRow(1).getCell(headers.length + 2).value = 'constructor';
    sheet.getRow(2).getCell(headers.length + 1).value = '{"polluted": true}';
    sheet.getRow(2).getCell(headers.length + 2).value = 'constructor';
    const hostileRow = last + 1;
    columns.forEach((column, index) => {
      if (!column) return;
      const text = texts[(next++ + index) % texts.length]!.text;
      sheet.getRow(hostileRow).getCell(index + 1).value = text;
      region.hostileRows.push({ ...at(column, hostileRow, index), text });
    });
  });
}

async function poisonFile(
  file: string,
  kind: 'registry' | 'school',
  name: string,
  texts: readonly HostileText[],
  region: HostileRegion,
  edits: { before?: (workbook: ExcelJS.Workbook) => void; after?: (workbook: ExcelJS.Workbook) => void } = {},
): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  edits.before?.(workbook);
  poison(workbook, kind, name, texts, region);
  edits.after?.(workbook);
  await workbook.xlsx.writeFile(file);
}

/** Sheet names a spreadsheet accepts (≤ 31 characters, none of : \ / ? * [ ]) that look hostile. */
const HOSTILE_TAB_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  '=HYPERLINK("x")',
  '<script>',
  '{{this}}',
  'Проверка',
];

/** The demo region with the whole corpus in it, written under `dir`. */
export async function buildHostileRegion(dir: string, origin: string): Promise<HostileRegion> {
  const texts = hostileTexts(origin);
  const regionDir = path.join(dir, 'region');
  await cp(path.join(root, 'examples', 'demo-region'), regionDir, { recursive: true });
  const registry = path.join(regionDir, 'registry.xlsx');
  const region: HostileRegion = {
    registry,
    planted: [],
    hostileRows: [],
    broken: [],
    prototypeSchools: ['__proto__', 'constructor'],
    manyTabsSchool: '56-950',
    traversalSchool: '../../../вне-каталога',
    longCell: { workbook: 'schools/56-002.xlsx', tab: 'Дорожная карта', cell: '' },
  };

  // School workbooks: every text cell hostile; two copies serve the schools with prototype-named codes.
  const schoolsDir = path.join(regionDir, 'schools');
  const template = await readFile(path.join(schoolsDir, '56-002.xlsx'));
  await writeFile(path.join(schoolsDir, 'proto.xlsx'), template);
  await writeFile(path.join(schoolsDir, 'constructor.xlsx'), template);
  await writeFile(path.join(schoolsDir, 'many-tabs.xlsx'), template);
  const schoolFiles = ['56-001', '56-002', '56-005', '56-006', '56-008', '56-011', 'proto', 'constructor'];
  for (const file of schoolFiles) {
    const name = `schools/${file}.xlsx`;
    await poisonFile(path.join(regionDir, name), 'school', name, texts, region, {
      after: (workbook) => {
        if (file !== '56-002') return;
        const sheet = workbook.getWorksheet('Дорожная карта')!;
        const column = (sheet.getRow(1).values as ExcelJS.CellValue[]).indexOf('Мероприятие');
        sheet.getRow(2).getCell(column).value = LONG_TEXT;
        region.longCell.cell = cellAddress(column - 1, 2);
        region.planted = region.planted.filter((p) => !(p.workbook === name && p.cell === region.longCell.cell));
      },
    });
  }
  const manyTabs = new ExcelJS.Workbook();
  await manyTabs.xlsx.readFile(path.join(schoolsDir, 'many-tabs.xlsx'));
  for (let n = manyTabs.worksheets.length; n < 200; n++) {
    const sheet = manyTabs.addWorksheet(HOSTILE_TAB_NAMES[n % HOSTILE_TAB_NAMES.length] + ` ${n}`);
    sheet.addRow(['Код ОО', 'Наименование']);
    sheet.addRow([texts[n % texts.length]!.text, n]);
  }
  await manyTabs.xlsx.writeFile(path.join(schoolsDir, 'many-tabs.xlsx'));

  // Broken workbooks, each named by one more participant school.
  const brokenDir = path.join(regionDir, 'broken');
  await mkdir(brokenDir);
  const kinds: BrokenKind[] = ['truncated', 'not-a-zip', 'old-xls', 'zip-bomb', 'nested', 'entities', 'many-parts'];
  for (const [i, kind] of kinds.entries()) {
    const reference = `broken/${kind}.xlsx`;
    await writeFile(path.join(regionDir, reference), await brokenWorkbook(kind, template, origin));
    region.broken.push({ code: `56-${901 + i}`, kind, reference });
  }

  // The registry: hostile everywhere, a municipality and two participants named like Object.prototype's own keys.
  // Added after the poisoning, so these rows keep their names (the hostile row stays where it was recorded).
  await poisonFile(registry, 'registry', 'registry.xlsx', texts, region, {
    after: (workbook) => {
      const municipalities = workbook.getWorksheet('Муниципалитеты')!;
      municipalities.addRow(['__proto__', 'Район «__proto__»', 'Отдел образования', 'Иванов И.И.', 'Петров П.П.']);
      const schools = workbook.getWorksheet('Школы')!;
      const headers = (schools.getRow(1).values as ExcelJS.CellValue[]).map((v) => String(v ?? ''));
      // Values by schema field, each under its column's header.
      const { columns } = rules.specs.get('schools')!;
      const row = (values: Record<string, ExcelJS.CellValue>) =>
        headers
          .map((h) => columns.find((c) => c.header === h)?.key ?? '')
          .map((key) => (Object.hasOwn(values, key) ? values[key]! : null))
          .slice(1);
      const participant = (code: string, municipalityCode: string, name: string, workbook: string) =>
        row({
          code,
          name,
          municipalityCode,
          locality: 'сельская',
          participant: 'да',
          category: 'ШНОР',
          curator: 'Абрамова Ирина Николаевна',
          workbook,
        });
      const added = [
        participant('__proto__', '__proto__', 'МБОУ «Школа __proto__»', 'schools/proto.xlsx'),
        participant('constructor', 'МО-01', 'МБОУ «Школа constructor»', 'schools/constructor.xlsx'),
        participant(region.traversalSchool, 'МО-01', 'МБОУ «Школа за пределами»', 'schools/constructor.xlsx'),
        participant(region.manyTabsSchool, 'МО-01', 'МБОУ «Школа двухсот листов»', 'schools/many-tabs.xlsx'),
        ...region.broken.map((b) => participant(b.code, 'МО-02', `МБОУ «Школа ${b.kind}»`, b.reference)),
      ];
      schools.addRows(added);
    },
  });
  return region;
}

/** A broken workbook of the given kind; `valid` is the bytes of a good one. */
export async function brokenWorkbook(kind: BrokenKind, valid: Buffer, origin: string): Promise<Buffer> {
  switch (kind) {
    case 'truncated':
      return valid.subarray(0, Math.floor(valid.length / 2));
    case 'not-a-zip':
      return Buffer.from(`<html><body><script src="${origin}/not-a-zip.js"></script>Это не таблица</body></html>`);
    case 'old-xls':
      // The OLE2 compound file signature: Excel 97–2003 .xls, or any workbook saved with a password.
      return Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(4096)]);
    case 'zip-bomb':
      return zipBomb(400);
    case 'nested':
      return deeplyNestedXlsx(2_000_000);
    case 'entities':
      return entitiesXlsx(origin);
    case 'many-parts':
      return manyPartsZip(20_000);
  }
}

const SURVEY_HEADERS = rules.specs.get('survey')!.columns.map((c) => c.header);

/**
 * A 1 MB .xlsx whose one sheet inflates to `megabytes` MB of rows. With `declaredMegabytes` the zip
 * claims that size instead, as a bomb that lies about itself would.
 */
export function zipBomb(megabytes: number, options: { declaredMegabytes?: number } = {}): Promise<Buffer> {
  const block = Array.from({ length: 1000 }, () => sheetRowXml(2, ['Учителя', '10', '10'])).join('');
  const blocks = Math.ceil((megabytes * 1024 * 1024) / block.length);
  return minimalXlsx(
    [
      {
        name: 'Анкетирование',
        xml: function* () {
          yield SHEET_XML_HEAD + sheetRowXml(1, SURVEY_HEADERS);
          for (let n = 0; n < blocks; n++) yield block;
          yield SHEET_XML_TAIL;
        },
      },
    ],
    options.declaredMegabytes === undefined ? {} : { declaredSize: options.declaredMegabytes * 1024 * 1024 },
  );
}

/** An .xlsx whose sheet nests `depth` elements inside each other (a few MB once inflated). */
export function deeplyNestedXlsx(depth: number): Promise<Buffer> {
  return minimalXlsx([
    {
      name: 'Анкетирование',
      xml: function* () {
        yield SHEET_XML_HEAD + sheetRowXml(1, SURVEY_HEADERS);
        for (let n = 0; n < depth; n += 10_000) yield '<x>'.repeat(10_000);
        for (let n = 0; n < depth; n += 10_000) yield '</x>'.repeat(10_000);
        yield SHEET_XML_TAIL;
      },
    },
  ]);
}

/** An .xlsx whose sheet declares entities: a «billion laughs» and two external ones (a URL and a local file). */
export function entitiesXlsx(origin: string): Promise<Buffer> {
  const laughs = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
  const doctype = `<!DOCTYPE worksheet [<!ENTITY lol0 "ха">${laughs}<!ENTITY web SYSTEM "${origin}/entity"><!ENTITY file SYSTEM "file:///etc/passwd">]>`;
  const xml =
    SHEET_XML_HEAD.replace('\n', `\n${doctype}`) +
    sheetRowXml(1, SURVEY_HEADERS) +
    '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;&web;&file;</t></is></c></row>' +
    SHEET_XML_TAIL;
  return minimalXlsx([{ name: 'Анкетирование', xml }]);
}

/** A zip of `count` tiny parts: not a workbook, but cheap to make and costly to open part by part. */
export function manyPartsZip(count: number): Promise<Buffer> {
  return zipArchive(Array.from({ length: count }, (_, i) => ({ name: `xl/media/p${i}.bin`, data: 'x' })));
}

/** A readable workbook of `count` tabs: the survey tab of the contract, then tabs of no interest. */
export async function manyTabsXlsx(count: number): Promise<Buffer> {
  const tabs = [
    {
      name: 'Анкетирование',
      xml: SHEET_XML_HEAD + sheetRowXml(1, SURVEY_HEADERS) + sheetRowXml(2, ['Учителя', '10', '9']) + SHEET_XML_TAIL,
    },
    ...Array.from({ length: count - 1 }, (_, i) => ({
      name: `${HOSTILE_TAB_NAMES[i % HOSTILE_TAB_NAMES.length]} ${i}`,
      xml: SHEET_XML_HEAD + sheetRowXml(1, ['Код ОО', String(i)]) + SHEET_XML_TAIL,
    })),
  ];
  return minimalXlsx(tabs);
}
