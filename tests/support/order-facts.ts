import { expect } from 'vitest';
import type { OrderClause } from '../../functions/core/documents/order-head.js';
import type { RegistryFacts } from '../../functions/core/documents/registry-facts.js';
import { readRegistryWorkbook, usableRows } from '../../functions/core/read-workbook.js';
import { registry } from './fixture-region.js';
import { rules } from './workbook-content.js';

/** What the order tests share: the fixture region's registry facts and two checks. */
export const NB = '\u00a0';
export const CONTROL = 'Контроль за исполнением настоящего приказа оставляю за собой.';

/** The fixture region's registry (tests/support/fixture-region.ts) as the documents see it. */
const reading = readRegistryWorkbook(registry, rules.specs, rules.settings);
export const facts: RegistryFacts = {
  region: reading.tabs.region?.rows[0]?.values ?? {},
  municipalities: usableRows(reading, 'municipalities').map((r) => r.values),
  schools: usableRows(reading, 'schools').map((r) => r.values),
};

export const texts = (clauses: OrderClause[]) => clauses.map((c) => [c.text, ...c.items].join(' '));

/** Every value a template prints is text already: nothing undefined, null or NaN leaks into it. */
export function expectPrintable(view: object) {
  expect(JSON.stringify(view)).not.toMatch(/undefined|null|NaN|\[object/);
}
