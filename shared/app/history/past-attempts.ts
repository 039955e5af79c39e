import type { ActionName } from '../../core/model/index.js';
import { DAY_MS, type SubjectHistory } from '../../core/policy/index.js';
import type { HistoryRecord } from '../../ports/index.js';
import type { OutcomeReader } from './subject-outcomes.js';

// Earlier attempts of an action on one subject, as history holds them: the poll counts them to plan within the
// per-subject limits (poll/subject-history.ts), and the worker counts them again before it writes (remediation/limits.ts).

/** Outcomes that were an attempt, whatever came of it (a plan, a deferral or a duplicate wrote nothing). */
export const COUNTED: ReadonlySet<string> = new Set([
  'succeeded',
  'already-done',
  'no-longer-applies',
  'refused',
  'failed-permanent',
  'failed-transient',
  'unverified',
]);

/** The newest `at` of `rows`, or `floor` when it is newer (or there are no rows). */
export function latest(rows: readonly HistoryRecord[], floor: number | null): number | null {
  return rows.reduce<number | null>((max, h) => (max === null || h.at > max ? h.at : max), floor);
}

/**
 * One subject's attempts of one action as the poll counts them, for the worker's re-check of the limits before it
 * writes (core attemptLimit). Read from history alone, back as far as the cooldown reaches (it may be longer than a
 * day): the reader's newest rows hold every row that recent. The command's own rows are left out: its redelivery
 * after a transient failure, or its re-send after a throttled write, is the same attempt carried on, not another one.
 */
export async function otherAttempts(
  outcomes: OutcomeReader,
  subjectKey: string,
  action: ActionName,
  now: number,
  cooldownMs: number,
  ownKey: string,
): Promise<SubjectHistory> {
  const since = now - Math.max(DAY_MS, cooldownMs);
  const rows = (await outcomes(subjectKey, action)).filter(
    (h) => h.at >= since && h.idempotencyKey !== ownKey && COUNTED.has(h.status),
  );
  return {
    attemptsLast24h: rows.filter((h) => h.at >= now - DAY_MS).length,
    lastAttemptAt: latest(rows, null),
    finding: null,
  };
}
