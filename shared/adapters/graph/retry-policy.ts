// Pure retry decisions, so the policy is unit-tested without a clock.
// Graph throttling guidance: honour Retry-After on 429 (and 503), otherwise back off exponentially
// (https://learn.microsoft.com/graph/throttling). Full jitter spreads retries of parallel callers
// (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). 400s and other 4xx are
// never retried: the same request gets the same answer.

export interface RetryPolicy {
  /** Retries after the first attempt (GRAPH_MAX_RETRIES). */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not slept through: the call fails as throttled instead. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export type AttemptOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfter: string | null }
  | { readonly kind: 'network-error' };

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly reason: string }
  | { readonly retry: false; readonly reason: string };

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). null when absent or unparseable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (/^\d+\.\d+$/.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base·2^attempt)). */
export function backoffDelay(policy: RetryPolicy, retriesDone: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retriesDone);
  return Math.floor(random() * ceiling);
}

export function isRetryableStatus(status: number): boolean {
  // 501 Not Implemented and 505 are answers, not outages.
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * Decide what to do after attempt number `retriesDone + 1`. `retriesDone` counts retries already made.
 */
export function decideRetry(
  policy: RetryPolicy,
  retriesDone: number,
  outcome: AttemptOutcome,
  nowMs: number,
  random: () => number,
): RetryDecision {
  if (outcome.kind === 'response' && !isRetryableStatus(outcome.status)) {
    return { retry: false, reason: `status ${outcome.status} is not retryable` };
  }
  if (retriesDone >= policy.maxRetries) return { retry: false, reason: `gave up after ${retriesDone} retries` };
  if (outcome.kind === 'network-error') {
    return { retry: true, delayMs: backoffDelay(policy, retriesDone, random), reason: 'network error' };
  }
  if (outcome.status === 429 || outcome.status === 503) {
    const wait = parseRetryAfter(outcome.retryAfter, nowMs);
    if (wait !== null) {
      if (wait > policy.maxRetryAfterMs) {
        return { retry: false, reason: `Retry-After ${wait} ms exceeds the ${policy.maxRetryAfterMs} ms limit` };
      }
      return { retry: true, delayMs: wait, reason: `status ${outcome.status} with Retry-After` };
    }
  }
  return { retry: true, delayMs: backoffDelay(policy, retriesDone, random), reason: `status ${outcome.status}` };
}
