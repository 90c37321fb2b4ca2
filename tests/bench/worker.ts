/**
 * One benchmark stage in a process of its own (forked by bench/run.ts): its memory and garbage
 * stay out of the other stages. The task comes as JSON in argv; the result goes back over IPC;
 * progress lines go to stderr.
 */
import { stat } from 'node:fs/promises';
import { identification, indicators, readParse, validate } from './data-stages.js';
import { fullRun } from './full-run.js';
import { renderAndStore, type RenderOptions } from './render-stage.js';

/** What a worker is asked to do. */
export type WorkerTask =
  | { stage: 'data'; registryPath: string; references: string[]; passes: number }
  | { stage: 'identification'; schools: number; resultsPerSchool: number; passes: number }
  | { stage: 'render'; options: RenderOptions }
  | { stage: 'full-run'; registryPath: string };

/** What a worker answers. */
export type WorkerAnswer = { ok: true; result: unknown } | { ok: false; error: string };

const log = (line: string) => process.stderr.write(`  ${line}\n`);

async function perform(task: WorkerTask): Promise<unknown> {
  switch (task.stage) {
    case 'data': {
      const { raw, result: readResult } = await readParse(
        task.registryPath,
        task.references,
        async (file) => (await stat(file)).size,
        task.passes,
      );
      const peer = readResult.sheetjs;
      log(
        `read + parse: ${readResult.files} files, ${readResult.rows} rows, median ${readResult.seconds.toFixed(2)} s ` +
          `(cold ${readResult.timing.cold.toFixed(2)} s, ${Math.round(readResult.rowsPerSecond)} rows/s); ` +
          `SheetJS ${peer.version}: ${peer.rows} rows, median ${peer.timing.median.toFixed(2)} s ` +
          `(cold ${peer.timing.cold.toFixed(2)} s, ${Math.round(peer.rowsPerSecond)} rows/s); ours ÷ SheetJS ${readResult.ratio.toFixed(2)}.`,
      );
      const check = readResult.check;
      log(
        `read check against SheetJS: ${check.cells} cells in ${check.files} files, ${check.disagreements} disagreements` +
          (check.disagreements > 0
            ? ` (${Object.entries(check.byKind)
                .filter(([, n]) => n > 0)
                .map(([kind, n]) => `${kind} ${n}`)
                .join(', ')}); the first ${check.first.length}:`
            : '.'),
      );
      for (const d of check.first)
        log(`  ${d.file} «${d.tab}»${d.cell ? ` ${d.cell}` : ''} ${d.kind}: ours ${d.ours} | SheetJS ${d.sheetjs}`);
      const { region, result: validateResult } = validate(raw, task.passes);
      log(
        `coerce + validate: ${validateResult.rows.total} rows, median ${(validateResult.timing.median * 1000).toFixed(0)} ms ` +
          `(cold ${(validateResult.timing.cold * 1000).toFixed(0)} ms).`,
      );
      const indicatorsResult = indicators(region, validateResult.rows.total, task.passes);
      log(
        `indicators: ${indicatorsResult.participants} participants, median ${(indicatorsResult.timing.median * 1000).toFixed(0)} ms ` +
          `(cold ${(indicatorsResult.timing.cold * 1000).toFixed(0)} ms).`,
      );
      return { readParse: readResult, validate: validateResult, indicators: indicatorsResult };
    }
    case 'identification': {
      const result = identification(task.schools, task.resultsPerSchool, task.passes);
      log(
        `identification: ${result.schools} schools × ${task.resultsPerSchool} results in ${result.timing.cold.toFixed(2)} s ` +
          `(median of the later passes ${result.timing.median.toFixed(2)} s); ${result.candidates} candidates.`,
      );
      return result;
    }
    case 'render':
      return renderAndStore(task.options, log);
    case 'full-run':
      return fullRun(task.registryPath, log);
  }
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '{}') as WorkerTask;
  let answer: WorkerAnswer;
  try {
    answer = { ok: true, result: await perform(task) };
  } catch (error) {
    answer = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  await new Promise<void>((resolve) => process.send?.(answer, () => resolve()) ?? resolve());
  process.exit(answer.ok ? 0 : 1);
}

void main();
