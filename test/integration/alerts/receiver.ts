import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogFields, Logger } from '../../../shared/ports/index.js';

// A scripted HTTP receiver on 127.0.0.1 (loopback only), standing in for a Teams Workflows trigger or a
// webhook endpoint. It records what it was sent and answers per request number.

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Reply {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Hold the response this long (to provoke client timeouts). */
  readonly delayMs?: number;
}

export interface Receiver {
  readonly requests: ReceivedRequest[];
  /** A Workflows-like URL on this receiver: the signature in the query is what must never be logged. */
  readonly url: string;
  readonly signature: string;
  close(): Promise<void>;
}

export async function startReceiver(
  script: (n: number, req: ReceivedRequest) => Reply = () => ({ status: 202 }),
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const reply = script(requests.length, received);
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? '');
      };
      if (!reply.delayMs) return answer();
      const t = setTimeout(() => {
        timers.delete(t);
        answer();
      }, reply.delayMs);
      timers.add(t);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const signature = 'Zx9' + Math.random().toString(36).slice(2) + 'qQ7wE2rT5yU8iO1pA4sD6fG';
  const url = `http://127.0.0.1:${port}/powerautomate/automations/direct/workflows/0c5d8a9f3b2e4d1f8a7c6b5e4d3c2b1a/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${signature}`;
  return {
    requests,
    url,
    signature,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nobody listens on: bind, note the port, close. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook?sig=closedPortSignature0123456789`;
}

/** Captures every log line as the text a log sink would store, for "no secret in any log line" assertions. */
export class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  debug(event: string, fields?: LogFields): void {
    this.push('debug', event, fields);
  }
  info(event: string, fields?: LogFields): void {
    this.push('info', event, fields);
  }
  warn(event: string, fields?: LogFields): void {
    this.push('warn', event, fields);
  }
  error(event: string, fields?: LogFields): void {
    this.push('error', event, fields);
  }
  private push(level: string, event: string, fields?: LogFields): void {
    this.lines.push(JSON.stringify({ level, event, ...fields }));
  }
}

export const noSleep = (): Promise<void> => Promise.resolve();
