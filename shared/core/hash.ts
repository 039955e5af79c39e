import { hash } from 'node:crypto';

// Deterministic hashing of JSON-like values with sorted keys, so field order never changes a fingerprint.
// node:crypto here is pure computation (no I/O); the layering rule allows exactly this module in core.

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function stableHash(value: unknown, length = 16): string {
  // The one-shot crypto.hash (Node 20.12+, the engines floor): a sweep hashes every finding's fingerprint, and a Hash
  // object per call (createHash, a stream) cost several times the time and the garbage for the same digest.
  return hash('sha256', stableStringify(value), 'hex').slice(0, length);
}
