import { countOf } from './format-ru.js';
import { parsePlanYear, parseSchoolYear, type PlanYear, type SchoolYear } from './calendar.js';
import { stageCalendar, type StageCalendar } from './stage-calendar.js';
import type { LastChange, RawWorkbook } from './raw-workbook.js';
import { findTab, readTab, type TabReading, type TabRow } from './read-tab.js';
import type { MonitoringSettings } from './settings.js';
import type { TabId, TabSpec } from './tab-specs.js';
import type { TabRowTypes } from './tab-types.generated.js';
import { textKey } from './text-key.js';
import type { ValidationIssue } from './validation-issue.js';

/**
 * How a participant school's own workbook fared. `not_arrived`: the run completed at the stage's
 * deadline before the school's part of it (in the cloud, its worker) did, so its workbook was not read.
 */
export type SchoolWorkbookStatus = 'read' | 'missing' | 'unreadable' | 'not_named' | 'not_arrived';

/** A participant school: its registry row and, when it could be read, its workbook. */
export interface ParticipantReading {
  row: TabRow<TabRowTypes['schools']>;
  status: SchoolWorkbookStatus;
  reading: WorkbookReading | undefined;
}

/** The readings of a workbook's tabs, by tab id. */
export type TabReadings = { [K in TabId]?: TabReading<TabRowTypes[K]> };

/** A read and checked workbook: every tab's rows and every finding. */
export interface WorkbookReading {
  kind: 'registry' | 'school';
  name: string;
  tabs: TabReadings;
  issues: ValidationIssue[];
  /** The plan's school year (registry «Регион» → «Учебный год»). */
  schoolYear: SchoolYear | undefined;
  /** The year of the regional plan-graph (registry «Регион» → «Год плана-графика»), when stated. */
  planYear?: PlanYear;
  /** The monitoring stages' deadlines (registry «Регион»), when stated and consistent. */
  stageCalendar?: StageCalendar;
  /** The workbook's last change by a person, where the source knows it (Google Drive). */
  lastChange?: LastChange;
}

/** Rows of a tab that passed their schema, typed. */
export function usableRows<K extends TabId>(reading: WorkbookReading, tab: K): TabRow<TabRowTypes[K]>[] {
  const tabReading = reading.tabs[tab] as TabReading<TabRowTypes[K]> | undefined;
  return (tabReading?.rows ?? []).filter((r) => r.usable);
}

/** Guesses the kind of a workbook from its tabs: a registry has «Школы» or «Регион». */
export function workbookKind(raw: RawWorkbook, specs: Map<TabId, TabSpec>): 'registry' | 'school' {
  const registryTabs = [...specs.values()].filter((s) => s.workbook === 'registry');
  const schoolTabs = [...specs.values()].filter((s) => s.workbook === 'school');
  const count = (list: TabSpec[]) => list.filter((s) => findTab(raw.tabs, s.title)).length;
  return count(registryTabs) >= count(schoolTabs) ? 'registry' : 'school';
}

/** Reads the region's registry workbook: «Регион» first (its school year dates the plans), then the rest. */
export function readRegistryWorkbook(
  raw: RawWorkbook,
  specs: Map<TabId, TabSpec>,
  settings: MonitoringSettings,
): WorkbookReading {
  const regionSpec = requireSpec(specs, 'region');
  const region = readTab<TabRowTypes['region']>(findTab(raw.tabs, regionSpec.title), regionSpec, {
    workbook: raw.name,
    schoolYear: undefined,
    maxRows: settings.limits.maxRowsPerTab,
  });
  const yearText = region.rows[0]?.values.schoolYear;
  const schoolYear = yearText ? parseSchoolYear(yearText) : undefined;
  // The plan-graph's deadlines land in its own year when «Регион» states one; else in the school year.
  const planYear = parsePlanYear(region.rows[0]?.values.planYear);
  const reading = readTabsOf(raw, specs, settings, 'registry', schoolYear, { region }, planYear);
  if (planYear) reading.planYear = planYear;
  const calendar = stageCalendar(region.rows[0], schoolYear, { workbook: raw.name, tab: regionSpec.title });
  if (calendar.calendar) reading.stageCalendar = calendar.calendar;
  reading.issues.push(...calendar.issues, ...referenceIssues(reading, specs));
  return reading;
}

/** Reads one participant school's workbook and checks it against its own risk profile. */
export function readSchoolWorkbook(
  raw: RawWorkbook,
  specs: Map<TabId, TabSpec>,
  settings: MonitoringSettings,
  schoolYear: SchoolYear | undefined,
): WorkbookReading {
  const reading = readTabsOf(raw, specs, settings, 'school', schoolYear, {});
  reading.issues.push(...riskChoiceIssues(reading, settings));
  if (raw.lastChange) reading.lastChange = raw.lastChange;
  return reading;
}

function requireSpec(specs: Map<TabId, TabSpec>, id: TabId): TabSpec {
  const spec = specs.get(id);
  if (!spec) throw new Error(`Нет схемы листа ${id}`);
  return spec;
}

function readTabsOf(
  raw: RawWorkbook,
  specs: Map<TabId, TabSpec>,
  settings: MonitoringSettings,
  kind: 'registry' | 'school',
  schoolYear: SchoolYear | undefined,
  alreadyRead: TabReadings,
  planYear?: PlanYear,
): WorkbookReading {
  const tabs: TabReadings = { ...alreadyRead };
  for (const spec of specs.values()) {
    if (spec.workbook !== kind || tabs[spec.id]) continue;
    (tabs as Record<string, unknown>)[spec.id] = readTab(findTab(raw.tabs, spec.title), spec, {
      workbook: raw.name,
      schoolYear: spec.id === 'plan-graph' ? (planYear ?? schoolYear) : schoolYear,
      maxRows: settings.limits.maxRowsPerTab,
    });
  }
  const issues = Object.values(tabs).flatMap((t) => t?.issues ?? []);
  return { kind, name: raw.name, tabs, issues, schoolYear };
}

/** ref(Tab) columns: every code must exist in the tab it points to. */
function referenceIssues(reading: WorkbookReading, specs: Map<TabId, TabSpec>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const spec of specs.values()) {
    const tab = reading.tabs[spec.id] as TabReading<Record<string, unknown>> | undefined;
    if (!tab) continue;
    for (const column of spec.columns) {
      if (!column.ref) continue;
      const target = reading.tabs[column.ref.tab] as TabReading<Record<string, unknown>> | undefined;
      const targetSpec = specs.get(column.ref.tab);
      if (!target?.present || !targetSpec) continue;
      const codes = target.rows.map((r) => r.values[column.ref!.key]).filter((v) => typeof v === 'string');
      // Codes typed exactly as in the target tab need no textKey (most of them).
      const exact = new Set(codes);
      const known = new Set(codes.map((v) => textKey(v)));
      const targetHeader = targetSpec.columns.find((c) => c.key === column.ref!.key)?.header ?? column.ref.key;
      for (const row of tab.rows) {
        const value = row.values[column.key];
        if (typeof value !== 'string' || exact.has(value) || known.has(textKey(value))) continue;
        issues.push({
          workbook: reading.name,
          tab: spec.title,
          cell: row.cells[column.key],
          row: row.row,
          column: column.header,
          value,
          severity: 'error',
          code: 'unknown_reference',
          message: `«${value}» нет в столбце «${targetHeader}» листа «${targetSpec.title}». Проверьте код или добавьте строку туда.`,
        });
      }
    }
  }
  return issues;
}

/** At most N chosen factors; every roadmap row works on a chosen factor. */
function riskChoiceIssues(reading: WorkbookReading, settings: MonitoringSettings): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const profile = reading.tabs['risk-profile'];
  const chosenRows = (profile?.rows ?? []).filter((r) => r.values.chosen === true);
  const max = settings.maxChosenRiskFactors;
  if (chosenRows.length > max) {
    for (const row of chosenRows.slice(max)) {
      issues.push({
        workbook: reading.name,
        tab: 'Рисковый профиль',
        cell: row.cells.chosen,
        row: row.row,
        column: 'Выбран для работы',
        value: 'да',
        severity: 'error',
        code: 'too_many_chosen',
        message: `Для работы выбрано: ${countOf(chosenRows.length, ['фактор', 'фактора', 'факторов'])} риска, а можно не больше ${max}. Оставьте «да» только у главных.`,
      });
    }
  }
  if (!profile?.present) return issues;
  const chosen = new Set(chosenRows.map((r) => r.values.riskFactor));
  for (const row of reading.tabs.roadmap?.rows ?? []) {
    const factor = row.values.riskFactor;
    if (typeof factor !== 'string' || chosen.has(factor)) continue;
    if (!settings.riskFactors.includes(factor)) continue; // an unknown factor: the schema has said so
    issues.push({
      workbook: reading.name,
      tab: 'Дорожная карта',
      cell: row.cells.riskFactor,
      row: row.row,
      column: 'Фактор риска',
      value: factor,
      severity: 'error',
      code: 'factor_not_chosen',
      message: `Фактор «${factor}» не выбран для работы на листе «Рисковый профиль»: мероприятия дорожной карты ведутся только по выбранным факторам.`,
    });
  }
  return issues;
}
