// Intune allows about 100 writes per 20 seconds per app per tenant ("Microsoft Graph service-specific
// throttling limits", Intune service limits: https://learn.microsoft.com/graph/throttling-limits). In Azure the
// writes run in the queue function, which Flex Consumption scales out on queue length (up to the app's
// maximumInstanceCount), so no one instance's limiter sees every write. The poll is the one place that knows
// them all: it spreads a run's writing commands over time so that no window holds more than the budget, whatever
// the number of instances that pick them up. Each instance's own limiter (GRAPH_WRITE_BUDGET) stays as the
// backstop, and a 429 that still happens is deferred to its Retry-After.

export interface WriteBudget {
  readonly max: number;
  readonly windowMs: number;
}

/**
 * When each of `count` writes (one queue message = one Graph write) may start, counting from `now`: the first
 * `max` at once (null), the next `max` one window later, and so on.
 */
export function paceWrites(count: number, budget: WriteBudget, now: number): (number | null)[] {
  const perWindow = Math.max(1, Math.floor(budget.max));
  return Array.from({ length: count }, (_, i) => {
    const window = Math.floor(i / perWindow);
    return window === 0 ? null : now + window * budget.windowMs;
  });
}

/** How long after the first of `count` paced writes the last may start (paceWrites' last time, from `now` = 0). */
export function pacingSpanMs(count: number, budget: WriteBudget): number {
  const perWindow = Math.max(1, Math.floor(budget.max));
  return count <= 0 ? 0 : Math.floor((count - 1) / perWindow) * budget.windowMs;
}
