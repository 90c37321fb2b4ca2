import { GoogleAuth } from 'google-auth-library';
import { InfrastructureError } from '../../errors.js';
import type { Publisher } from '../../app/ports/publisher.js';
import { withRetry, type RetryPolicy } from '../shared/retry.js';

export interface PubSubSettings {
  project: string;
  /** A local Pub/Sub (emulator or test server), reached without credentials; Google's own when undefined. */
  apiRoot: string | undefined;
  timeoutMs: number;
  retry?: RetryPolicy;
}

/** Pub/Sub accepts at most 1 000 messages and 10 MB per publish call. */
const BATCH = 1000;

/**
 * Publishes through Pub/Sub's REST API (one HTTPS call per 1 000 messages) instead of the gRPC
 * client library, which would add seconds of cold start for a few calls per run. A failed batch is
 * retried: a message published twice is handled once by its idempotent receiver.
 */
export function pubsubPublisher(settings: PubSubSettings): Publisher {
  const auth = settings.apiRoot ? undefined : new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/pubsub'] });
  const root = settings.apiRoot ?? 'https://pubsub.googleapis.com';
  const retry = settings.retry ?? { retries: 5, baseDelayMs: 500, maxDelayMs: 16_000 };
  const send = async (topic: string, batch: readonly object[]) => {
    const token = auth ? await auth.getAccessToken() : undefined;
    const response = await fetch(`${root}/v1/projects/${settings.project}/topics/${topic}:publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({
        messages: batch.map((m) => ({ data: Buffer.from(JSON.stringify(m)).toString('base64') })),
      }),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!response.ok)
      throw Object.assign(new Error(`Pub/Sub answered ${response.status}`), { status: response.status });
  };
  return {
    async publish(topic, messages) {
      for (let start = 0; start < messages.length; start += BATCH) {
        const batch = messages.slice(start, start + BATCH);
        try {
          await withRetry(() => send(topic, batch), retry);
        } catch (error) {
          throw new InfrastructureError('pubsub', `Не удалось отправить задания в очередь «${topic}».`, {
            cause: error,
          });
        }
      }
    },
  };
}
