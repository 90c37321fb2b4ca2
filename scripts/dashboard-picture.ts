/**
 * docs/dashboard.png: the run's index.html (the dashboard) of the demo region, with a trend.
 *
 *   npx tsx scripts/dashboard-picture.ts [<каталог>]   (с каталогом — прогон остаётся в нём)
 *
 * The demo region's registry has no stage calendar, so no run closes a stage by itself: the script
 * runs the входной stage on 1 October 2026, records it as closed in the output's state (what a run
 * dated by the stage's deadline does — app/stage-archive.ts `closeStage`), then runs the промежуточный
 * stage on 20 November 2026 into the same directory and photographs its index.html in headless Chromium.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import { localOutputDir } from '../functions/adapters/local-dir/output-dir.js';
import { stateFor } from '../functions/app/ports/run-state-store.js';
import { closeStage } from '../functions/app/stage-archive.js';
import { parseSchoolYear } from '../functions/core/calendar.js';
import type { MonitoringIndicators } from '../functions/core/indicators.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REGISTRY = path.join(ROOT, 'examples', 'demo-region', 'registry.xlsx');

function run(out: string, asOf: string, stage: string): void {
  const cli = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'functions', 'cli.ts'),
      'run',
      '--source',
      REGISTRY,
      '--out',
      out,
      '--as-of',
      asOf,
      '--stage',
      stage,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (cli.status !== 0) throw new Error(`monitor500 run ${asOf} ${stage}: ${cli.stderr}`);
}

const keep = process.argv[2];
const work = keep ? path.resolve(keep) : await mkdtemp(path.join(tmpdir(), 'monitor500-dashboard-'));
try {
  const entry = path.join(work, 'entry');
  const out = path.join(work, 'out');
  run(entry, '2026-10-01', 'входной');
  const indicators = JSON.parse(await readFile(path.join(entry, 'indicators.json'), 'utf8')) as MonitoringIndicators;
  const schoolYear = parseSchoolYear(indicators.schoolYear);
  if (!schoolYear) throw new Error(`учебный год «${indicators.schoolYear}» не прочитан`);
  await closeStage(stateFor(localOutputDir(out)), schoolYear, {
    stage: 'входной',
    deadline: '2026-10-01',
    asOf: indicators.asOf,
    location: '',
    closedAt: '2026-10-01T00:00:00.000Z',
    indicators,
  });
  run(out, '2026-11-20', 'промежуточный');

  const browser = await puppeteer.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(pathToFileURL(path.join(out, 'index.html')).href, { waitUntil: 'load' });
    const png = await page.screenshot({ fullPage: true, type: 'png' });
    await writeFile(path.join(ROOT, 'docs', 'dashboard.png'), png);
    console.log(`docs/dashboard.png: ${png.byteLength} bytes`);
  } finally {
    await browser.close();
  }
} finally {
  if (!keep) await rm(work, { recursive: true, force: true });
}
