/**
 * Cold start of an HTTP function that does not render: a fresh `node` process imports the
 * compiled module (dist/, as deployed) and reports how long `await import()` took. The median of
 * several fresh processes counts. Beside it, as many fresh processes import only
 * @google-cloud/functions-framework (what every instance loads anyway), alternating with them: the
 * ratio of the two medians (whole process, spawn to exit) is the target. dist/ is rebuilt first
 * (npm run build) when it is missing or older than any source file under functions/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../functions/project-files.js';

export interface ColdStartResult {
  module: string;
  /** Median ms of `await import()` in a fresh process. */
  importMs: number;
  samples: number[];
  /** Median ms from spawning `node` to its exit, process start-up included. */
  processMs: number;
  /** The same, for fresh processes importing only @google-cloud/functions-framework, alternating with the others. */
  framework: { importMs: number; processMs: number; samples: number[] };
  /** processMs ÷ framework.processMs: a fresh process of the module against one of the bare framework. */
  ratio: number;
  /** importMs ÷ framework.importMs (the import alone, without Node.js's own start-up). */
  importRatio: number;
  /** Other entry points measured the same way (informative: no target). */
  others: { module: string; importMs: number | null; error?: string }[];
  build: { ran: boolean; ok: boolean; seconds: number; reason: string; error?: string };
}

/** Newest modification time (ms) of the .ts files under a directory. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/ if it is missing or stale. */
function ensureBuilt(entry: string): ColdStartResult['build'] {
  const sources = newestSource(path.join(projectRoot, 'functions'));
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  if (built >= sources) return { ran: false, ok: true, seconds: 0, reason: 'dist/ is up to date' };
  const reason = built ? 'dist/ is older than functions/' : 'dist/ is missing';
  const start = Date.now();
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, encoding: 'utf8' });
  const seconds = (Date.now() - start) / 1000;
  // tsc emits even when it reports type errors; a module that was emitted can still be timed.
  const ok = build.status === 0;
  return {
    ran: true,
    ok,
    seconds,
    reason,
    ...(ok ? {} : { error: `${build.stdout}${build.stderr}`.trim().split('\n').slice(0, 5).join(' | ') }),
  };
}

/** One fresh process importing `file` (a path, or a package name): ms of the import, and of the whole process. */
function importOnce(file: string): { importMs: number; processMs: number } {
  const script =
    'const t = performance.now(); await import(process.argv[1]); ' +
    'process.stdout.write(String(performance.now() - t));';
  const start = performance.now();
  const specifier = path.isAbsolute(file) ? pathToFileURL(file).href : file;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, specifier], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const processMs = performance.now() - start;
  const importMs = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(importMs)) {
    throw new Error(`importing ${file} failed: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return { importMs, processMs };
}

/** What every instance of a function loads before our module. */
const FRAMEWORK = '@google-cloud/functions-framework';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Median cold import of dist/functions/http-validate.js over `samples` fresh processes. */
export function coldStart(samples: number, log: (line: string) => void): ColdStartResult {
  const relative = 'dist/functions/http-validate.js';
  const entry = path.join(projectRoot, relative);
  const build = ensureBuilt(entry);
  log(
    `cold start: ${build.reason}${build.ran ? `; npm run build ${build.ok ? 'done' : 'reported errors'} in ${build.seconds.toFixed(1)} s` : ''}.`,
  );
  // The first of each reads the files from disk into the page cache: not a sample.
  importOnce(entry);
  importOnce(FRAMEWORK);
  // Alternating, so that the machine's load shifts both sides alike.
  const runs: { importMs: number; processMs: number }[] = [];
  const bare: { importMs: number; processMs: number }[] = [];
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      runs.push(importOnce(entry));
      bare.push(importOnce(FRAMEWORK));
    } else {
      bare.push(importOnce(FRAMEWORK));
      runs.push(importOnce(entry));
    }
  }
  const others: ColdStartResult['others'] = [];
  for (const other of [
    'dist/functions/index.js',
    'dist/functions/cloud-entry.js',
    'dist/functions/http-render.js',
    'dist/functions/scheduled-run.js',
  ]) {
    const file = path.join(projectRoot, other);
    if (!existsSync(file)) continue;
    try {
      importOnce(file);
      others.push({ module: other, importMs: median(Array.from({ length: 3 }, () => importOnce(file).importMs)) });
    } catch (error) {
      others.push({ module: other, importMs: null, error: (error as Error).message });
    }
  }
  const framework = {
    importMs: median(bare.map((r) => r.importMs)),
    processMs: median(bare.map((r) => r.processMs)),
    samples: bare.map((r) => Math.round(r.processMs * 10) / 10),
  };
  const importMs = median(runs.map((r) => r.importMs));
  const processMs = median(runs.map((r) => r.processMs));
  const result = {
    module: relative,
    importMs,
    samples: runs.map((r) => Math.round(r.importMs * 10) / 10),
    processMs,
    framework,
    ratio: processMs / framework.processMs,
    importRatio: importMs / framework.importMs,
    others,
    build,
  };
  log(
    `cold start: import ${importMs.toFixed(0)} ms (median of ${samples}), process ${processMs.toFixed(0)} ms; ` +
      `bare functions framework: import ${framework.importMs.toFixed(0)} ms, process ${framework.processMs.toFixed(0)} ms; ` +
      `process ratio ${result.ratio.toFixed(2)}.`,
  );
  return result;
}
