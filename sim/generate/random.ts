/**
 * Deterministic randomness for the generator. Every generated field is a pure function of
 * (seed, index, salt), so a device can be recomputed from its index instead of being stored.
 */

/** 32-bit integer hash of (seed, index, salt) — murmur3's finaliser over a simple mix. */
export function hash32(seed: number, index: number, salt: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform float in [0, 1) for (seed, index, salt). */
export const unit = (seed: number, index: number, salt: number): number => hash32(seed, index, salt) / 4294967296;

/** Integer in [lo, hi] for (seed, index, salt). */
export const between = (seed: number, index: number, salt: number, lo: number, hi: number): number =>
  lo + Math.floor(unit(seed, index, salt) * (hi - lo + 1));

export function pick<T>(list: readonly T[], seed: number, index: number, salt: number): T {
  const v = list[hash32(seed, index, salt) % list.length];
  if (v === undefined) throw new Error('pick from an empty list');
  return v;
}

/** mulberry32: a small seeded PRNG for one-off sequences such as the plant permutation. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded Fisher–Yates permutation of 0..n-1 (Int32Array keeps 100,000 entries at 400 KB). */
export function permutation(n: number, seed: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rnd = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = p[i] ?? 0;
    p[i] = p[j] ?? 0;
    p[j] = t;
  }
  return p;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/**
 * Readable deterministic GUIDs: a one-hex-digit kind, the seed, and the index, e.g.
 * identity #5 of seed 7 is `a0000007-0000-4000-8000-000000000005`.
 */
export function guid(kind: string, seed: number, index: number): string {
  return `${kind}${hex(seed % 0x10000000, 7)}-0000-4000-8000-${hex(index, 12)}`;
}

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export const iso = (ms: number): string => new Date(ms).toISOString();

/** ISO-8601 duration for a number of seconds, e.g. 1394 → PT23M14S. */
export function isoDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (s === 0) return 'PT0S';
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${sec ? `${sec}S` : ''}`;
}
