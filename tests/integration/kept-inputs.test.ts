import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepingInputs, keptInputs } from '../../functions/app/kept-inputs.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { localWorkbookSource } from '../../functions/adapters/xlsx/files-source.js';
import { readSchoolWorkbook } from '../../functions/core/read-workbook.js';
import { InfrastructureError } from '../../functions/errors.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { root } from '../support/run-cli.js';

const REGISTRY = path.join(root, 'examples', 'demo-region', 'registry.xlsx');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-kept-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('kept inputs', () => {
  it('keeps each workbook as read and gives it back with its dates, so later steps validate the same', async () => {
    const store = localOutputDir(dir);
    const source = keepingInputs(localWorkbookSource(REGISTRY, 20), store);
    const registry = await source.readRegistry();
    const school = await source.readSchoolWorkbook('schools/56-002.xlsx');
    const kept = keptInputs(store);
    expect(await kept.readRegistry()).toEqual(registry);
    const again = await kept.readSchoolWorkbook('schools/56-002.xlsx');
    expect(again).toEqual(school);
    // Dates stay dates (a JSON round trip would turn them into text and change what validation says).
    const dates = school.tabs.flatMap((t) => t.rows.flat()).filter((c) => c.value instanceof Date);
    expect(dates.length).toBeGreaterThan(0);
    const rules = monitoringRules();
    const year = { firstYear: 2026 };
    expect(readSchoolWorkbook(again, rules.specs, rules.settings, year).issues).toEqual(
      readSchoolWorkbook(school, rules.specs, rules.settings, year).issues,
    );
  });

  it('keeps a workbook that could not be read as that failure, with the same reason', async () => {
    const store = localOutputDir(dir);
    const source = keepingInputs(localWorkbookSource(REGISTRY, 20), store);
    const first = await source.readSchoolWorkbook('schools/нет-такой.xlsx').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(InfrastructureError);
    const later = await keptInputs(store)
      .readSchoolWorkbook('schools/нет-такой.xlsx')
      .catch((e: unknown) => e);
    expect(later).toBeInstanceOf(InfrastructureError);
    expect((later as InfrastructureError).reason).toBe((first as InfrastructureError).reason);
    expect((later as InfrastructureError).message).toBe((first as InfrastructureError).message);
  });

  it('says a workbook was not read in this run when nothing was kept for it', async () => {
    const error = await keptInputs(localOutputDir(dir))
      .readSchoolWorkbook('schools/56-999.xlsx')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfrastructureError);
    expect((error as InfrastructureError).reason).toBe('not_found');
    expect((error as Error).message).toMatch(/не была прочитана в этом прогоне/);
  });
});
