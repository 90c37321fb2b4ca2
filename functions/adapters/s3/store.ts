import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { InfrastructureError } from '../../errors.js';
import type { OutputStore } from '../../app/ports/output-store.js';
import { withRetry, type RetryPolicy } from '../shared/retry.js';

/** Where in an S3-compatible store (AWS, Yandex Object Storage, MinIO…) a run keeps its files. */
export interface S3Location {
  bucket: string;
  /** Key prefix of this run's files, e.g. "runs/2026-11-20/". */
  prefix: string;
  endpoint?: string;
  region: string;
  /** Path-style URLs (MinIO and most non-AWS endpoints). */
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  timeoutMs: number;
}

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

function contentType(key: string): string {
  return CONTENT_TYPES[key.split('.').pop() ?? ''] ?? 'application/octet-stream';
}

/** An S3 client for a location; the SDK retries throttling and 5xx itself (standard mode, 3 attempts). */
export function s3Client(location: S3Location): S3Client {
  const config: S3ClientConfig = {
    region: location.region,
    forcePathStyle: location.forcePathStyle,
    maxAttempts: 5,
    // Plain PUTs: S3-compatible stores differ in their support of the newer streaming checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A request that outlasts the timeout fails (and is retried) instead of only being warned about.
    requestHandler: {
      requestTimeout: location.timeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: location.timeoutMs,
      connectionTimeout: location.timeoutMs,
    },
    ...(location.endpoint ? { endpoint: location.endpoint } : {}),
    ...(location.credentials ? { credentials: location.credentials } : {}),
  };
  return new S3Client(config);
}

/**
 * A 409 ConditionalRequestConflict: another conditional write of the key was in progress and S3
 * did not decide between them — AWS says to retry. A few short tries: the other write settles fast.
 */
const CONFLICT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 100, maxDelayMs: 2_000 };

/**
 * A plain PUT is idempotent: when the SDK's own attempts are spent (or its retry quota is, under
 * sustained throttling), the whole write is tried again a few times after a pause.
 */
const WRITE_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 4_000 };

/** Throttling, a server error or no answer at all (timeout, dropped connection): worth another write. */
function transientStorageFailure(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status === 429 || status >= 500;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function keyOf(location: S3Location, relativePath: string): string {
  if (relativePath.split('/').some((part) => part === '..' || part === '')) {
    throw new InfrastructureError('s3', `Путь «${relativePath}» недопустим в хранилище.`);
  }
  return `${location.prefix}${relativePath}`;
}

/** A run's files in an S3-compatible bucket; a PUT replaces an object whole, so readers never see half a file. */
export function s3Store(location: S3Location, client = s3Client(location)): Required<OutputStore> {
  const store: Required<OutputStore> = {
    async write(relativePath, data) {
      const key = keyOf(location, relativePath);
      const put = () =>
        client.send(
          new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: data, ContentType: contentType(key) }),
        );
      try {
        await withRetry(put, WRITE_RETRY, undefined, undefined, transientStorageFailure);
      } catch (error) {
        throw new InfrastructureError('s3', `Не удалось записать «${key}» в хранилище «${location.bucket}».`, {
          cause: error,
        });
      }
    },
    // PUT with If-None-Match: * (S3 conditional writes): S3 stores the object only where the key is
    // free and answers 412 PreconditionFailed otherwise, deciding between concurrent writers itself.
    // The SDK retries timeouts and 5xx on its own: a create whose answer was lost and that is
    // retried meets its own object and says false — the caller then sees the work as taken.
    async create(relativePath, data) {
      const key = keyOf(location, relativePath);
      const put = () =>
        client.send(
          new PutObjectCommand({
            Bucket: location.bucket,
            Key: key,
            Body: data,
            ContentType: contentType(key),
            IfNoneMatch: '*',
          }),
        );
      try {
        await withRetry(put, CONFLICT_RETRY, undefined, undefined, (error) => statusOf(error) === 409);
        return true;
      } catch (error) {
        if (statusOf(error) === 412) return false;
        // Still in conflict after the retries: if the other write has landed, it won.
        if (statusOf(error) === 409 && (await store.read(relativePath)) !== undefined) return false;
        throw new InfrastructureError('s3', `Не удалось создать «${key}» в хранилище «${location.bucket}».`, {
          cause: error,
        });
      }
    },
    async read(relativePath) {
      const key = keyOf(location, relativePath);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
        return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (error instanceof NoSuchKey || statusOf(error) === 404) return undefined;
        throw new InfrastructureError('s3', `Не удалось прочитать «${key}» из хранилища «${location.bucket}».`, {
          cause: error,
        });
      }
    },
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      try {
        do {
          const page = await client.send(
            new ListObjectsV2Command({
              Bucket: location.bucket,
              Prefix: `${location.prefix}${prefix}`,
              ...(token ? { ContinuationToken: token } : {}),
            }),
          );
          for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(location.prefix.length));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (error) {
        throw new InfrastructureError(
          's3',
          `Не удалось перечислить «${location.prefix}${prefix}» в хранилище «${location.bucket}».`,
          {
            cause: error,
          },
        );
      }
      return keys.sort();
    },
    // DeleteObject answers alike whether the key was there or not.
    async remove(relativePath) {
      const key = keyOf(location, relativePath);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: key }));
      } catch (error) {
        throw new InfrastructureError('s3', `Не удалось удалить «${key}» из хранилища «${location.bucket}».`, {
          cause: error,
        });
      }
    },
    presignedUrl(relativePath, seconds) {
      return getSignedUrl(
        client,
        new GetObjectCommand({ Bucket: location.bucket, Key: keyOf(location, relativePath) }),
        {
          expiresIn: seconds,
        },
      );
    },
  };
  return store;
}
