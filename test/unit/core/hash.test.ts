import { describe, expect, it } from 'vitest';

import { stableHash, stableStringify } from '../../../shared/core/hash.js';

// Fingerprints, idempotency keys and approval ids are stableHash of stableStringify, and they are stored: the text
// must not change when the function does. `reference` is the first version, kept here as the specification.
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

/** A small deterministic generator (mulberry32), so a failure names the value that broke. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Keys and strings a hostile tenant or an odd Graph answer could bring: numeric-looking keys (which objects list
// first), case, non-ASCII, a lone surrogate, quotes, control characters, __proto__ (an own key when parsed).
const KEYS = ['b', 'a', 'B', '10', '9', '0', 'é', 'ſ', '\ud800', 'a"b', 'tab\t', '', 'subject', 'code', '__proto__'];
const LEAVES: unknown[] = [null, undefined, true, 0, -1.5, 1e21, Number.NaN, 'SN-1', 'Con\u200btoso', '\u0000'];

function valueOf(next: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const r = next();
  if (depth > 3 || r < 0.4) return pick(LEAVES);
  if (r < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => valueOf(next, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) {
    Object.defineProperty(out, pick(KEYS), {
      value: valueOf(next, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

describe('stableStringify', () => {
  it('writes the same text as the first version for 5,000 generated values', () => {
    const next = random(18);
    for (let i = 0; i < 5000; i++) {
      const v = valueOf(next, 0);
      expect(stableStringify(v), JSON.stringify(v)).toBe(reference(v));
    }
  });

  it('orders the keys of a wide object (more than 16) as the first version did', () => {
    const next = random(7);
    for (let i = 0; i < 200; i++) {
      const v: Record<string, unknown> = {};
      for (let k = 0; k < 40; k++) v[`${KEYS[Math.floor(next() * KEYS.length)] as string}${String(k % 13)}`] = k;
      expect(stableStringify(v)).toBe(reference(v));
    }
  });

  it('orders keys by code unit, leaves undefined values out, and keeps a stored fingerprint', () => {
    const v = { subject: 'serial:SN-1', code: 'AP-001', severity: 'high', defining: { z: 1, a: undefined, '10': 2 } };
    expect(stableStringify(v)).toBe(
      '{"code":"AP-001","defining":{"10":2,"z":1},"severity":"high","subject":"serial:SN-1"}',
    );
    expect(stableHash(v)).toBe('acbd3820ef59ac23');
  });
});
