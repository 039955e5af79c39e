import type { Clock } from '../../ports/index.js';

/** Milliseconds spent in each named phase of a run, one after another, for the run's closing log line. */
export class PhaseClock {
  private last: number;
  private readonly spent: Record<string, number> = {};

  constructor(
    private readonly clock: Clock,
    startedAt: number,
  ) {
    this.last = startedAt;
  }

  /** The phase named `name` ends now (it began where the previous one ended). */
  end(name: string): void {
    const now = this.clock.now();
    this.spent[name] = (this.spent[name] ?? 0) + Math.max(0, now - this.last);
    this.last = now;
  }

  get fields(): Readonly<Record<string, number>> {
    return { ...this.spent };
  }
}
