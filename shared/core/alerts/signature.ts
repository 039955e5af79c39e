import { createHmac } from 'node:crypto';

// Webhooks are signed with the Standard Webhooks scheme (standardwebhooks.com, spec "Signature scheme"), so a
// receiver verifies with a maintained library (`standardwebhooks` on npm, PyPI, NuGet, Go…) instead of code of
// ours: headers `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>`
// over "<id>.<timestamp>.<raw body>". The id is signed too, so a receiver may de-duplicate by it.
// node:crypto is pure computation here, which the layering rule allows in core.

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** The prefix of a Standard Webhooks secret: `whsec_` + the base64 of the key bytes. */
export const STANDARD_SECRET_PREFIX = 'whsec_';
export const MIN_SECRET_BYTES = 16;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * The HMAC key a configured secret stands for, or an error message. Two forms, as the libraries accept them:
 * `whsec_<base64>` is decoded (receivers: `new Webhook(secret)`); any other string is used as its bytes
 * (receivers: `new Webhook(secret, { format: 'raw' })`). The library turns a raw string into bytes one char
 * code each, so a raw secret must be printable ASCII for both sides to derive the same key.
 */
export function webhookSigningKey(secret: string): { readonly key: Buffer } | { readonly error: string } {
  if (secret.startsWith(STANDARD_SECRET_PREFIX)) {
    const encoded = secret.slice(STANDARD_SECRET_PREFIX.length);
    if (!BASE64.test(encoded)) return { error: `a ${STANDARD_SECRET_PREFIX} secret must be followed by base64` };
    const key = Buffer.from(encoded, 'base64');
    if (key.length < MIN_SECRET_BYTES)
      return { error: `a ${STANDARD_SECRET_PREFIX} secret must decode to at least ${MIN_SECRET_BYTES} bytes` };
    return { key };
  }
  if (!PRINTABLE_ASCII.test(secret)) return { error: 'a raw secret must be printable ASCII without spaces' };
  if (secret.length < MIN_SECRET_BYTES) return { error: `at least ${MIN_SECRET_BYTES} characters` };
  return { key: Buffer.from(secret, 'latin1') };
}

/** `v1,<base64>` for one message; the id and timestamp are part of what is signed. */
export function standardSignature(
  key: Uint8Array,
  id: string,
  timestampSec: number,
  body: string | Uint8Array,
): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSec}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The three headers for `body` sent as message `id` at `nowMs` (epoch ms; the header carries whole seconds). */
export function standardWebhookHeaders(
  key: Uint8Array,
  id: string,
  body: string | Uint8Array,
  nowMs: number,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: standardSignature(key, id, timestamp, body),
  };
}
