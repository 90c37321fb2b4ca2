/**
 * The product's own Google adapters (functions/adapters/google/) pointed at the fake Google APIs,
 * for tests that count requests, not time: the quota limiters are out of the way.
 */
import { createGoogleClients } from '../../functions/adapters/google/clients.js';
import type { GoogleClients } from '../../functions/adapters/google/sheets-source.js';
import type { WorkbookSource } from '../../functions/app/ports/workbook-source.js';
import { readRegion } from '../../functions/app/read-region.js';
import type { MonitoringRules } from '../../functions/monitoring-rules.js';

/** The product's clients for the fake at `apiRoot`, as the caller with `token`. */
export function productClients(apiRoot: string, options: { token?: string; concurrency?: number } = {}): GoogleClients {
  return createGoogleClients({
    apiRoot,
    accessToken: options.token ?? 'test-token',
    requestsPerMinute: 100_000,
    driveRequestsPerMinute: 100_000,
    concurrency: options.concurrency ?? 4,
    timeoutMs: 10_000,
  });
}

/** What `monitor500 run` does with Google before computing: read the region, write each workbook's findings back. */
export async function readAndWriteBack(source: WorkbookSource, rules: MonitoringRules): Promise<void> {
  const reading = await readRegion(source, rules);
  const names = [...reading.participants.flatMap((p) => p.reading?.name ?? []), reading.registry.name];
  for (const name of names) {
    await source.writeFeedback?.(
      name,
      reading.issues.filter((i) => i.workbook === name),
    );
  }
}
