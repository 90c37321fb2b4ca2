import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PdfRenderer } from '../../functions/app/ports/pdf-renderer.js';
import { createChromiumPdfRenderer } from '../../functions/adapters/chromium/pdf-renderer.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { localWorkbookSource } from '../../functions/adapters/xlsx/files-source.js';
import { s3Store } from '../../functions/adapters/s3/store.js';
import { cloudPorts, monitorHandler, workerHandler } from '../../functions/cloud-entry.js';
import { parseConfig } from '../../functions/config.js';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import { renderHandler } from '../../functions/http-render.js';
import { jsonLog } from '../../functions/log.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import type { ManifestEntry } from '../../functions/app/print-documents.js';
import { stateFor } from '../../functions/app/ports/run-state-store.js';
import { runMonitoring } from '../../functions/app/run-region.js';
import type { ScheduledRunPorts } from '../../functions/scheduled-run.js';
import { pushToFunction, startFakePubSub, type FakePubSub, type PublishedMessage } from '../support/fake-pubsub.js';
import { startTokenIssuer, type TokenIssuer } from '../support/google-id-tokens.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3.js';
import { readPdf } from '../support/pdf-text.js';
import { root } from '../support/run-cli.js';

const REGISTRY = path.join(root, 'examples', 'demo-region', 'registry.xlsx');
const SECRET = 'cloud-test-secret-0123456789';
const AUDIENCE = 'https://europe-west1-monitor500.cloudfunctions.net/render';
const SCHOOL_EMAIL = 'school-56-001@example.ru';
const COORDINATOR_EMAIL = 'coordinator@example.ru';

let s3: LocalS3;
let pubsub: FakePubSub;
let issuer: TokenIssuer;
let chromium: PdfRenderer;
let ports: ScheduledRunPorts;
const logLines: string[] = [];

/** The renderer the functions use: counts what it prints and can be told to crash after some documents. */
const printing = { count: 0, crashAfter: Infinity };
const countingRenderer: PdfRenderer = {
  async render(html) {
    if (printing.count >= printing.crashAfter) throw new Error('Chromium упал посреди прогона (смоделировано)');
    printing.count += 1;
    return chromium.render(html);
  },
  close: async () => {},
};

beforeAll(async () => {
  [s3, pubsub, issuer] = await Promise.all([startLocalS3(), startFakePubSub(), startTokenIssuer()]);
  const env = {
    MONITOR500_STORE: `s3://${s3.bucket}/monitor500`,
    MONITOR500_S3_ENDPOINT: s3.endpoint,
    MONITOR500_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    MONITOR500_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    MONITOR500_REGISTRY: REGISTRY,
    MONITOR500_STAGE: 'промежуточный',
    MONITOR500_HTTP_SECRET: SECRET,
    MONITOR500_HTTP_AUDIENCE: AUDIENCE,
    MONITOR500_HTTP_ALLOWED: JSON.stringify({ [SCHOOL_EMAIL]: ['schools/56-001.xlsx'], [COORDINATOR_EMAIL]: ['*'] }),
    MONITOR500_GOOGLE_CERTS_URL: issuer.certsUrl,
    MONITOR500_LINK_SECONDS: '300',
    MONITOR500_PUBSUB_PROJECT: 'monitor500-test',
    PUBSUB_EMULATOR_HOST: pubsub.host,
    MONITOR500_RENDER_CONCURRENCY: '2',
  };
  const config = parseConfig(env);
  chromium = createChromiumPdfRenderer({
    executablePath: config.chromiumPath,
    timeoutMs: config.renderTimeoutMs,
    concurrency: config.renderConcurrency,
  });
  // The production ports, with a renderer that counts and a log that is kept for the assertions.
  ports = { ...cloudPorts(config), renderer: () => countingRenderer, log: jsonLog((line) => logLines.push(line)) };
  functions.cloudEvent(
    'monitor',
    monitorHandler(
      () => config,
      () => ports,
    ),
  );
  functions.cloudEvent(
    'worker',
    workerHandler(() => ports),
  );
  functions.http(
    'render',
    renderHandler(
      () => config,
      () => ports,
    ),
  );
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all([s3?.close(), pubsub?.close(), issuer?.close()]);
});

/** Delivers a message as Pub/Sub's push does, fired at the day of the run. */
const deliver = (functionName: 'monitor' | 'worker', payload: object) =>
  pushToFunction(functionName, payload, new Date('2026-11-20T03:00:00Z'));

/** Acts as Pub/Sub: delivers every published work message (and what they publish in turn) until none is left. */
async function drain(): Promise<{ delivered: PublishedMessage[]; failed: number }> {
  const delivered: PublishedMessage[] = [];
  let failed = 0;
  for (let batch = pubsub.take(); batch.length > 0; batch = pubsub.take()) {
    for (const message of batch) {
      expect(message.topic).toBe('monitor500-work');
      if ((await deliver('worker', message.payload)) >= 400) failed += 1;
      delivered.push(message);
    }
  }
  return { delivered, failed };
}

const store = () =>
  s3Store({
    bucket: s3.bucket,
    prefix: 'monitor500/',
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: s3.credentials,
    timeoutMs: 10_000,
  });

async function readJson<T>(key: string): Promise<T | undefined> {
  const bytes = await store().read(key);
  return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : undefined;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every document file under a run: reports and orders, whatever the manifest says. */
async function storedDocuments(runId: string): Promise<string[]> {
  const keys = await store().list(`runs/${runId}/`);
  return keys
    .map((k) => k.slice(`runs/${runId}/`.length))
    .filter((k) => /^(reports|orders)\/.*\.pdf$/.test(k))
    .sort();
}

/** Checks that the manifest lists every stored document exactly once, with the stored bytes' hash. */
async function expectManifestMatchesStorage(runId: string): Promise<ManifestEntry[]> {
  const manifest = await readJson<{ documents: ManifestEntry[] }>(`runs/${runId}/manifest.json`);
  expect(manifest, 'manifest.json').toBeDefined();
  const paths = manifest!.documents.map((d) => d.path);
  expect(new Set(paths).size).toBe(paths.length);
  expect([...paths].sort()).toEqual(await storedDocuments(runId));
  for (const doc of manifest!.documents) {
    const bytes = await store().read(`runs/${runId}/${doc.path}`);
    expect(sha256(bytes!), doc.path).toBe(doc.sha256);
  }
  return manifest!.documents;
}

describe('scheduled monitoring run (Scheduler → Pub/Sub → monitor → worker)', () => {
  const runId = '2026-11-20';
  let participants: string[];
  let documents: ManifestEntry[];

  it('plans the run and sends one message per participant school', async () => {
    expect(await deliver('monitor', { stage: 'промежуточный' })).toBeLessThan(300);
    const plan = await readJson<{ runId: string; asOf: string; schools: string[] }>(`.state/runs/${runId}/run.json`);
    // The run is dated by the day the scheduler fired in the region's time zone (03:00 UTC is 06:00 in Moscow).
    expect(plan).toMatchObject({ runId, asOf: '2026-11-20' });
    participants = plan!.schools;
    expect(participants.length).toBeGreaterThanOrEqual(5);
    const sent = pubsub.take();
    expect(sent.map((m) => m.payload)).toEqual(participants.map((school) => ({ runId, school })));
    // The raw registry was kept before anything was validated.
    expect(await readJson(`.state/runs/${runId}/inputs/registry.json`)).toMatchObject({
      workbook: { name: 'registry.xlsx' },
    });
    // Give the messages back to the broker for the next step.
    for (const m of sent) await deliver('worker', m.payload);
  });

  it('builds the municipal and regional documents once every school is done, without reprinting school reports', async () => {
    printing.count = 0;
    const { delivered, failed } = await drain();
    expect(failed).toBe(0);
    expect(delivered.map((m) => m.payload)).toEqual([{ runId, finish: true }]);
    documents = await expectManifestMatchesStorage(runId);
    const schoolReports = documents.filter((d) => d.kind === 'school-report');
    expect(schoolReports.map((d) => d.scope.level === 'school' && d.scope.code).sort()).toEqual(
      [...participants].sort(),
    );
    // The last step printed only the documents of municipalities and the region.
    expect(printing.count).toBe(documents.length - schoolReports.length);
    expect(await readJson<MonitoringIndicators>(`runs/${runId}/indicators.json`)).toMatchObject({ asOf: runId });
    expect(await store().read(`runs/${runId}/index.html`)).toBeDefined();
    for (const school of participants) {
      expect(await readJson(`.state/runs/${runId}/schools/${encodeURIComponent(school)}.json`)).toMatchObject({
        school,
      });
    }
  });

  it('produces the same documents, byte for byte, as the same run in one process (the CLI)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'm500-inprocess-'));
    try {
      const rules = monitoringRules();
      const summary = await runMonitoring(
        { asOf: runId, stage: 'промежуточный' },
        {
          source: localWorkbookSource(REGISTRY, 20),
          renderer: chromium,
          output: localOutputDir(dir),
          state: stateFor(localOutputDir(dir)),
          rules,
        },
      );
      expect(documents.map((d) => [d.path, d.sha256])).toEqual(summary.documents.map((d) => [d.path, d.sha256]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does no work twice when Pub/Sub delivers every message again', async () => {
    printing.count = 0;
    const before = await store().list(`runs/${runId}/`);
    expect(await deliver('monitor', { stage: 'промежуточный' })).toBeLessThan(300);
    for (const school of participants) expect(await deliver('worker', { runId, school })).toBeLessThan(300);
    expect(await deliver('worker', { runId, finish: true })).toBeLessThan(300);
    await drain();
    expect(printing.count).toBe(0);
    expect(await store().list(`runs/${runId}/`)).toEqual(before);
    expect(await expectManifestMatchesStorage(runId)).toEqual(documents);
  });

  it('logs one JSON object per line with severity, run id and school code, and no personal data', async () => {
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(participants.length);
    for (const entry of entries) expect(['DEBUG', 'INFO', 'WARNING', 'ERROR']).toContain(entry.severity);
    const schoolEntry = entries.find((e) => e.schoolCode === participants[0]);
    expect(schoolEntry).toMatchObject({
      runId,
      'logging.googleapis.com/labels': { runId, schoolCode: participants[0] },
    });
    expect(entries.some((e) => e.message === 'Прогон завершён.' && e.runId === runId)).toBe(true);
    // People's names (curators, working group) never reach the logs.
    const indicators = await readJson<MonitoringIndicators>(`runs/${runId}/indicators.json`);
    const names = Object.values(indicators!.schools).flatMap((s) => (s.curatorName ? [s.curatorName] : []));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(logLines.join('\n')).not.toContain(name.split(' ')[0]!);
  });
});

describe('two deliveries of one message at once (S3 store)', () => {
  const runId = '2026-11-22';

  it('do each school and the last step once: one delivery works, the other comes back and finds it done', async () => {
    printing.count = 0;
    expect(await deliver('monitor', { asOf: runId, stage: 'промежуточный' })).toBeLessThan(300);
    const schools = pubsub.take();
    expect(schools.length).toBeGreaterThanOrEqual(5);
    const refused: PublishedMessage[] = [];
    for (const message of schools) {
      const statuses = await Promise.all([deliver('worker', message.payload), deliver('worker', message.payload)]);
      expect(
        statuses.filter((s) => s < 300),
        JSON.stringify(message.payload),
      ).toHaveLength(1);
      refused.push(message);
    }
    // The last step, published by the worker that completed the run, is delivered twice at once too.
    const finish = pubsub.take();
    expect(finish.map((m) => m.payload)).toEqual([{ runId, finish: true }]);
    const statuses = await Promise.all([deliver('worker', finish[0]!.payload), deliver('worker', finish[0]!.payload)]);
    expect(statuses.filter((s) => s < 300)).toHaveLength(1);
    // Pub/Sub redelivers the refused ones later: they find the work done.
    for (const message of [...refused, finish[0]!]) expect(await deliver('worker', message.payload)).toBeLessThan(300);
    await drain();
    const documents = await expectManifestMatchesStorage(runId);
    expect(printing.count).toBe(documents.length);
  });
});

describe('a scheduled run that crashed halfway', () => {
  const runId = '2026-11-21';

  it('resumes after the monitor failed to send its messages', async () => {
    pubsub.refuseNext(20, 503);
    expect(await deliver('monitor', { asOf: runId, stage: 'промежуточный' })).toBeGreaterThanOrEqual(500);
    expect(await readJson(`.state/runs/${runId}/run.json`)).toBeDefined();
    expect(pubsub.take()).toEqual([]);
    pubsub.refuseNext(0, 503);
    // Pub/Sub delivers the scheduler's message again: the kept plan is sent out.
    expect(await deliver('monitor', { asOf: runId, stage: 'промежуточный' })).toBeLessThan(300);
    expect(pubsub.take().length).toBeGreaterThanOrEqual(5);
  });

  it('finishes after a worker and the last step crashed mid-render, with every document stored once', async () => {
    const plan = await readJson<{ schools: string[] }>(`.state/runs/${runId}/run.json`);
    const [first, ...others] = plan!.schools;
    // The browser dies while the first school's report is printed: the delivery fails, nothing is marked done.
    printing.count = 0;
    printing.crashAfter = 0;
    expect(await deliver('worker', { runId, school: first })).toBeGreaterThanOrEqual(500);
    expect(await readJson(`.state/runs/${runId}/schools/${encodeURIComponent(first!)}.json`)).toBeUndefined();
    printing.crashAfter = Infinity;
    for (const school of others) expect(await deliver('worker', { runId, school })).toBeLessThan(300);
    expect(pubsub.take()).toEqual([]);
    // Redelivered, the first school completes the run and the last step is sent; it crashes after three documents.
    expect(await deliver('worker', { runId, school: first })).toBeLessThan(300);
    const finish = pubsub.take();
    expect(finish.map((m) => m.payload)).toEqual([{ runId, finish: true }]);
    printing.count = 0;
    printing.crashAfter = 3;
    expect(await deliver('worker', finish[0]!.payload)).toBeGreaterThanOrEqual(500);
    expect(await readJson(`runs/${runId}/manifest.json`)).toBeUndefined();
    // Findings and indicators were stored before printing began.
    expect(await readJson(`runs/${runId}/validation.json`)).toBeDefined();
    printing.count = 0;
    printing.crashAfter = Infinity;
    expect(await deliver('worker', finish[0]!.payload)).toBeLessThan(300);
    const documents = await expectManifestMatchesStorage(runId);
    const schoolReports = documents.filter((d) => d.kind === 'school-report').length;
    // Only what the crash left unprinted was printed on the second attempt.
    expect(printing.count).toBe(documents.length - schoolReports - 3);
    const errors = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.severity === 'ERROR');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    for (const e of errors) expect(e.detail).not.toMatch(/<html|%PDF/);
  });

  it('skips a message that is not a task of a run, without failing the delivery', async () => {
    expect(await deliver('worker', { hello: 'world' })).toBeLessThan(300);
    expect(await deliver('worker', { runId: '../../etc', school: '56-001' })).toBeLessThan(300);
    expect(await deliver('worker', { runId: '2030-01-01', school: '56-001' })).toBeLessThan(300);
    expect(pubsub.take()).toEqual([]);
  });
});

describe('HTTP render', () => {
  const server = () => getTestServer('render');
  const post = (body: object, authorization?: string) => {
    const call = request(server()).post('/').send(body);
    return authorization ? call.set('Authorization', authorization) : call;
  };
  const bearer = (token: string) => `Bearer ${token}`;
  const schoolToken = () => issuer.token({ aud: AUDIENCE, email: SCHOOL_EMAIL });

  it.each([
    ['no credentials', undefined],
    ['a wrong shared secret', 'Bearer wrong-secret'],
    ['an ID token signed by someone else', () => issuer.forged({ aud: AUDIENCE, email: SCHOOL_EMAIL })],
    [
      'an expired ID token',
      () => issuer.token({ aud: AUDIENCE, email: SCHOOL_EMAIL, exp: 1_700_000_000, iat: 1_699_996_400 }),
    ],
    ['an ID token for another function', () => issuer.token({ aud: 'https://example.org/other', email: SCHOOL_EMAIL })],
    [
      'an ID token from another issuer',
      () => issuer.token({ aud: AUDIENCE, email: SCHOOL_EMAIL, iss: 'https://evil.example' }),
    ],
  ])('answers 401 with no details to %s', async (_name, credential) => {
    const header = typeof credential === 'function' ? bearer(credential()) : credential;
    const response = await post({ document: 'reports/schools/56-001.pdf' }, header);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'unauthorized' });
  });

  it("prints a school's report for the school's own account and answers a short-lived link to the PDF", async () => {
    printing.count = 0;
    const response = await post({ document: 'reports/schools/56-001.pdf', asOf: '2026-11-20' }, bearer(schoolToken()));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ document: 'reports/schools/56-001.pdf', expiresInSeconds: 300 });
    const url = new URL(response.body.url as string);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.pathname).toContain('/on-demand/2026-11-20/interim/reports/schools/56-001.pdf');
    const download = await fetch(url);
    expect(download.status).toBe(200);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(sha256(bytes)).toBe(response.body.sha256);
    const pdf = await readPdf(bytes);
    expect(pdf.text).toContain('56-001');
    expect(pdf.text).toContain('Аналитическая справка');
    expect(printing.count).toBe(1);
  });

  it("refuses a school's account another school's report and the region's documents", async () => {
    const other = await post({ document: 'reports/schools/56-002.pdf' }, bearer(schoolToken()));
    expect(other.status).toBe(403);
    const region = await post({ document: 'reports/region.pdf' }, bearer(schoolToken()));
    expect(region.status).toBe(403);
  });

  it("prints the region's documents for the coordinator", async () => {
    const token = issuer.token({ aud: AUDIENCE, email: COORDINATOR_EMAIL });
    const response = await post({ document: 'orders/working-group.pdf', asOf: '2026-11-20' }, bearer(token));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const pdf = await readPdf(new Uint8Array(await (await fetch(response.body.url as string)).arrayBuffer()));
    expect(pdf.text).toContain('рабоч');
  });

  it('explains a wrong request and says when there is no such document', async () => {
    expect((await post({}, bearer(SECRET))).status).toBe(400);
    expect((await post({ document: '../manifest.json' }, bearer(SECRET))).status).toBe(400);
    expect((await post({ document: 'reports/region.pdf', stage: 'весенний' }, bearer(SECRET))).status).toBe(400);
    const missing = await post({ document: 'reports/schools/99-999.pdf' }, bearer(SECRET));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/нет/);
  });
});
