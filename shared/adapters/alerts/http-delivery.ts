import type { DeliveryResult, Logger } from '../../ports/index.js';
import type { CutRedactor, Redactor } from './redact.js';

// One POST with bounded retries, shared by the Teams and webhook sinks. Alerting must never hold up remediation,
// so the worst case is bounded (attempts × timeout + backoff) and nothing here throws.

export interface HttpDeliveryOptions {
  readonly logger: Logger;
  readonly fetch?: typeof globalThis.fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** [0, 1); injected so tests can pin the jitter. */
  readonly random?: () => number;
  /** Epoch ms; used for Retry-After dates and webhook signatures. */
  readonly now?: () => number;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the delivery fails and the dispatcher retries later. */
  readonly maxRetryAfterMs?: number;
}

export interface PostRequest {
  readonly channel: string;
  readonly url: string;
  readonly body: string;
  /** Per attempt, so a signature timestamp is fresh on every retry. */
  readonly headers: () => Record<string, string>;
  readonly redact: CutRedactor;
}

type Attempt =
  | { readonly kind: 'done'; readonly delivered: boolean; readonly status: string; readonly detail: string }
  | { readonly kind: 'retry'; readonly status: string; readonly detail: string; readonly retryAfterMs: number | null };

const SNIPPET_BYTES = 2_048;
const SNIPPET_CHARS = 300;

export async function postWithRetry(req: PostRequest, opts: HttpDeliveryOptions): Promise<DeliveryResult> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let last: { status: string; detail: string } = { status: 'not-attempted', detail: '' };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const result = await attemptOnce(req, opts);
    if (result.kind === 'done') {
      const fields = { channel: req.channel, attempts: attempt, status: result.status };
      if (result.delivered) opts.logger.info('alert.delivery.accepted', fields);
      else opts.logger.error('alert.delivery.rejected', { ...fields, detail: result.detail });
      return {
        channel: req.channel,
        delivered: result.delivered,
        status: result.status,
        detail: result.detail,
        attempts: attempt,
      };
    }
    last = result;
    if (attempt === maxAttempts) break;
    if (result.retryAfterMs !== null && result.retryAfterMs > (opts.maxRetryAfterMs ?? 30_000)) {
      last = {
        status: result.status,
        detail: `retry-after ${Math.ceil(result.retryAfterMs / 1000)} s exceeds the wait budget`,
      };
      return failed(req, opts, last, attempt);
    }
    const delayMs = result.retryAfterMs ?? backoff(attempt, opts);
    opts.logger.warn('alert.delivery.retry', { channel: req.channel, attempt, status: result.status, delayMs });
    await sleep(delayMs);
  }
  return failed(req, opts, last, maxAttempts);
}

function failed(
  req: PostRequest,
  opts: HttpDeliveryOptions,
  last: { status: string; detail: string },
  attempts: number,
): DeliveryResult {
  opts.logger.error('alert.delivery.failed', {
    channel: req.channel,
    attempts,
    status: last.status,
    detail: last.detail,
  });
  return { channel: req.channel, delivered: false, status: last.status, detail: last.detail, attempts };
}

/** Exponential backoff with equal jitter: half fixed, half random, so instances that failed together spread out. */
function backoff(attempt: number, opts: HttpDeliveryOptions): number {
  const cap = Math.min(opts.maxDelayMs ?? 8_000, (opts.baseDelayMs ?? 500) * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (cap / 2) * (opts.random ?? Math.random)());
}

async function attemptOnce(req: PostRequest, opts: HttpDeliveryOptions): Promise<Attempt> {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  let res: Response;
  try {
    // redirect 'manual': a signed payload must not follow a redirect to a host nobody configured.
    res = await doFetch(req.url, {
      method: 'POST',
      headers: req.headers(),
      body: req.body,
      signal,
      redirect: 'manual',
    });
  } catch (err) {
    return { kind: 'retry', retryAfterMs: null, ...describeError(err, req.redact) };
  }
  const detail = await readSnippet(res, req.redact);
  const status = `http-${res.status}`;
  if (res.status >= 200 && res.status < 300) return { kind: 'done', delivered: true, status, detail };
  if (res.status === 429 || res.status === 408 || res.status >= 500) {
    return {
      kind: 'retry',
      status,
      detail,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), opts.now ?? Date.now),
    };
  }
  // Other 4xx (400 bad card, 401/403/404 revoked or deleted flow, 413 too large) and 3xx will not improve on retry.
  return { kind: 'done', delivered: false, status, detail };
}

function describeError(err: unknown, redact: Redactor): { status: string; detail: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return { status: 'timeout', detail: 'no response within the timeout' };
  const cause: unknown = e.cause;
  const code =
    cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  return {
    status: code ? `network-error:${code}` : 'network-error',
    detail: redact(e.message).slice(0, SNIPPET_CHARS),
  };
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: () => number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now());
}

/** The first bytes of the response, as text: enough to see a Workflows error, bounded whatever the receiver sends. */
async function readSnippet(res: Response, redact: CutRedactor): Promise<string> {
  if (!res.body) return '';
  // The DOM typings leave chunks as `any`; a fetch body yields bytes.
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch {
    // A body cut off by the timeout still leaves the status, which is what decides delivery.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, SNIPPET_BYTES));
  // Redacted whole before the characters are cut, and as a text cut short when the body went on: a secret the byte
  // cut splits is no longer a whole needle, and whitespace padding before it would bring its beginning into view.
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return (total >= SNIPPET_BYTES ? redact.cutShort(collapsed) : redact(collapsed)).slice(0, SNIPPET_CHARS);
}

/**
 * A sink's last line of defence: postWithRetry never throws, but building the payload can, and a bad alert
 * must never break the remediation or poll that raised it. Logs and returns an undelivered result.
 */
export function builderFailure(
  channel: string,
  err: unknown,
  redact: (s: string) => string,
  logger: HttpDeliveryOptions['logger'],
): DeliveryResult {
  const detail = redact(err instanceof Error ? err.message : String(err)).slice(0, 300);
  logger.error('alert.delivery.failed', { channel, status: 'error', detail });
  return { channel, delivered: false, status: 'error', detail, attempts: 0 };
}
