import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { readPdf } from '../support/pdf-text.js';
import { root, runCli } from '../support/run-cli.js';

describe('monitor500 run with broken school workbooks', () => {
  it('reports the broken ones on their «Таблица школы» cell and keeps every other school', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'm500-faults-'));
    try {
      await cp(path.join(root, 'examples', 'demo-region'), path.join(dir, 'region'), { recursive: true });
      await writeFile(path.join(dir, 'region', 'schools', '56-006.xlsx'), 'испорченный файл');
      await rm(path.join(dir, 'region', 'schools', '56-008.xlsx'));
      const out = path.join(dir, 'out');
      const result = await runCli([
        'run',
        '--source',
        path.join(dir, 'region', 'registry.xlsx'),
        '--out',
        out,
        '--as-of',
        '2026-11-20',
      ]);
      expect(result.code, result.stderr).toBe(0);

      const indicators = JSON.parse(await readFile(path.join(out, 'indicators.json'), 'utf8')) as MonitoringIndicators;
      const status = Object.fromEntries(Object.values(indicators.schools).map((s) => [s.code, s.workbook.status]));
      expect(status).toEqual({
        '56-001': 'read',
        '56-002': 'read',
        '56-005': 'read',
        '56-006': 'unreadable',
        '56-008': 'missing',
        '56-011': 'read',
      });
      expect(indicators.region.reported).toBe(4);

      const { issues } = JSON.parse(await readFile(path.join(out, 'validation.json'), 'utf8')) as {
        issues: ValidationIssue[];
      };
      const unreadable = issues.filter((i) => i.code === 'workbook_unreadable');
      expect(unreadable.map((i) => [i.tab, i.column, i.value])).toEqual([
        ['Школы', 'Таблица школы', 'schools/56-006.xlsx'],
        ['Школы', 'Таблица школы', 'schools/56-008.xlsx'],
      ]);
      expect(unreadable[0]!.message).toContain('не читается как таблица .xlsx');
      expect(unreadable[1]!.message).toContain('не найден');

      const report = await readPdf(await readFile(path.join(out, 'reports', 'schools', '56-008.pdf')));
      expect(report.text).toContain('Данные о дорожной карте не получены: таблица школы не найдена');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
