import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../../../shared/core/alerts/index.js';

const SECRET = 'whsec_test_0123456789abcdef';
const NOW = 1_795_000_000_000;
const BODY = JSON.stringify({ schemaVersion: 1, eventType: 'finding.opened', id: 'evt_1', data: { note: 'ünïcødé' } });

describe('webhook signature', () => {
  it('has the Stripe-style shape over "<t>.<body>"', () => {
    const header = signatureHeader(SECRET, BODY, NOW + 999);
    const t = Math.floor(NOW / 1000);
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex')}`);
  });

  it('verifies with the right secret, and with a raw byte body', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    expect(verifySignature(SECRET, header, BODY, NOW)).toEqual({ ok: true, timestamp: Math.floor(NOW / 1000) });
    expect(verifySignature(SECRET, header, Buffer.from(BODY, 'utf8'), NOW + 10_000).ok).toBe(true);
  });

  it('rejects a wrong secret', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    expect(verifySignature('whsec_wrong_0123456789abcdef', header, BODY, NOW)).toEqual({ ok: false, reason: 'signature-mismatch' });
  });

  it('rejects a tampered body', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    expect(verifySignature(SECRET, header, BODY.replace('finding.opened', 'finding.resolved'), NOW)).toEqual({ ok: false, reason: 'signature-mismatch' });
  });

  it('rejects a replay outside the tolerance (and a clock far in the future), accepts inside it', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    expect(verifySignature(SECRET, header, BODY, NOW + 301_000)).toEqual({ ok: false, reason: 'outside-tolerance' });
    expect(verifySignature(SECRET, header, BODY, NOW - 301_000)).toEqual({ ok: false, reason: 'outside-tolerance' });
    expect(verifySignature(SECRET, header, BODY, NOW + 299_000).ok).toBe(true);
    expect(verifySignature(SECRET, header, BODY, NOW + 60_000, 30)).toEqual({ ok: false, reason: 'outside-tolerance' });
  });

  it('rejects a re-signed timestamp (the timestamp is part of the MAC)', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    const moved = header.replace(/^t=\d+/, `t=${Math.floor(NOW / 1000) + 3600}`);
    expect(verifySignature(SECRET, moved, BODY, NOW + 3_600_000)).toEqual({ ok: false, reason: 'signature-mismatch' });
  });

  it('accepts any of several v1 values (secret rotation) and rejects malformed headers', () => {
    const good = signatureHeader(SECRET, BODY, NOW);
    const rotated = `${good.split(',')[0]},v1=${'0'.repeat(64)},${good.split(',')[1]}`;
    expect(verifySignature(SECRET, rotated, BODY, NOW).ok).toBe(true);
    for (const bad of [null, undefined, '', 'v1=abc', `t=${NOW / 1000}`, 't=x,v1=' + 'a'.repeat(64), 't=1,v1=zz']) {
      expect(verifySignature(SECRET, bad, BODY, NOW)).toEqual({ ok: false, reason: 'malformed-header' });
    }
    expect(verifySignature('', good, BODY, NOW).ok).toBe(false);
  });
});
