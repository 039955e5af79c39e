import { createHmac, timingSafeEqual } from 'node:crypto';

// Stripe-style webhook signing: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. Signing the
// timestamp with the body lets a receiver reject replays; several v1 values may appear during secret rotation.
// node:crypto is pure computation here, which the layering rule allows in core.

export const SIGNATURE_HEADER = 'X-AutopilotMedic-Signature';
export const EVENT_ID_HEADER = 'X-AutopilotMedic-Event-Id';
export const DEFAULT_TOLERANCE_SEC = 300;

export type VerifyResult =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'malformed-header' | 'signature-mismatch' | 'outside-tolerance' };

function hmacHex(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for `body` signed at `nowMs` (epoch ms; the header carries whole seconds). */
export function signatureHeader(secret: string, body: string | Uint8Array, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

/**
 * Receiver-side check. `body` must be the raw bytes received (re-serialised JSON will not match); `nowMs` is
 * epoch ms like every time in this codebase. Rejects a wrong secret or tampered body (signature-mismatch) and a
 * timestamp more than `toleranceSec` away from now in either direction (outside-tolerance: a replay).
 */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string | Uint8Array,
  nowMs: number,
  toleranceSec: number = DEFAULT_TOLERANCE_SEC,
): VerifyResult {
  const parsed = parseHeader(header);
  if (!parsed || secret === '') return { ok: false, reason: 'malformed-header' };
  const expected = Buffer.from(hmacHex(secret, parsed.t, body), 'hex');
  // timingSafeEqual: a byte-by-byte early exit would leak how much of a forged signature was right.
  const matches = parsed.v1.some((v) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, reason: 'signature-mismatch' };
  if (Math.abs(Math.floor(nowMs / 1000) - parsed.t) > toleranceSec) return { ok: false, reason: 'outside-tolerance' };
  return { ok: true, timestamp: parsed.t };
}

function parseHeader(header: string | null | undefined): { t: number; v1: string[] } | null {
  if (!header) return null;
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) v1.push(value);
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}
