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
  return `${guidPrefix(kind, seed)}${hex(index, 12)}`;
}

/** `${kind}${seed}-0000-4000-8000-`, the same for every object of a kind: built once per kind and seed. */
const PREFIXES = new Map<string, string>();
function guidPrefix(kind: string, seed: number): string {
  const k = `${kind}|${seed}`;
  let p = PREFIXES.get(k);
  if (p === undefined) {
    p = `${kind}${hex(seed % 0x10000000, 7)}-0000-4000-8000-`;
    if (PREFIXES.size < 1_000) PREFIXES.set(k, p);
  }
  return p;
}

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));
/** 9999-12-31T23:59:59.999Z: beyond it toISOString writes a six-digit year. */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** Date part (`YYYY-MM-DDT`) per day number: a fleet's timestamps fall on a few thousand days. */
const DAY_TEXT = new Map<number, string>();
const DAY_TEXT_MAX = 100_000;

function dayText(days: number): string {
  const hit = DAY_TEXT.get(days);
  if (hit !== undefined) return hit;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const text = `${year}-${pad2(month)}-${pad2(day)}T`;
  if (DAY_TEXT.size < DAY_TEXT_MAX) DAY_TEXT.set(days, text);
  return text;
}

/**
 * `new Date(ms).toISOString()`, computed with integer arithmetic (days to civil date, H. Hinnant's algorithm) for
 * the whole milliseconds of years 1970–9999: a generated device has several timestamps, and building a Date for each
 * was the simulator's largest cost when serving pages. Anything else goes to Date itself (same text, same errors).
 */
export function iso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR_MS) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const m = Math.floor(rest / MINUTE);
  rest -= m * MINUTE;
  const sec = Math.floor(rest / 1000);
  return `${dayText(days)}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${pad3(rest - sec * 1000)}Z`;
}

/** ISO-8601 duration for a number of seconds, e.g. 1394 → PT23M14S. */
export function isoDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (s === 0) return 'PT0S';
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${sec ? `${sec}S` : ''}`;
}
