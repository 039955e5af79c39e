// What an existing claim means for a new claim attempt: the one rule both claim stores (Table Storage and
// in-memory) apply, so their semantics cannot drift. Order matters: a different payload under the same key
// is refused even when the old claim completed or expired (a key collision or a tampered message).

export interface ClaimLike {
  readonly status: 'in-progress' | 'completed';
  readonly payloadHash: string;
  readonly expiresAt: number;
}

export type ClaimVerdict = 'payload-mismatch' | 'completed' | 'in-progress' | 'expired';

export function claimVerdict(current: ClaimLike, input: { readonly payloadHash: string; readonly now: number }): ClaimVerdict {
  if (current.payloadHash !== input.payloadHash) return 'payload-mismatch';
  if (current.status === 'completed') return 'completed';
  return current.expiresAt > input.now ? 'in-progress' : 'expired';
}
