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

/**
 * A clock that reads `appStart` at real time `realStart` and runs `speed` times faster from there. appStart may be
 * ahead of real time: a data folder's app clock resumes where the last run left it, so its time never runs backwards.
 */
export function scaledClock(
  speed: number,
  origin: { readonly realStart?: number; readonly appStart?: number } = {},
  realNow: () => number = Date.now,
): ScaledClock {
  const realStart = origin.realStart ?? realNow();
  const appStart = origin.appStart ?? realStart;
  const now = () => appStart + (realNow() - realStart) * speed;
  return {
    speed,
    now,
    realDelayUntil: (at) => Math.max(0, (at - now()) / speed),
  };
}
