import { describe, expect, it } from 'vitest';
import { documentCatalogue } from '../../functions/core/documents/catalogue.js';
import { qrRequisite } from '../../functions/render/qr-requisite.js';
import { fixtureModel } from '../support/fixture-region.js';

/** Requisite-31 identifier of every document a run over the fixture region plans, by path. */
async function identifiers(): Promise<Map<string, string>> {
  const documents = documentCatalogue(fixtureModel());
  const pairs = await Promise.all(
    documents.map(async (d) => [d.path, (await qrRequisite(d, '2026-11-20')).identifier] as const),
  );
  return new Map(pairs);
}

describe('requisite 31 (QR code) identifier', () => {
  it('is different for every document of a run, the plan-graph order and its amendment included', async () => {
    const ids = await identifiers();
    expect(ids.has('orders/plan-graph.pdf') && ids.has('orders/plan-graph-amendment.pdf')).toBe(true);
    expect(ids.get('orders/plan-graph.pdf')).not.toBe(ids.get('orders/plan-graph-amendment.pdf'));
    expect(new Set(ids.values()).size).toBe(ids.size);
    for (const id of ids.values()) expect(id).toMatch(/^M500-[0-9a-f]{12}$/);
  });

  it('stays the same when the same run is made again', async () => {
    expect(await identifiers()).toEqual(await identifiers());
  });
});
