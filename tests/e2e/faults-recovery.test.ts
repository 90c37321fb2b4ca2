import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Store } from '../../functions/adapters/s3/store.js';
import type { ManifestEntry } from '../../functions/app/print-documents.js';
import { SLOW_DOWN, startFaultyProxy, type FaultyProxy } from '../support/faulty-proxy.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3.js';
import { root, runCli } from '../support/run-cli.js';

const REGISTRY = path.join(root, 'examples', 'demo-region', 'registry.xlsx');
const RUN = ['run', '--source', REGISTRY, '--as-of', '2026-11-20', '--stage', 'промежуточный'];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let s3: LocalS3;
let proxy: FaultyProxy;

beforeAll(async () => {
  s3 = await startLocalS3();
  proxy = await startFaultyProxy(s3.endpoint);
});

afterAll(async () => {
  await proxy.close();
  await s3.close();
});

/** The run's files as stored, read straight from the S3 server (not through the faulty proxy). */
const direct = (prefix: string) =>
  s3Store({
    bucket: s3.bucket,
    prefix,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: s3.credentials,
    timeoutMs: 10_000,
  });

/** Every document stored is in the manifest exactly once, with the hash of the stored bytes. */
async function expectConsistent(
  read: (p: string) => Promise<Uint8Array | undefined>,
  stored: string[],
): Promise<ManifestEntry[]> {
  const manifest = JSON.parse(Buffer.from((await read('manifest.json'))!).toString('utf8')) as {
    documents: ManifestEntry[];
  };
  const paths = manifest.documents.map((d) => d.path);
  expect(new Set(paths).size).toBe(paths.length);
  expect([...paths].sort()).toEqual(stored.filter((p) => /^(reports|orders)\/.*\.pdf$/.test(p)).sort());
  for (const doc of manifest.documents) expect(sha256((await read(doc.path))!), doc.path).toBe(doc.sha256);
  return manifest.documents;
}

// Long enough for a PDF on a loaded machine; a stalled request still ends in a few seconds.
const s3Env = (timeoutMs = 3000) => ({
  MONITOR500_S3_ENDPOINT: proxy.url,
  MONITOR500_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
  MONITOR500_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  MONITOR500_S3_TIMEOUT_MS: String(timeoutMs),
});

describe('storage faults', () => {
  it('finishes through 503 SlowDown answers and stalled requests, with every document stored once', async () => {
    proxy.log.length = 0;
    // Every third request is throttled; two requests get no answer at all.
    proxy.setPlan((_req, index) => (index === 7 || index === 30 ? 'stall' : index % 3 === 1 ? SLOW_DOWN : 'pass'));
    const result = await runCli([...RUN, '--out', `s3://${s3.bucket}/slow`], s3Env());
    proxy.setPlan(() => 'pass');
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.log.filter((r) => r.fault === '503').length).toBeGreaterThan(10);
    expect(proxy.log.filter((r) => r.fault === 'stall')).toHaveLength(2);
    const store = direct('slow/');
    await expectConsistent(store.read, await store.list(''));
  });

  it('stops with a one-line Russian reason when storage stays down, and a rerun completes what is missing', async () => {
    const unavailable = { status: 503, body: '<Error><Code>ServiceUnavailable</Code></Error>' };
    proxy.setPlan((req) => (req.method === 'PUT' && req.url?.includes('/orders/') ? unavailable : 'pass'));
    const failed = await runCli([...RUN, '--out', `s3://${s3.bucket}/outage`], s3Env());
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n').at(-1)).toMatch(
      /^Ошибка: Не удалось записать «outage\/orders\/.+» в хранилище/,
    );
    const store = direct('outage/');
    expect(await store.read('manifest.json')).toBeUndefined();
    // What was read and found is kept although the run failed.
    expect(await store.read('.state/inputs/registry.json')).toBeDefined();
    expect(await store.read('validation.json')).toBeDefined();

    proxy.setPlan(() => 'pass');
    const rerun = await runCli([...RUN, '--out', `s3://${s3.bucket}/outage`], s3Env());
    expect(rerun.code, rerun.stderr).toBe(0);
    const documents = await expectConsistent(store.read, await store.list(''));
    const reprinted = Number(/напечатано заново: (\d+)/.exec(rerun.stdout)?.[1]);
    // Only the orders that never reached storage were printed again.
    expect(reprinted).toBe(documents.filter((d) => d.path.startsWith('orders/')).length);
  });
});

/** Processes descended from `pid` (its browser and the browser's helpers). */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length > 0;) {
    const children = table.filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...children);
    frontier = children;
  }
  return found;
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs `monitor500 run`; `onProgress` sees the progress printed so far and the process. */
function runWatched(
  out: string,
  onProgress: (stderr: string, pid: number) => void,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'functions', 'cli.ts'), ...RUN, '--out', out],
      {
        cwd: root,
        env: { ...process.env, MONITOR500_RENDER_CONCURRENCY: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      onProgress(stderr, child.pid!);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const printedSoFar = (stderr: string) => (stderr.match(/\] Справка /g) ?? []).length;

async function localFiles(out: string) {
  const files = (await readdir(out, { recursive: true })).map((f) => f.split(path.sep).join('/'));
  const read = async (p: string) => {
    try {
      return new Uint8Array(await readFile(path.join(out, p)));
    } catch {
      return undefined;
    }
  };
  return { files, read };
}

describe('Chromium killed mid-run', () => {
  it('starts a new browser and the run completes, every document once', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'm500-chromium-killed-'));
    try {
      let killed = 0;
      const result = await runWatched(out, (stderr, pid) => {
        if (killed === 0 && printedSoFar(stderr) >= 2) {
          const browser = descendants(pid);
          killAll(browser);
          killed = browser.length;
        }
      });
      expect(killed).toBeGreaterThan(0);
      expect(result.code, result.stderr).toBe(0);
      const { files, read } = await localFiles(out);
      const documents = await expectConsistent(read, files);
      expect(result.stdout).toContain(`Готово: ${documents.length} документ`);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('the process killed mid-run', () => {
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'm500-killed-'));
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('loses nothing: the rerun prints only what is missing and every document exists once', async () => {
    // Killed (SIGKILL, no cleanup) right after the third document is stored.
    let sent = false;
    let orphans: number[] = [];
    const killed = await runWatched(out, (stderr, pid) => {
      if (!sent && printedSoFar(stderr) >= 3) {
        sent = true;
        orphans = descendants(pid);
        process.kill(pid, 'SIGKILL');
      }
    });
    // The killed run's browser would outlive it; it is not part of what is tested.
    killAll(orphans);
    expect(killed.signal).toBe('SIGKILL');
    await expect(readFile(path.join(out, 'manifest.json'))).rejects.toThrow();
    // The raw inputs and the findings were stored before printing began.
    expect(JSON.parse(await readFile(path.join(out, '.state', 'inputs', 'registry.json'), 'utf8'))).toHaveProperty(
      'workbook',
    );
    expect(JSON.parse(await readFile(path.join(out, 'validation.json'), 'utf8'))).toHaveProperty('issues');

    const rerun = await runCli([...RUN, '--out', out]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const { files, read } = await localFiles(out);
    const documents = await expectConsistent(read, files);
    const reprinted = Number(/напечатано заново: (\d+)/.exec(rerun.stdout)?.[1]);
    expect(reprinted).toBeGreaterThan(0);
    expect(reprinted).toBeLessThanOrEqual(documents.length - 3);
  });
});
