import { scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import type { InlineBar, TargetBarChart, TrendChart, VerdictKind } from '../core/documents/dashboard.js';
import { formatShare } from '../core/format-ru.js';
import { escapeXml } from './charts.js';

/**
 * The charts of the run's index page (core/documents/dashboard.ts gives their numbers and texts):
 * SVG drawn on the server, every text escaped here, no script and no external reference. Each chart
 * is an `<svg role="img">` with a `<title>` and a `<desc>`; the page repeats its numbers as text.
 * The colours keep a contrast of at least 4.5:1 against white for text, 3:1 for bars.
 */

/** Text and bar colours of each verdict (text on white: ≥ 7:1). */
export const VERDICT_COLOURS: Record<VerdictKind, string> = {
  met: '#1b5e20',
  missed: '#b3261e',
  undetermined: '#7a5200',
  nodata: '#4d4d4d',
  none: '#41566e',
};
const VERDICT_MARK: Record<VerdictKind, string> = { met: '✓', missed: '✗', undetermined: '?', nodata: '—', none: '' };
const TEXT = '#1a1a1a';
const MUTED = '#4d4d4d';
const TRACK = '#e8e8e8';
const GRID = '#d0d0d0';
const LINE = '#1f4e79';

function svgOpen(width: number, height: number, title: string, desc: string, style = ''): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img"` +
    `${style ? ` class="${style}"` : ''} font-family="PT Serif, Georgia, serif">` +
    `<title>${escapeXml(title)}</title><desc>${escapeXml(desc)}</desc>`
  );
}

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

/**
 * The region's indicators, a row each: the label, a bar of the value on the row's own scale (0–100 %
 * for shares), the target as a vertical mark, the value, and the verdict in words.
 */
export function targetBarsSvg(chart: TargetBarChart): string {
  const row = 26;
  const top = 22;
  const barX = 350;
  const barWidth = 200;
  const width = 780;
  const height = top + chart.rows.length * row + 30;
  const parts: string[] = [
    `<text x="${barX}" y="14" font-size="11" fill="${MUTED}">значение и цель (черта)</text>`,
    `<text x="${barX + barWidth + 10}" y="14" font-size="11" fill="${MUTED}">значение</text>`,
    `<text x="${barX + barWidth + 100}" y="14" font-size="11" fill="${MUTED}">итог</text>`,
  ];
  chart.rows.forEach((r, i) => {
    const y = top + i * row;
    const mid = y + row / 2;
    parts.push(
      `<text x="0" y="${mid}" dominant-baseline="middle" font-size="12" fill="${TEXT}">${escapeXml(r.label)}</text>`,
      `<rect x="${barX}" y="${y + 6}" width="${barWidth}" height="${row - 12}" fill="${TRACK}"/>`,
    );
    if (r.value !== null) {
      const w = clamp01(r.value / r.max) * barWidth;
      parts.push(
        `<rect x="${barX}" y="${y + 6}" width="${w.toFixed(1)}" height="${row - 12}" fill="${VERDICT_COLOURS[r.verdict]}"/>`,
      );
    }
    if (r.target !== null) {
      const tx = barX + clamp01(r.target / r.max) * barWidth;
      parts.push(
        `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${y + 2}" y2="${y + row - 2}" stroke="${TEXT}" stroke-width="2.5"/>`,
      );
    }
    const mark = VERDICT_MARK[r.verdict];
    parts.push(
      `<text x="${barX + barWidth + 10}" y="${mid}" dominant-baseline="middle" font-size="12" fill="${TEXT}">${escapeXml(r.valueText)}</text>`,
      `<text x="${barX + barWidth + 100}" y="${mid}" dominant-baseline="middle" font-size="12" fill="${VERDICT_COLOURS[r.verdict]}"${r.verdict === 'missed' ? ' font-weight="bold"' : ''}>${escapeXml(`${mark ? `${mark} ` : ''}${r.verdictText}`)}</text>`,
    );
  });
  const ly = top + chart.rows.length * row + 18;
  parts.push(
    `<text x="0" y="${ly}" font-size="11" fill="${MUTED}">Доли — от 0 до 100 %, числа — от 0 до наибольшего из значения и цели.</text>`,
  );
  return `${svgOpen(width, height, chart.title, chart.desc, 'chart wide')}${parts.join('')}</svg>`;
}

/** A bar inside a table cell: the value on its scale, the target as a mark. */
export function inlineBarSvg(bar: InlineBar): string {
  const width = 100;
  const height = 14;
  const parts = [`<rect x="0" y="2" width="${width}" height="${height - 4}" fill="${TRACK}"/>`];
  if (bar.value !== null) {
    const w = clamp01(bar.value / bar.max) * width;
    parts.push(
      `<rect x="0" y="2" width="${w.toFixed(1)}" height="${height - 4}" fill="${VERDICT_COLOURS[bar.verdict]}"/>`,
    );
  }
  if (bar.target !== null) {
    const tx = Math.min(width - 1, clamp01(bar.target / bar.max) * width);
    parts.push(
      `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="0" y2="${height}" stroke="${TEXT}" stroke-width="2"/>`,
    );
  }
  return `${svgOpen(width, height, bar.title, bar.title, 'bar')}${parts.join('')}</svg>`;
}

/** One key indicator of the region across the stages: a line of shares (0–100 %), the target dashed. */
export function trendSvg(chart: TrendChart): string {
  const width = 320;
  const height = 200;
  const margin = { top: 24, right: 14, bottom: 40, left: 44 };
  const x = scalePoint<number>()
    .domain(chart.points.map((_, i) => i))
    .range([margin.left, width - margin.right])
    .padding(0.5);
  const y = scaleLinear()
    .domain([0, 1])
    .range([height - margin.bottom, margin.top]);
  const parts: string[] = [];
  for (const tick of [0, 0.5, 1]) {
    const ty = y(tick).toFixed(1);
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${ty}" y2="${ty}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${margin.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle" font-size="10" fill="${MUTED}">${escapeXml(formatShare(tick, 0))}</text>`,
    );
  }
  if (chart.target !== null) {
    const ty = y(clamp01(chart.target));
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="${TEXT}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text x="${width - margin.right}" y="${(ty - 4).toFixed(1)}" text-anchor="end" font-size="10" fill="${TEXT}">${escapeXml(chart.targetText)}</text>`,
    );
  }
  const path = line<{ value: number | null; i: number }>()
    .defined((p) => p.value !== null)
    .x((p) => x(p.i) ?? 0)
    .y((p) => y(clamp01(p.value ?? 0)))(chart.points.map((p, i) => ({ value: p.value, i })));
  if (path) parts.push(`<path d="${path}" fill="none" stroke="${LINE}" stroke-width="2"/>`);
  chart.points.forEach((p, i) => {
    const px = x(i) ?? 0;
    const base = height - margin.bottom;
    if (p.value !== null) {
      const py = y(clamp01(p.value));
      parts.push(
        p.current
          ? `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="5.5" fill="#ffffff" stroke="${LINE}" stroke-width="2.5"/>`
          : `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="4" fill="${LINE}"/>`,
        `<text x="${px.toFixed(1)}" y="${(py - 9).toFixed(1)}" text-anchor="middle" font-size="11" fill="${TEXT}">${escapeXml(p.valueText)}</text>`,
      );
    } else {
      parts.push(
        `<text x="${px.toFixed(1)}" y="${base - 6}" text-anchor="middle" font-size="10" fill="${MUTED}">нет данных</text>`,
      );
    }
    parts.push(
      `<text x="${px.toFixed(1)}" y="${base + 15}" text-anchor="middle" font-size="10" fill="${TEXT}"${p.current ? ' font-weight="bold"' : ''}>${escapeXml(p.label)}</text>`,
      `<text x="${px.toFixed(1)}" y="${base + 28}" text-anchor="middle" font-size="10" fill="${MUTED}">${escapeXml(p.sublabel)}</text>`,
    );
  });
  return `${svgOpen(width, height, chart.title, chart.desc, 'chart')}${parts.join('')}</svg>`;
}
