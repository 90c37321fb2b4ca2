import type { OutputStore } from './app/ports/output-store.js';
import { localOutputDir } from './adapters/local-dir/output-dir.js';
import type { S3Location } from './adapters/s3/store.js';
import type { Config } from './config.js';

/** «s3://bucket/prefix» stores in an S3-compatible bucket; anything else is a local directory. */
export function outputStore(out: string, config: Config): OutputStore {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(out);
  if (!s3) return localOutputDir(out);
  const prefix = s3[2] ?? '';
  return lazyS3Store({
    bucket: s3[1]!,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    region: config.s3.region,
    forcePathStyle: config.s3.endpoint !== undefined,
    timeoutMs: config.s3.timeoutMs,
    ...(config.s3.endpoint ? { endpoint: config.s3.endpoint } : {}),
    ...(config.s3.credentials ? { credentials: config.s3.credentials } : {}),
  });
}

/**
 * An S3 store whose client (@aws-sdk/client-s3, ~150 ms to load) is loaded on the first call, not
 * when the module is: a function that never stores anything starts without it.
 */
function lazyS3Store(options: S3Location): OutputStore {
  let store: Promise<OutputStore> | undefined;
  const s3 = () => (store ??= import('./adapters/s3/store.js').then((module) => module.s3Store(options)));
  return {
    write: async (relativePath, data) => (await s3()).write(relativePath, data),
    create: async (relativePath, data) => (await s3()).create(relativePath, data),
    read: async (relativePath) => (await s3()).read(relativePath),
    list: async (prefix) => (await s3()).list(prefix),
    remove: async (relativePath) => (await s3()).remove(relativePath),
    presignedUrl: async (relativePath, seconds) => {
      const loaded = await s3();
      if (!loaded.presignedUrl) throw new Error('S3 store without presigned links');
      return loaded.presignedUrl(relativePath, seconds);
    },
  };
}
