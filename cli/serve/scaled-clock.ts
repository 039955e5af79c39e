/**
 * The app's clock under `serve --speed N`: N seconds pass for every real second, from the moment serve started.
 * The embedded tenant's clock is kept on it, so timers, sync windows, cooldowns and the tenant's own timers agree.
 */
export interface ScaledClock {
  readonly speed: number;
  now(): number;
  /** Real milliseconds until `at` on this clock (never negative). */
  realDelayUntil(at: number): number;
}

export function scaledClock(speed: number, realNow: () => number = Date.now): ScaledClock {
  const start = realNow();
  return {
    speed,
    now: () => start + (realNow() - start) * speed,
    realDelayUntil(at) {
      return Math.max(0, (at - (start + (realNow() - start) * speed)) / speed);
    },
  };
}
