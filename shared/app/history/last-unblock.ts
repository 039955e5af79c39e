import type { HistoryRecord } from '../../ports/index.js';
import { latest } from './past-attempts.js';
import type { OutcomeReader } from './subject-outcomes.js';

// When a device was last unblocked, from its unblock outcomes in history: the unblock gate needs it in the poll
// (poll/subject-history.ts) and again in the worker before the write (remediation/handlers/allow-next-enrollment.ts),
// so that one 0x80180014 failure answers one unblock.

/** Outcomes after which the device was unblocked (by us, or found already unblocked when we looked). */
const UNBLOCKED = new Set(['succeeded', 'already-done', 'unverified']);

/** The device's last unblock as the poll's gate dates it (SubjectHistory.lastUnblockAt), for the worker's re-check. */
export async function lastUnblockAt(outcomes: OutcomeReader, subjectKey: string): Promise<number | null> {
  return lastUnblockOf(await outcomes(subjectKey, 'allow-next-enrollment'));
}

/** The last unblock among a device's enforce-mode unblock outcomes (subject-outcomes.ts enforceOutcomes). */
export function lastUnblockOf(outcomes: readonly HistoryRecord[]): number | null {
  return latest(
    outcomes.filter((h) => UNBLOCKED.has(h.status)),
    null,
  );
}
