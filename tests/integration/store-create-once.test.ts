import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { OutputStore } from '../../functions/app/ports/output-store.js';
import { stateFor } from '../../functions/app/ports/run-state-store.js';
import { underLease, WorkHeld } from '../../functions/app/lease.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { s3Client, s3Store, type S3Location } from '../../functions/adapters/s3/store.js';
import { startFaultyProxy } from '../support/faulty-proxy.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3.js';

// Two deliveries of one Pub/Sub message may run at once: the store's create-once decides which of
// them prints. Against the real local directory and the real AWS client on the local S3 server.

let s3: LocalS3;
let dir: string;

beforeAll(async () => {
  s3 = await startLocalS3();
  dir = await mkdtemp(path.join(tmpdir(), 'm500-create-once-'));
});

afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const s3Location = (): S3Location => ({
  bucket: s3.bucket,
  prefix: 'runs/2026-11-20/',
  endpoint: s3.endpoint,
  region: 'ru-central1',
  forcePathStyle: true,
  credentials: s3.credentials,
  timeoutMs: 10_000,
});

const stores: [string, () => OutputStore][] = [
  ['local directory', () => localOutputDir(dir)],
  ['S3-compatible server', () => s3Store(s3Location())],
];

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString('utf8');

describe.each(stores)('create-once: %s', (name, makeStore) => {
  // Each test has paths of its own: the store outlives the tests of one suite.
  const unique = (what: string) => `${what}-${name.replace(/\W+/g, '-')}`;

  it('of 20 concurrent creates of one path exactly one wins, and the file holds its bytes', async () => {
    const store = makeStore();
    const file = `.state/printed/${unique('race')}/region.pdf.json`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(file, `{"печать": ${i}}\n`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(text(await store.read(file))).toBe(`{"печать": ${winner}}\n`);
    // A later create still loses; write still replaces.
    expect(await store.create(file, 'поздно')).toBe(false);
    await store.write(file, 'заменено');
    expect(text(await store.read(file))).toBe('заменено');
    // No temporary file is left to be listed.
    expect(await store.list(`.state/printed/${unique('race')}/`)).toEqual([
      `.state/printed/${unique('race')}/region.pdf.json`,
    ]);
  });

  it('removes a file, under a state prefix too; removing one that is not there is no error', async () => {
    const state = stateFor(makeStore());
    const base = `live/pending/${unique('remove')}/`;
    await state.write(`${base}1.json`, '{}\n');
    await state.write(`${base}2.json`, '{}\n');
    await state.remove(`${base}1.json`);
    expect(await state.list(base)).toEqual([`${base}2.json`]);
    expect(await state.read(`${base}1.json`)).toBeUndefined();
    await expect(state.remove(`${base}1.json`)).resolves.toBeUndefined();
    await expect(state.remove(`${base}никогда.json`)).resolves.toBeUndefined();
  });

  it('two deliveries under one lease: the work runs once, the other gets WorkHeld', async () => {
    const state = stateFor(makeStore(), `runs/${unique('lease')}/`);
    const now = () => new Date('2026-11-20T09:00:00Z');
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'напечатано';
    };
    const outcomes = await Promise.allSettled([
      underLease(state, 'print/region.pdf', { now, seconds: 300 }, work),
      underLease(state, 'print/region.pdf', { now, seconds: 300 }, work),
    ]);
    expect(runs).toBe(1);
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value)).toEqual(['напечатано']);
    const refused = outcomes.find((o) => o.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(WorkHeld);
    expect(String(refused?.reason)).toMatch(/другая доставка/);
  });

  it('a live lease is not taken again; one past its time is, by the next number', async () => {
    const state = stateFor(makeStore(), `runs/${unique('expiry')}/`);
    let clock = new Date('2026-11-20T09:00:00Z');
    const options = { now: () => clock, seconds: 60 };
    expect(await underLease(state, 'school/56-001', options, async () => 'первая')).toBe('первая');

    clock = new Date('2026-11-20T09:00:59Z');
    await expect(underLease(state, 'school/56-001', options, async () => 'вторая')).rejects.toBeInstanceOf(WorkHeld);

    clock = new Date('2026-11-20T09:01:00Z');
    expect(await underLease(state, 'school/56-001', options, async () => 'после срока')).toBe('после срока');
    expect(await state.list('leases/school/56-001/')).toEqual([
      'leases/school/56-001/00000001.json',
      'leases/school/56-001/00000002.json',
    ]);
    expect(JSON.parse(text(await state.read('leases/school/56-001/00000002.json')))).toEqual({
      takenAt: '2026-11-20T09:01:00.000Z',
      until: '2026-11-20T09:02:00.000Z',
    });
    // Another lease name is another lease, even where one name starts the other.
    expect(await underLease(state, 'school/56-0011', options, async () => 'своя')).toBe('своя');
  });
});

describe('local S3 server: conditional writes through the proxy', () => {
  it('refuses a PUT with If-None-Match: * on an existing key with S3’s 412, and a plain PUT still overwrites', async () => {
    const client = s3Client(s3Location());
    const put = (body: string, ifNoneMatch?: string) =>
      client.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key: 'runs/proxy/manifest.json',
          Body: body,
          ...(ifNoneMatch ? { IfNoneMatch: ifNoneMatch } : {}),
        }),
      );
    await put('первый', '*');
    const refused = await put('второй', '*').catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    await put('третий');
    const store = s3Store({ ...s3Location(), prefix: 'runs/proxy/' });
    expect(text(await store.read('manifest.json'))).toBe('третий');
  });
});

describe('S3 store: 409 ConditionalRequestConflict', () => {
  // S3 answers 409 when another conditional write of the key is in progress; AWS says to retry.
  const CONFLICT = {
    status: 409,
    body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ConditionalRequestConflict</Code><Message>A conflicting conditional operation is currently in progress against this resource.</Message></Error>',
  };

  it('retries a conflict and then creates, or says false once the other write has landed', async () => {
    const proxy = await startFaultyProxy(s3.endpoint);
    try {
      const store = s3Store({ ...s3Location(), endpoint: proxy.url, prefix: 'runs/conflict/' });
      let conflicts = 2;
      proxy.setPlan((req) => (req.method === 'PUT' && conflicts-- > 0 ? CONFLICT : 'pass'));
      expect(await store.create('leases/a/00000001.json', 'моя')).toBe(true);
      expect(proxy.log.filter((r) => r.method === 'PUT').map((r) => r.fault)).toEqual(['409', '409', 'pass']);

      // Conflicts past the retries: the object is there, so the other writer won.
      proxy.setPlan((req) => (req.method === 'PUT' ? CONFLICT : 'pass'));
      expect(await store.create('leases/a/00000001.json', 'чужая')).toBe(false);
      // And where it is not there, the store cannot say: a failure, not a guess.
      await expect(store.create('leases/a/00000002.json', 'ничья')).rejects.toThrow(/Не удалось создать/);
    } finally {
      await proxy.close();
    }
  });
});
