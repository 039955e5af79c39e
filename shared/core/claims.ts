// What an existing claim means for a new claim attempt: the one rule both claim stores (Table Storage and
// in-memory) apply, so their semantics cannot drift. Order matters: a different payload under the same key
// is refused even when the old claim completed or expired (a key collision or a tampered message).

export interface ClaimLike {
  readonly status: 'in-progress' | 'completed';
  readonly payloadHash: string;
  readonly expiresAt: number;
}

export type ClaimVerdict = 'payload-mismatch' | 'completed' | 'in-progress' | 'expired';

export function claimVerdict(
  current: ClaimLike,
  input: { readonly payloadHash: string; readonly now: number },
): ClaimVerdict {
  if (current.payloadHash !== input.payloadHash) return 'payload-mismatch';
  if (current.status === 'completed') return 'completed';
  return current.expiresAt > input.now ? 'in-progress' : 'expired';
}

/** The record a successful claim writes: in progress, owned by the caller, expiring after the TTL. */
export function freshClaim(input: {
  readonly action: string;
  readonly key: string;
  readonly payloadHash: string;
  readonly owner: string;
  readonly now: number;
  readonly ttlMs: number;
}) {
  return {
    action: input.action,
    key: input.key,
    status: 'in-progress' as const,
    payloadHash: input.payloadHash,
    owner: input.owner,
    claimedAt: input.now,
    expiresAt: input.now + input.ttlMs,
    outcome: null,
  };
}

const DAY_MS = 86_400_000;

/**
 * How long a claim must be kept after it was taken: a message of its key can still arrive that late, and one that
 * meets no claim runs again. Until the first copy of a paced command runs, every poll schedules another copy of it
 * (same key, a later time), so copies arrive up to the pacing span after the first; a sync the daily cap deferred can
 * meet its window's claim up to a day later; a held claim's messages are rescheduled for its expiry. Any of these is
 * then redelivered until the queue's message time-to-live ends.
 */
export function claimRetentionMs(i: {
  readonly messageTtlMs: number;
  readonly pacingSpanMs: number;
  readonly claimTtlMs: number;
}): number {
  return i.messageTtlMs + Math.max(DAY_MS, i.pacingSpanMs, i.claimTtlMs);
}
