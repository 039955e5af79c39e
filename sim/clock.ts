/**
 * The simulator's own clock: real time plus a controllable offset.
 * Tests move it forward to open the 10-minute sync window or finish a sync without sleeping;
 * because the offset is added to real time, a running benchmark still sees time pass.
 */
export class SimClock {
  private offsetMs = 0;

  constructor(start?: Date) {
    if (start) this.set(start);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  iso(): string {
    return this.now().toISOString();
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`clock.advance needs a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
  }

  set(date: Date): void {
    const t = date.getTime();
    if (Number.isNaN(t)) throw new Error('clock.set needs a valid date');
    this.offsetMs = t - Date.now();
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^now((?:[+-]\d+(?:\.\d+)?(?:ms|s|m|h|d|w))*)$/;
const TERM = /([+-])(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** True when the string is a relative time such as `now`, `now-3m`, `now-1d+2h`. */
export function isRelativeTime(value: string): boolean {
  return RELATIVE.test(value);
}

/** Resolve `now-170d` style strings against `nowMs`; anything else is returned unchanged (ISO passes through). */
export function resolveTime(value: string, nowMs: number): string {
  const m = RELATIVE.exec(value);
  if (!m) return value;
  let t = nowMs;
  for (const term of (m[1] ?? '').matchAll(TERM)) {
    const amount = Number(term[2]) * (UNIT_MS[term[3] ?? 'ms'] ?? 1);
    t += term[1] === '-' ? -amount : amount;
  }
  return new Date(Math.round(t)).toISOString();
}

/** Walk a parsed JSON value and resolve every relative-time string in it. */
export function resolveTimesDeep(value: unknown, nowMs: number): unknown {
  if (typeof value === 'string') return resolveTime(value, nowMs);
  if (Array.isArray(value)) return value.map((v) => resolveTimesDeep(v, nowMs));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveTimesDeep(v, nowMs);
    return out;
  }
  return value;
}

/** Graph's "no value" for non-nullable timestamps. */
export const NEVER = '0001-01-01T00:00:00Z';
