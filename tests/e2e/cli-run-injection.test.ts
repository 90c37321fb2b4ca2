import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import { normalizeSpaces, readPdf } from '../support/pdf-text.js';
import { root, runCli } from '../support/run-cli.js';

let server: Server;
let hits = 0;
let dir: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(path.join(tmpdir(), 'm500-injection-'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function edit(file: string, tab: string, change: (sheet: ExcelJS.Worksheet) => void) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  change(workbook.getWorksheet(tab)!);
  await workbook.xlsx.writeFile(file);
}

describe('hostile text in the sheets', () => {
  it('appears in the PDFs as plain text, runs nothing and fetches nothing', async () => {
    const port = (server.address() as AddressInfo).port;
    const hostile = `<script>document.body.textContent='подмена'</script><img src="http://127.0.0.1:${port}/x.png"> {{@root.assets}} }} «Школа»`;
    const region = path.join(dir, 'region');
    await cp(path.join(root, 'examples', 'demo-region'), region, { recursive: true });
    // The name of school 56-002 in the registry, and every measure of its roadmap.
    await edit(path.join(region, 'registry.xlsx'), 'Школы', (sheet) => {
      sheet.eachRow((row) => {
        if (row.getCell(1).value === '56-002') row.getCell(2).value = hostile;
      });
    });
    await edit(path.join(region, 'schools', '56-002.xlsx'), 'Дорожная карта', (sheet) => {
      const column = (sheet.getRow(1).values as ExcelJS.CellValue[]).indexOf('Мероприятие');
      sheet.eachRow((row, n) => {
        if (n > 1) row.getCell(column).value = `${hostile} № ${n}`;
      });
    });
    const out = path.join(dir, 'out');
    const result = await runCli([
      'run',
      '--source',
      path.join(region, 'registry.xlsx'),
      '--out',
      out,
      '--as-of',
      '2026-11-20',
    ]);
    expect(result.code, result.stderr).toBe(0);

    const indicators = JSON.parse(await readFile(path.join(out, 'indicators.json'), 'utf8')) as MonitoringIndicators;
    const school = indicators.schools['56-002']!;
    expect(school.name).toBe(hostile);
    expect(school.roadmap.overdueItems.length).toBeGreaterThan(0);

    const report = await readPdf(await readFile(path.join(out, 'reports', 'schools', '56-002.pdf')));
    const compact = (text: string) => text.replace(/[\s\u00a0-]+/g, '');
    expect(compact(report.text)).toContain(compact(hostile));
    for (const item of school.roadmap.overdueItems) expect(compact(report.text)).toContain(compact(item.activity));
    const regionReport = await readPdf(await readFile(path.join(out, 'reports', 'region.pdf')));
    expect(compact(regionReport.text)).toContain(compact(hostile));
    // Had the script run, the page would hold nothing but «подмена».
    expect(normalizeSpaces(report.text)).toContain('Аналитическая справка');
    expect(hits).toBe(0);
  });
});
