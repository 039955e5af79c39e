/**
 * The write limiter: Intune allows about 100 writes per 20 seconds per app per tenant, and the
 * product must stay under it. Off by default; when on, every POST/PATCH/PUT/DELETE (each $batch
 * item counts on its own) takes a slot, and a refused write gets 429 with Retry-After.
 */
export interface WriteLimit {
  max: number;
  windowMs: number;
  /** `sliding` (default): any `windowMs` span holds at most `max` writes. `fixed`: windows start at multiples of `windowMs`. */
  mode?: 'sliding' | 'fixed';
}

export class WriteLimiter {
  private stamps: number[] = [];

  constructor(private limit: WriteLimit | null) {}

  get current(): WriteLimit | null {
    return this.limit;
  }

  set(limit: WriteLimit | null): void {
    this.limit = limit;
    this.stamps = [];
  }

  /** Take a slot at `now`, or say how many seconds until one frees up. */
  acquire(now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const l = this.limit;
    if (!l) return { ok: true };
    const windowStart = l.mode === 'fixed' ? now - (now % l.windowMs) : now - l.windowMs;
    this.stamps = this.stamps.filter((t) => (l.mode === 'fixed' ? t >= windowStart : t > windowStart));
    if (this.stamps.length < l.max) {
      this.stamps.push(now);
      return { ok: true };
    }
    const freeAt = l.mode === 'fixed' ? windowStart + l.windowMs : (this.stamps[0] ?? now) + l.windowMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
  }
}

/** Parse `100/20000` (max/windowMs) as used on the command line. */
export function parseWriteLimit(text: string): WriteLimit {
  const m = /^(\d+)\/(\d+)(?:\/(sliding|fixed))?$/.exec(text.trim());
  if (!m) throw new Error(`write limit must look like 100/20000 (max/windowMs), got '${text}'`);
  return { max: Number(m[1]), windowMs: Number(m[2]), mode: (m[3] as 'sliding' | 'fixed' | undefined) ?? 'sliding' };
}
