import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputStore } from '../../functions/app/ports/output-store.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { s3Store } from '../../functions/adapters/s3/store.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3.js';

let s3: LocalS3;
let dir: string;

beforeAll(async () => {
  s3 = await startLocalS3();
  dir = await mkdtemp(path.join(tmpdir(), 'm500-store-'));
});

afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const s3Location = () => ({
  bucket: s3.bucket,
  prefix: 'runs/2026-11-20/',
  endpoint: s3.endpoint,
  region: 'ru-central1',
  forcePathStyle: true,
  credentials: s3.credentials,
  timeoutMs: 10_000,
});

// One behaviour suite for every store: the local directory and a real S3-compatible server.
const stores: [string, () => OutputStore][] = [
  ['local directory', () => localOutputDir(dir)],
  ['S3-compatible server', () => s3Store(s3Location())],
];

describe.each(stores)('output store: %s', (_name, makeStore) => {
  it('gives back what was written, bytes and text alike', async () => {
    const store = makeStore();
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x00, 0xff]);
    await store.write('reports/schools/56-001.pdf', pdf);
    await store.write('indicators.json', '{"регион": "Оренбургская область"}\n');
    expect(await store.read('reports/schools/56-001.pdf')).toEqual(pdf);
    expect(Buffer.from((await store.read('indicators.json'))!).toString('utf8')).toBe(
      '{"регион": "Оренбургская область"}\n',
    );
  });

  it('replaces a file on a second write and says when there is none', async () => {
    const store = makeStore();
    await store.write('manifest.json', 'первый');
    await store.write('manifest.json', 'второй');
    expect(Buffer.from((await store.read('manifest.json'))!).toString('utf8')).toBe('второй');
    expect(await store.read('нет/такого.json')).toBeUndefined();
  });

  it('refuses paths that climb out of the run', async () => {
    await expect(makeStore().write('../chuzhoe.json', 'x')).rejects.toThrow(/недопустим|выходит за пределы/);
  });
});

describe('S3 store links', () => {
  it('gives a presigned link that downloads the file without credentials', async () => {
    const store = s3Store(s3Location());
    const pdf = new TextEncoder().encode('%PDF-1.7 справка');
    await store.write('reports/region.pdf', pdf);
    const url = await store.presignedUrl('reports/region.pdf', 300);
    expect(url).toContain('X-Amz-Signature=');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(pdf);
    // The link carries its lifetime.
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
  });
});
