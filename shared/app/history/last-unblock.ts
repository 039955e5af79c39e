import type { HistoryQuery, HistoryRecord, HistoryStore, Page } from '../../ports/index.js';
import { latest } from './past-attempts.js';

// When a device was last unblocked, from its unblock outcomes in history: the unblock gate needs it in the poll
// (poll/subject-history.ts) and again in the worker before the write (remediation/handlers/allow-next-enrollment.ts),
// so that one 0x80180014 failure answers one unblock.

/** Outcomes after which the device was unblocked (by us, or found already unblocked when we looked). */
const UNBLOCKED = new Set(['succeeded', 'already-done', 'unverified']);
/** Enough for any device: the per-device daily limit keeps unblock outcomes to a handful a day. */
const UNBLOCK_HISTORY_ROWS = 200;

export type HistoryQueryFn = (q: HistoryQuery) => Promise<Page<HistoryRecord>>;

/** The device's enforce-mode unblock outcomes. No time bound: the last unblock may be older than a day, and the failure must be newer than it. */
export async function unblockOutcomes(query: HistoryQueryFn, subjectKey: string): Promise<HistoryRecord[]> {
  const action = 'allow-next-enrollment';
  const page = await query({ subjectKey, type: 'outcome', action, limit: UNBLOCK_HISTORY_ROWS });
  return page.items.filter((h) => h.mode === 'enforce' && h.action === action);
}

/** The device's last unblock as the poll's gate dates it (SubjectHistory.lastUnblockAt), for the worker's re-check. */
export async function lastUnblockAt(history: HistoryStore, subjectKey: string): Promise<number | null> {
  return lastUnblockOf(await unblockOutcomes((q) => history.query(q), subjectKey));
}

export function lastUnblockOf(outcomes: readonly HistoryRecord[]): number | null {
  return latest(
    outcomes.filter((h) => UNBLOCKED.has(h.status)),
    null,
  );
}
