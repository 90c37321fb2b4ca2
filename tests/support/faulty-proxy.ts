import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  | 'pass'
  /** Answer this status with this body instead of the server. */
  | { status: number; body: string }
  /** Hold the request without answering (a timeout on the client's side). */
  | 'stall'
  /** Close the connection without an answer. */
  | 'drop';

/**
 * An HTTP proxy in front of a local server (S3, Google) that injects faults request by request:
 * `decide` sees each request (method and path) in order and says what happens to it.
 */
export interface FaultyProxy {
  url: string;
  /** Requests seen, with what was done to them. */
  log: { method: string; path: string; fault: string }[];
  setPlan(decide: (req: IncomingMessage, index: number) => Fault): void;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const upstream = new URL(target);
  let decide: (req: IncomingMessage, index: number) => Fault = () => 'pass';
  const log: FaultyProxy['log'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const fault = decide(req, log.length);
    log.push({
      method: req.method ?? '',
      path: req.url ?? '',
      fault: typeof fault === 'string' ? fault : String(fault.status),
    });
    if (fault === 'stall') return;
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault !== 'pass') {
      req.resume();
      req.on('end', () => res.writeHead(fault.status, { 'content-type': 'application/xml' }).end(fault.body));
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    setPlan(next) {
      decide = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** S3's answer when it asks the client to slow down. */
export const SLOW_DOWN = {
  status: 503,
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
};
