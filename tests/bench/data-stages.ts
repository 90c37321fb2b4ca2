/**
 * The data stages, each timed on its own: read and parse (.xlsx → raw cells, readXlsxWorkbook; SheetJS
 * on the same files as its peer), coerce and validate (raw cells → typed rows and findings),
 * indicators, identification. Nothing here times more than one stage; what a stage needs from the
 * one before is made untimed.
 *
 * Each timed step runs `repetitions` times after a forced GC (when --expose-gc is on): the first
 * pass is reported as "cold" (a run does every step once, JIT warm-up included), the median of the
 * others as the steady state.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import { computeIndicators } from '../../functions/core/compute-indicators.js';
import { identifySchools } from '../../functions/core/identification.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type ParticipantReading,
  type WorkbookReading,
} from '../../functions/core/read-workbook.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { AS_OF, dataRows, identificationInput } from './region-generator.js';
import {
  compareWorkbooks,
  emptyCheck,
  readWithSheetJs,
  SHEETJS_OPTIONS,
  SHEETJS_VERSION,
  sheetJsDataRows,
  toRawWorkbook,
  type ReadCheck,
} from './sheetjs-reader.js';

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

/** One reader over all files of the region: its passes and its speed (median of the passes after the first). */
export interface ReadSide {
  rows: number;
  timing: Timing;
  rowsPerSecond: number;
  coldRowsPerSecond: number;
}

export interface ReadParseResult {
  files: number;
  megabytes: number;
  /** Data rows our reader read (the rows of every tab less its header). */
  rows: number;
  /** Median seconds of our reader over all files, passes after the first (= timing.median). */
  seconds: number;
  rowsPerSecond: number;
  /** Our reader, readXlsxWorkbook. */
  timing: Timing;
  coldRowsPerSecond: number;
  /** The peer: SheetJS on the same files, in the same passes, alternating with ours. */
  sheetjs: ReadSide & { package: string; version: string; options: Record<string, unknown> };
  /** Our throughput ÷ SheetJS's on the same files: SheetJS's median seconds ÷ ours. */
  ratio: number;
  /** Our cells against SheetJS's, converted to our shape, over every file. */
  check: ReadCheck;
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

/** The first pass and the median of the others, wall and CPU. */
function summarize(walls: readonly number[], cpus: readonly number[]): Timing {
  const warm = walls.length > 1 ? walls.slice(1) : walls;
  const warmCpu = cpus.length > 1 ? cpus.slice(1) : cpus;
  return { cold: walls[0] ?? 0, median: median(warm), cpuMedian: median(warmCpu), passes: walls.length };
}

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
  return { result: result as T, timing: summarize(walls, cpus) };
}

/**
 * Two asynchronous steps timed in the same passes, each after a GC: the first goes first in even
 * passes, the second in odd ones, so that neither always inherits the other's heap or warm caches.
 * Returns the last result of each and their times.
 */
export async function timedAlternately<A, B>(
  passes: number,
  first: () => Promise<A>,
  second: () => Promise<B>,
): Promise<{ results: [A, B]; timings: [Timing, Timing] }> {
  const walls: [number[], number[]] = [[], []];
  const cpus: [number[], number[]] = [[], []];
  let a: A | undefined;
  let b: B | undefined;
  const run = async (side: 0 | 1) => {
    if (side === 0) a = undefined;
    else b = undefined; // the side's previous result is garbage before its next pass
    globalThis.gc?.();
    const cpu = process.cpuUsage();
    const start = performance.now();
    if (side === 0) a = await first();
    else b = await second();
    walls[side].push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpu);
    cpus[side].push((used.user + used.system) / 1e6);
  };
  for (let pass = 0; pass < Math.max(1, passes); pass++) {
    const order: [0 | 1, 0 | 1] = pass % 2 === 0 ? [0, 1] : [1, 0];
    for (const side of order) await run(side);
  }
  return {
    results: [a as A, b as B],
    timings: [summarize(walls[0], cpus[0]), summarize(walls[1], cpus[1])],
  };
}

/** The region as read from disk: the registry and every school workbook it names, by reference. */
export interface RawRegion {
  registry: RawWorkbook;
  schools: Map<string, RawWorkbook>;
}

/**
 * Read and parse: every .xlsx of a region through the product's reader, one after another, and
 * through SheetJS, in alternating passes; then, untimed, SheetJS's cells against ours.
 */
export async function readParse(
  registryPath: string,
  references: readonly string[],
  sizes: (file: string) => Promise<number>,
  passes: number,
): Promise<{ raw: RawRegion; result: ReadParseResult }> {
  const rules = monitoringRules();
  const maxMegabytes = rules.settings.limits.maxFileMegabytes;
  const base = path.dirname(registryPath);
  const files = [registryPath, ...references.map((r) => path.resolve(base, r))];
  const ours = async (): Promise<RawRegion> => {
    const registry = await readXlsxWorkbook(registryPath, maxMegabytes);
    const schools = new Map<string, RawWorkbook>();
    for (const reference of references) {
      const workbook = await readXlsxWorkbook(path.resolve(base, reference), maxMegabytes);
      schools.set(reference, { ...workbook, name: reference });
    }
    return { registry, schools };
  };
  // SheetJS's workbooks are dropped file by file (their rows counted), as ours would be kept: the
  // conversion to our shape is ours, not SheetJS's, and is done only for the check below, untimed.
  const sheetjs = async (): Promise<number> => {
    let rows = 0;
    for (const file of files) rows += sheetJsDataRows(await readWithSheetJs(file));
    return rows;
  };
  const {
    results: [raw, sheetJsRows],
    timings: [ourTiming, sheetJsTiming],
  } = await timedAlternately(passes, ours, sheetjs);

  const check = emptyCheck();
  const ourWorkbooks: RawWorkbook[] = [raw.registry, ...references.map((r) => raw.schools.get(r) as RawWorkbook)];
  for (const [i, file] of files.entries()) {
    const theirs = toRawWorkbook(await readWithSheetJs(file), path.basename(file));
    compareWorkbooks(path.relative(base, file), ourWorkbooks[i] as RawWorkbook, theirs, check);
  }

  const bytes = (await Promise.all(files.map(sizes))).reduce((a, b) => a + b, 0);
  const rows = dataRows(raw.registry) + [...raw.schools.values()].reduce((total, w) => total + dataRows(w), 0);
  return {
    raw,
    result: {
      files: files.length,
      megabytes: bytes / 1024 / 1024,
      rows,
      seconds: ourTiming.median,
      rowsPerSecond: rows / ourTiming.median,
      timing: ourTiming,
      coldRowsPerSecond: rows / ourTiming.cold,
      sheetjs: {
        package: '@e965/xlsx',
        version: SHEETJS_VERSION,
        options: { ...SHEETJS_OPTIONS },
        rows: sheetJsRows,
        timing: sheetJsTiming,
        rowsPerSecond: sheetJsRows / sheetJsTiming.median,
        coldRowsPerSecond: sheetJsRows / sheetJsTiming.cold,
      },
      ratio: sheetJsTiming.median / ourTiming.median,
      check,
    },
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
