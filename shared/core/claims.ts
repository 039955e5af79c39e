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
