// The review link's token: an HMAC over id, action, target, fingerprint and expiry with the configured key.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { approvalToken, tokenMatches } from '../../../../shared/core/approvals/index.js';
import { DEREGISTER, request } from '../../app/approvals/fixtures.js';

const KEY = 'k'.repeat(40);

describe('approval token', () => {
  const r = request(DEREGISTER);

  it('verifies for the request it was made for, with the key it was made with', () => {
    const token = approvalToken(KEY, r);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenMatches(KEY, r, token)).toBe(true);
    expect(tokenMatches(`${KEY}x`, r, token)).toBe(false);
  });

  it('any signed field changed makes it fail: id, action, target, fingerprint, expiry', () => {
    const token = approvalToken(KEY, r);
    expect(tokenMatches(KEY, { ...r, id: 'f'.repeat(32) }, token)).toBe(false);
    expect(tokenMatches(KEY, { ...r, fingerprint: 'fp-other' }, token)).toBe(false);
    expect(tokenMatches(KEY, { ...r, expiresAt: r.expiresAt + 1 }, token)).toBe(false);
    expect(tokenMatches(KEY, { ...r, target: { ...DEREGISTER, serialNumber: 'SN-OTHER' } }, token)).toBe(false);
    expect(
      tokenMatches(
        KEY,
        {
          ...r,
          action: 'delete-intune-device-record',
          target: {
            ...DEREGISTER,
            action: 'delete-intune-device-record',
            managedDeviceId: DEREGISTER.autopilotId,
          } as never,
        },
        token,
      ),
    ).toBe(false);
  });

  it('is an HMAC-SHA256 with the key (not a hash anyone could compute), and malformed tokens never match', () => {
    const token = approvalToken(KEY, r);
    const unkeyed = createHmac('sha256', '').update(r.id).digest('base64url');
    expect(token).not.toBe(unkeyed);
    for (const bad of ['', 'x', `${token}=`, token.slice(1), `${token.slice(0, 42)}+`, ' '.repeat(43)])
      expect(tokenMatches(KEY, r, bad)).toBe(false);
  });
});
