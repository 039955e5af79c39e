import { randomUUID } from 'node:crypto';
import type { Redactor } from '../redaction/redact-secrets.js';
import { abortReason } from './abortable-sleep.js';
import type { GraphCall, GraphReply } from './http-types.js';

// Opt-in JSON batching of reads (https://learn.microsoft.com/graph/json-batching). GETs issued in the same
// turn of the event loop — the independent first reads of a poll, which gatherSnapshot starts together — go
// out as one POST /{version}/$batch of up to 20, instead of one request each. A quiet incremental poll then
// costs a handful of requests whatever the tenant size.
//
// - Items are relative to the batch's version, so v1.0 and beta reads travel in separate envelopes.
// - A lone read is sent as itself (no envelope for one item).
// - An item that comes back retryable (429, 5xx) is retried on its own through the normal retry policy, after
//   the delay the policy gives for that answer (Retry-After honoured); every other item status is its final
//   answer, exactly as if it had been sent alone (404 → null for getOneOrNull, 403 → PermissionError...).
// - An envelope that fails after its retries, or an unreadable batch body, sends its items one by one. A 4xx on
//   the envelope (an endpoint without $batch, e.g. a proxy) also turns batching off for this client.
// - Graph throttles the items of a batch individually, so batching saves round trips, not read quota.
// - Each item keeps its call's abort signal: an item aborted before its envelope goes is not sent; the envelope is
//   cancelled once every item in it is aborted (one run's reads share a signal, so an aborted run's envelope is
//   cancelled at once); an item aborted while its envelope is out rejects with the reason when the envelope returns.

export const MAX_BATCH_ITEMS = 20;

export interface BatchTransport {
  /** `${origin}${basePath}` without a trailing slash. */
  readonly base: string;
  resolve(target: string, query?: GraphCall['query']): string;
  /** One logical request through the retry policy; `retriesDone` counts attempts already made elsewhere. */
  direct(call: GraphCall, retriesDone?: number): Promise<GraphReply>;
  /** Delay before retrying an item answered with `status`, or null when the answer is final. */
  retryDelay(status: number, retryAfter: string | null): number | null;
  /** Rejects with the abort reason when `signal` fires first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  onItemRetry(call: GraphCall, status: number, delayMs: number, requestId: string | null): void;
  /** For request ids taken from item headers (they are quoted in history). */
  readonly redact: Redactor;
}

interface Queued {
  readonly call: GraphCall;
  /** Path and query after `/{version}`, as a batch item's url. */
  readonly relative: string;
  readonly resolve: (reply: GraphReply) => void;
  readonly reject: (err: unknown) => void;
}

interface ItemAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** A JSON body arrives parsed inside the envelope; a string body is the raw text (JSON-batching spec). */
  readonly body: unknown;
}

export class ReadBatcher {
  private readonly queues = new Map<string, Queued[]>();
  private scheduled = false;
  private enabled = true;

  constructor(private readonly t: BatchTransport) {}

  submit(call: GraphCall): Promise<GraphReply> {
    if (!this.enabled) return this.t.direct(call);
    const url = this.t.resolve(call.target, call.query);
    const m = /^\/(v1\.0|beta)(\/.*)$/.exec(url.startsWith(this.t.base) ? url.slice(this.t.base.length) : '');
    const version = m?.[1];
    const relative = m?.[2];
    if (version === undefined || relative === undefined) return this.t.direct(call);
    if (call.signal?.aborted) return Promise.reject(abortReason(call.signal));
    return new Promise<GraphReply>((resolve, reject) => {
      const q = this.queues.get(version) ?? [];
      q.push({ call, relative, resolve, reject });
      this.queues.set(version, q);
      if (!this.scheduled) {
        this.scheduled = true;
        // After this turn's microtasks: every read started together (Promise.all) is queued by then.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queues = [...this.queues.entries()];
    this.queues.clear();
    for (const [version, queued] of queues) {
      // Aborted while queued: rejected now, and not sent.
      const items = queued.filter((q) => {
        if (q.call.signal?.aborted) q.reject(abortReason(q.call.signal));
        return !q.call.signal?.aborted;
      });
      for (let i = 0; i < items.length; i += MAX_BATCH_ITEMS) {
        const chunk = items.slice(i, i + MAX_BATCH_ITEMS);
        if (chunk.length === 1 || !this.enabled) for (const q of chunk) this.t.direct(q.call).then(q.resolve, q.reject);
        else void this.send(version, chunk);
      }
    }
  }

  private async send(version: string, chunk: readonly Queued[]): Promise<void> {
    const ids = chunk.map(() => randomUUID());
    let answers: Map<string, ItemAnswer> | null = null;
    let envelopeRequestId: string | null = null;
    const envelope = whenAllAborted(chunk.map((q) => q.call.signal));
    try {
      const reply = await this.t.direct({
        method: 'POST',
        target: `/${version}/$batch`,
        body: {
          requests: chunk.map((q, i) => ({
            id: ids[i],
            method: 'GET',
            url: q.relative,
            headers: { ...q.call.headers, 'client-request-id': ids[i] },
          })),
        },
        readOnly: true,
        what: `POST ${version}/$batch (${chunk.length} reads)`,
        signal: envelope.signal,
      });
      envelopeRequestId = reply.requestId;
      if (reply.ok) answers = readAnswers(reply.text);
      else if (
        reply.status >= 400 &&
        reply.status < 500 &&
        reply.status !== 401 &&
        reply.status !== 403 &&
        reply.status !== 429
      ) {
        this.enabled = false;
      }
    } catch {
      answers = null;
    } finally {
      envelope.dispose();
    }
    await Promise.all(
      chunk.map(async (q, i) => {
        try {
          q.resolve(await this.settle(q, ids[i] ?? '', answers?.get(ids[i] ?? '') ?? null, envelopeRequestId));
        } catch (err) {
          q.reject(err);
        }
      }),
    );
  }

  private async settle(
    q: Queued,
    id: string,
    answer: ItemAnswer | null,
    envelopeRequestId: string | null,
  ): Promise<GraphReply> {
    // Aborted while its envelope was out: the answer is not used (direct() refuses too).
    if (q.call.signal?.aborted) throw abortReason(q.call.signal);
    if (answer === null) return this.t.direct(q.call);
    const headers = new Headers(answer.headers);
    const body = answer.body;
    let text: string | null = typeof body === 'string' ? body : body === undefined ? '' : null;
    const reply: GraphReply = {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      headers,
      requestId: redactOrNull(this.t.redact, headers.get('request-id')) ?? envelopeRequestId,
      clientRequestId: id,
      // A page inside a batch is used parsed (`json`); the text is only built if someone asks (error bodies).
      get text(): string {
        text ??= JSON.stringify(body);
        return text;
      },
      ...(body !== undefined && typeof body !== 'string' ? { json: body } : {}),
      url: this.t.resolve(q.call.target, q.call.query),
    };
    if (reply.ok || q.call.retry === false) return reply;
    const delay = this.t.retryDelay(reply.status, headers.get('retry-after'));
    if (delay === null) return reply;
    this.t.onItemRetry(q.call, reply.status, delay, reply.requestId);
    await this.t.sleep(delay, q.call.signal);
    return this.t.direct(q.call, 1);
  }
}

function redactOrNull(redact: Redactor, text: string | null): string | null {
  return text === null ? null : redact(text);
}

/**
 * A signal that aborts once every one of `signals` has: the envelope of a batch carries reads of possibly several
 * lists; it is only pointless when all of them are aborted. Undefined when some read has no signal.
 */
function whenAllAborted(signals: readonly (AbortSignal | undefined)[]): {
  signal: AbortSignal | undefined;
  dispose(): void;
} {
  if (signals.some((s) => s === undefined)) return { signal: undefined, dispose: () => undefined };
  // One listener per distinct signal, on a signal of the envelope's own (AbortSignal.any does not listen to its
  // source): a run's signal shared by many reads collects no listeners.
  const all = [...new Set(signals as readonly AbortSignal[])].map((s) => AbortSignal.any([s]));
  const envelope = new AbortController();
  let live = all.filter((s) => !s.aborted).length;
  const onAbort = (): void => {
    live--;
    if (live === 0) envelope.abort(new DOMException('Every read in this batch was aborted', 'AbortError'));
  };
  if (live === 0) envelope.abort(new DOMException('Every read in this batch was aborted', 'AbortError'));
  for (const s of all) if (!s.aborted) s.addEventListener('abort', onAbort, { once: true });
  return { signal: envelope.signal, dispose: () => all.forEach((s) => s.removeEventListener('abort', onAbort)) };
}

/** `{responses: [{id, status, headers?, body?}]}` by id, or null when the body is not one. */
function readAnswers(text: string): Map<string, ItemAnswer> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const responses = isRecord(parsed) ? parsed['responses'] : undefined;
  if (!Array.isArray(responses)) return null;
  const out = new Map<string, ItemAnswer>();
  for (const r of responses) {
    if (!isRecord(r) || typeof r['id'] !== 'string' || typeof r['status'] !== 'number') continue;
    const headers: Record<string, string> = {};
    if (isRecord(r['headers']))
      for (const [k, v] of Object.entries(r['headers'])) if (typeof v === 'string') headers[k] = v;
    out.set(r['id'], { status: r['status'], headers, body: r['body'] });
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
