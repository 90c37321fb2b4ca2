/**
 * Issue #9, hostile input: the demo region with script, markup, template syntax, formulas,
 * prototype keys, control and bidi characters in every text cell, a hostile row in every tab,
 * schools coded «__proto__» and «constructor», a workbook of 200 tabs and seven broken ones
 * (truncated, not a zip, an old .xls, a zip bomb, deep nesting, XML entities, 20 000 parts),
 * run end to end: from .xlsx files in this process, and from Google Sheets as a real CLI process.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import { main } from '../../functions/cli.js';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { fakeSpreadsheetFromWorkbook, startFakeGoogleApis, type FakeGoogleApis } from '../support/fake-google/index.js';
import {
  buildHostileRegion,
  hostileTexts,
  INVISIBLE,
  LONG_TEXT,
  SCRIPT_MARK,
  shownText,
  type BrokenKind,
  type HostileRegion,
} from '../support/hostile-corpus.js';
import { readPdf } from '../support/pdf-text.js';
import { runCli } from '../support/run-cli.js';

const CYRILLIC = /[А-Яа-яЁё]/;
/** Whitespace and hyphens differ between a cell and a PDF's text lines; the characters do not. */
const compact = (text: string) => text.replace(/[\s\u00a0-]+/g, '');
const readJson = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;

let server: Server;
let origin = '';
/** Requests the renderer (or anything else) sent to the addresses in the hostile texts. */
const hits: string[] = [];
let dir: string;
let region: HostileRegion;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(tmpdir(), 'm500-hostile-corpus-'));
  region = await buildHostileRegion(dir, origin);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('a region with hostile text in every cell and broken workbooks, run from .xlsx files', () => {
  const out = () => path.join(dir, 'out');
  let code: number;
  let stdout = '';
  let stderr = '';
  let issues: ValidationIssue[];
  let indicators: MonitoringIndicators;
  const pdfs = new Map<string, string>();
  let prototypeKeys: string[];

  beforeAll(async () => {
    prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    // In this process, so that anything the run did to Object.prototype would show here.
    code = await main(['run', '--source', region.registry, '--out', out(), '--as-of', '2026-11-20'], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env: { ...process.env },
      clock: { now: () => new Date('2026-11-20T09:00:00Z') },
    });
    if (code !== 0) return;
    issues = (await readJson<{ issues: ValidationIssue[] }>(path.join(out(), 'validation.json'))).issues;
    indicators = await readJson<MonitoringIndicators>(path.join(out(), 'indicators.json'));
    for (const folder of ['reports', 'orders']) {
      for (const file of await readdir(path.join(out(), folder), { recursive: true })) {
        if (!file.endsWith('.pdf')) continue;
        const relative = `${folder}/${file}`;
        pdfs.set(relative, (await readPdf(await readFile(path.join(out(), relative)))).text);
      }
    }
  });

  it('finishes (exit 0) and locates every hostile value of a typed column, in Russian', () => {
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Готово: \d+ документ/);
    const expected: Record<string, string> = {
      int: 'not_integer',
      number: 'not_number',
      percent: 'not_percent',
      date: 'not_date',
      bool: 'not_bool',
      url: 'not_url',
      enum: 'not_in_list',
      period: 'unparsed_period',
      ref: 'unknown_reference',
    };
    // A reference to a code that the hostile row of «Школы» or «Муниципалитеты» holds is a good reference.
    const known = new Set([
      ...region.prototypeSchools,
      ...region.hostileRows.filter((p) => p.workbook === 'registry.xlsx' && p.column.unique).map((p) => p.text),
    ]);
    const typed = region.hostileRows.filter(
      (p) => p.column.cell.type in expected && !(p.column.cell.type === 'ref' && known.has(p.text)),
    );
    expect(typed.length).toBeGreaterThan(60);
    for (const planted of typed) {
      const found = issues.filter(
        (i) => i.workbook === planted.workbook && i.tab === planted.tab && i.cell === planted.cell,
      );
      expect(
        found.map((i) => i.code),
        `${planted.workbook} «${planted.tab}» ${planted.cell}`,
      ).toContain(expected[planted.column.cell.type]);
      expect(found.every((i) => i.column === planted.column.header)).toBe(true);
    }
    for (const issue of issues) {
      expect(issue.message).toMatch(CYRILLIC);
      expect(issue.message).not.toMatch(/undefined|\[object|NaN/);
    }
    // The header columns «__proto__» and «constructor» of every table are ignored with a warning.
    const unknownHeaders = issues.filter((i) => i.code === 'unknown_column' && i.row === 1);
    expect(unknownHeaders.filter((i) => i.value === '__proto__').length).toBeGreaterThanOrEqual(15);
    expect(unknownHeaders.filter((i) => i.value === 'constructor').length).toBeGreaterThanOrEqual(15);
    expect(issues).toContainEqual(expect.objectContaining({ ...region.longCell, code: 'too_long', severity: 'error' }));
  });

  it('says on the registry cell of each broken workbook which file it is and why, and reads every other school', () => {
    const why: Record<BrokenKind, string> = {
      truncated: 'повреждён, записан не полностью',
      'not-a-zip': 'повреждён, записан не полностью',
      'old-xls': 'старого формата .xls или таблица, защищённая паролем',
      'zip-bomb': 'в распакованном виде больше допустимых 100 МБ',
      nested: 'глубже 100 уровней',
      entities: 'объявлен тип документа (<!DOCTYPE>)',
      'many-parts': 'больше 10 000 внутренних частей',
    };
    for (const broken of region.broken) {
      const issue = issues.find((i) => i.code === 'workbook_unreadable' && i.value === broken.reference);
      expect(issue, broken.kind).toMatchObject({
        workbook: 'registry.xlsx',
        tab: 'Школы',
        column: 'Таблица школы',
        severity: 'error',
      });
      expect(issue!.cell).toMatch(/^[A-Z]+\d+$/);
      expect(issue!.message).toContain(`Таблица школы ${broken.code} не прочитана`);
      expect(issue!.message).toContain(broken.reference.replace('broken/', ''));
      expect(issue!.message.replace(/\u00a0/g, ' ')).toContain(why[broken.kind]);
      expect(indicators.schools[broken.code]?.workbook.status).toBe('unreadable');
      expect(pdfs.get(`reports/schools/${broken.code}.pdf`)).toContain('таблица школы не читается');
    }
    const read = Object.values(indicators.schools).filter((s) => s.workbook.status === 'read');
    expect(read.map((s) => s.code).sort()).toEqual(
      [
        '56-001',
        '56-002',
        '56-005',
        '56-006',
        '56-008',
        '56-011',
        '__proto__',
        'constructor',
        region.traversalSchool,
        region.manyTabsSchool,
      ].sort(),
    );
    // 194 tabs of no interest, named «__proto__ 7», «=HYPERLINK("x") 10», «<script> 11»…: ignored.
    expect(indicators.schools[region.manyTabsSchool]!.roadmap.overdueItems.length).toBeGreaterThan(0);
    // The findings of the workbook it copies (demo school 56-002), none more.
    expect(issues.filter((i) => i.workbook === 'schools/many-tabs.xlsx').map((i) => `${i.tab} ${i.cell}`)).toEqual([
      'Дорожная карта H7',
      'Дорожная карта I8',
    ]);
  });

  it('prints every hostile text as literal text: no script ran, no markup took effect, nothing was fetched', () => {
    expect(pdfs.size).toBeGreaterThan(25);
    const all = [...pdfs.values()].map(compact);
    for (const { text } of hostileTexts(origin)) {
      const shown = compact(shownText(text));
      expect(
        all.some((pdf) => pdf.includes(shown)),
        text,
      ).toBe(true);
    }
    for (const [file, text] of pdfs) {
      expect(text, file).not.toContain(SCRIPT_MARK);
      expect(text, file).not.toContain(LONG_TEXT.slice(0, 200));
    }
    expect(hits).toEqual([]);
  });

  it('drops control and bidi characters with a warning on their cell, so a document shows the words that were checked', async () => {
    for (const [file, text] of pdfs) expect(INVISIBLE.test(text), file).toBe(false);
    const invisible = region.planted.filter((p) => shownText(p.text) !== p.text);
    expect(invisible.length).toBeGreaterThan(10);
    for (const planted of invisible) {
      expect(issues, `${planted.workbook} ${planted.tab} ${planted.cell}`).toContainEqual(
        expect.objectContaining({
          workbook: planted.workbook,
          tab: planted.tab,
          cell: planted.cell,
          severity: 'warning',
          code: 'invalid_value',
          message: expect.stringContaining('невидимые управляющие символы'),
        }),
      );
    }
    // «МБОУ ‮ШОС‬ «⁧Берёзка⁩»» would read «МБОУ «Берёзка» СОШ» with its override left in.
    expect([...pdfs.values()].some((text) => compact(text).includes('МБОУШОС«Берёзка»'))).toBe(true);
    expect([...pdfs.values()].some((text) => compact(text).includes('МБОУ«Берёзка»СОШ'))).toBe(false);
    // Progress lines name schools: nothing in them a terminal would obey.
    expect(INVISIBLE.test(stderr.replace(/\n/g, ''))).toBe(false);
    const index = await readFile(path.join(out(), 'index.html'), 'utf8');
    expect(index).toContain('&lt;script&gt;document.body.innerHTML&#x3D;');
    // The dashboard's charts are our own inline SVG (role="img"); nothing in them loads or runs anything.
    expect(index).not.toMatch(
      /<(script|img|iframe|object|embed|base|link|foreignObject|image|use)\b|http-equiv="refresh"/i,
    );
    expect(index.match(/<svg\b[^>]*>/g)?.every((svg) => svg.includes('role="img"'))).toBe(true);
  });

  it('keeps schools and a municipality coded «__proto__» and «constructor» as ordinary entries and pollutes nothing', async () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const code of region.prototypeSchools) {
      expect(Object.hasOwn(indicators.schools, code), code).toBe(true);
      expect(indicators.schools[code]).toMatchObject({ code, name: `МБОУ «Школа ${code}»` });
      expect(pdfs.get(`reports/schools/${code}.pdf`)).toContain(`МБОУ «Школа ${code}»`);
    }
    expect(Object.hasOwn(indicators.municipalities, '__proto__')).toBe(true);
    expect(indicators.municipalities['__proto__']!.name).toBe('Район «__proto__»');
    expect(pdfs.get('reports/municipalities/__proto__.pdf')).toContain('МБОУ «Школа __proto__»');
    // A code that would climb out of the output directory names a file inside it.
    expect(indicators.schools[region.traversalSchool]?.workbook.status).toBe('read');
    const { documents } = await readJson<{ documents: { path: string }[] }>(path.join(out(), 'manifest.json'));
    for (const document of documents) {
      expect(document.path).toMatch(/^(reports|orders)\//);
      expect(document.path.split('/')).not.toContain('..');
    }
    expect(documents.filter((d) => d.path.includes('вне-каталога'))).toHaveLength(1);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['out', 'region']));
    expect((await readdir(dir)).filter((name) => name.includes('вне-каталога'))).toEqual([]);
    const identification = await readFile(path.join(out(), 'identification.json'), 'utf8');
    expect(identification).toContain('"__proto__"');
  });
});

describe('the same region read from Google Sheets: what is written back is inert and fits', () => {
  let google: FakeGoogleApis;
  const REGISTRY_ID = 'hostile-registry';
  const FULL_CELL = `=IMPORTXML("http://127.0.0.1:9/";"//a")${'я'.repeat(49_950)}`;
  const ESCAPES = 'Мероприятие\u001b]0;взлом\u0007 с подменой\u001b[2J';

  beforeAll(async () => {
    google = await startFakeGoogleApis();
  });
  afterAll(async () => {
    await google.close();
  });

  it('finishes, writes no formula, apostrophes every text a sheet would take for one, and keeps each cell under 50 000 characters', async () => {
    const regionDir = path.dirname(region.registry);
    const registry = await readXlsxWorkbook(region.registry, 20);
    const schools = registry.tabs.find((t) => t.name === 'Школы')!;
    const column = schools.rows[0]!.findIndex((c) => c.value === 'Таблица школы');
    const schoolIds: string[] = [];
    for (const row of schools.rows.slice(1)) {
      const cell = row[column];
      if (typeof cell?.value !== 'string' || !cell.value.startsWith('schools/')) continue;
      const id = `hostile-${path.basename(cell.value, '.xlsx')}`;
      const workbook: RawWorkbook = await readXlsxWorkbook(path.join(regionDir, cell.value), 20);
      if (cell.value === 'schools/56-001.xlsx') {
        // What only Google can deliver: a cell at the 50 000-character limit, control characters.
        workbook.tabs.find((t) => t.name === 'Анкетирование')!.rows[1]![1] = { value: FULL_CELL };
        workbook.tabs.find((t) => t.name === 'Дорожная карта')!.rows[1]![3] = { value: ESCAPES };
      }
      cell.value = id;
      schoolIds.push(id);
      google.put(fakeSpreadsheetFromWorkbook(id, workbook, '2026-11-01T10:00:00Z'));
    }
    google.put(fakeSpreadsheetFromWorkbook(REGISTRY_ID, registry, '2026-11-01T10:00:00Z'));

    const out = path.join(dir, 'sheets');
    const result = await runCli(['run', '--source', `sheets:${REGISTRY_ID}`, '--out', out, '--as-of', '2026-11-20'], {
      MONITOR500_GOOGLE_API_ROOT: google.url,
      MONITOR500_GOOGLE_ACCESS_TOKEN: 'test-token',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(INVISIBLE.test(result.stderr.replace(/\n/g, ''))).toBe(false);

    const written = google.requests.filter((r) => r.op === 'batchUpdate' && r.status === 200);
    expect(written.length).toBeGreaterThan(5);
    const texts: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          expect(key).not.toBe('formulaValue');
          if ((key === 'stringValue' || key === 'note') && typeof value === 'string') texts.push(value);
          else collect(value);
        }
      }
    };
    written.forEach((r) => collect(r.body));
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(50_000);
      expect(text).not.toMatch(/^[=+\-@]/);
    }
    const formulas = hostileTexts(origin).filter((h) => h.kind === 'formula');
    expect(texts.some((t) => formulas.some((f) => t === `'${f.text}`))).toBe(true);
    expect(texts.some((t) => t.startsWith(`'=IMPORTXML(`) && t.endsWith('я'))).toBe(true);
    const feedback = google.spreadsheets.get('hostile-56-001')!.sheets.find((s) => s.title === 'Проверка')!;
    const rows = feedback.rows.map((r) => r.map((c) => String(c.value ?? '')));
    expect(rows).toContainEqual(
      expect.arrayContaining(['Анкетирование', 'B2', 'Требуется', 'ошибка', expect.stringMatching(/…$/)]),
    );
    expect(rows.find((r) => r[1] === 'D2' && r[0] === 'Дорожная карта')?.[4]).toContain(
      'невидимые управляющие символы (U+001B, U+0007)',
    );
    for (const id of [REGISTRY_ID, ...schoolIds]) {
      const cells = google.spreadsheets.get(id)!.sheets.flatMap((s) => s.rows.flat());
      expect(cells.some((c) => c.formula)).toBe(false);
    }
    const { issues } = await readJson<{ issues: ValidationIssue[] }>(path.join(out, 'validation.json'));
    expect(issues).toContainEqual(
      expect.objectContaining({ workbook: 'hostile-56-001', tab: 'Дорожная карта', cell: 'D2', code: 'invalid_value' }),
    );
    expect(hits).toEqual([]);
  });
});
