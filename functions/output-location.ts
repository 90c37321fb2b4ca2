import type { OutputStore } from './ports/output-store.js';
import { localOutputDir } from './adapters/local-dir/output-dir.js';
import { s3Store } from './adapters/s3/store.js';
import type { Config } from './config.js';

/** «s3://bucket/prefix» stores in an S3-compatible bucket; anything else is a local directory. */
export function outputStore(out: string, config: Config): OutputStore {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(out);
  if (!s3) return localOutputDir(out);
  const prefix = s3[2] ?? '';
  return s3Store({
    bucket: s3[1]!,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    region: config.s3.region,
    forcePathStyle: config.s3.endpoint !== undefined,
    timeoutMs: config.s3.timeoutMs,
    ...(config.s3.endpoint ? { endpoint: config.s3.endpoint } : {}),
    ...(config.s3.credentials ? { credentials: config.s3.credentials } : {}),
  });
}
