import { describe, expect, it } from 'vitest';
import { isQuotaRefusal } from '../../functions/adapters/google/refusal.js';
import { retryGoogle, type GoogleClients } from '../../functions/adapters/google/sheets-source.js';
import type { WorkbookSource } from '../../functions/app/ports/workbook-source.js';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import { InfrastructureError } from '../../functions/errors.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { readRegion } from '../../functions/app/read-region.js';
import { root } from '../support/run-cli.js';

/** Google's answers as the client libraries throw them (gaxios: response.status and response.data). */
const sheetsQuota = {
  response: {
    status: 429,
    data: { error: { code: 429, message: 'Quota exceeded for quota metric', status: 'RESOURCE_EXHAUSTED' } },
  },
};
const driveQuota = {
  response: {
    status: 403,
    data: {
      error: {
        code: 403,
        message: 'Rate Limit Exceeded',
        errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }],
      },
    },
  },
};
const driveForbidden = {
  response: {
    status: 403,
    data: {
      error: { code: 403, message: 'Insufficient permissions', errors: [{ reason: 'insufficientFilePermissions' }] },
    },
  },
};

const unlimited = (call: () => Promise<unknown>) => call();
const clients = {
  limit: { 'sheets-read': unlimited, 'sheets-write': unlimited, drive: unlimited },
  quotaWaitMs: 300_000,
} as unknown as GoogleClients;

function answers(errors: unknown[]) {
  let calls = 0;
  return {
    attempt: async () => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return 'прочитано';
    },
    calls: () => calls,
  };
}

describe('quota answers of Google are waited out, never taken for a broken table', () => {
  it('knows both APIs’ ways of saying «too many requests», and nothing else', () => {
    expect([sheetsQuota, driveQuota, driveForbidden, { response: { status: 500 } }].map(isQuotaRefusal)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('keeps waiting through 20 quota answers of Sheets and Drive (more than the 6 retries of other failures)', async () => {
    const call = answers(Array.from({ length: 20 }, (_, i) => (i % 2 ? sheetsQuota : driveQuota)));
    const waits: number[] = [];
    const result = await retryGoogle(
      { ...clients, quotaWaitMs: Infinity } as GoogleClients,
      call.attempt,
      async (ms) => void waits.push(ms),
    );
    expect(result).toBe('прочитано');
    expect(call.calls()).toBe(21);
    expect(Math.max(...waits)).toBeLessThanOrEqual(64_000);
  });

  it('past the longest wait, says «busy» in Russian instead of giving up on the table', async () => {
    const call = answers(Array.from({ length: 1000 }, () => sheetsQuota));
    let waited = 0;
    const error = await retryGoogle({ ...clients, quotaWaitMs: 120_000 } as GoogleClients, call.attempt, async (ms) => {
      waited += ms;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(error).toMatchObject({ reason: 'busy' });
    expect((error as Error).message).toContain('квота API исчерпана');
    expect(waited).toBeLessThanOrEqual(120_000);
  });

  it('does not retry a refusal that waiting cannot fix (no rights)', async () => {
    const call = answers([driveForbidden]);
    await expect(retryGoogle(clients, call.attempt, async () => {})).rejects.toBe(driveForbidden);
    expect(call.calls()).toBe(1);
  });

  it('a school whose read is «busy» stops the run to be tried again, instead of being reported unread', async () => {
    const rules = monitoringRules();
    const registry = await readXlsxWorkbook(`${root}/examples/demo-region/registry.xlsx`, 20);
    const source: WorkbookSource = {
      readRegistry: async () => registry,
      readSchoolWorkbook: async () => {
        throw new InfrastructureError('sheets', 'Google не принимает запросы: квота API исчерпана.', {
          reason: 'busy',
        });
      },
    };
    await expect(readRegion(source, rules)).rejects.toMatchObject({ reason: 'busy' });
  });
});
