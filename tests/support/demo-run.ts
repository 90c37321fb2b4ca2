import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { root, runCli } from './run-cli.js';

/** The demo region's registry (examples/demo-region). */
export const DEMO_REGISTRY = path.join(root, 'examples', 'demo-region', 'registry.xlsx');

/** `monitor500 run` of a registry (the demo region's by default) on 20.11.2026, промежуточный этап, into a new temporary directory; fails the test unless it succeeds. */
export async function runRegion(registry = DEMO_REGISTRY, asOf = '2026-11-20'): Promise<string> {
  const out = await mkdtemp(path.join(tmpdir(), 'monitor500-run-'));
  const run = await runCli(['run', '--source', registry, '--out', out, '--as-of', asOf, '--stage', 'промежуточный']);
  expect(run.code, run.stderr).toBe(0);
  return out;
}
