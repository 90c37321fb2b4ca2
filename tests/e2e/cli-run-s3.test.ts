import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Store } from '../../functions/adapters/s3/store.js';
import type { ManifestEntry } from '../../functions/app/print-documents.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3.js';
import { readPdf } from '../support/pdf-text.js';
import { root, runCli } from '../support/run-cli.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3.close();
});

describe('monitor500 run --out s3://', () => {
  it('stores every document of the run in an S3-compatible bucket, with its manifest', async () => {
    const result = await runCli(
      [
        'run',
        '--source',
        path.join(root, 'examples', 'demo-region', 'registry.xlsx'),
        '--out',
        `s3://${s3.bucket}/runs/2026-11-20`,
        '--as-of',
        '2026-11-20',
      ],
      {
        MONITOR500_S3_ENDPOINT: s3.endpoint,
        MONITOR500_S3_REGION: 'ru-central1',
        MONITOR500_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        MONITOR500_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`в «s3://${s3.bucket}/runs/2026-11-20»`);
    const store = s3Store({
      bucket: s3.bucket,
      prefix: 'runs/2026-11-20/',
      endpoint: s3.endpoint,
      region: 'ru-central1',
      forcePathStyle: true,
      credentials: s3.credentials,
      timeoutMs: 10_000,
    });
    const manifest = JSON.parse(Buffer.from((await store.read('manifest.json'))!).toString('utf8')) as {
      documents: ManifestEntry[];
    };
    expect(manifest.documents.length).toBeGreaterThan(10);
    for (const doc of manifest.documents) {
      const bytes = (await store.read(doc.path))!;
      expect(createHash('sha256').update(bytes).digest('hex'), doc.path).toBe(doc.sha256);
    }
    const region = await readPdf((await store.read('reports/region.pdf'))!);
    expect(region.text).toContain('Аналитическая справка');
    expect(await store.read('indicators.json')).toBeDefined();
    expect(await store.read('validation.json')).toBeDefined();
  });
});
