import { createHmac, timingSafeEqual } from 'node:crypto';
import { targetKeyOf } from './ids.js';
import type { ApprovalRequest } from './types.js';

// The review link's token: HMAC-SHA256 over the request's id, action, target, finding fingerprint and expiry, with
// the key from configuration (APPROVAL_SIGNING_KEY). It proves the link came from us for exactly this request; a
// changed field or another request's token does not verify. It is single-use because a decision moves the request
// out of `pending` (an ETag-conditional write), so a replay finds it decided. node:crypto is pure computation here,
// which the layering rule allows in core.

export const MIN_SIGNING_KEY_LENGTH = 32;

function payload(r: Pick<ApprovalRequest, 'id' | 'action' | 'target' | 'fingerprint' | 'expiresAt'>): string {
  return [
    'autopilot-medic-approval-v1',
    r.id,
    r.action,
    targetKeyOf(r.target),
    r.fingerprint,
    String(r.expiresAt),
  ].join('\n');
}

/** base64url, 43 characters. */
export function approvalToken(
  key: string,
  r: Pick<ApprovalRequest, 'id' | 'action' | 'target' | 'fingerprint' | 'expiresAt'>,
): string {
  return createHmac('sha256', key).update(payload(r)).digest('base64url');
}

/** Constant-time comparison; any malformed token is simply not valid. */
export function tokenMatches(
  key: string,
  r: Pick<ApprovalRequest, 'id' | 'action' | 'target' | 'fingerprint' | 'expiresAt'>,
  token: string,
): boolean {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const expected = Buffer.from(approvalToken(key, r), 'utf8');
  const given = Buffer.from(token, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
