import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import { readPdf } from '../support/pdf-text.js';
import { root, runCli } from '../support/run-cli.js';

const REGISTRY = path.join(root, 'examples', 'demo-region', 'registry.xlsx');

describe('monitor500 run --previous', () => {
  it('adds «было / стало» from the previous stage to indicators.json and the reports', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'monitor500-stages-'));
    try {
      const entry = path.join(dir, 'entry');
      const interim = path.join(dir, 'interim');
      const args = ['run', '--source', REGISTRY];
      expect((await runCli([...args, '--out', entry, '--as-of', '2026-09-30', '--stage', 'входной'])).code).toBe(0);
      const result = await runCli([
        ...args,
        '--out',
        interim,
        '--as-of',
        '2026-11-20',
        '--previous',
        path.join(entry, 'indicators.json'),
      ]);
      expect(result.code, result.stderr).toBe(0);
      const before = JSON.parse(await readFile(path.join(entry, 'indicators.json'), 'utf8')) as MonitoringIndicators;
      const after = JSON.parse(await readFile(path.join(interim, 'indicators.json'), 'utf8')) as MonitoringIndicators;
      expect(after.previous).toEqual({ asOf: '2026-09-30', stage: 'входной' });
      expect(after.region.consultations.previous).toBe(before.region.consultations.value);
      expect(after.region.consultations.change).toBe(
        after.region.consultations.value! - before.region.consultations.value!,
      );
      const report = await readPdf(await readFile(path.join(interim, 'reports', 'region.pdf')));
      expect(report.text).toContain('Было Изменение');
      const stage = await readPdf(await readFile(path.join(interim, 'reports', 'stage.pdf')));
      expect(stage.text).toContain('Отчёт о результатах промежуточного мониторинга');
      expect(stage.text).toContain('«Было» — по данным входного мониторинга на 30 сентября 2026 г.');
      const consultations = after.region.consultations;
      // The target and its source (the region's plan-graph, item 8), the verdict, then «было» and the change.
      expect(stage.text).toContain(
        `Консультаций кураторов ${consultations.value} ≥ 50 (по плану-графику, п. 8) не достигнуто ${consultations.previous} +${consultations.change}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not an indicators.json', async () => {
    const result = await runCli([
      'run',
      '--source',
      REGISTRY,
      '--out',
      path.join(tmpdir(), 'm500-none'),
      '--previous',
      path.join(root, 'package.json'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('не indicators.json монитора 500+');
  });
});

describe('monitor500 run when it cannot run', () => {
  it('exits non-zero with a one-line Russian reason when the registry is missing', async () => {
    const result = await runCli([
      'run',
      '--source',
      path.join(root, 'нет-такого.xlsx'),
      '--out',
      path.join(tmpdir(), 'm500-none'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^Ошибка: Файл «.*нет-такого\.xlsx» не найден\./);
  });

  it('exits non-zero when the registry is not a spreadsheet', async () => {
    const result = await runCli([
      'run',
      '--source',
      path.join(root, 'README.md'),
      '--out',
      path.join(tmpdir(), 'm500-none'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('не читается как таблица .xlsx');
  });

  it('explains wrong arguments', async () => {
    const result = await runCli([
      'run',
      '--source',
      REGISTRY,
      '--out',
      path.join(tmpdir(), 'm500-none'),
      '--stage',
      'финальный',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('«финальный» — нет такого этапа');
  });
});
