import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { getFunction } from '@google-cloud/functions-framework/testing';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/config.js';
import { root } from '../support/run-cli.js';

interface CompiledFunction {
  type: string;
  name: string;
  properties: {
    entryPoint: string;
    runtime: string;
    availableMemoryMb: number;
    timeout: string;
    environmentVariables?: Record<string, string>;
    secretEnvironmentVariables?: { key: string; secret: string; version: string }[];
    httpsTrigger?: object;
    eventTrigger?: { eventType: string; resource: string; failurePolicy?: { retry?: object } };
    maxInstances?: number;
  };
}

let out: string;
let resources: CompiledFunction[];
let packaging: { stdout: string; stderr: string };

// The deployment is packaged for real, offline, by the Serverless Framework and its Google plugin:
// what it compiles is what Deployment Manager would receive.
beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'm500-sls-'));
  // The plugin writes into the service's own .serverless directory: package a copy of the project
  // (the framework wants its configuration as a real file; the rest is linked).
  for (const file of ['serverless.yml', 'package.json', 'package-lock.json']) {
    await copyFile(path.join(root, file), path.join(out, file));
  }
  for (const entry of ['node_modules', 'dist', 'schemas', 'templates', 'config']) {
    await symlink(path.join(root, entry), path.join(out, entry));
  }
  const keyFile = path.join(out, 'key.json');
  await writeFile(keyFile, '{}');
  packaging = await promisify(execFile)(
    process.execPath,
    [path.join(root, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'package'],
    {
      cwd: out,
      timeout: 180_000,
      env: {
        PATH: process.env.PATH,
        HOME: out,
        GCP_PROJECT: 'monitor500-demo',
        GOOGLE_APPLICATION_CREDENTIALS: keyFile,
        MONITOR500_STORE: 's3://monitor500-bucket/orenburg',
        MONITOR500_REGISTRY: 'sheets:1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        SLS_DEPRECATION_DISABLE: '*',
      },
    },
  );
  const template = parse(
    await readFile(path.join(out, '.serverless', 'configuration-template-update.yml'), 'utf8'),
  ) as {
    resources: CompiledFunction[];
  };
  resources = template.resources;
  await import('../../functions/index.js');
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const functions = () => resources.filter((r) => r.type.includes('cloudfunctions'));
const fn = (entryPoint: string) => functions().find((f) => f.properties.entryPoint === entryPoint)!;

describe('serverless.yml, packaged offline', () => {
  it('packages the built functions with their templates, schemas and rules', async () => {
    expect(existsSync(path.join(root, 'dist', 'functions', 'index.js')), 'npm run build').toBe(true);
    const zip = await stat(path.join(out, '.serverless', 'monitor500.zip'));
    expect(zip.size).toBeGreaterThan(100_000);
    expect(packaging.stdout + packaging.stderr).toContain('Compiling function "worker"');
  });

  it('deploys every entry point the code registers, on Node 22, each with its trigger', () => {
    expect(
      functions()
        .map((f) => f.properties.entryPoint)
        .sort(),
    ).toEqual(['live', 'monitor', 'notify', 'render', 'validate', 'worker']);
    for (const f of functions()) {
      expect(getFunction(f.properties.entryPoint), f.properties.entryPoint).toBeDefined();
      expect(f.properties.runtime).toBe('nodejs22');
    }
    expect(fn('validate').properties.httpsTrigger).toBeDefined();
    expect(fn('render').properties.httpsTrigger).toBeDefined();
    expect(fn('monitor').properties.eventTrigger).toMatchObject({
      eventType: 'providers/cloud.pubsub/eventTypes/topic.publish',
      resource: 'projects/monitor500-demo/topics/monitor500-schedule',
      failurePolicy: { retry: {} },
    });
    expect(fn('worker').properties.eventTrigger).toMatchObject({
      resource: 'projects/monitor500-demo/topics/monitor500-work',
      failurePolicy: { retry: {} },
    });
    expect(fn('notify').properties.httpsTrigger).toBeDefined();
    expect(fn('live').properties.eventTrigger).toMatchObject({
      resource: 'projects/monitor500-demo/topics/monitor500-live',
    });
    // The live tick opens the push channel to the notify function.
    expect(parseConfig(fn('live').properties.environmentVariables!).live.notifyUrl).toBe(
      'https://europe-west1-monitor500-demo.cloudfunctions.net/notify',
    );
  });

  it('gives the functions that print at least 2 GiB, and every function a timeout', () => {
    expect(fn('render').properties.availableMemoryMb).toBeGreaterThanOrEqual(2048);
    expect(fn('worker').properties.availableMemoryMb).toBeGreaterThanOrEqual(2048);
    for (const f of functions()) expect(f.properties.timeout).toMatch(/^\d+s$/);
  });

  it('gives each function a configuration the code accepts, with the storage keys from Secret Manager', () => {
    for (const f of functions()) {
      const env = f.properties.environmentVariables ?? {};
      expect(() => parseConfig(env), f.properties.entryPoint).not.toThrow();
      expect(env.MONITOR500_STORE).toBe('s3://monitor500-bucket/orenburg');
      expect(env.MONITOR500_S3_SECRET_ACCESS_KEY).toBeUndefined();
      expect(f.properties.secretEnvironmentVariables?.map((s) => s.key).sort()).toEqual([
        'MONITOR500_S3_ACCESS_KEY_ID',
        'MONITOR500_S3_SECRET_ACCESS_KEY',
        'MONITOR500_SMTP_PASSWORD',
      ]);
      expect(env.MONITOR500_SMTP_PASSWORD).toBeUndefined();
    }
    expect(fn('render').properties.environmentVariables?.MONITOR500_HTTP_AUDIENCE).toBe(
      'https://europe-west1-monitor500-demo.cloudfunctions.net/render',
    );
    // The worker's topic is the one the monitor publishes to.
    expect(parseConfig(fn('monitor').properties.environmentVariables!).pubsub.workTopic).toBe('monitor500-work');
  });

  it('keeps all instances of all functions within Google’s quotas: 60 Sheets reads and 60 writes, 12 000 Drive requests a minute', () => {
    let sheets = 0;
    let drive = 0;
    for (const f of functions()) {
      const { google } = parseConfig(f.properties.environmentVariables ?? {});
      expect(f.properties.maxInstances, f.properties.entryPoint).toBeGreaterThan(0);
      const instances = f.properties.maxInstances ?? Infinity;
      // One limiter each for reads and for writes: each quota gets requestsPerMinute per instance.
      sheets += instances * google.requestsPerMinute;
      drive += instances * google.driveRequestsPerMinute;
    }
    expect(sheets).toBeLessThanOrEqual(60);
    expect(drive).toBeLessThanOrEqual(12_000);
  });

  it('creates both topics and the monitoring schedule', () => {
    const topics = resources.filter((r) => r.type === 'pubsub.v1.topic').map((r) => r.name);
    expect(topics.sort()).toEqual(['monitor500-live', 'monitor500-schedule', 'monitor500-work']);
    const live = resources.find((r) => r.name === 'monitor500-live-job') as unknown as {
      properties: { schedule: string; pubsubTarget: { topicName: string } };
    };
    expect(live.properties.schedule).toBe('* * * * *');
    expect(live.properties.pubsubTarget.topicName).toBe('projects/monitor500-demo/topics/monitor500-live');
    const job = resources.find((r) => r.type.includes('cloudscheduler')) as unknown as {
      properties: { schedule: string; timeZone: string; pubsubTarget: { topicName: string; data: string } };
    };
    expect(job.properties.schedule).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(job.properties.timeZone).toBe('Europe/Moscow');
    expect(job.properties.pubsubTarget.topicName).toBe('projects/monitor500-demo/topics/monitor500-schedule');
    expect(JSON.parse(Buffer.from(job.properties.pubsubTarget.data, 'base64').toString('utf8'))).toEqual({});
  });
});
