import { randomUUID } from 'node:crypto';
import { AuthenticationError } from '@azure/identity';
import { PermanentError, PermissionError, TransientError, type GraphError, type Logger } from '../../ports/index.js';
import { secretRedactor, type SecretRedactor } from '../redaction/redact-secrets.js';
import { abortReason, sleepUnlessAborted, unlessAborted, type Sleep } from './abortable-sleep.js';
import type { TokenProvider } from './credentials.js';
import { isRedirectRefusal, readErrorBody, toGraphError } from './graph-errors.js';
import { queryString } from './odata.js';
import { decideRetry, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
import type { GraphCall, GraphReply } from './http-types.js';
import { ReadBatcher } from './read-batcher.js';
import { Semaphore } from './semaphore.js';
import type { WriteLimiter } from './write-budget.js';

// Graph over Node's global fetch. Deliberately not @microsoft/microsoft-graph-client: its RetryHandler
// retries every call alike, and we need per-call control (the Autopilot sync must get exactly one
// attempt: see intune-actions.ts), typed errors instead of "no data", a write budget shared by all writes,
// and stuck-cursor detection in paging. Everything Graph-specific about HTTP lives here.

export type { GraphCall, GraphReply, HttpMethod } from './http-types.js';

export interface GraphHttpOptions {
  readonly baseUrl: string;
  readonly tokens: TokenProvider;
  readonly fetch: typeof fetch;
  /** Given the call's abort signal; a sleep that ignores it is still cut short (sleepUnlessAborted). */
  readonly sleep: Sleep;
  readonly now: () => number;
  readonly random: () => number;
  readonly retry: RetryPolicy;
  readonly writes: WriteLimiter;
  readonly timeoutMs: number;
  readonly maxConcurrency: number;
  readonly logger?: Logger;
  /** Fold GETs issued together into JSON batches (read-batcher.ts). Off unless asked for. */
  readonly batchReads?: boolean;
  /** Bounds on one list read (paging.ts). */
  readonly paging?: Partial<PagingLimits>;
  /** Configured secrets (a static token, a client secret) masked in every error text, besides the tokens sent. */
  readonly secrets?: readonly string[];
}

export interface PagingLimits {
  /** Most pages one list read may take when the service gives no `@odata.count` we asked for (GRAPH_MAX_PAGES). */
  readonly maxPages: number;
  /** Most wall time one list read may take, retries included (GRAPH_READ_DEADLINE_SECONDS). */
  readonly deadlineMs: number;
}

/** Defaults reasoned in env-schema.ts (GRAPH_MAX_PAGES, GRAPH_READ_DEADLINE_SECONDS). */
export const DEFAULT_PAGING_LIMITS: PagingLimits = { maxPages: 10_000, deadlineMs: 1_500_000 };

export class GraphHttp {
  readonly origin: string;
  readonly paging: PagingLimits;
  /** Masks the tokens this client sent, the configured secrets and secret shapes: for every error text it builds. */
  readonly redact: SecretRedactor;
  private readonly base: string;
  private readonly gate: Semaphore;
  private readonly batcher: ReadBatcher | null;

  constructor(private readonly o: GraphHttpOptions) {
    const u = new URL(o.baseUrl);
    this.origin = u.origin;
    this.base = `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
    this.gate = new Semaphore(o.maxConcurrency);
    this.paging = { ...DEFAULT_PAGING_LIMITS, ...o.paging };
    this.redact = secretRedactor(o.secrets ?? []);
    this.batcher = o.batchReads
      ? new ReadBatcher({
          base: this.base,
          resolve: (target, query) => this.resolve(target, query),
          direct: (call, retriesDone) => this.exchangeOne(call, retriesDone),
          retryDelay: (status, retryAfter) => {
            const d = decideRetry(
              this.o.retry,
              0,
              { kind: 'response', status, retryAfter },
              this.o.now(),
              this.o.random,
            );
            return d.retry ? d.delayMs : null;
          },
          sleep: (ms, signal) => sleepUnlessAborted(this.o.sleep, ms, signal),
          redact: this.redact,
          onItemRetry: (call, status, delayMs, requestId) =>
            this.o.logger?.warn('graph.retry', {
              what: call.what,
              status,
              attempt: 1,
              delayMs,
              requestId,
              batched: true,
            }),
        })
      : null;
  }

  /** Absolute URL for a call; throws if it leaves the configured origin (the token must not follow it). */
  resolve(target: string, query?: GraphCall['query']): string {
    const url = /^https?:\/\//i.test(target) ? target : `${this.base}${target.startsWith('/') ? '' : '/'}${target}`;
    if (new URL(url).origin !== this.origin) {
      throw new PermanentError(`refusing to send the Graph token to ${new URL(url).origin} (base is ${this.origin})`);
    }
    const qs = query ? queryString(query) : '';
    if (qs === '') return url;
    return `${url}${url.includes('?') ? '&' : '?'}${qs}`;
  }

  /** One logical request with retries per policy. Returns the final reply whatever its status. */
  async exchange(call: GraphCall): Promise<GraphReply> {
    if (this.batcher && call.method === 'GET' && call.retry !== false && call.batch !== false)
      return this.batcher.submit(call);
    return this.exchangeOne(call);
  }

  private async exchangeOne(call: GraphCall, retriesDone = 0): Promise<GraphReply> {
    const url = this.resolve(call.target, call.query);
    const clientRequestId = randomUUID();
    const isWrite = call.method !== 'GET' && call.readOnly !== true;
    const signal = call.signal;
    for (let retries = retriesDone; ; retries++) {
      if (signal?.aborted) throw abortReason(signal);
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
      // An aborted run ends here: no retry, no further request (the abort reason is what the run reports).
      if (signal?.aborted) throw abortReason(signal);
      if (reply?.ok) return reply;
      if (isRedirectRefusal(failure)) {
        // redirect: 'error' (attempt): a 3xx from Graph is not followed, to a host nobody configured, with or
        // without the token; the same request would get the same answer, so it is not retried either.
        throw new PermanentError(`${call.what}: the service answered with a redirect, which is refused`);
      }
      // Entra ID refused the app's credential (tokenFailure): every retry would get the same answer.
      if (failure instanceof PermissionError) throw failure;
      const outcome = reply
        ? { kind: 'response' as const, status: reply.status, retryAfter: reply.headers.get('retry-after') }
        : { kind: 'network-error' as const };
      const decision =
        call.retry === false
          ? { retry: false as const, reason: 'retries disabled for this call' }
          : decideRetry(this.o.retry, retries, outcome, this.o.now(), this.o.random);
      if (!decision.retry) {
        if (reply) return reply;
        // No token (tokenFailure): its message says so, not "network error".
        if (failure instanceof TransientError) throw failure;
        const detail = this.redact(failure instanceof Error ? failure.message : String(failure));
        // No cause attached: the HTTP stack's own error may quote the URL or a credential's response.
        throw new TransientError(`${call.what}: network error — ${detail}`);
      }
      this.o.logger?.warn('graph.retry', {
        what: call.what,
        status: reply?.status ?? null,
        attempt: retries + 1,
        delayMs: decision.delayMs,
        requestId: reply?.requestId ?? null,
      });
      await sleepUnlessAborted(this.o.sleep, decision.delayMs, signal);
    }
  }

  /** exchange() that throws the typed error for any non-2xx final reply. */
  async send(call: GraphCall): Promise<GraphReply> {
    const reply = await this.exchange(call);
    if (!reply.ok) throw this.failure(reply, call.what);
    return reply;
  }

  failure(reply: GraphReply, what: string): GraphError {
    return toGraphError(
      {
        status: reply.status,
        body: readErrorBody(reply.text),
        requestId: reply.requestId,
        retryAfterMs: parseRetryAfter(reply.headers.get('retry-after'), this.o.now()),
        what,
      },
      this.redact,
    );
  }

  private async attempt(call: GraphCall, url: string, clientRequestId: string): Promise<GraphReply> {
    // The run's signal (call.signal) cancels the attempt, the wait for its token included; the timeout bounds it.
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let token: string;
    try {
      // unlessAborted: any provider's wait ends with the signal, one that ignores it too.
      token = await unlessAborted(this.o.tokens.getToken(signal), signal);
    } catch (err) {
      throw tokenFailure(err, call.what, this.redact);
    }
    // Whatever the service echoes back of it is masked in the errors built from its answers.
    this.redact.remember(token);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'client-request-id': clientRequestId,
      ...call.headers,
      // Sent to any configured base, https or loopback http (the simulator); resolve() guards the origin.
      authorization: `Bearer ${token}`,
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
      signal,
      // Never follow a redirect: resolve() vetted this URL's origin only, and a redirected request goes wherever
      // the Location says (Fetch Standard, "redirect mode": https://fetch.spec.whatwg.org/#concept-request-redirect-mode).
      redirect: 'error',
    });
    const text = await res.text();
    const requestId = res.headers.get('request-id');
    return {
      status: res.status,
      ok: res.ok,
      headers: res.headers,
      // Quoted in history rows: a service that puts a credential there must not get it stored.
      requestId: requestId === null ? null : this.redact(requestId),
      clientRequestId,
      text,
      url,
    };
  }
}

/**
 * Why an attempt got no token. Entra ID refusing the credential itself, with 400 or 401 from its token endpoint (an
 * expired or wrong client secret, AADSTS7000222 or AADSTS7000215; an app with no service principal or consent in the
 * tenant, AADSTS700016), answers every retry the same: a PermissionError, final, which keeps the AADSTS code for the
 * operator ("Microsoft Entra authentication and authorization error codes",
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes). Anything else (Entra throttled or down,
 * an identity endpoint that does not answer, the attempt's timeout) may pass: a TransientError, retried.
 */
function tokenFailure(err: unknown, what: string, redact: SecretRedactor): GraphError {
  const detail = redact(err instanceof Error ? err.message : String(err));
  if (err instanceof AuthenticationError && (err.statusCode === 400 || err.statusCode === 401))
    return new PermissionError(`${what}: Entra ID refused the app's credential — ${detail}`, {
      status: err.statusCode,
    });
  return new TransientError(`${what}: no Graph token — ${detail}`);
}

/** Parse a JSON body or fail as a malformed response (a proxy error page, a truncated body). */
export function parseJson(reply: GraphReply, what: string): unknown {
  if (reply.json !== undefined) return reply.json;
  try {
    return JSON.parse(reply.text);
  } catch {
    throw new PermanentError(`${what}: response is not valid JSON`, {
      status: reply.status,
      requestId: reply.requestId,
    });
  }
}
