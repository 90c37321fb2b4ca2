/**
 * «Today» is the same in every path: the day in the region's time zone (MONITOR500_TIME_ZONE), from
 * one clock. Half past one at night in Orenburg's Moscow time is already the next day, while UTC and
 * a machine abroad still say the day before.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli.js';
import { dayIn, schoolYearContaining } from '../../functions/core/calendar.js';
import { root } from '../support/run-cli.js';

const REGISTRY = path.join(root, 'examples', 'demo-region', 'registry.xlsx');
/** 22:30 UTC on 19 November = 01:30 on 20 November in Moscow. */
const LATE_EVENING_UTC = new Date('2026-11-19T22:30:00Z');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-today-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `monitor500 run` without --as-of, at LATE_EVENING_UTC, in a region of this time zone; the run's date. */
async function runDate(timeZone: string): Promise<string> {
  const out = path.join(dir, timeZone.replace('/', '-'));
  let stderr = '';
  const code = await main(['run', '--source', REGISTRY, '--out', out], {
    stdout: () => {},
    stderr: (text) => (stderr += text),
    env: { ...process.env, MONITOR500_TIME_ZONE: timeZone },
    clock: { now: () => LATE_EVENING_UTC },
  });
  expect(code, stderr).toBe(0);
  return (JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as { asOf: string }).asOf;
}

describe('today is the region’s day, in the CLI as in the cloud', () => {
  it('is the day in the region’s time zone, whatever the machine’s', () => {
    expect(dayIn(LATE_EVENING_UTC, 'Europe/Moscow')).toBe('2026-11-20');
    expect(dayIn(LATE_EVENING_UTC, 'UTC')).toBe('2026-11-19');
    // The school year turns over on the region's 1 September.
    expect(schoolYearContaining(dayIn(new Date('2026-08-31T22:30:00Z'), 'Europe/Moscow'))).toEqual({ firstYear: 2026 });
    expect(schoolYearContaining(dayIn(new Date('2026-08-31T22:30:00Z'), 'UTC'))).toEqual({ firstYear: 2025 });
  });

  it('dates a run without --as-of by the region’s day', async () => {
    expect(await runDate('Europe/Moscow')).toBe('2026-11-20');
    expect(await runDate('UTC')).toBe('2026-11-19');
  });
});
