import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { projectPath } from '../project-files.js';
import type { DocumentKind } from '../core/documents/catalogue.js';
import { shareBarChartSvg, type ShareBarChart } from './charts.js';
import { inlineBarSvg, targetBarsSvg, trendSvg } from './dashboard-charts.js';
import type { InlineBar, TargetBarChart, TrendChart } from '../core/documents/dashboard.js';

const STYLES: Record<DocumentKind, string[]> = {
  'school-report': ['common.css', 'report.css'],
  'region-report': ['common.css', 'report.css'],
  'stage-report': ['common.css', 'report.css'],
  'order-low-results-list': ['common.css', 'order.css'],
  'order-working-group': ['common.css', 'order.css'],
  'order-network-partnership': ['common.css', 'order.css'],
  'order-plan-graph': ['common.css', 'order.css'],
  'order-monitoring-results': ['common.css', 'order.css'],
  // The page people open in the bucket: plain HTML with its own small style, no fonts inlined.
  'run-index': [],
};

// Subsets of PT Serif (scripts/subset-fonts.ts): about a fifth of the full files, so each page stays small.
const FONT_FACES = [
  { file: 'PTSerif-Regular.subset.woff2', weight: 'normal', style: 'normal' },
  { file: 'PTSerif-Bold.subset.woff2', weight: 'bold', style: 'normal' },
  { file: 'PTSerif-Italic.subset.woff2', weight: 'normal', style: 'italic' },
];

interface CompiledTemplates {
  fontFaces: string;
  templates: Map<DocumentKind, Handlebars.TemplateDelegate>;
}

let compiled: CompiledTemplates | undefined;

/** Templates, partials, styles and the shipped font, loaded and compiled once. */
function templates(): CompiledTemplates {
  if (compiled) return compiled;
  const handlebars = Handlebars.create();
  // Charts are drawn from view data here, with every text escaped by the chart code.
  handlebars.registerHelper(
    'shareBarChart',
    (chart: ShareBarChart) => new handlebars.SafeString(shareBarChartSvg(chart)),
  );
  // The run index's dashboard: the same, from core/documents/dashboard.ts.
  handlebars.registerHelper('targetBars', (chart: TargetBarChart) => new handlebars.SafeString(targetBarsSvg(chart)));
  handlebars.registerHelper('inlineBar', (bar: InlineBar) => new handlebars.SafeString(inlineBarSvg(bar)));
  handlebars.registerHelper('trendChart', (chart: TrendChart) => new handlebars.SafeString(trendSvg(chart)));
  // The QR code of requisite 31: markup produced by the qrcode library from our own identifier.
  handlebars.registerHelper('qrSvg', (qr: { svg: string }) => new handlebars.SafeString(qr.svg));
  const dir = projectPath('templates');
  for (const file of readdirSync(path.join(dir, 'partials'))) {
    handlebars.registerPartial(path.basename(file, '.hbs'), readFileSync(path.join(dir, 'partials', file), 'utf8'));
  }
  // The font travels inside the page as data: URLs, so Chromium embeds the same glyphs everywhere.
  const fontFaces = FONT_FACES.map(({ file, weight, style }) => {
    const data = readFileSync(path.join(dir, 'fonts', file)).toString('base64');
    return `@font-face{font-family:'PT Serif';font-weight:${weight};font-style:${style};src:url(data:font/woff2;base64,${data}) format('woff2');}`;
  }).join('\n');
  const map = new Map<DocumentKind, Handlebars.TemplateDelegate>();
  for (const name of Object.keys(STYLES) as DocumentKind[]) {
    map.set(name, handlebars.compile(readFileSync(path.join(dir, `${name}.hbs`), 'utf8'), { strict: true }));
  }
  compiled = { fontFaces, templates: map };
  return compiled;
}

const cssCache = new Map<string, string>();
function css(files: string[]): string {
  return files
    .map((file) => {
      let text = cssCache.get(file);
      if (text === undefined) {
        text = readFileSync(projectPath('templates', 'styles', file), 'utf8');
        cssCache.set(file, text);
      }
      return text;
    })
    .join('\n');
}

/** A complete, self-contained HTML page for one document; every data value is HTML-escaped. */
export function documentHtml(template: DocumentKind, view: object): string {
  const { fontFaces, templates: map } = templates();
  const render = map.get(template);
  if (!render) throw new Error(`Нет шаблона ${template}`);
  return render({ ...view, assets: { fontFaces, css: css(STYLES[template]) } });
}
