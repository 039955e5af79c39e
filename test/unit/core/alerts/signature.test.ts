import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';

import { standardWebhookHeaders, webhookSigningKey } from '../../../../shared/core/alerts/index.js';

// Issue 17.4: webhooks are signed with the Standard Webhooks scheme, so receivers verify with the maintained
// `standardwebhooks` library. Every check here is the library's verdict, not a re-implementation of ours.

const STANDARD_SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const RAW_SECRET = 'a-raw-webhook-secret-0123456789';
const BODY = JSON.stringify({ schemaVersion: 1, eventType: 'finding.opened', id: 'evt_1', data: { note: 'ünïcødé' } });

function keyOf(secret: string): Buffer {
  const k = webhookSigningKey(secret);
  if ('error' in k) throw new Error(k.error);
  return k.key;
}

describe('Standard Webhooks signing', () => {
  it('a whsec_ secret verifies with new Webhook(secret), a raw one with format raw', () => {
    const now = Date.now();
    const std = standardWebhookHeaders(keyOf(STANDARD_SECRET), 'evt_1', BODY, now);
    expect(new Webhook(STANDARD_SECRET).verify(BODY, std)).toEqual(JSON.parse(BODY));
    const raw = standardWebhookHeaders(keyOf(RAW_SECRET), 'evt_1', BODY, now);
    expect(new Webhook(RAW_SECRET, { format: 'raw' }).verify(BODY, raw)).toEqual(JSON.parse(BODY));
    expect(raw['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(raw['webhook-timestamp']).toBe(String(Math.floor(now / 1000)));
  });

  it('verifies the raw bytes too', () => {
    const headers = standardWebhookHeaders(keyOf(RAW_SECRET), 'evt_1', BODY, Date.now());
    expect(() => new Webhook(RAW_SECRET, { format: 'raw' }).verify(Buffer.from(BODY, 'utf8'), headers)).not.toThrow();
  });

  it('the library rejects a wrong secret, a tampered body, a changed id and an old or future timestamp', () => {
    const wh = new Webhook(STANDARD_SECRET);
    const key = keyOf(STANDARD_SECRET);
    const headers = standardWebhookHeaders(key, 'evt_1', BODY, Date.now());
    expect(() =>
      new Webhook(`whsec_${Buffer.from('another-key-0123456789').toString('base64')}`).verify(BODY, headers),
    ).toThrow(WebhookVerificationError);
    expect(() => wh.verify(BODY.replace('finding.opened', 'finding.resolved'), headers)).toThrow(
      /No matching signature/,
    );
    expect(() => wh.verify(BODY, { ...headers, 'webhook-id': 'evt_forged' })).toThrow(/No matching signature/);
    const old = standardWebhookHeaders(key, 'evt_1', BODY, Date.now() - 6 * 60_000);
    expect(() => wh.verify(BODY, old)).toThrow(/too old/);
    const future = standardWebhookHeaders(key, 'evt_1', BODY, Date.now() + 6 * 60_000);
    expect(() => wh.verify(BODY, future)).toThrow(/too new/);
  });

  it.each([
    ['whsec_not*base64', /followed by base64/],
    [`whsec_${Buffer.from('short').toString('base64')}`, /at least 16 bytes/],
    ['short-secret', /at least 16 characters/],
    ['a secret with spaces in it', /printable ASCII/],
    ['ein-geheimnis-mit-ümlaut-0123', /printable ASCII/],
  ])('refuses the secret %j', (secret, message) => {
    const k = webhookSigningKey(secret);
    expect('error' in k && k.error).toMatch(message);
  });
});
