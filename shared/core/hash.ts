import { hash } from 'node:crypto';

// Deterministic hashing of JSON-like values with sorted keys, so field order never changes a fingerprint.
// node:crypto here is pure computation (no I/O); the layering rule allows exactly this module in core.

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  // Keys in UTF-16 code-unit order (Array.prototype.sort's default order), undefined values left out, built by
  // concatenation: a sweep hashes every finding (45,000 at 300,000 devices), and the entry pairs, filtered and mapped
  // arrays of the obvious version were ~150 MB of garbage there. Persisted fingerprints depend on this exact text
  // (test/unit/core/hash.test.ts checks it against that version).
  const record = value as Record<string, unknown>;
  const keys = sortKeys(Object.keys(record));
  let out = '{';
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${stableStringify(v)}`;
  }
  return `${out}}`;
}

/**
 * Sorted in place by code unit, as Array.prototype.sort sorts strings. The few keys of a fingerprint's objects are
 * sorted by insertion: V8's sort allocates its state and a work array on every call (~60 MB over a 300,000-device
 * sweep's fingerprints).
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > k; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = k;
  }
  return keys;
}

export function stableHash(value: unknown, length = 16): string {
  // The one-shot crypto.hash (Node 20.12+, the engines floor): a sweep hashes every finding's fingerprint, and a Hash
  // object per call (createHash, a stream) cost several times the time and the garbage for the same digest.
  return hash('sha256', stableStringify(value), 'hex').slice(0, length);
}
