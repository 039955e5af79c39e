// Intune allows about 100 writes per 20 seconds per app per tenant ("Microsoft Graph service-specific
// throttling limits", Intune service limits: https://learn.microsoft.com/graph/throttling-limits). In Azure the
// writes run in the queue function, which Flex Consumption scales out on queue length (up to the app's
// maximumInstanceCount), so no one instance's limiter sees every write. The poll is the one place that knows
// them all: it spreads a run's writing commands over time so that no window holds more than the budget, whatever
// the number of instances that pick them up. Each instance's own limiter (GRAPH_WRITE_BUDGET) stays as the
// backstop, and a 429 that still happens is deferred to its Retry-After.
//
// Pacing spans polls: until a paced command runs, every poll plans it again under the same key. Scheduling each
// poll from its own time would run those commands early (a later poll's copy is due before the first message)
// and, when the span is longer than the poll interval, hand one window the writes of two polls. So the tenant's
// horizon (the last window handed out, how full it is, and which keys wait for a later time) is kept on the
// governor row: a poll fills windows only after those already handed out and does not send a waiting key again.

export interface WriteBudget {
  readonly max: number;
  readonly windowMs: number;
}

/** A writing command already scheduled for a later time (epoch ms), by idempotency key. */
export interface PacedKey {
  readonly key: string;
  readonly at: number;
}

/** What earlier polls handed out; stored on the tenant's governor row. */
export interface PacingHorizon {
  /** Start of the latest window handed out (epoch ms), or null. */
  readonly windowAt: number | null;
  /** Writes handed out in that window. */
  readonly used: number;
  /** Keys waiting for a later window, earliest first: at most MAX_LISTED_PACED_KEYS and MAX_PACED_KEY_CHARS. */
  readonly waiting: readonly PacedKey[];
}

export const NO_PACING: PacingHorizon = { windowAt: null, used: 0, waiting: [] };

/**
 * Bounds the row (one entity, 1 MiB, shared with the sync's pending reasons). A key left off is not lost: the
 * next poll that still plans it treats it as new and gives it a slot after the horizon, so a copy may be sent,
 * never earlier than the first message and never into a full window.
 */
export const MAX_LISTED_PACED_KEYS = 1_000;
/** Keys are derived from targets and unbounded in length: the list is also bounded in characters. */
export const MAX_PACED_KEY_CHARS = 200_000;

export interface PacingPlan {
  /** When each key to send may start (null: now). Keys of `keys` absent here wait for an earlier poll's message. */
  readonly startAt: ReadonlyMap<string, number | null>;
  /** The horizon to store before sending; null when it is unchanged (nothing to write). */
  readonly horizon: PacingHorizon | null;
}

/**
 * Schedules the writing commands `keys` (one queue message = one Graph write) after what earlier polls handed
 * out: the free slots of the latest window if it has not ended, then one window after another, `max` each. A
 * horizon whose window ended (stale) counts for nothing: the first `max` start at once, as on a first poll.
 */
export function paceAfter(
  keys: readonly string[],
  budget: WriteBudget,
  now: number,
  horizon: PacingHorizon,
): PacingPlan {
  const perWindow = Math.max(1, Math.floor(budget.max));
  const waiting = horizon.waiting.filter((w) => w.at > now);
  const waitingKeys = new Set(waiting.map((w) => w.key));
  const open = horizon.windowAt !== null && now < horizon.windowAt + budget.windowMs;
  let windowAt = open ? (horizon.windowAt ?? now) : now;
  let used = open ? horizon.used : 0;
  const startAt = new Map<string, number | null>();
  const added: PacedKey[] = [];
  for (const key of keys) {
    if (waitingKeys.has(key) || startAt.has(key)) continue;
    if (used >= perWindow) {
      windowAt += budget.windowMs;
      used = 0;
    }
    used += 1;
    const at = windowAt > now ? windowAt : null;
    startAt.set(key, at);
    if (at !== null) added.push({ key, at });
  }
  const next: PacingHorizon =
    startAt.size === 0
      ? { ...horizon, waiting }
      : {
          windowAt,
          used,
          waiting: listed([...waiting, ...added].sort((a, b) => a.at - b.at)),
        };
  return { startAt, horizon: sameHorizon(horizon, next) ? null : next };
}

/**
 * When each of `count` writes may start, counting from `now` with nothing handed out before: the first `max` at
 * once (null), the next `max` one window later, and so on.
 */
export function paceWrites(count: number, budget: WriteBudget, now: number): (number | null)[] {
  const keys = Array.from({ length: count }, (_, i) => String(i));
  const { startAt } = paceAfter(keys, budget, now, NO_PACING);
  return keys.map((k) => startAt.get(k) ?? null);
}

/** How long after the first of `count` paced writes the last may start (paceWrites' last time, from `now` = 0). */
export function pacingSpanMs(count: number, budget: WriteBudget): number {
  const perWindow = Math.max(1, Math.floor(budget.max));
  return count <= 0 ? 0 : Math.floor((count - 1) / perWindow) * budget.windowMs;
}

function listed(waiting: readonly PacedKey[]): PacedKey[] {
  const out: PacedKey[] = [];
  let chars = 0;
  for (const w of waiting) {
    chars += w.key.length;
    if (out.length >= MAX_LISTED_PACED_KEYS || chars > MAX_PACED_KEY_CHARS) break;
    out.push(w);
  }
  return out;
}

function sameHorizon(a: PacingHorizon, b: PacingHorizon): boolean {
  return (
    a.windowAt === b.windowAt &&
    a.used === b.used &&
    a.waiting.length === b.waiting.length &&
    a.waiting.every((w, i) => w.key === b.waiting[i]?.key && w.at === b.waiting[i]?.at)
  );
}
