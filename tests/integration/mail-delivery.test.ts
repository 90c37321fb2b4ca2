/**
 * E-mail by scope (issue 18) through a real SMTP server on 127.0.0.1 (smtp-server), every message
 * parsed with mailparser: the demo region's `monitor500 run … --send` into a directory (attachments)
 * and into S3 (presigned links), then the scheduled path (monitor → worker → last step) with a fake
 * clock: a redelivered finish message and reruns send nothing twice, a refused address is recorded
 * in the ledger and sent once by a later attempt, and no address reaches the logs.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChromiumPdfRenderer } from '../../functions/adapters/chromium/pdf-renderer.js';
import { recipientHash, type LedgerRecord } from '../../functions/app/deliver.js';
import type { PdfRenderer } from '../../functions/app/ports/pdf-renderer.js';
import { cloudPorts } from '../../functions/cloud-entry.js';
import { parseConfig } from '../../functions/config.js';
import { manifestFiles, type DeliveryFile } from '../../functions/core/delivery-plan.js';
import { jsonLog } from '../../functions/log.js';
import type { WorkMessage } from '../../functions/scheduled-messages.js';
import { doWork, onSchedule, type ScheduledRunPorts } from '../../functions/scheduled-run.js';
import { DEMO_REGISTRY } from '../support/demo-run.js';
import { registryTabs, schoolATabs, schoolBTabs } from '../support/fixture-region.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3.js';
import { runCli } from '../support/run-cli.js';
import { startSmtpCapture, type CapturedMessage, type SmtpCapture } from '../support/smtp-capture.js';
import { writeBook } from '../support/workbook-content.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const FROM = 'Монитор 500+ <monitor@example.ru>';

let smtp: SmtpCapture;
const dirs: string[] = [];
beforeAll(async () => {
  smtp = await startSmtpCapture();
});
afterAll(async () => {
  await smtp?.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Messages received since `from`, by recipient. */
function byRecipient(messages: CapturedMessage[]): Map<string, CapturedMessage[]> {
  const map = new Map<string, CapturedMessage[]>();
  for (const m of messages) for (const to of m.to) map.set(to, [...(map.get(to) ?? []), m]);
  return map;
}

/** The demo region's recipients and what each must receive, from its manifest's scopes. */
function demoScopes(files: DeliveryFile[]): Map<string, string[]> {
  const paths = (test: (f: DeliveryFile) => boolean) => files.filter(test).map((f) => f.path);
  const school = (code: string) => paths((f) => f.scope.level === 'school' && f.scope.code === code);
  const municipality = (code: string, schools: string[]) => [
    ...paths((f) => f.scope.level === 'municipality' && f.scope.code === code),
    ...schools.flatMap(school),
  ];
  const region = paths((f) => f.scope.level === 'region');
  const expected = new Map<string, string[]>([
    ['abramova@iro56.example.ru', [...school('56-001'), ...school('56-002')]],
    ['tihonov@iro56.example.ru', [...school('56-005'), ...school('56-006')]],
    ['zhumabaeva@iro56.example.ru', school('56-008')],
    ['koltsova@iro56.example.ru', school('56-011')],
    ['koordinator-mo01@mo.example.ru', municipality('МО-01', ['56-001', '56-002'])],
    ['koordinator-mo02@mo.example.ru', municipality('МО-02', ['56-005', '56-006'])],
    ['koordinator-mo03@mo.example.ru', municipality('МО-03', ['56-008'])],
    ['koordinator-mo04@mo.example.ru', municipality('МО-04', ['56-011'])],
    ['koordinator@iro56.example.ru', region],
    ['minobr@orenburg.example.ru', region],
    ['priemnaya@orenburg.example.ru', region],
  ]);
  for (const code of ['56-001', '56-002', '56-005', '56-006', '56-008', '56-011']) {
    expected.set(`school-${code}@example.ru`, school(code));
  }
  return expected;
}

const fileName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

describe('monitor500 run --send (demo region, a directory)', () => {
  let out: string;
  let files: DeliveryFile[];
  const env = () => ({
    MONITOR500_SMTP_URL: smtp.url,
    MONITOR500_SMTP_TLS: 'none',
    MONITOR500_SMTP_FROM: FROM,
    MONITOR500_SMTP_TIMEOUT_MS: '5000',
  });
  const run = () =>
    runCli(
      ['run', '--source', DEMO_REGISTRY, '--out', out, '--as-of', '2026-11-20', '--stage', 'промежуточный', '--send'],
      env(),
    );
  const refusedAddress = 'minobr@orenburg.example.ru';
  const ledgerFile = (address: string) =>
    path.join(out, '.state', 'deliveries', '2026-11-20-interim', 'mail', `${recipientHash(address)}.json`);

  it('refuses --send without a mail server', async () => {
    const result = await runCli(['run', '--source', DEMO_REGISTRY, '--out', 'unused', '--send'], {
      MONITOR500_SMTP_URL: '',
      MONITOR500_SMTP_HOST: '',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('MONITOR500_SMTP_URL');
  });

  it('sends each address one message with exactly its scope; a refused address is in the ledger, the run done', async () => {
    out = await tempDir('m500-mail-');
    smtp.refuse(refusedAddress, 1);
    const before = smtp.messages.length;
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as unknown;
    files = manifestFiles(manifest);
    expect(files.length).toBeGreaterThan(10);
    const expected = demoScopes(files);
    const received = byRecipient(smtp.messages.slice(before));
    expect([...received.keys()].sort()).toEqual([...expected.keys()].filter((a) => a !== refusedAddress).sort());
    for (const [address, messages] of received) {
      expect(messages, address).toHaveLength(1);
      const message = messages[0]!;
      expect(message.to).toEqual([address]);
      expect(message.subject).toBe('Мониторинг «500+»: промежуточный этап, данные на 20 ноября 2026\u00a0г.');
      // Exactly its scope: each file once, with the bytes the manifest names.
      const want = expected.get(address)!;
      expect(message.attachments.map((a) => a.filename).sort(), address).toEqual(want.map(fileName).sort());
      for (const attachment of message.attachments) {
        const file = files.find((f) => fileName(f.path) === attachment.filename)!;
        const stored = sha256(await readFile(path.join(out, file.path)));
        expect(attachment.sha256, `${address}: ${file.path}`).toBe(stored);
        if (file.sha256) expect(attachment.sha256).toBe(file.sha256);
        expect(attachment.contentType).toBe(
          file.path.endsWith('.pdf')
            ? 'application/pdf'
            : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        );
      }
    }
    // A school: its own report only, and a summary of its findings in Russian.
    const school = received.get('school-56-001@example.ru')![0]!;
    expect(school.attachments.map((a) => a.filename).filter((n) => n.endsWith('.pdf'))).toEqual(['56-001.pdf']);
    expect(school.text).toContain('Школа 56-001');
    expect(school.text).toMatch(/Замечани[яй] к данным школы/);
    // One curator of two schools: one message with both reports.
    expect(received.get('abramova@iro56.example.ru')![0]!.text).toContain('Вы куратор школ');
    // The refusal is in the ledger, by the address's hash; the run finished all the same.
    const record = JSON.parse(await readFile(ledgerFile(refusedAddress), 'utf8')) as LedgerRecord;
    expect(record).toMatchObject({ status: 'failed', attempt: 1 });
    expect(record.error).toContain('451');
    expect(JSON.stringify(record)).not.toContain('@');
    expect(result.stdout).toContain('не отправлено 1');
    // No address in what the program printed.
    expect(result.stdout + result.stderr).not.toMatch(/@/);
  });

  it('a rerun sends the refused address once and nobody else again; a third sends nothing', async () => {
    const before = smtp.messages.length;
    const second = await run();
    expect(second.code, second.stderr).toBe(0);
    const received = smtp.messages.slice(before);
    expect(received.map((m) => m.to)).toEqual([[refusedAddress]]);
    expect(received[0]!.attachments.map((a) => a.filename).sort()).toEqual(
      demoScopes(files).get(refusedAddress)!.map(fileName).sort(),
    );
    const record = JSON.parse(await readFile(ledgerFile(refusedAddress), 'utf8')) as LedgerRecord;
    expect(record).toMatchObject({ status: 'sent', attempt: 2 });
    const third = await run();
    expect(third.code, third.stderr).toBe(0);
    expect(smtp.messages.length).toBe(before + 1);
    expect(third.stdout).toContain('уже были отправлены раньше 17');
  });
});

describe('monitor500 run --send into S3: files beyond the size limit go as presigned links', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3();
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('links download the very files of the manifest', async () => {
    const before = smtp.messages.length;
    const out = `s3://${s3.bucket}/mail`;
    const result = await runCli(
      ['run', '--source', DEMO_REGISTRY, '--out', out, '--as-of', '2026-11-20', '--stage', 'промежуточный', '--send'],
      {
        MONITOR500_S3_ENDPOINT: s3.endpoint,
        MONITOR500_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        MONITOR500_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
        MONITOR500_SMTP_URL: smtp.url,
        MONITOR500_SMTP_TLS: 'none',
        MONITOR500_SMTP_FROM: FROM,
        MONITOR500_MAIL_ATTACH_MB: '0',
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const received = byRecipient(smtp.messages.slice(before));
    expect(received.size).toBe(17);
    const ministry = received.get('minobr@orenburg.example.ru')!;
    expect(ministry).toHaveLength(1);
    expect(ministry[0]!.attachments).toEqual([]);
    const links = [...ministry[0]!.text.matchAll(/\(([^()\s]+\.(?:pdf|docx))\): (\S+)/g)].map((m) => ({
      path: m[1]!,
      url: m[2]!,
    }));
    expect(links.length).toBeGreaterThanOrEqual(3);
    expect(links.map((l) => l.path)).toContain('region.pdf');
    expect(links.map((l) => l.path)).toContain('stage.pdf');
    expect(ministry[0]!.text).toMatch(/ссылки действуют 72 часа/);
    // Each link downloads, without credentials, the bytes the manifest names.
    const school = received.get('school-56-005@example.ru')![0]!;
    const schoolLink = /\(56-005\.pdf\): (\S+)/.exec(school.text)?.[1];
    expect(schoolLink).toBeDefined();
    for (const { url } of [...links, { url: schoolLink! }]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const key = decodeURIComponent(new URL(url).pathname).replace(`/${s3.bucket}/mail/`, '');
      expect(key).toMatch(/^(reports|orders)\//);
      expect(sha256(bytes)).toBe(await expectedSha(s3, key));
    }
  });
});

/** The sha256 the run's manifest in S3 names for a path (read through the store, with credentials). */
async function expectedSha(s3: LocalS3, key: string): Promise<string | undefined> {
  const { outputStore } = await import('../../functions/output-location.js');
  const store = outputStore(
    `s3://${s3.bucket}/mail`,
    parseConfig({
      MONITOR500_S3_ENDPOINT: s3.endpoint,
      MONITOR500_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      MONITOR500_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    }),
  );
  const manifest = JSON.parse(Buffer.from((await store.read('manifest.json'))!).toString('utf8')) as unknown;
  return manifestFiles(manifest).find((f) => f.path === key)?.sha256;
}

describe('scheduled runs (monitor → worker → last step) e-mail once, retry a refusal on the next tick', () => {
  let dir: string;
  let chromium: PdfRenderer;
  let ports: ScheduledRunPorts;
  const logLines: string[] = [];
  const queue: WorkMessage[] = [];
  let now = new Date('2026-10-02T03:00:00Z');
  const runId = '2026-2027-entry';
  const addresses = {
    schoolA: 'school-a@example.ru',
    schoolB: 'School-B@Example.ru',
    curator: 'volkova@curators.example.ru',
    mo1: 'mo1@mo.example.ru',
    mo2: 'mo2@mo.example.ru',
    region: 'region@iro.example.ru',
    ministry: 'minobr@minobr.example.ru',
  };

  beforeAll(async () => {
    dir = await tempDir('m500-mail-cloud-');
    const [a, b, v, g] = registryTabs.schools.rows as [
      (typeof registryTabs.schools.rows)[number],
      (typeof registryTabs.schools.rows)[number],
      (typeof registryTabs.schools.rows)[number],
      (typeof registryTabs.schools.rows)[number],
    ];
    await writeBook(path.join(dir, 'реестр.xlsx'), {
      ...registryTabs,
      region: {
        rows: [
          {
            ...registryTabs.region.rows[0],
            entryDeadline: new Date('2026-10-01T00:00:00Z'),
            interimDeadline: new Date('2027-01-20T00:00:00Z'),
            finalDeadline: new Date('2027-05-25T00:00:00Z'),
            regionalCoordinatorEmail: addresses.region,
            ministryEmail: addresses.ministry,
          },
        ],
      },
      municipalities: {
        rows: [
          { ...registryTabs.municipalities.rows[0], coordinatorEmail: addresses.mo1 },
          { ...registryTabs.municipalities.rows[1], coordinatorEmail: `${addresses.mo2}; не-адрес` },
        ],
      },
      schools: {
        rows: [
          { ...a, schoolEmail: addresses.schoolA, curatorEmail: addresses.curator },
          // The curator is the school's address too: one message, each report once.
          { ...b, schoolEmail: addresses.schoolB, curatorEmail: `${addresses.curator}, ${addresses.schoolB}` },
          v,
          g,
        ],
      },
    });
    await writeBook(path.join(dir, 'a.xlsx'), schoolATabs);
    await writeBook(path.join(dir, 'b.xlsx'), schoolBTabs);
    const config = parseConfig({
      MONITOR500_STORE: path.join(dir, 'store'),
      MONITOR500_REGISTRY: path.join(dir, 'реестр.xlsx'),
      MONITOR500_RUN_MINUTES: '60',
      MONITOR500_RENDER_CONCURRENCY: '2',
      MONITOR500_SMTP_HOST: '127.0.0.1',
      MONITOR500_SMTP_PORT: String(smtp.port),
      MONITOR500_SMTP_TLS: 'none',
      MONITOR500_SMTP_FROM: FROM,
      MONITOR500_MAIL_ATTACH_MB: '0',
    });
    chromium = createChromiumPdfRenderer({
      executablePath: config.chromiumPath,
      timeoutMs: config.renderTimeoutMs,
      concurrency: config.renderConcurrency,
    });
    ports = {
      ...cloudPorts(config),
      renderer: () => chromium,
      publisher: { publish: async (_topic, messages) => void queue.push(...(messages as WorkMessage[])) },
      clock: { now: () => now },
      log: jsonLog((line) => logLines.push(line)),
    };
  });
  afterAll(async () => {
    await chromium?.close();
  });

  async function drain(): Promise<void> {
    for (let round = 0; queue.length > 0 && round < 20; round++) {
      for (const message of queue.splice(0)) await doWork(message, ports);
    }
  }
  const ledger = async (address: string) =>
    JSON.parse(
      await readFile(
        path.join(dir, 'store', '.state', 'runs', runId, 'mail', `${recipientHash(address)}.json`),
        'utf8',
      ),
    ) as LedgerRecord;

  it('a closing run sends each address once with its scope; a refused address is sent by a later attempt', async () => {
    smtp.refuse(addresses.ministry, 1);
    const before = smtp.messages.length;
    const refusedBefore = smtp.refused;
    await onSchedule({ asOf: '2026-10-02' }, ports);
    await drain();
    // The next tick: school В (no table) is left out once the run's time is up; failed addresses are retried.
    now = new Date('2026-10-02T05:00:00Z');
    await onSchedule({ asOf: '2026-10-02' }, ports);
    await drain();
    const runDir = path.join(dir, 'store', 'runs', runId);
    const files = manifestFiles(JSON.parse(await readFile(path.join(runDir, 'manifest.json'), 'utf8')) as unknown);
    const received = byRecipient(smtp.messages.slice(before));
    const lower = (s: string) => s.toLowerCase();
    // mo2's cell holds a bad address: a finding on that cell, and no message.
    expect([...received.keys()].sort()).toEqual(
      [addresses.schoolA, addresses.schoolB, addresses.curator, addresses.mo1, addresses.region, addresses.ministry]
        .map(lower)
        .sort(),
    );
    for (const [address, messages] of received) expect(messages, address).toHaveLength(1);
    expect(smtp.refused).toBe(refusedBefore + 1);
    expect(await ledger(addresses.ministry)).toMatchObject({ status: 'sent', attempt: 2 });
    expect(await ledger(addresses.region)).toMatchObject({ status: 'sent', attempt: 1 });
    const validation = JSON.parse(await readFile(path.join(runDir, 'validation.json'), 'utf8')) as {
      issues: { code: string; tab: string; column?: string; message: string }[];
    };
    const bad = validation.issues.find((i) => i.code === 'not_email');
    expect(bad).toMatchObject({ tab: 'Муниципалитеты', column: 'Эл. почта координатора' });
    expect(bad!.message).toContain('«не-адрес»');
    // The local store signs no links: a file too large to attach (limit 0) is named where it lies.
    const schoolB = received.get(lower(addresses.schoolB))![0]!;
    expect(schoolB.attachments).toEqual([]);
    const schoolBFiles = files.filter((f) => f.scope.level === 'school' && f.scope.code === '01-002');
    expect(schoolBFiles.length).toBeGreaterThan(0);
    for (const f of schoolBFiles) expect(schoolB.text).toContain(path.join(runDir, f.path));
    // The school's own address is also its curator's: one message, its report once, both roles.
    expect(schoolB.text).toContain('Школа 01-002');
    expect(schoolB.text).toContain('Вы куратор школ');
    expect(schoolB.text.split(path.join(runDir, 'reports/schools/01-002.pdf')).length).toBe(2);
    // Nobody gets another municipality's documents; the ministry gets the region's, the stage's and the orders.
    const mo1 = received.get(addresses.mo1)![0]!;
    expect(mo1.text).toContain('reports/municipalities/');
    expect(mo1.text).not.toContain('02-001');
    const ministry = received.get(addresses.ministry)![0]!;
    for (const f of files.filter((f) => f.scope.level === 'region')) expect(ministry.text).toContain(f.path);
    expect(ministry.text).not.toContain('reports/schools/');
  });

  it('a redelivered finish message and later ticks send nothing twice', async () => {
    const before = smtp.messages.length;
    now = new Date('2026-10-02T06:00:00Z');
    await doWork({ runId, finish: true }, ports);
    await onSchedule({ asOf: '2026-10-02' }, ports);
    await drain();
    await doWork({ runId, finish: true }, ports);
    expect(smtp.messages.slice(before).filter((m) => m.subject.includes('1 октября 2026'))).toEqual([]);
    expect(smtp.messages.length).toBe(before);
  });

  it('a refusal that lasts is retried by each later attempt until sent, once', async () => {
    // The interim stage's closing run; the regional coordinator refused twice.
    smtp.refuse(addresses.region, 2);
    const before = smtp.messages.length;
    now = new Date('2027-01-21T03:00:00Z');
    await onSchedule({ asOf: '2027-01-21' }, ports);
    await drain();
    now = new Date('2027-01-21T05:00:00Z');
    await onSchedule({ asOf: '2027-01-21' }, ports);
    await drain();
    await doWork({ runId: '2026-2027-interim', finish: true }, ports);
    now = new Date('2027-01-22T03:00:00Z');
    await onSchedule({ asOf: '2027-01-22' }, ports);
    await drain();
    const all = byRecipient(smtp.messages.slice(before));
    for (const [address, messages] of all) expect(messages, address).toHaveLength(1);
    expect(all.get(addresses.region)).toHaveLength(1);
    const record = JSON.parse(
      await readFile(
        path.join(
          dir,
          'store',
          '.state',
          'runs',
          '2026-2027-interim',
          'mail',
          `${recipientHash(addresses.region)}.json`,
        ),
        'utf8',
      ),
    ) as LedgerRecord;
    expect(record).toMatchObject({ status: 'sent', attempt: 3 });
  });

  it('logs no address, only counts and hashes', () => {
    const text = logLines.join('\n');
    expect(text).toContain('Письмо отправлено.');
    expect(text).toContain(recipientHash(addresses.ministry).slice(0, 16));
    expect(text).not.toMatch(/@/);
  });
});
