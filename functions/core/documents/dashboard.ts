import { sheetLink } from '../sheet-link.js';
import type { IsoDate } from '../calendar.js';
import {
  countOf,
  formatDate,
  formatIndicatorValue,
  formatNumber,
  formatShare,
  sentenceCase,
  stageMonitoring,
} from '../format-ru.js';
import type { Indicator } from '../indicator.js';
import type { AreaIndicators, MonitoringIndicators, SchoolIndicators, Stage } from '../indicators.js';
import type { StageListing } from '../stage-calendar.js';
import { isReady, statusCounts, submissionState, type SchoolSubmission } from '../submission.js';
import type { ValidationIssue } from '../validation-issue.js';
import { indicatorLine } from './indicator-text.js';
import { areaIndicatorList, notArrivedText } from './reports.js';

/**
 * The run's index page as a dashboard: the region's indicators against their targets, the
 * municipalities side by side, the trend across the closed stages, the data-quality board (findings
 * by school, who has submitted), the stages and every document. Numbers and texts are here, in
 * Russian; the charts' geometry is render/'s (render/dashboard-charts.ts).
 */

/** How an indicator stands against its target, as the page marks it (in words, not only in colour). */
export type VerdictKind = 'met' | 'missed' | 'undetermined' | 'nodata' | 'none';

const VERDICT_SHORT: Record<VerdictKind, string> = {
  met: 'достигнуто',
  missed: 'не достигнуто',
  undetermined: 'не определено',
  nodata: 'нет данных',
  none: 'цель не задана',
};

function verdictKind(indicator: Indicator): VerdictKind {
  if (!indicator.target) return 'none';
  if (indicator.met === true) return 'met';
  if (indicator.met === false) return 'missed';
  return indicator.undetermined ? 'undetermined' : 'nodata';
}

/** The top of a count's scale: the value or the target, whichever is larger, and a little room. */
function countMax(indicator: Indicator): number {
  const target = typeof indicator.target?.value === 'number' ? indicator.target.value : 0;
  const top = Math.max(1, typeof indicator.value === 'number' ? indicator.value : 0, target);
  return Math.ceil(top * 1.15);
}

/** One row of a bar chart against a target: what render/ draws, every text already in Russian. */
export interface TargetBar {
  label: string;
  value: number | null;
  valueText: string;
  /** The top of the row's scale (1 for shares). */
  max: number;
  target: number | null;
  targetText: string;
  verdict: VerdictKind;
  verdictText: string;
}

/** A bar chart of indicators against their targets. */
export interface TargetBarChart {
  title: string;
  desc: string;
  rows: TargetBar[];
}

function targetBar(label: string, indicator: Indicator): TargetBar {
  const line = indicatorLine(label, indicator);
  const verdict = verdictKind(indicator);
  return {
    label,
    value: typeof indicator.value === 'number' ? indicator.value : null,
    valueText: line.value,
    max: indicator.unit === 'share' ? 1 : countMax(indicator),
    target: typeof indicator.target?.value === 'number' ? indicator.target.value : null,
    targetText: line.target,
    verdict,
    verdictText: VERDICT_SHORT[verdict],
  };
}

/** A small bar inside a table cell. */
export interface InlineBar {
  title: string;
  value: number | null;
  max: number;
  target: number | null;
  verdict: VerdictKind;
}

/** One point of a stage's trend: the stage, its school year, and the value then. */
export interface TrendPoint {
  label: string;
  sublabel: string;
  value: number | null;
  valueText: string;
  current: boolean;
}

/** One small line chart: a key indicator of the region across the stages. */
export interface TrendChart {
  title: string;
  desc: string;
  points: TrendPoint[];
  target: number | null;
  targetText: string;
}

/** A stage whose indicators the store keeps (app/stage-archive.ts `ClosedStage`). */
export interface StageIndicators {
  schoolYear: string;
  stage: Stage;
  asOf: IsoDate;
  indicators: MonitoringIndicators;
}

/** The region's key indicators, the ones the trend follows. */
const TREND_INDICATORS: readonly { label: string; pick: (area: AreaIndicators) => Indicator }[] = [
  { label: 'Доля школ в эффективном режиме', pick: (a) => a.effectiveModeShare },
  { label: 'Доля школ с полным комплектом документов', pick: (a) => a.documentsCompleteShare },
  { label: 'Доля школ с охватом анкетирования не ниже нормы', pick: (a) => a.surveyCoveredShare },
  { label: 'Доля школ, где не менее 6 педагогов прошли курсы', pick: (a) => a.pdCoveredShare },
  { label: 'Доля школ с мероприятием от 4 ч', pick: (a) => a.eventsCoveredShare },
  { label: 'Выполнение дорожных карт', pick: (a) => a.roadmap.progress },
];

/** The municipalities' columns: shares drawn as bars, counts as numbers. */
const MUNICIPALITY_COLUMNS: readonly { label: string; pick: (area: AreaIndicators) => Indicator }[] = [
  { label: 'Эффективный режим', pick: (a) => a.effectiveModeShare },
  { label: 'Комплект документов', pick: (a) => a.documentsCompleteShare },
  { label: 'Охват анкетирования', pick: (a) => a.surveyCoveredShare },
  { label: 'Выполнение дорожных карт', pick: (a) => a.roadmap.progress },
  { label: 'Просрочено мероприятий', pick: (a) => a.roadmap.overdue },
];

const STAGE_ORDER: Record<Stage, number> = { входной: 0, промежуточный: 1, итоговый: 2 };

/**
 * The points of the trend: the closed stages up to the run's day (earliest first, by school year
 * and stage), then this run — unless this run is of a closed stage itself, which it then replaces.
 */
function trendStages(indicators: MonitoringIndicators, closed: readonly StageIndicators[]) {
  const own = (c: StageIndicators) => c.schoolYear === indicators.schoolYear && c.stage === indicators.stage;
  const earlier = closed
    .filter((c) => c.asOf <= indicators.asOf && !own(c))
    .filter((c, i, all) => all.findIndex((d) => d.schoolYear === c.schoolYear && d.stage === c.stage) === i)
    .sort(
      (a, b) =>
        a.schoolYear.localeCompare(b.schoolYear) ||
        STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] ||
        a.asOf.localeCompare(b.asOf),
    );
  return [
    ...earlier.map((c) => ({ ...c, current: false })),
    { schoolYear: indicators.schoolYear, stage: indicators.stage, asOf: indicators.asOf, indicators, current: true },
  ];
}

function trendView(indicators: MonitoringIndicators, closed: readonly StageIndicators[]) {
  const stages = trendStages(indicators, closed);
  const columns = stages.map((s) => ({
    name: sentenceCase(`${stageMonitoring(s.stage, 'nominative')}, ${s.schoolYear}`),
    date: s.current ? `${formatDate(s.asOf)} (этот прогон)` : formatDate(s.asOf),
  }));
  const charts: TrendChart[] = TREND_INDICATORS.map(({ label, pick }) => {
    const now = pick(indicators.region);
    const points = stages.map((s) => {
      const value = pick(s.indicators.region).value;
      return {
        label: s.stage,
        sublabel: s.current ? 'этот прогон' : s.schoolYear,
        value: typeof value === 'number' ? value : null,
        valueText: formatIndicatorValue(value, 'share'),
        current: s.current,
      };
    });
    const target = typeof now.target?.value === 'number' ? now.target.value : null;
    const targetText = target === null ? '' : `цель ${indicatorLine(label, now).target}`;
    return {
      title: label,
      desc: `${label} по этапам: ${points.map((p, i) => `${columns[i]!.name.toLowerCase()} — ${p.valueText}`).join('; ')}${targetText ? `; ${targetText}` : ''}.`,
      points,
      target,
      targetText,
    };
  });
  return {
    hasHistory: stages.length > 1,
    columns,
    charts,
    rows: TREND_INDICATORS.map(({ label }, i) => ({
      label,
      values: charts[i]!.points.map((p) => p.valueText),
    })),
  };
}

/** A document as the manifest lists it: its PDF, and the editable .docx twin beside it when there is one. */
type DocumentLink = {
  title: string;
  path: string;
  pages: number;
  scope?: { level: string; code?: string };
  docx?: { path: string };
};

function qualityView(
  indicators: MonitoringIndicators,
  issues: readonly ValidationIssue[],
  documents: readonly DocumentLink[],
) {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const inWorkbook = new Map<string, { errors: number; warnings: number }>();
  for (const issue of issues) {
    const counts = inWorkbook.get(issue.workbook) ?? { errors: 0, warnings: 0 };
    counts[issue.severity === 'error' ? 'errors' : 'warnings'] += 1;
    inWorkbook.set(issue.workbook, counts);
  }
  const schools = Object.values(indicators.schools);
  const withFindings = schools
    .filter((s) => s.errors + s.warnings > 0)
    .sort((a, b) => b.errors - a.errors || b.warnings - a.warnings || a.name.localeCompare(b.name, 'ru'));
  const withErrors = schools.filter((s) => s.errors > 0).length;
  const maxErrors = Math.max(1, ...withFindings.map((s) => s.errors));
  const schoolErrors = schools.reduce((n, s) => n + s.errors, 0);
  const schoolWarnings = schools.reduce((n, s) => n + s.warnings, 0);
  const elsewhere = { errors: Math.max(0, errors - schoolErrors), warnings: Math.max(0, warnings - schoolWarnings) };
  const report = (s: SchoolIndicators) =>
    documents.find((d) => d.scope?.level === 'school' && d.scope.code === s.code)?.path;
  const errorsText = (n: number) => countOf(n, ['ошибка', 'ошибки', 'ошибок']);
  const warningsText = (n: number) => countOf(n, ['предупреждение', 'предупреждения', 'предупреждений']);
  const schoolsGenitive = (n: number) => countOf(n, ['школы', 'школ', 'школ']);
  return {
    totalText: `В данных прогона ${errorsText(errors)} и ${warningsText(warnings)}.`,
    schoolsText:
      withErrors === 0
        ? `Ошибок в таблицах школ нет (школ-участников: ${formatNumber(schools.length)}).`
        : `Ошибки есть у ${schoolsGenitive(withErrors)} из ${formatNumber(schools.length)}; замечания (ошибки или предупреждения) — у ${schoolsGenitive(withFindings.length)}.`,
    elsewhereText:
      elsewhere.errors + elsewhere.warnings > 0
        ? `Вне строк школ-участников (реестр и его листы): ${errorsText(elsewhere.errors)}, ${warningsText(elsewhere.warnings)}.`
        : '',
    schools: withFindings.map((s) => {
      const own = (s.workbook.name && inWorkbook.get(s.workbook.name)) || { errors: 0, warnings: 0 };
      const href = sheetLink(s.workbook.name);
      return {
        code: s.code,
        name: s.name,
        municipality: Object.hasOwn(indicators.municipalities, s.municipalityCode)
          ? indicators.municipalities[s.municipalityCode]!.name
          : `код МО ${s.municipalityCode}`,
        errors: formatNumber(s.errors),
        warnings: formatNumber(s.warnings),
        inWorkbook: `${formatNumber(own.errors)} / ${formatNumber(own.warnings)}`,
        inRegistry: `${formatNumber(Math.max(0, s.errors - own.errors))} / ${formatNumber(Math.max(0, s.warnings - own.warnings))}`,
        errorsBar: {
          title: `${s.name}: ${errorsText(s.errors)}`,
          value: s.errors,
          max: maxErrors,
          target: null,
          verdict: s.errors > 0 ? 'missed' : 'none',
        } satisfies InlineBar,
        sheet: href
          ? { href, text: 'Google-таблица' }
          : { href: '', text: s.workbook.name ?? 'таблица не указана в реестре' },
        report: report(s) ?? '',
      };
    }),
  };
}

/**
 * The index page of a run as a dashboard. `issues` are the run's findings (validation.json);
 * `closed`, the stages the store keeps closed, give the trend; `submission`, when given, who has
 * submitted their tables.
 */
export function runIndexView(
  indicators: MonitoringIndicators,
  documents: readonly DocumentLink[],
  issues: readonly ValidationIssue[],
  submission?: readonly SchoolSubmission[],
  stages: readonly StageListing[] = [],
  closed: readonly StageIndicators[] = [],
) {
  const region = indicators.region;
  const lines = areaIndicatorList(region);
  const summary = lines.map(({ label, indicator }) => {
    const line = indicatorLine(label, indicator);
    const kind = verdictKind(indicator);
    return { ...line, kind, short: VERDICT_SHORT[kind] };
  });
  const held = summary.filter((l) => l.kind !== 'none');
  const tally = (kind: VerdictKind) => held.filter((l) => l.kind === kind).length;
  // In the order the run computed them: the registry's.
  const municipalities = Object.values(indicators.municipalities);
  const errors = issues.filter((i) => i.severity === 'error').length;
  return {
    title: `Мониторинг проекта «500+»: ${region.name}`,
    subtitle: sentenceCase(
      `${stageMonitoring(indicators.stage, 'nominative')} по состоянию на ${formatDate(indicators.asOf)}, ${indicators.schoolYear} учебный год; ${countOf(region.participants, ['школа-участник', 'школы-участника', 'школ-участников'])}.`,
    ),
    notArrivedText: notArrivedText(Object.values(indicators.schools)),
    tallyText: `Показателей с целью — ${formatNumber(held.length)}: достигнуто — ${formatNumber(tally('met'))}, не достигнуто — ${formatNumber(tally('missed'))}, не определено — ${formatNumber(tally('undetermined'))}${tally('nodata') ? `, нет данных — ${formatNumber(tally('nodata'))}` : ''}.`,
    summary,
    summaryChart: {
      title: `Показатели региона и их цели на ${formatDate(indicators.asOf)}`,
      desc: summary
        .map((l) => `${l.label}: ${l.value}${l.kind === 'none' ? '' : `, цель ${l.target}, ${l.short}`}`)
        .join('; '),
      rows: lines.filter((l) => l.indicator.unit !== 'bool').map((l) => targetBar(l.label, l.indicator)),
    } satisfies TargetBarChart,
    municipalities: {
      columns: MUNICIPALITY_COLUMNS.map((c) => c.label),
      rows: municipalities.map((m) => ({
        name: m.name,
        participants: formatNumber(m.participants),
        cells: MUNICIPALITY_COLUMNS.map(({ label, pick }) => {
          const indicator = pick(m);
          const kind = verdictKind(indicator);
          const value = formatIndicatorValue(indicator.value, indicator.unit);
          const bar = targetBar(label, indicator);
          return {
            value,
            mark: kind === 'none' ? '' : VERDICT_SHORT[kind],
            kind,
            bar:
              indicator.unit === 'share'
                ? ({
                    title: `${m.name}, ${label.toLowerCase()}: ${value}${kind === 'none' ? '' : `, цель ${bar.targetText}, ${VERDICT_SHORT[kind]}`}`,
                    value: bar.value,
                    max: 1,
                    target: bar.target,
                    verdict: kind,
                  } satisfies InlineBar)
                : undefined,
          };
        }),
      })),
    },
    trend: trendView(indicators, closed),
    quality: qualityView(indicators, issues, documents),
    documents: documents.map((d) => ({ title: d.title, path: d.path, pages: d.pages, docx: d.docx?.path })),
    issuesText: `${countOf(errors, ['ошибка', 'ошибки', 'ошибок'])}, ${countOf(issues.length - errors, ['предупреждение', 'предупреждения', 'предупреждений'])}`,
    ...(submission ? { submission: submissionView(submission) } : {}),
    stages: stages.map((s) => ({
      name: sentenceCase(`${stageMonitoring(s.stage, 'nominative')}, ${s.schoolYear} учебный год`),
      deadline: formatDate(s.deadline),
      state: s.state,
      href: s.href,
    })),
  };
}

/** «Сдача таблиц» on the run index: schools by status, then each school not ready and what it lacks. */
function submissionView(schools: readonly SchoolSubmission[]) {
  const counts = statusCounts(schools);
  const ready = schools.filter((s) => isReady(s.status)).length;
  return {
    readyText: `Готовых таблиц — ${formatNumber(ready)} из ${formatNumber(schools.length)} (${formatShare(schools.length ? ready / schools.length : 0)}).`,
    counts: counts
      .filter((c) => c.schools > 0)
      .map((c) => ({ status: sentenceCase(c.status), schools: countOf(c.schools, ['школа', 'школы', 'школ']) })),
    notReady: schools
      .filter((s) => !isReady(s.status))
      .map((s) => ({ code: s.code, name: s.name, status: s.status, state: submissionState(s) })),
  };
}
