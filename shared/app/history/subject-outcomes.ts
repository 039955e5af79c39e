import type { ActionName } from '../../core/model/index.js';
import type { HistoryQuery, HistoryRecord, HistoryStore, Page } from '../../ports/index.js';

// A subject's enforce-mode outcomes of one action: the rows the per-subject limits count (past-attempts.ts) and the
// unblock gate dates its last unblock from (last-unblock.ts). Before an unblock write the worker needs both, so one
// command reads them through one OutcomeReader, which asks storage once per subject and action.

export type HistoryQueryFn = (q: HistoryQuery) => Promise<Page<HistoryRecord>>;

/**
 * Rows read at most. Enough for any subject: the per-device daily limit keeps a device's outcomes of one action to a
 * handful a day, and the newest rows come first, so a check reaching back a bounded time sees every row in it.
 */
const OUTCOME_ROWS = 200;

/**
 * The subject's enforce-mode outcomes of `action`, newest first. No time bound: the last unblock may be older than a
 * day (the failure must be newer than it); a caller counting recent attempts filters by time itself.
 */
export async function enforceOutcomes(
  query: HistoryQueryFn,
  subjectKey: string,
  action: ActionName,
): Promise<HistoryRecord[]> {
  const page = await query({ subjectKey, type: 'outcome', action, limit: OUTCOME_ROWS });
  return page.items.filter((h) => h.mode === 'enforce' && h.action === action);
}

/** enforceOutcomes of a subject and action; each read once for as long as the reader lives. */
export type OutcomeReader = (subjectKey: string, action: ActionName) => Promise<readonly HistoryRecord[]>;

/**
 * A reader for one command: its checks see the subject's rows as they were when the first of them asked, and the
 * command costs one query per subject and action. Not to be kept longer: a later command must see later outcomes.
 */
export function outcomeReader(history: Pick<HistoryStore, 'query'>): OutcomeReader {
  const reads = new Map<string, Promise<readonly HistoryRecord[]>>();
  return (subjectKey, action) => {
    const key = `${subjectKey}\u0000${action}`;
    let read = reads.get(key);
    if (read === undefined) {
      read = enforceOutcomes((q) => history.query(q), subjectKey, action);
      reads.set(key, read);
    }
    return read;
  };
}
