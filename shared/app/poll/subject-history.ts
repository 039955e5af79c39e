import type { ActionName, Finding } from '../../core/model/index.js';
import { DAY_MS, NO_HISTORY, type SubjectHistory } from '../../core/policy/index.js';
import type { FindingRecord, HistoryQuery, HistoryRecord, HistoryStore, Page } from '../../ports/index.js';
import { mapLimited } from './map-limited.js';

// What the policy needs to know about earlier attempts. Only subjects with recorded attempts (or an unblock
// the gate must date) cost a history query, so a poll over thousands of healthy findings stays cheap; the queries
// of one run go out a few at a time, and two findings of one subject share theirs (subjectHistories).

const COUNTED = new Set([
  'succeeded',
  'already-done',
  'no-longer-applies',
  'refused',
  'failed-permanent',
  'failed-transient',
  'unverified',
]);
/** Outcomes after which the device was unblocked (by us, or found already unblocked when we looked). */
const UNBLOCKED = new Set(['succeeded', 'already-done', 'unverified']);
/** Enough for any device: the per-device daily limit keeps unblock outcomes to a handful a day. */
const UNBLOCK_HISTORY_ROWS = 200;

type Query = (q: HistoryQuery) => Promise<Page<HistoryRecord>>;

export async function subjectHistory(
  history: HistoryStore | Query,
  finding: Finding,
  record: FindingRecord | null,
  now: number,
  opts: { readonly needsLastUnblock?: boolean } = {},
): Promise<SubjectHistory> {
  const query: Query = typeof history === 'function' ? history : (q) => history.query(q);
  const findingPart =
    record === null
      ? null
      : { attempts: record.attempts, lastAttemptAt: record.lastAttemptAt, firstSeenAt: record.firstSeenAt };
  const action = finding.remedy?.action;
  if (opts.needsLastUnblock === true && action === 'allow-next-enrollment') {
    const mine = await unblockOutcomes(query, finding.subject.key);
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

/** The device's enforce-mode unblock outcomes. No time bound: the last unblock may be older than a day, and the failure must be newer than it. */
async function unblockOutcomes(query: Query, subjectKey: string): Promise<HistoryRecord[]> {
  const action = 'allow-next-enrollment';
  const page = await query({ subjectKey, type: 'outcome', action, limit: UNBLOCK_HISTORY_ROWS });
  return page.items.filter((h) => h.mode === 'enforce' && h.action === action);
}

/** The device's last unblock as the poll's gate dates it (SubjectHistory.lastUnblockAt), for the worker's re-check. */
export async function lastUnblockAt(history: HistoryStore, subjectKey: string): Promise<number | null> {
  return lastUnblockOf(await unblockOutcomes((q) => history.query(q), subjectKey));
}

function lastUnblockOf(outcomes: readonly HistoryRecord[]): number | null {
  return latest(
    outcomes.filter((h) => UNBLOCKED.has(h.status)),
    null,
  );
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
  const query: Query = (q) => {
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

function latest(rows: readonly HistoryRecord[], floor: number | null): number | null {
  return rows.reduce<number | null>((max, h) => (max === null || h.at > max ? h.at : max), floor);
}

function attemptsOf(
  rows: readonly HistoryRecord[],
  record: FindingRecord | null,
  now: number,
): Pick<SubjectHistory, 'attemptsLast24h' | 'lastAttemptAt'> {
  const attempts = rows.filter((h) => COUNTED.has(h.status) && h.at >= now - DAY_MS);
  return { attemptsLast24h: attempts.length, lastAttemptAt: latest(attempts, record?.lastAttemptAt ?? null) };
}

/**
 * One subject's attempts of one action as the poll counts them, for the worker's re-check of the limits before it
 * writes (core attemptLimit). Read from history alone, back as far as the cooldown reaches (it may be longer than a
 * day). The command's own rows are left out: its redelivery after a transient failure, or its re-send after a
 * throttled write, is the same attempt carried on, not another one.
 */
export async function otherAttempts(
  history: HistoryStore,
  subjectKey: string,
  action: ActionName,
  now: number,
  cooldownMs: number,
  ownKey: string,
): Promise<SubjectHistory> {
  const page = await history.query({
    subjectKey,
    type: 'outcome',
    action,
    since: now - Math.max(DAY_MS, cooldownMs),
    limit: 200,
  });
  const rows = page.items.filter(
    (h) => h.mode === 'enforce' && h.action === action && h.idempotencyKey !== ownKey && COUNTED.has(h.status),
  );
  return {
    attemptsLast24h: rows.filter((h) => h.at >= now - DAY_MS).length,
    lastAttemptAt: latest(rows, null),
    finding: null,
  };
}

/** How many Autopilot syncs one look-up reads at most (the service allows one per 10 minutes: 144 a day). */
const SYNC_HISTORY_ROWS = 500;

/**
 * When the Autopilot syncs this product triggered in the last 24 h happened: the tenant partition's enforce
 * outcomes of autopilot-sync that the service accepted (204). One query per run, whatever the number of reasons.
 */
export async function recentSyncTimes(history: HistoryStore, now: number): Promise<number[]> {
  const page = await history.query({
    subjectKey: 'tenant',
    type: 'outcome',
    action: 'autopilot-sync',
    status: 'succeeded',
    since: now - DAY_MS,
    limit: SYNC_HISTORY_ROWS,
  });
  return page.items
    .filter((h) => h.mode === 'enforce' && h.action === 'autopilot-sync' && h.status === 'succeeded')
    .map((h) => h.at);
}
