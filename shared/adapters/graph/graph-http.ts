import { randomUUID } from 'node:crypto';
import { PermanentError, TransientError, type GraphError, type Logger } from '../../ports/index.js';
import type { TokenProvider } from './credentials.js';
import { readErrorBody, toGraphError } from './graph-errors.js';
import { queryString } from './odata.js';
import { decideRetry, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
import type { GraphCall, GraphReply } from './http-types.js';
import { ReadBatcher } from './read-batcher.js';
import { Semaphore } from './semaphore.js';
import type { WriteLimiter } from './write-budget.js';

// Graph over Node's global fetch. Deliberately not @microsoft/microsoft-graph-client: its RetryHandler
// retries every call alike, and we need per-call control (the Autopilot sync must get exactly one
// attempt, ARCHITECTURE §4), typed errors instead of "no data", a write budget shared by all writes,
// and stuck-cursor detection in paging. Everything Graph-specific about HTTP lives here.

export type { GraphCall, GraphReply, HttpMethod } from './http-types.js';

export interface GraphHttpOptions {
  readonly baseUrl: string;
  readonly tokens: TokenProvider;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly random: () => number;
  readonly retry: RetryPolicy;
  readonly writes: WriteLimiter;
  readonly timeoutMs: number;
  readonly maxConcurrency: number;
  readonly logger?: Logger;
  /** Fold GETs issued together into JSON batches (read-batcher.ts). Off unless asked for. */
  readonly batchReads?: boolean;
}

export class GraphHttp {
  readonly origin: string;
  private readonly base: string;
  private readonly gate: Semaphore;
  private readonly batcher: ReadBatcher | null;

  constructor(private readonly o: GraphHttpOptions) {
    const u = new URL(o.baseUrl);
    this.origin = u.origin;
    this.base = `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
    this.gate = new Semaphore(o.maxConcurrency);
    this.batcher = o.batchReads
      ? new ReadBatcher({
          base: this.base,
          resolve: (target, query) => this.resolve(target, query),
          direct: (call, retriesDone) => this.exchangeOne(call, retriesDone),
          retryDelay: (status, retryAfter) => {
            const d = decideRetry(this.o.retry, 0, { kind: 'response', status, retryAfter }, this.o.now(), this.o.random);
            return d.retry ? d.delayMs : null;
          },
          sleep: (ms) => this.o.sleep(ms),
          onItemRetry: (call, status, delayMs, requestId) =>
            this.o.logger?.warn('graph.retry', { what: call.what, status, attempt: 1, delayMs, requestId, batched: true }),
        })
      : null;
  }

  /** Absolute URL for a call; throws if it leaves the configured origin (the token must not follow it). */
  resolve(target: string, query?: GraphCall['query']): string {
    const url = /^https?:\/\//i.test(target) ? target : `${this.base}${target.startsWith('/') ? '' : '/'}${target}`;
    if (new URL(url).origin !== this.origin) {
      throw new PermanentError(`refusing to send the Graph token to ${new URL(url).origin} (base is ${this.origin})`, null, null, null);
    }
    const qs = query ? queryString(query) : '';
    if (qs === '') return url;
    return `${url}${url.includes('?') ? '&' : '?'}${qs}`;
  }

  /** One logical request with retries per policy. Returns the final reply whatever its status. */
  async exchange(call: GraphCall): Promise<GraphReply> {
    if (this.batcher && call.method === 'GET' && call.retry !== false) return this.batcher.submit(call);
    return this.exchangeOne(call);
  }

  private async exchangeOne(call: GraphCall, retriesDone = 0): Promise<GraphReply> {
    const url = this.resolve(call.target, call.query);
    const clientRequestId = randomUUID();
    const isWrite = call.method !== 'GET' && call.readOnly !== true;
    for (let retries = retriesDone; ; retries++) {
      const release = isWrite ? await this.o.writes.acquire(1) : null;
      let reply: GraphReply | null = null;
      let failure: unknown = null;
      try {
        reply = await this.gate.run(() => this.attempt(call, url, clientRequestId));
      } catch (err) {
        failure = err;
      } finally {
        release?.();
      }
      if (reply?.ok) return reply;
      const outcome = reply
        ? { kind: 'response' as const, status: reply.status, retryAfter: reply.headers.get('retry-after') }
        : { kind: 'network-error' as const };
      const decision =
        call.retry === false
          ? { retry: false as const, reason: 'retries disabled for this call' }
          : decideRetry(this.o.retry, retries, outcome, this.o.now(), this.o.random);
      if (!decision.retry) {
        if (reply) return reply;
        const detail = failure instanceof Error ? failure.message : String(failure);
        throw new TransientError(`${call.what}: network error — ${detail}`, null, null, null, { cause: failure });
      }
      this.o.logger?.warn('graph.retry', {
        what: call.what,
        status: reply?.status ?? null,
        attempt: retries + 1,
        delayMs: decision.delayMs,
        requestId: reply?.requestId ?? null,
      });
      await this.o.sleep(decision.delayMs);
    }
  }

  /** exchange() that throws the typed error for any non-2xx final reply. */
  async send(call: GraphCall): Promise<GraphReply> {
    const reply = await this.exchange(call);
    if (!reply.ok) throw this.failure(reply, call.what);
    return reply;
  }

  failure(reply: GraphReply, what: string): GraphError {
    return toGraphError({
      status: reply.status,
      body: readErrorBody(reply.text),
      requestId: reply.requestId,
      retryAfterMs: parseRetryAfter(reply.headers.get('retry-after'), this.o.now()),
      what,
    });
  }

  private async attempt(call: GraphCall, url: string, clientRequestId: string): Promise<GraphReply> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'client-request-id': clientRequestId,
      ...call.headers,
      // Sent to any configured base, https or loopback http (the simulator); resolve() guards the origin.
      authorization: `Bearer ${await this.o.tokens.getToken()}`,
    };
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const res = await this.o.fetch(url, {
      method: call.method,
      headers,
      body,
      signal: AbortSignal.timeout(this.o.timeoutMs),
    });
    const text = await res.text();
    return {
      status: res.status,
      ok: res.ok,
      headers: res.headers,
      requestId: res.headers.get('request-id'),
      clientRequestId,
      text,
      url,
    };
  }
}

/** Parse a JSON body or fail as a malformed response (a proxy error page, a truncated body). */
export function parseJson(reply: GraphReply, what: string): unknown {
  if (reply.json !== undefined) return reply.json;
  try {
    return JSON.parse(reply.text);
  } catch {
    throw new PermanentError(`${what}: response is not valid JSON`, reply.status, null, reply.requestId);
  }
}
