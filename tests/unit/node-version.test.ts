import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The functions are deployed on Node 22 (serverless.yml); the npm package «node», a
// devDependency, puts a Node 22 first on the PATH of every npm script and npx, so the tests, the
// demo and the benchmarks run on it whatever Node the machine has (CI has Node 20).
const major = (version: string | undefined) => Number(/(\d+)/.exec(version ?? '')?.[1]);
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
  devDependencies: Record<string, string>;
  engines: { node: string };
};

describe('the Node.js the tests run on', () => {
  it('is the major version the functions are deployed on', () => {
    const runtime = /^\s*runtime:\s*nodejs(\d+)\s*$/m.exec(readFileSync('serverless.yml', 'utf8'))?.[1];
    expect(runtime).toBe('22');
    expect(major(process.versions.node)).toBe(Number(runtime));
  });

  it('is the one package.json installs and asks for', () => {
    expect(major(packageJson.devDependencies.node)).toBe(major(process.versions.node));
    expect(major(packageJson.engines.node)).toBe(major(process.versions.node));
  });
});
