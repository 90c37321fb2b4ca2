/**
 * Rebuilds the bundled demo region «Оренбургская область» (examples/demo-region) from its data:
 *   data/registry.json, data/schools/<Код ОО>.json → registry.xlsx, schools/<Код ОО>.xlsx, README.md
 *
 *   npx tsx scripts/generate-demo-region.ts
 *
 * The data files give each tab's rows by the field names of its schema (schemas/tabs); headers, cell
 * types and the order of tabs and columns come from the schemas through the one workbook builder
 * (core/workbook-sheets.ts, adapters/xlsx/workbook-writer.ts). A few mistakes that schools and
 * curators really make are planted on purpose: each is marked beside its cell in the data
 * ({"cell": …, "planted": {…}}), or on its tab for a header or an empty row, and listed in README.md
 * with the cell's address, so the README and the workbooks cannot drift apart.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { writeXlsx } from '../functions/adapters/xlsx/workbook-writer.js';
import type { TabId } from '../functions/core/tab-specs.js';
import { columnLetter } from '../functions/core/validation-issue.js';
import {
  workbookSheets,
  type CellInput,
  type RowInput,
  type TabContent,
  type WorkbookContent,
} from '../functions/core/workbook-sheets.js';
import { monitoringRules } from '../functions/monitoring-rules.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'examples', 'demo-region');
const DATA_DIR = join(OUT_DIR, 'data');
/** Fixed workbook metadata: the files do not change with the day they are made. */
const CREATOR = 'Монитор 500+ (демонстрационные данные)';
const CREATED = '2026-11-20';

type Verdict = 'ошибка' | 'предупреждение' | 'не ошибка';
interface Planted {
  what: string;
  expect: string;
  verdict: Verdict;
}
/** A planted mistake or harmless variation on a tab's header (row 1) or its empty row. */
interface TabPlanted extends Planted {
  row: 'header' | 'empty';
  field?: string;
}
/** A tab as the data file has it: rows as objects by field or, with `fields`, as arrays. */
interface TabData extends Omit<TabContent, 'rows'> {
  fields?: string[];
  rows: (Record<string, unknown> | unknown[] | null)[];
  planted?: TabPlanted[];
}
interface FileData {
  tabs: Partial<Record<TabId, TabData>>;
}
/** One row of the README's tables. */
interface Note extends Planted {
  file: string;
  tab: string;
  cell: string;
}

const { specs } = monitoringRules();

const isPlanted = (value: unknown): value is { cell: CellInput; planted: Planted } =>
  typeof value === 'object' && value !== null && 'planted' in value && 'cell' in value;

/** The builder's content of one data file, and the notes of what is planted in it, with their cells. */
function contentOf(file: string, data: FileData): { content: WorkbookContent; notes: Note[] } {
  const notes: Note[] = [];
  const tabs: Partial<Record<TabId, TabContent>> = {};
  for (const [id, tab] of Object.entries(data.tabs) as [TabId, TabData][]) {
    const spec = specs.get(id);
    if (!spec) throw new Error(`${file}: no tab schema «${id}»`);
    const { fields, planted = [], rows, ...layout } = tab;
    const columns = [...(layout.columns ?? spec.columns.map((c) => c.key)), ...(layout.extraColumns ?? [])];
    const column = (field: string) => {
      const j = columns.indexOf(field);
      if (j < 0) throw new Error(`${file} / ${spec.title}: no column «${field}»`);
      return columnLetter(j);
    };
    const note = (p: Planted, cell: string) =>
      notes.push({ file, tab: spec.title, cell, what: p.what, expect: p.expect, verdict: p.verdict });
    for (const p of planted) {
      const empty = rows.indexOf(null) + 2;
      if (p.row === 'empty' && empty < 2) throw new Error(`${file} / ${spec.title}: no empty row`);
      note(p, p.row === 'empty' ? `строка ${empty}` : `${column(p.field ?? '')}1`);
    }
    const rowInputs = rows.map((row, i): RowInput | null => {
      if (row === null) return null;
      const entries = Array.isArray(row)
        ? row.map((value, j) => [fields?.[j] ?? String(j), value] as const)
        : Object.entries(row);
      return Object.fromEntries(
        entries.map(([field, value]) => {
          if (!isPlanted(value)) return [field, value as CellInput];
          // A key-value tab («Регион») lists its fields down the rows, the values in column B.
          const cell = spec.layout === 'key-value' ? `B${columns.indexOf(field) + 2}` : `${column(field)}${i + 2}`;
          note(value.planted, cell);
          return [field, value.cell];
        }),
      );
    });
    tabs[id] = { ...layout, rows: rowInputs };
  }
  return { content: { name: file, tabs, creator: CREATOR, created: CREATED }, notes };
}

async function readData(path: string): Promise<FileData> {
  return JSON.parse(await readFile(path, 'utf8')) as FileData;
}

function table(headers: string[], rows: string[][]): string {
  const esc = (v: string): string => v.replace(/\|/g, '\\|');
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** README.md: the template's text with the tables of planted mistakes and harmless variations. */
async function renderReadme(notes: Note[]): Promise<string> {
  const template = await readFile(join(DATA_DIR, 'README.template.md'), 'utf8');
  const row = (n: Note, i: number, last: string) => [String(i + 1), `\`${n.file}\``, n.tab, n.cell, n.what, last];
  const mistakes = notes
    .filter((n) => n.verdict !== 'не ошибка')
    .map((n, i) => row(n, i, `**${n.verdict}**: ${n.expect}`));
  const harmless = notes.filter((n) => n.verdict === 'не ошибка').map((n, i) => row(n, i, n.expect));
  return template
    .replace(
      '<!-- planted: errors -->',
      table(['№', 'Файл', 'Вкладка', 'Ячейка', 'Что не так', 'Что должен сказать валидатор'], mistakes),
    )
    .replace(
      '<!-- planted: harmless -->',
      table(['№', 'Файл', 'Вкладка', 'Ячейка', 'Что необычно', 'Как должно быть прочитано'], harmless),
    );
}

async function main(): Promise<void> {
  const files: [string, FileData][] = [['registry.xlsx', await readData(join(DATA_DIR, 'registry.json'))]];
  const schoolData = (await readdir(join(DATA_DIR, 'schools'))).filter((f) => f.endsWith('.json')).sort();
  for (const name of schoolData) {
    files.push([`schools/${name.replace(/\.json$/, '.xlsx')}`, await readData(join(DATA_DIR, 'schools', name))]);
  }
  await rm(join(OUT_DIR, 'schools'), { recursive: true, force: true });
  await mkdir(join(OUT_DIR, 'schools'), { recursive: true });
  const notes: Note[] = [];
  for (const [file, data] of files) {
    const { content, notes: planted } = contentOf(file, data);
    await writeXlsx(workbookSheets(specs, content), join(OUT_DIR, file));
    notes.push(...planted);
  }
  // Formatted with the project's Prettier settings so that `prettier --check .` stays green.
  const readmePath = join(OUT_DIR, 'README.md');
  const prettierOptions = (await prettier.resolveConfig(readmePath)) ?? {};
  const readme = await prettier.format(await renderReadme(notes), { ...prettierOptions, filepath: readmePath });
  await writeFile(readmePath, readme, 'utf8');
  const planted = notes.filter((n) => n.verdict !== 'не ошибка').length;
  console.log(
    `demo region written to ${OUT_DIR}: registry.xlsx, ${files.length - 1} school workbooks, README.md ` +
      `(${planted} planted mistakes, ${notes.length - planted} harmless variations)`,
  );
}

await main();
