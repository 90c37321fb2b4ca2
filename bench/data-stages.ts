/**
 * The data stages, each timed on its own: read and parse (.xlsx → raw cells, exceljs), coerce and
 * validate (raw cells → typed rows and findings), indicators, identification. Nothing here times
 * more than one stage; what a stage needs from the one before is made untimed.
 *
 * Each timed step runs `repetitions` times after a forced GC (when --expose-gc is on): the first
 * pass is reported as "cold" (a run does every step once, JIT warm-up included), the median of the
 * others as the steady state.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readXlsxWorkbook } from '../functions/adapters/xlsx-workbook-file.js';
import { computeIndicators } from '../functions/core/compute-indicators.js';
import { identifySchools } from '../functions/core/identification.js';
import type { RawWorkbook } from '../functions/core/raw-workbook.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type ParticipantReading,
  type WorkbookReading,
} from '../functions/core/read-workbook.js';
import type { ValidationIssue } from '../functions/core/validation-issue.js';
import { monitoringRules } from '../functions/monitoring-rules.js';
import { AS_OF, dataRows, identificationInput } from './region-generator.js';

/** Times of one step: the first pass and the steady state. */
export interface Timing {
  /** Seconds of the first pass (JIT warm-up included). */
  cold: number;
  /** Median seconds of the passes after the first (the first when there is only one). */
  median: number;
  /** Median CPU seconds (user + system) of the same passes: less sensitive to other load on the machine. */
  cpuMedian: number;
  passes: number;
}

export interface ReadParseResult {
  files: number;
  megabytes: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface ValidateResult {
  rows: { registry: number; schools: number; total: number };
  timing: Timing;
  rowsPerSecond: number;
  coldRowsPerSecond: number;
  findings: { errors: number; warnings: number };
}

export interface IndicatorsResult {
  participants: number;
  rows: number;
  timing: Timing;
  rowsPerSecond: number;
  coldRowsPerSecond: number;
}

export interface IdentificationResult {
  schools: number;
  resultRows: number;
  contextRows: number;
  timing: Timing;
  candidates: number;
  rowsPerSecond: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** Runs `step` `passes` times, each after a GC if one can be forced; returns the last result and the times. */
export function timed<T>(passes: number, step: () => T): { result: T; timing: Timing } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let result: T | undefined;
  for (let pass = 0; pass < Math.max(1, passes); pass++) {
    result = undefined; // the previous result is garbage before the next pass starts
    globalThis.gc?.();
    const cpu = process.cpuUsage();
    const start = performance.now();
    result = step();
    walls.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1e6);
  }
  const warm = walls.length > 1 ? walls.slice(1) : walls;
  const warmCpu = cpus.length > 1 ? cpus.slice(1) : cpus;
  return {
    result: result as T,
    timing: { cold: walls[0] ?? 0, median: median(warm), cpuMedian: median(warmCpu), passes: walls.length },
  };
}

/** The region as read from disk: the registry and every school workbook it names, by reference. */
export interface RawRegion {
  registry: RawWorkbook;
  schools: Map<string, RawWorkbook>;
}

/** Read and parse: every .xlsx of a region through the product's reader (exceljs), one after another. */
export async function readParse(
  registryPath: string,
  references: readonly string[],
  sizes: (file: string) => Promise<number>,
): Promise<{ raw: RawRegion; result: ReadParseResult }> {
  const rules = monitoringRules();
  const maxMegabytes = rules.settings.limits.maxFileMegabytes;
  const base = path.dirname(registryPath);
  globalThis.gc?.();
  const start = performance.now();
  const registry = await readXlsxWorkbook(registryPath, maxMegabytes);
  const schools = new Map<string, RawWorkbook>();
  for (const reference of references) {
    const workbook = await readXlsxWorkbook(path.resolve(base, reference), maxMegabytes);
    schools.set(reference, { ...workbook, name: reference });
  }
  const seconds = (performance.now() - start) / 1000;
  const files = [registryPath, ...references.map((r) => path.resolve(base, r))];
  const bytes = (await Promise.all(files.map(sizes))).reduce((a, b) => a + b, 0);
  const rows = dataRows(registry) + [...schools.values()].reduce((total, w) => total + dataRows(w), 0);
  return {
    raw: { registry, schools },
    result: { files: files.length, megabytes: bytes / 1024 / 1024, rows, seconds, rowsPerSecond: rows / seconds },
  };
}

/** What validation hands to the indicators. */
export interface ValidatedRegion {
  registry: WorkbookReading;
  participants: ParticipantReading[];
  issues: ValidationIssue[];
}

/** The registry, then the workbook of every participant it names, as readRegion does (minus the I/O). */
function validateRegion(raw: RawRegion): ValidatedRegion {
  const rules = monitoringRules();
  const registry = readRegistryWorkbook(raw.registry, rules.specs, rules.settings);
  const issues: ValidationIssue[] = [...registry.issues];
  const participants: ParticipantReading[] = [];
  for (const row of usableRows(registry, 'schools').filter((r) => r.values.participant)) {
    const workbook = row.values.workbook ? raw.schools.get(row.values.workbook) : undefined;
    if (!workbook) {
      participants.push({ row, status: row.values.workbook ? 'missing' : 'not_named', reading: undefined });
      continue;
    }
    const reading = readSchoolWorkbook(workbook, rules.specs, rules.settings, registry.schoolYear);
    issues.push(...reading.issues);
    participants.push({ row, status: 'read', reading });
  }
  return { registry, participants, issues };
}

/** Coerce and validate: raw cells of the whole region → typed rows and findings. */
export function validate(raw: RawRegion, passes: number): { region: ValidatedRegion; result: ValidateResult } {
  const registryRows = dataRows(raw.registry);
  const schoolRows = [...raw.schools.values()].reduce((total, w) => total + dataRows(w), 0);
  const total = registryRows + schoolRows;
  const { result: region, timing } = timed(passes, () => validateRegion(raw));
  const errors = region.issues.filter((i) => i.severity === 'error').length;
  return {
    region,
    result: {
      rows: { registry: registryRows, schools: schoolRows, total },
      timing,
      rowsPerSecond: total / timing.median,
      coldRowsPerSecond: total / timing.cold,
      findings: { errors, warnings: region.issues.length - errors },
    },
  };
}

/** Indicators of every participant, municipality and the region, from the validated region. */
export function indicators(region: ValidatedRegion, rows: number, passes: number): IndicatorsResult {
  const rules = monitoringRules();
  const { timing } = timed(passes, () =>
    computeIndicators({
      ...region,
      asOf: AS_OF,
      stage: 'промежуточный',
      settings: rules.settings,
      recommendations: rules.recommendations,
    }),
  );
  return {
    participants: region.participants.length,
    rows,
    timing,
    rowsPerSecond: rows / timing.median,
    coldRowsPerSecond: rows / timing.cold,
  };
}

/** Identification of ШНОР/ШФНСУ over `schools` schools × `resultsPerSchool` result rows, made in memory. */
export function identification(schools: number, resultsPerSchool: number, passes: number): IdentificationResult {
  const rules = monitoringRules();
  const input = identificationInput(schools, resultsPerSchool);
  const { result, timing } = timed(passes, () => identifySchools({ asOf: AS_OF, ...input, settings: rules.settings }));
  return {
    schools: input.schools.length,
    resultRows: input.results.length,
    contextRows: input.context.length,
    timing,
    candidates: result.candidates,
    rowsPerSecond: (input.schools.length + input.results.length + input.context.length) / timing.median,
  };
}
