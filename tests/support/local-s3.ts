import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/** An S3-compatible server (s3rver) on 127.0.0.1 with one bucket, for tests of the real AWS client. */
export interface LocalS3 {
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/** Starts s3rver on a free port with an empty bucket, behind a proxy that adds conditional writes. */
export async function startLocalS3(bucket = 'monitor500'): Promise<LocalS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'm500-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const proxy = await startConditionalProxy(port);
  return {
    endpoint: proxy.url,
    bucket,
    // s3rver's fixed development credentials.
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async close() {
      await proxy.close();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

const PRECONDITION_FAILED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
  '<Message>At least one of the pre-conditions you specified did not hold</Message>' +
  '<Condition>If-None-Match</Condition></Error>';

/**
 * s3rver ignores If-None-Match on PUT and would overwrite, where S3 refuses: a double must refuse
 * what the real system refuses. This proxy gives PUT with `If-None-Match: *` S3's meaning — one at
 * a time per key, a HEAD to s3rver, 412 PreconditionFailed where the object exists, else the PUT
 * goes through. Every request is forwarded byte for byte with its headers untouched (the Host
 * header included), so the client's SigV4 signature stays valid.
 */
async function startConditionalProxy(upstreamPort: number): Promise<{ url: string; close(): Promise<void> }> {
  /** The conditional PUT last started on each key; the next one waits for it to be answered. */
  const queues = new Map<string, Promise<void>>();
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<void>((done) => {
      const upstream = request(
        { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', done);
          answer.on('error', () => done());
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
        done();
      });
      req.pipe(upstream);
    });

  /** True when s3rver holds an object at the request's path (an anonymous HEAD: s3rver allows it). */
  const exists = (req: IncomingMessage) =>
    new Promise<boolean>((resolve, reject) => {
      const objectPath = (req.url ?? '/').split('?')[0];
      const head = request({ host: '127.0.0.1', port: upstreamPort, method: 'HEAD', path: objectPath }, (answer) => {
        answer.resume();
        resolve(answer.statusCode === 200);
      });
      head.on('error', reject);
      head.end();
    });

  const conditional = async (req: IncomingMessage, res: ServerResponse) => {
    if (await exists(req)) {
      req.resume();
      await new Promise<void>((resolve) => req.on('end', resolve));
      res.writeHead(412, { 'content-type': 'application/xml' }).end(PRECONDITION_FAILED);
    } else {
      await forward(req, res);
    }
  };

  const proxy = createServer((req, res) => {
    if (req.method !== 'PUT' || req.headers['if-none-match'] !== '*') {
      void forward(req, res);
      return;
    }
    const key = (req.url ?? '/').split('?')[0]!;
    const turn = (queues.get(key) ?? Promise.resolve()).then(() =>
      conditional(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      }),
    );
    queues.set(key, turn);
    void turn.then(() => {
      if (queues.get(key) === turn) queues.delete(key);
    });
  });
  proxy.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        proxy.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
