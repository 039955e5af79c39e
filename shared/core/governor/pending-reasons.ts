// The reasons (finding fingerprints) waiting for a tenant's next Autopilot sync, as the governor row and the sync
// command carry them. A tenant can have tens of thousands (every device whose import or profile assignment waits for
// the service), but one sync answers them all, so what must never be lost is THAT reasons wait and which sync covers
// them, not every fingerprint. Both carriers have hard limits:
// - the governor row is one Table Storage entity: at most 1 MiB, a string property at most 64 KiB, at most 252
//   properties ("Understanding the Table service data model",
//   https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model);
// - the sync command is one Service Bus message: at most 256 KB on the Standard tier ("Service Bus quotas",
//   https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas), and the worker's message checks
//   accept at most 10,000 reasons.
// So at most MAX_LISTED_SYNC_REASONS fingerprints are listed (the smallest, a stable sample); the others are kept as a
// count and the newest time they were planned. Any sync that started at or after a reason was planned answers it.
// A queue message proves nothing, and a forged sync command may carry any text as its reasons (Markdown, HTML,
// newlines, strings longer than a property): only a reason shaped like a fingerprint is listed, any other is counted.

/** 1,000 fingerprints of 16 hex digits: about 19 KB of JSON, one property part, a small fraction of a message. */
export const MAX_LISTED_SYNC_REASONS = 1_000;

export interface UnlistedReasons {
  /** At least this many more reasons wait (the same reason parked twice is not counted twice). */
  readonly count: number;
  /** The newest plan time (epoch ms) among them: a sync started at or after it answers them all. */
  readonly plannedAt: number;
}

export interface PendingSyncReasons {
  /** Sorted, at most MAX_LISTED_SYNC_REASONS. */
  readonly pendingReasons: readonly string[];
  readonly unlisted: UnlistedReasons | null;
}

/**
 * Shaped like a reason the poll sends (a finding fingerprint: 16 hex digits; tests and older rows use short ids such
 * as `fp-SN-1`): at most 64 characters, letters, digits, `.`, `:` and `-`, starting with a letter or digit.
 */
const LISTABLE = /^[0-9A-Za-z][0-9A-Za-z.:-]{0,63}$/;

/** The reasons a sync command lists: distinct, sorted, at most MAX_LISTED_SYNC_REASONS. */
export function listedReasons(reasons: readonly string[]): string[] {
  return [...new Set(reasons)].sort().slice(0, MAX_LISTED_SYNC_REASONS);
}

/** Park `reasons`, planned at `plannedAt`, with those already waiting. */
export function parkReasons(
  current: PendingSyncReasons,
  reasons: readonly string[],
  plannedAt: number,
): PendingSyncReasons {
  // A row written before reasons were checked may list any text too: it is counted from now on.
  const distinct = [...new Set([...current.pendingReasons, ...reasons])];
  const all = distinct.filter((r) => LISTABLE.test(r)).sort();
  const dropped = Math.max(0, all.length - MAX_LISTED_SYNC_REASONS) + (distinct.length - all.length);
  if (dropped <= 0) return { pendingReasons: all, unlisted: current.unlisted };
  const before = current.unlisted;
  return {
    pendingReasons: all.slice(0, MAX_LISTED_SYNC_REASONS),
    unlisted: {
      count: Math.max(before?.count ?? 0, dropped),
      plannedAt: Math.max(before?.plannedAt ?? plannedAt, plannedAt),
    },
  };
}

/** What still waits after a sync that started at `syncStartedAt` and answered the listed reasons in `covered`. */
export function coverReasons(
  current: PendingSyncReasons,
  covered: ReadonlySet<string>,
  syncStartedAt: number,
): PendingSyncReasons {
  return {
    pendingReasons: current.pendingReasons.filter((r) => !covered.has(r)),
    unlisted: current.unlisted !== null && current.unlisted.plannedAt <= syncStartedAt ? null : current.unlisted,
  };
}

export function hasPendingReasons(p: PendingSyncReasons): boolean {
  return p.pendingReasons.length > 0 || p.unlisted !== null;
}

/** How many reasons wait (at least). */
export function pendingReasonCount(p: PendingSyncReasons): number {
  return p.pendingReasons.length + (p.unlisted?.count ?? 0);
}

export function sameReasons(a: PendingSyncReasons, b: PendingSyncReasons): boolean {
  return (
    a.pendingReasons.length === b.pendingReasons.length &&
    a.pendingReasons.every((r, i) => r === b.pendingReasons[i]) &&
    a.unlisted?.count === b.unlisted?.count &&
    a.unlisted?.plannedAt === b.unlisted?.plannedAt
  );
}
