/**
 * Writes a synthetic region that follows the data contract, of any size, as .xlsx files:
 *
 *   npx tsx bench/generate-region.ts --out DIR [--participants P] [--registry-schools S]
 *        [--results-per-school R] [--error-rate E] [--seed N]
 *
 * DIR/registry.xlsx names DIR/schools/<Код ОО>.xlsx for every participant; run it with
 * `monitor500 run --source DIR/registry.xlsx --out … --as-of 2026-11-20`.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_REGION, generateRegion, writeRegion } from './region-generator.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    out: { type: 'string' },
    participants: { type: 'string' },
    'registry-schools': { type: 'string' },
    'results-per-school': { type: 'string' },
    'error-rate': { type: 'string' },
    seed: { type: 'string' },
  },
});
const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : Number(text));
if (!values.out) {
  console.error('Usage: npx tsx bench/generate-region.ts --out DIR [--participants P] [--registry-schools S] …');
  process.exit(2);
}
const participants = number(values.participants, DEFAULT_REGION.participants);
const region = generateRegion({
  participants,
  schools: number(values['registry-schools'], 3 * participants),
  resultsPerSchool: number(values['results-per-school'], DEFAULT_REGION.resultsPerSchool),
  errorRate: number(values['error-rate'], DEFAULT_REGION.errorRate),
  seed: number(values.seed, DEFAULT_REGION.seed),
});
const { registryPath } = await writeRegion(region, values.out);
console.log(
  `${registryPath}: ${region.rows.registry} registry rows, ${region.schoolWorkbooks.size} school workbooks ` +
    `(${region.rows.schools} rows), ${region.planted} planted mistakes; as of 2026-11-20, school year 2026/2027.`,
);
