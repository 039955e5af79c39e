import { stableHash, stableStringify } from '../hash.js';
import type { ApprovalAction, ApprovalTarget } from './types.js';

// Approval ids are derived, never random (core stays pure): the same proposal made twice has the same id. The id
// is not a secret — the token is (token.ts).

export const APPROVAL_ID = /^[0-9a-f]{32}$/;

export function approvalIdOf(input: {
  readonly tenant: string;
  readonly action: ApprovalAction;
  readonly target: ApprovalTarget;
  readonly fingerprint: string;
  readonly createdAt: number;
}): string {
  return stableHash(input, 32);
}

/** The target's ids as one stable string (signed into the token, and compared by the worker). */
export function targetKeyOf(target: ApprovalTarget): string {
  return stableStringify(target);
}
