import { describe, expect, it } from 'vitest';
import { runIndexView } from '../../functions/core/documents/dashboard.js';
import { sheetLink } from '../../functions/core/sheet-link.js';
import { documentHtml } from '../../functions/render/document-html.js';
import { inlineBarSvg, targetBarsSvg, trendSvg } from '../../functions/render/dashboard-charts.js';
import { fixtureIndicators } from '../support/fixture-region.js';

describe('the run index dashboard (core/documents/dashboard.ts, render/dashboard-charts.ts)', () => {
  it('links a school’s table only when it is a Google Sheet, rebuilt from its ID', () => {
    expect(sheetLink('https://docs.google.com/spreadsheets/d/1AbcDEF_ghi-0123456789/edit#gid=7')).toBe(
      'https://docs.google.com/spreadsheets/d/1AbcDEF_ghi-0123456789/edit',
    );
    for (const other of [
      'schools/56-001.xlsx',
      'javascript:alert(1)',
      'https://evil.example/spreadsheets/d/1AbcDEF_ghi-0123456789',
      'https://docs.google.com/spreadsheets/d/1AbcDEF_ghi-0123456789"><script>',
      undefined,
    ]) {
      expect(sheetLink(other), String(other)).toBeUndefined();
    }
  });

  it('escapes every text it draws', () => {
    const hostile = '<script>alert("x")</script>&\'';
    const svgs = [
      targetBarsSvg({
        title: hostile,
        desc: hostile,
        rows: [
          {
            label: hostile,
            value: 0.5,
            valueText: hostile,
            max: 1,
            target: 0.75,
            targetText: hostile,
            verdict: 'missed',
            verdictText: hostile,
          },
        ],
      }),
      inlineBarSvg({ title: hostile, value: 3, max: 4, target: null, verdict: 'met' }),
      trendSvg({
        title: hostile,
        desc: hostile,
        target: 0.5,
        targetText: hostile,
        points: [{ label: hostile, sublabel: hostile, value: null, valueText: hostile, current: true }],
      }),
    ];
    for (const svg of svgs) {
      expect(svg).not.toContain('<script');
      expect(svg).not.toMatch(/&(?!#\d+;)/);
      expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*><title>[^<]+<\/title><desc>[^<]+<\/desc>/);
    }
  });

  it('plots the closed stages up to the run’s day, without the run’s own stage twice', () => {
    const entry = fixtureIndicators('2026-10-01', 'входной');
    const now = fixtureIndicators('2026-11-20', 'промежуточный');
    const later = fixtureIndicators('2027-01-20', 'промежуточный');
    const closed = [
      { schoolYear: '2026/2027', stage: 'входной' as const, asOf: '2026-10-01', indicators: entry },
      // The run's own stage, closed later: a rerun of this day does not show it.
      { schoolYear: '2026/2027', stage: 'промежуточный' as const, asOf: '2027-01-20', indicators: later },
    ];
    const view = runIndexView(now, [], [], undefined, [], closed);
    expect(view.trend.hasHistory).toBe(true);
    expect(view.trend.columns.map((c) => c.name)).toEqual([
      'Входной мониторинг, 2026/2027',
      'Промежуточный мониторинг, 2026/2027',
    ]);
    expect(view.trend.columns[1]!.date).toBe('20 ноября 2026\u00a0г. (этот прогон)');
    const html = documentHtml('run-index', view);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('Динамика по этапам');
    expect(runIndexView(now, [], []).trend.hasHistory).toBe(false);
  });
});
