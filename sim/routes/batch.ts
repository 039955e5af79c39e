/**
 * JSON batching: at most 20 requests with unique ids, relative URLs, `dependsOn` with 424 for a
 * failed dependency. Each item runs through the full pipeline (faults, denials, write limiter), so a
 * batch can come back 200 with per-item 429s. Responses are returned in reverse execution order on
 * purpose: Graph does not promise order, and a client that relies on it should fail here.
 */
import { randomUUID } from 'node:crypto';
import { isWrite, type GraphRequest, type GraphResponse } from '../http/context.js';
import type { SimEnv } from '../http/env.js';
import { errorBody, GraphError } from '../http/errors.js';
import { dispatch } from '../http/pipeline.js';
import { splitPath, type Router } from '../http/router.js';
import type { BatchItemLog } from '../limits/requestlog.js';
import { requireRecord } from './directory.js';

interface Item {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface BatchItemResult {
  item: Item;
  req: GraphRequest | null;
  res: GraphResponse;
}

const bad = (msg: string): GraphError => new GraphError(400, 'BadRequest', msg);

function parseItems(body: unknown): Item[] {
  const requests = requireRecord(body)['requests'];
  if (!Array.isArray(requests) || requests.length === 0)
    throw bad('Invalid batch payload format: "requests" must be a non-empty array.');
  if (requests.length > 20) throw bad(`The batch contains ${requests.length} requests; the maximum is 20.`);
  const items = requests.map((r): Item => {
    const o = requireRecord(r);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(requireRecord(o['headers'] ?? {}))) headers[k.toLowerCase()] = String(v);
    const id = o['id'];
    if (typeof id !== 'string' || id === '' || typeof o['method'] !== 'string' || typeof o['url'] !== 'string') {
      throw bad('Every batch request needs a string id, method and url.');
    }
    const dependsOn = Array.isArray(o['dependsOn']) ? o['dependsOn'].map(String) : [];
    if (o['body'] !== undefined && !headers['content-type']) {
      throw bad(`Write request id : ${id} does not contain Content-Type header or body.`);
    }
    return { id, method: o['method'].toUpperCase(), url: o['url'], headers, body: o['body'], dependsOn };
  });
  const ids = new Set<string>();
  for (const it of items) {
    if (ids.has(it.id)) throw bad(`Batch request ids must be unique; '${it.id}' appears more than once.`);
    ids.add(it.id);
  }
  for (const it of items) {
    for (const d of it.dependsOn)
      if (!ids.has(d) || d === it.id) throw bad(`Request '${it.id}' depends on unknown request '${d}'.`);
  }
  return items;
}

/** Declaration order, but never before a dependency; a cycle is a 400. */
function executionOrder(items: Item[]): Item[] {
  const done = new Set<string>();
  const out: Item[] = [];
  while (out.length < items.length) {
    const next = items.find((it) => !done.has(it.id) && it.dependsOn.every((d) => done.has(d)));
    if (!next) throw bad('The dependsOn graph of the batch contains a cycle.');
    done.add(next.id);
    out.push(next);
  }
  return out;
}

function itemRequest(envelope: GraphRequest, it: Item): GraphRequest {
  if (/^[a-z]+:\/\//i.test(it.url)) throw bad(`Request '${it.id}' must use a relative URL, got '${it.url}'.`);
  const u = new URL(`http://batch/${it.url.replace(/^\/+/, '')}`);
  const path = u.pathname.replace(/\/+$/, '');
  if (path.toLowerCase() === '/$batch') throw bad('A batch request cannot contain another $batch.');
  return {
    method: it.method,
    version: envelope.version,
    path,
    segments: splitPath(path),
    query: u.searchParams,
    headers: it.headers,
    body: it.body,
    baseUrl: envelope.baseUrl,
    requestId: randomUUID(),
    clientRequestId: it.headers['client-request-id'] ?? envelope.clientRequestId,
  };
}

export async function runBatch(
  envelope: GraphRequest,
  env: SimEnv,
  router: Router,
): Promise<{ res: GraphResponse; results: BatchItemResult[] }> {
  const items = executionOrder(parseItems(envelope.body));
  const results: BatchItemResult[] = [];
  const status = new Map<string, number>();
  for (const it of items) {
    let req: GraphRequest | null = null;
    let res: GraphResponse;
    const failed = it.dependsOn.find((d) => (status.get(d) ?? 0) >= 400);
    if (failed) {
      res = {
        status: 424,
        body: errorBody('FailedDependency', `Request '${it.id}' depends on '${failed}', which failed.`, {
          requestId: randomUUID(),
          clientRequestId: envelope.clientRequestId,
          date: env.clock.iso(),
        }),
      };
    } else {
      try {
        req = itemRequest(envelope, it);
        res = await dispatch(req, env, router);
      } catch (e) {
        if (!(e instanceof GraphError)) throw e;
        res = {
          status: e.status,
          body: errorBody(e.code, e.message, {
            requestId: randomUUID(),
            clientRequestId: envelope.clientRequestId,
            date: env.clock.iso(),
          }),
        };
      }
    }
    status.set(it.id, res.status);
    results.push({ item: it, req, res });
  }
  const responses = [...results].reverse().map(({ item, res }) => {
    const headers: Record<string, string> = { ...(res.headers ?? {}) };
    const body = res.raw ? String(res.raw.data) : res.body;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return { id: item.id, status: res.status, headers, ...(body !== undefined ? { body } : {}) };
  });
  return { res: { status: 200, body: { responses } }, results };
}

export const itemLog = (r: BatchItemResult): BatchItemLog => ({
  id: r.item.id,
  method: r.item.method,
  url: r.item.url,
  status: r.res.status,
});

export const itemIsWrite = (r: BatchItemResult): boolean => isWrite(r.item.method, r.item.url);
