import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';

/** A message as published: its topic and its JSON payload. */
export interface PublishedMessage {
  topic: string;
  payload: Record<string, unknown>;
  messageId: string;
}

/**
 * A local stand-in for Pub/Sub's publish endpoint (as PUBSUB_EMULATOR_HOST serves it): records what
 * is published; can refuse the next calls with a status, as Pub/Sub does when it is unavailable.
 */
export interface FakePubSub {
  /** host:port, for PUBSUB_EMULATOR_HOST. */
  host: string;
  /** Messages published since the last call, oldest first; they are handed over once. */
  take(): PublishedMessage[];
  /** The next `count` publish calls answer `status` and record nothing. */
  refuseNext(count: number, status: number): void;
  close(): Promise<void>;
}

export async function startFakePubSub(): Promise<FakePubSub> {
  let pending: PublishedMessage[] = [];
  let refusals: { count: number; status: number } = { count: 0, status: 503 };
  let ids = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const topic = /^\/v1\/projects\/[^/]+\/topics\/([^/:]+):publish$/.exec(req.url ?? '')?.[1];
      if (req.method !== 'POST' || !topic) {
        res.writeHead(404).end();
        return;
      }
      if (refusals.count > 0) {
        refusals.count -= 1;
        res.writeHead(refusals.status, { 'content-type': 'application/json' }).end('{"error":{"code":503}}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { data: string }[] };
      const messageIds = body.messages.map((m) => {
        const messageId = String(++ids);
        pending.push({
          topic,
          messageId,
          payload: JSON.parse(Buffer.from(m.data, 'base64').toString('utf8')) as Record<string, unknown>,
        });
        return messageId;
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messageIds }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    take() {
      const taken = pending;
      pending = [];
      return taken;
    },
    refuseNext(count, status) {
      refusals = { count, status };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let pushIds = 0;

/**
 * Delivers a message to a function registered with the functions framework as Pub/Sub's push to
 * Cloud Functions does: a binary-mode CloudEvent, fired at `time`. Answers the function's HTTP status.
 */
export async function pushToFunction(functionName: string, payload: object, time: Date): Promise<number> {
  const id = String(++pushIds);
  const response = await request(getTestServer(functionName))
    .post('/')
    .set({
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-source': '//pubsub.googleapis.com/projects/monitor500-test/topics/monitor500-work',
      'ce-id': id,
      'ce-time': time.toISOString(),
      'content-type': 'application/json',
    })
    .send({
      message: { data: Buffer.from(JSON.stringify(payload)).toString('base64'), messageId: id },
      subscription: 'projects/monitor500-test/subscriptions/monitor500-work',
    });
  return response.status;
}
