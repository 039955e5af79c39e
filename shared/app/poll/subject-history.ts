import type { Finding } from '../../core/model/index.js';
import { DAY_MS, NO_HISTORY, type SubjectHistory } from '../../core/policy/index.js';
import type { FindingRecord, HistoryRecord, HistoryStore, Page } from '../../ports/index.js';
import { lastUnblockOf } from '../history/last-unblock.js';
import { COUNTED, latest } from '../history/past-attempts.js';
import { enforceOutcomes, type HistoryQueryFn } from '../history/subject-outcomes.js';
import { mapLimited } from '../map-limited.js';

// What the policy needs to know about earlier attempts. Only subjects with recorded attempts (or an unblock
// the gate must date) cost a history query, so a poll over thousands of healthy findings stays cheap; the queries
// of one run go out a few at a time, and two findings of one subject share theirs (subjectHistories).

export async function subjectHistory(
  history: HistoryStore | HistoryQueryFn,
  finding: Finding,
  record: FindingRecord | null,
  now: number,
  opts: { readonly needsLastUnblock?: boolean } = {},
): Promise<SubjectHistory> {
  const query: HistoryQueryFn = typeof history === 'function' ? history : (q) => history.query(q);
  const findingPart =
    record === null
      ? null
      : { attempts: record.attempts, lastAttemptAt: record.lastAttemptAt, firstSeenAt: record.firstSeenAt };
  const action = finding.remedy?.action;
  if (opts.needsLastUnblock === true && action === 'allow-next-enrollment') {
    const mine = await enforceOutcomes(query, finding.subject.key, action);
    return { ...attemptsOf(mine, record, now), finding: findingPart, lastUnblockAt: lastUnblockOf(mine) };
  }
  if (record === null) return NO_HISTORY;
  if (finding.remedy === null || record.attempts === 0)
    return { attemptsLast24h: 0, lastAttemptAt: record.lastAttemptAt, finding: findingPart };
  const page = await query({ subjectKey: finding.subject.key, type: 'outcome', since: now - DAY_MS, limit: 200 });
  return {
    ...attemptsOf(
      page.items.filter((h) => h.mode === 'enforce' && h.action === action),
      record,
      now,
    ),
    finding: findingPart,
  };
}

export interface HistoryNeed {
  readonly finding: Finding;
  readonly record: FindingRecord | null;
  readonly needsLastUnblock: boolean;
}

/** History queries in flight at once for one run: enough to overlap round trips, few enough for Table Storage. */
const HISTORY_CONCURRENCY = 8;

/**
 * subjectHistory for every finding of a run, in input order: identical queries (two findings of one subject) are
 * made once, and at most HISTORY_CONCURRENCY run at a time instead of one after another.
 */
export async function subjectHistories(
  history: HistoryStore,
  needs: readonly HistoryNeed[],
  now: number,
): Promise<SubjectHistory[]> {
  const pages = new Map<string, Promise<Page<HistoryRecord>>>();
  const query: HistoryQueryFn = (q) => {
    const key = JSON.stringify(q);
    let page = pages.get(key);
    if (page === undefined) {
      page = history.query(q);
      pages.set(key, page);
    }
    return page;
  };
  return mapLimited(needs, HISTORY_CONCURRENCY, (n) =>
    subjectHistory(query, n.finding, n.record, now, { needsLastUnblock: n.needsLastUnblock }),
  );
}

function attemptsOf(
  rows: readonly HistoryRecord[],
  record: FindingRecord | null,
  now: number,
): Pick<SubjectHistory, 'attemptsLast24h' | 'lastAttemptAt'> {
  const attempts = rows.filter((h) => COUNTED.has(h.status) && h.at >= now - DAY_MS);
  return { attemptsLast24h: attempts.length, lastAttemptAt: latest(attempts, record?.lastAttemptAt ?? null) };
}
