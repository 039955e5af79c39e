/**
 * The node:http front door. Graph requests (`/v1.0/...`, `/beta/...`) get latency, auth, the
 * pipeline and a request-log entry; `/_sim/...` control endpoints and `/_blob/...` export downloads
 * need no token. Every response carries `request-id` and `client-request-id` like Graph's.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { ApiVersion } from '../model/resources.js';
import { itemIsWrite, itemLog, runBatch } from '../routes/batch.js';
import { isWrite, type GraphRequest, type GraphResponse } from './context.js';
import { handleControl } from './control.js';
import type { SimEnv } from './env.js';
import { GraphError } from './errors.js';
import type { RequestLog } from '../limits/requestlog.js';
import { dispatch, errorResponse } from './pipeline.js';
import { splitPath, type Router } from './router.js';
import type { HostedTenant, TenantDirectory } from './tenants.js';

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sleepUntil = async (at: number): Promise<void> => {
  const left = at - performance.now();
  if (left >= 1) await sleep(left);
};

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Encoded {
  status: number;
  headers: Record<string, string>;
  data: Buffer | string;
}

function encode(out: GraphResponse, ids: { requestId: string; clientRequestId: string }): Encoded {
  const headers: Record<string, string> = {
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
    'Cache-Control': 'no-cache',
    ...(out.headers ?? {}),
  };
  let data: Buffer | string = '';
  if (out.raw) {
    headers['Content-Type'] = out.raw.contentType;
    data = out.raw.data;
  } else if (out.body !== undefined) {
    headers['Content-Type'] = JSON_TYPE;
    data = utf8(JSON.stringify(out.body));
    headers['Content-Length'] = String(data.length);
  }
  return { status: out.status, headers, data };
}

function write(res: http.ServerResponse, enc: Encoded): void {
  res.writeHead(enc.status, enc.headers);
  res.end(enc.data);
}

function send(res: http.ServerResponse, out: GraphResponse, ids: { requestId: string; clientRequestId: string }): void {
  write(res, encode(out, ids));
}

/**
 * The body's UTF-8 bytes, encoded once (`end(string)` measures the length for Content-Length, then encodes again).
 * A pure-ASCII text, which a page of generated devices is, is copied byte for byte: its UTF-8 is its ASCII, and
 * Node 20's general UTF-8 encoder takes ~1 ms for a 1,000-device page that holds up the client's next page.
 */
function utf8(text: string): Buffer {
  return Buffer.byteLength(text, 'utf8') === text.length ? Buffer.from(text, 'ascii') : Buffer.from(text, 'utf8');
}

const queryRecord = (q: URLSearchParams): Record<string, string> => Object.fromEntries(q.entries());

export function createSimServer(tenants: TenantDirectory, router: Router): http.Server {
  return http.createServer((req, res) => {
    handle(req, res, tenants, router).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`simulator failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    });
  });
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  tenants: TenantDirectory,
  router: Router,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://sim');
  const raw = await readBody(req);
  const ids = { requestId: randomUUID(), clientRequestId: header(req, 'client-request-id') ?? randomUUID() };
  const baseUrl = `http://${req.headers.host ?? '127.0.0.1'}`;

  if (url.pathname.startsWith('/_sim/') || url.pathname.startsWith('/_blob/')) {
    const out = handleControl(method, url, raw, tenants);
    send(res, out, ids);
    return;
  }
  const m = /^\/(v1\.0|beta)(\/.*)?$/i.exec(url.pathname);
  const version: ApiVersion = (m?.[1] ?? '').toLowerCase() === 'beta' ? 'beta' : 'v1.0';
  const path = (m?.[2] ?? '').replace(/\/+$/, '');
  const greq: GraphRequest = {
    method,
    version,
    path,
    segments: splitPath(path),
    query: url.searchParams,
    headers: flatHeaders(req),
    body: undefined,
    baseUrl,
    ...ids,
  };
  // The token picks the tenant (one map lookup); without a tenant's token the request is answered 401 below.
  const auth = greq.headers['authorization'];
  const host = auth && BEARER.test(auth) ? tenants.authenticate(auth.replace(BEARER, '')) : undefined;
  const env = (host ?? tenants.first).env;
  const log = host ? env.log : tenants.unauthenticated;
  const tenant = host ? host.id : null;
  const seq = log.nextSeq();
  // A read is answered `latencyMs` after it arrived, with the simulator's own work done inside that time, as a
  // service's response time includes its work: the work added on top had put ~11 ms of simulator CPU per page on
  // the client's critical path (the next page waits for this one's nextLink). A write keeps the latency before it
  // is applied, so the order in which concurrent writes land is the order they were sent in.
  const due = performance.now() + env.settings.latencyMs;
  const overlap = method === 'GET';
  const out = await graph(greq, raw, !!m, env, host, router, { log, tenant, seq }, overlap);
  const enc = encode(out.res, ids);
  if (overlap) await sleepUntil(due);
  write(res, enc);
  log.push({
    seq,
    tenant,
    time: env.clock.iso(),
    realMs: Date.now(),
    method,
    path: m ? path : url.pathname,
    version: m ? version : null,
    query: queryRecord(url.searchParams),
    status: out.res.status,
    kind: out.write ? 'write' : 'read',
    ...(isWrite(method, greq.path) && greq.body !== undefined ? { body: greq.body } : {}),
    ...(out.batchItems ? { batchItems: out.batchItems } : {}),
  });
}

const BEARER = /^Bearer\s+/i;

interface LogTarget {
  log: RequestLog;
  tenant: string | null;
  seq: number;
}

async function graph(
  greq: GraphRequest,
  raw: Buffer,
  known: boolean,
  env: SimEnv,
  host: HostedTenant | undefined,
  router: Router,
  at: LogTarget,
  latencyCovered: boolean,
) {
  const now = (): Date => env.clock.now();
  if (!known)
    return {
      res: errorResponse(
        new GraphError(400, 'BadRequest', 'Invalid version: the path must start with /v1.0 or /beta.'),
        greq,
        now(),
      ),
      write: false,
    };
  if (!latencyCovered && env.settings.latencyMs > 0) await sleep(env.settings.latencyMs);
  env.tenant.tick(env.clock.nowMs());
  const auth = greq.headers['authorization'];
  if (!auth || !BEARER.test(auth)) {
    return {
      res: errorResponse(
        new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', {
          'WWW-Authenticate': 'Bearer realm=""',
        }),
        greq,
        now(),
      ),
      write: false,
    };
  }
  if (!host) {
    return {
      res: errorResponse(
        new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
        greq,
        now(),
      ),
      write: false,
    };
  }
  if (raw.length > 0) {
    try {
      greq.body = JSON.parse(raw.toString('utf8'));
    } catch {
      return {
        res: errorResponse(
          new GraphError(
            400,
            'BadRequest',
            'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
          ),
          greq,
          now(),
        ),
        write: isWrite(greq.method, greq.path),
      };
    }
  }
  if (greq.path.toLowerCase() === '/$batch' && greq.method === 'POST') {
    try {
      const { res, results } = await runBatch(greq, env, router);
      for (const r of results) {
        at.log.push({
          seq: at.log.nextSeq(),
          tenant: at.tenant,
          time: env.clock.iso(),
          realMs: Date.now(),
          method: r.item.method,
          path: r.req?.path ?? r.item.url,
          version: greq.version,
          query: r.req ? queryRecord(r.req.query) : {},
          status: r.res.status,
          kind: itemIsWrite(r) ? 'write' : 'read',
          batch: { seq: at.seq, id: r.item.id },
          ...(itemIsWrite(r) && r.item.body !== undefined ? { body: r.item.body } : {}),
        });
      }
      return { res, write: results.some(itemIsWrite), batchItems: results.map(itemLog) };
    } catch (e) {
      if (e instanceof GraphError) return { res: errorResponse(e, greq, now()), write: false };
      throw e;
    }
  }
  return { res: await dispatch(greq, env, router), write: isWrite(greq.method, greq.path) };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function flatHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
