// A tiny purpose-built HTTP server on 127.0.0.1 for misbehaving-service cases the simulator does not model
// (a nextLink that changes on every page, a redirect, a body echoing the Authorization header). Real HTTP: the
// adapter's fetch, timeouts and abort signals are exercised exactly as against Graph.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  readonly body?: unknown;
  /** Wait this long before answering. */
  readonly delayMs?: number;
  /** Never answer (the client must give up or abort). */
  readonly hang?: boolean;
}

export type Handler = (req: SeenRequest, n: number, server: Loopback) => Reply | Promise<Reply>;

export interface Loopback {
  readonly url: string;
  readonly requests: SeenRequest[];
  stop(): Promise<void>;
}

export async function startLoopback(handler: Handler): Promise<Loopback> {
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let self: Loopback | null = null;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at,
      };
      requests.push(seen);
      void Promise.resolve(handler(seen, requests.length, self as Loopback)).then(
        (reply) => {
          if (reply.hang) return;
          const send = (): void => {
            if (res.destroyed) return;
            const json = reply.body !== undefined && typeof reply.body !== 'string';
            const text = reply.body === undefined ? '' : json ? JSON.stringify(reply.body) : String(reply.body);
            res.writeHead(reply.status ?? 200, {
              ...(json ? { 'content-type': 'application/json' } : {}),
              ...reply.headers,
            });
            res.end(text);
          };
          if (reply.delayMs) {
            const t = setTimeout(() => {
              timers.delete(t);
              send();
            }, reply.delayMs);
            timers.add(t);
          } else send();
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  self = {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return self;
}

/** Resolves after `ms` of real time. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
