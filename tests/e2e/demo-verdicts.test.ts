import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import { normalizeSpaces, readPdf } from '../support/pdf-text.js';
import { runRegion } from '../support/demo-run.js';

let out: string;
let indicators: MonitoringIndicators;
const text = async (file: string) => normalizeSpaces((await readPdf(await readFile(path.join(out, file)))).text);

beforeAll(async () => {
  out = await runRegion();
  indicators = JSON.parse(await readFile(path.join(out, 'indicators.json'), 'utf8')) as MonitoringIndicators;
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('the demo region: verdicts the data support and targets from their source', () => {
  it('56-005: the survey row with «около 20» leaves the coverage verdict open, in indicators.json and the report', async () => {
    const coverage = indicators.schools['56-005']!.survey.coverage;
    expect(coverage.met).toBeNull();
    expect(coverage.undetermined).toEqual({
      reason: 'rows-left-out',
      rowsLeftOut: [{ tab: 'Анкетирование', rows: 1 }],
    });
    const bounds = coverage.bounds as { low: number; high: number };
    expect(bounds.low).toBeLessThan(0.9);
    expect(bounds.high).toBeGreaterThanOrEqual(0.9);
    const report = await text('reports/schools/56-005.pdf');
    expect(report).toMatch(
      /Охват анкетирования 92,4 % ≥ 90 % не определено: 1 строка листа «Анкетирование» не прочитана/,
    );
  });

  it('the monitoring-results order cites the plan-graph item 4 for 6 contracts, not settings’ 10 as the plan-graph’s', async () => {
    expect(indicators.region.partnershipContracts.target).toMatchObject({
      value: 6,
      source: { kind: 'plan-graph', item: '4' },
    });
    const order = await text('orders/monitoring-results.pdf');
    expect(order).toMatch(/целевое значение — не менее 6 по плану- ?графику, п\. 4, фактически — 4/);
    expect(order).not.toContain('предусмотренном планом-графиком');
  });
});
