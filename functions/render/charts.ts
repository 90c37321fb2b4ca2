import { scaleBand, scaleLinear } from 'd3-scale';
import { formatShare } from '../core/format-ru.js';

/** One group of bars: a label under it and a share per series (null: no data). */
export interface BarGroup {
  label: string;
  values: (number | null)[];
}

/** A bar chart of shares: groups (years) of bars (series), drawn as SVG on the server. */
export interface ShareBarChart {
  series: string[];
  groups: BarGroup[];
}

const WIDTH = 600;
const HEIGHT = 220;
const MARGIN = { top: 16, right: 8, bottom: 44, left: 40 };
const FILLS = ['#5b5b5b', '#b0b0b0', '#d9d9d9'];

/** Text safe inside SVG markup: the five characters XML reserves as character references. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * SVG markup for a share bar chart. Every text is escaped here, numbers are our own, so the markup
 * is safe to inline; no script, no external reference.
 */
export function shareBarChartSvg(chart: ShareBarChart): string {
  const max = Math.max(0.1, ...chart.groups.flatMap((g) => g.values.map((v) => v ?? 0)));
  const x = scaleBand<string>()
    .domain(chart.groups.map((g) => g.label))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .paddingInner(0.25)
    .paddingOuter(0.1);
  const inner = scaleBand<number>()
    .domain(chart.series.map((_, i) => i))
    .range([0, x.bandwidth()])
    .padding(0.08);
  const y = scaleLinear()
    .domain([0, max])
    .nice(4)
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const parts: string[] = [];
  for (const tick of y.ticks(4)) {
    const ty = y(tick).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#ddd" stroke-width="0.5"/>`,
    );
    parts.push(
      `<text x="${MARGIN.left - 4}" y="${ty}" text-anchor="end" dominant-baseline="middle" font-size="9">${escapeXml(formatShare(tick, 0))}</text>`,
    );
  }
  for (const group of chart.groups) {
    const gx = x(group.label) ?? 0;
    group.values.forEach((value, i) => {
      const bx = gx + (inner(i) ?? 0);
      const width = inner.bandwidth();
      if (value === null) {
        parts.push(
          `<text x="${(bx + width / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom - 4}" text-anchor="middle" font-size="8">нет данных</text>`,
        );
        return;
      }
      const top = y(value);
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${(HEIGHT - MARGIN.bottom - top).toFixed(1)}" fill="${FILLS[i % FILLS.length]}"/>`,
      );
      parts.push(
        `<text x="${(bx + width / 2).toFixed(1)}" y="${(top - 3).toFixed(1)}" text-anchor="middle" font-size="9">${escapeXml(formatShare(value))}</text>`,
      );
    });
    parts.push(
      `<text x="${(gx + x.bandwidth() / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 14}" text-anchor="middle" font-size="10">${escapeXml(group.label)}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom}" stroke="#000" stroke-width="0.8"/>`,
  );
  chart.series.forEach((name, i) => {
    const lx = MARGIN.left + i * 170;
    const ly = HEIGHT - 12;
    parts.push(`<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${FILLS[i % FILLS.length]}"/>`);
    parts.push(`<text x="${lx + 14}" y="${ly}" font-size="10">${escapeXml(name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" font-family="PT Serif, serif">${parts.join('')}</svg>`;
}
