import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryPolicy,
} from '../../../../shared/adapters/graph/retry-policy.js';

const policy: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  maxRetries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};
const NOW = Date.UTC(2025, 0, 1, 12);
const res = (status: number, retryAfter: string | null = null) => ({ kind: 'response' as const, status, retryAfter });
const max = () => 0.999999;

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
  });

  it('is null when absent or unparseable', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
  });
});

describe('decideRetry', () => {
  it('waits exactly Retry-After on 429 and 503', () => {
    expect(decideRetry(policy, 0, res(429, '3'), NOW, max)).toMatchObject({ retry: true, delayMs: 3000 });
    expect(decideRetry(policy, 2, res(503, '10'), NOW, max)).toMatchObject({ retry: true, delayMs: 10_000 });
  });

  it('backs off exponentially with full jitter on 429 without Retry-After, 5xx and network errors', () => {
    expect(decideRetry(policy, 0, res(429), NOW, max)).toMatchObject({ retry: true, delayMs: 999 });
    expect(decideRetry(policy, 1, res(500), NOW, max)).toMatchObject({ retry: true, delayMs: 1999 });
    expect(decideRetry(policy, 2, res(502), NOW, max)).toMatchObject({ retry: true, delayMs: 3999 });
    expect(decideRetry(policy, 3, { kind: 'network-error' }, NOW, max)).toMatchObject({ retry: true, delayMs: 7999 });
    expect(decideRetry(policy, 3, res(504), NOW, () => 0)).toMatchObject({ retry: true, delayMs: 0 });
  });

  it('caps the backoff ceiling', () => {
    expect(backoffDelay(policy, 20, max)).toBe(29_999);
  });

  it.each([400, 401, 403, 404, 409, 412, 501])('never retries %d', (status) => {
    expect(decideRetry(policy, 0, res(status, '1'), NOW, max).retry).toBe(false);
  });

  it('stops after maxRetries', () => {
    expect(decideRetry(policy, 4, res(503, '1'), NOW, max)).toMatchObject({ retry: false });
    expect(decideRetry({ ...policy, maxRetries: 0 }, 0, { kind: 'network-error' }, NOW, max).retry).toBe(false);
  });

  it('gives up instead of sleeping through an overlong Retry-After', () => {
    expect(decideRetry(policy, 0, res(429, '600'), NOW, max)).toMatchObject({ retry: false });
  });
});
