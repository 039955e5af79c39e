// Sliding-window write limiter. Intune allows 100 POST/PUT/PATCH/DELETE per 20 s per app per tenant
// (https://learn.microsoft.com/graph/throttling-limits#intune-service-limits); a remediation burst that
// exceeds it gets 429s that may or may not have applied. We stay under it by delaying writes, never
// dropping them. A $batch would count each item as one write (Graph throttles batch items individually).
//
// The service counts a write when it ARRIVES, which we can't observe; we only know it arrived between
// sending and getting the answer. So a write holds its slot from send until `windowMs` after its
// response: the next write that reuses the slot then arrives strictly more than `windowMs` after it.

export interface WriteBudgetSettings {
  readonly max: number;
  readonly windowMs: number;
}

/** Call when the write's response (or failure) is in. */
export type Release = () => void;

export interface WriteLimiter {
  /** Resolves when `units` writes may be sent now. */
  acquire(units?: number): Promise<Release>;
}

/**
 * How long until one more write fits, given the end times of earlier writes (Infinity = still in
 * flight). A write that ended at s occupies the window until s + windowMs. Infinity: wait for a release.
 */
export function delayUntilSlot(ends: readonly number[], nowMs: number, settings: WriteBudgetSettings): number {
  const live = ends.filter((s) => s > nowMs - settings.windowMs).sort((a, b) => a - b);
  if (live.length < settings.max) return 0;
  const blocker = live[live.length - settings.max] ?? nowMs;
  return Math.max(1, blocker + settings.windowMs - nowMs);
}

interface Slot {
  end: number;
}

export class SlidingWindowBudget implements WriteLimiter {
  private slots: Slot[] = [];
  private waiters: (() => void)[] = [];
  // Acquisitions are served one after another (FIFO), so concurrent writers can't both see a free slot.
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: WriteBudgetSettings,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    if (!(settings.max >= 1) || !(settings.windowMs > 0))
      throw new RangeError('write budget needs max ≥ 1 and windowMs > 0');
  }

  acquire(units = 1): Promise<Release> {
    // Slots held in flight are only freed by their release, so more units than the budget could never fit.
    if (!(units >= 1 && units <= this.settings.max)) {
      return Promise.reject(new RangeError(`cannot acquire ${units} writes from a budget of ${this.settings.max}`));
    }
    const turn = this.tail.then(() => this.take(units));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(units: number): Promise<Release> {
    const mine: Slot[] = [];
    for (let i = 0; i < units; i++) {
      for (;;) {
        const t = this.now();
        this.slots = this.slots.filter((s) => s.end > t - this.settings.windowMs);
        const wait = delayUntilSlot(
          this.slots.map((s) => s.end),
          t,
          this.settings,
        );
        if (wait === 0) {
          const slot = { end: Number.POSITIVE_INFINITY };
          this.slots.push(slot);
          mine.push(slot);
          break;
        }
        if (Number.isFinite(wait)) await this.sleep(wait);
        else await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    }
    return () => {
      const t = this.now();
      for (const s of mine) s.end = Math.min(s.end, t);
      for (const wake of this.waiters.splice(0)) wake();
    };
  }
}

/** For callers that opt out (tests of read paths). */
export const UNLIMITED: WriteLimiter = { acquire: () => Promise.resolve(() => undefined) };
