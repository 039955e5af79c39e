import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import functions, { type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { logLine } from './log-line.js';
import { guardRefusal, isPlatformIdentityHeader, servedHosts } from './request-guard.js';

// A webpack-built CommonJS package: Node's ESM loader finds only some of its names, so take them from the default.
const { HttpRequest: Request, HttpResponse: Response, InvocationContext: Context } = functions;

// `serve` answers the Functions app's HTTP routes without the Functions host: each request becomes the same
// HttpRequest and InvocationContext the host would hand the trigger, and the trigger's own handler answers it. Only
// loopback is served; there is no function key to check, which is why nothing but 127.0.0.1 may listen, and why the
// bridge refuses what a web page could make a browser send it (request-guard.ts).

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export interface Route {
  /** The function's name, as the host would log it. */
  readonly name: string;
  readonly methods: readonly string[];
  /** The trigger's route, e.g. `devices/{key}`: served under /api/. */
  readonly route: string;
  readonly handler: HttpHandler;
}

export interface HttpBridge {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The largest request body accepted (the triggers take small JSON bodies at most). */
const MAX_BODY_BYTES = 64 * 1024;

export async function startHttpBridge(
  routes: readonly Route[],
  opts: {
    readonly port: number;
    readonly log: (line: string) => void;
    /** Host header values served besides loopback (`name` or `name:port`): a reverse proxy's, APPROVAL_BASE_URL's. */
    readonly allowedHosts?: readonly string[];
  },
): Promise<HttpBridge> {
  let invocations = 0;
  let hosts: ReadonlySet<string> = new Set();
  const server: Server = createServer((req, res) => {
    invocations += 1;
    void answer(routes, req, res, { invocationId: `serve-${invocations}`, hosts, log: opts.log });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = servedHosts(port, opts.allowedHosts ?? []);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(
  routes: readonly Route[],
  req: IncomingMessage,
  res: ServerResponse,
  at: { readonly invocationId: string; readonly hosts: ReadonlySet<string>; readonly log: (line: string) => void },
): Promise<void> {
  const { invocationId, log } = at;
  try {
    const method = (req.method ?? 'GET').toUpperCase();
    const refused = guardRefusal(req, method, at.hosts);
    if (refused) return await send(res, { status: 403, jsonBody: refused });
    // An absolute target (`GET http://host/path`) is allowed by HTTP, so a malformed one reaches here too.
    if (!URL.canParse(req.url ?? '/', 'http://127.0.0.1'))
      return await send(res, {
        status: 400,
        jsonBody: { error: 'invalid-request', message: 'the request target is not a URL' },
      });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = matchRoute(routes, url.pathname);
    if (!match) return await send(res, { status: 404, jsonBody: { error: 'not-found', message: 'no such endpoint' } });
    if (!match.route.methods.includes(method))
      return await send(res, {
        status: 405,
        headers: { allow: match.route.methods.join(', ') },
        jsonBody: { error: 'method-not-allowed', message: `use ${match.route.methods.join(' or ')}` },
      });
    const body = await readBody(req);
    if (body === null)
      return await send(res, { status: 413, jsonBody: { error: 'too-large', message: 'request body too large' } });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !isPlatformIdentityHeader(k)) headers[k] = v;
    const request = new Request({
      method,
      url: url.toString(),
      headers,
      params: match.params,
      ...(body.length > 0 ? { body: { string: body } } : {}),
    });
    const context = new Context({
      invocationId,
      functionName: match.route.name,
      logHandler: (level, ...args) => {
        const line = level === 'error' || level === 'warning' ? logLine(match.route.name, level, args) : null;
        if (line !== null) log(line);
      },
    });
    await send(res, await match.route.handler(request, context));
  } catch (err) {
    log(`http error: ${err instanceof Error ? err.name : 'Error'}`);
    if (!res.headersSent)
      await send(res, { status: 500, jsonBody: { error: 'internal', message: 'see the serve log' } });
  }
}

/** `/api/devices/SN-1` against `devices/{key}`; segments are matched literally, parameters decoded. */
export function matchRoute(
  routes: readonly Route[],
  pathname: string,
): { route: Route; params: Record<string, string> } | null {
  if (!pathname.startsWith('/api/')) return null;
  const parts = pathname.slice('/api/'.length).split('/');
  for (const route of routes) {
    const pattern = route.route.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      const part = parts[i] ?? '';
      if (p.startsWith('{') && p.endsWith('}')) {
        try {
          params[p.slice(1, -1)] = decodeURIComponent(part);
        } catch {
          return false;
        }
        return part !== '';
      }
      return p === part;
    });
    if (ok) return { route, params };
  }
  return null;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function send(res: ServerResponse, init: HttpResponseInit): Promise<void> {
  const response = new Response(init);
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(response.status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}
