import type { Outcome, OutcomeStatus, RemediationCommand } from '../../core/model/index.js';
import { ensureError } from '../../ports/index.js';
import { describeWrite, recordAttempt } from './attempt.js';
import type { RemediationDeps } from './deps.js';
import { claimCommand, finish, onFailure, type Phase } from './lifecycle.js';
import { makeOutcome, type OutcomeRow, subjectKeysOf } from './record.js';
import type { TargetHandler, Verdict, Verified, WriteDone } from './handlers/types.js';

// claim → pre-check (fresh read) → attempt row → act (enforce only) → verify (re-read) → record + complete.

export async function executeTargeted(command: RemediationCommand, handler: TargetHandler, deps: RemediationDeps, modeNote = ''): Promise<Outcome> {
  const gate = await claimCommand(command, deps);
  if (gate.kind === 'stop') return gate.outcome;
  const { claim, tookOver } = gate;

  let verdict: Verdict;
  try {
    verdict = await handler.precheck();
  } catch (err) {
    return onFailure(err, deps, command, claim, 'pre-check');
  }

  if (verdict.kind !== 'act') {
    // After a take-over, "already in the desired state" is most likely our own interrupted write: report it as
    // done rather than as "no longer applies".
    const status: OutcomeStatus =
      verdict.kind === 'refuse' ? 'refused' : verdict.kind === 'clear' && tookOver ? 'already-done' : 'no-longer-applies';
    const detail = status === 'already-done' ? `${verdict.detail} (found on re-read after taking over an interrupted attempt; not written again)` : verdict.detail;
    const outcome = makeOutcome(status, `${detail}${modeNote}`, { before: verdict.before, after: verdict.before });
    return finish(deps, command, claim, outcome, rows(command, outcome, null));
  }

  const write = handler.write(verdict.work);
  if (command.mode !== 'enforce') {
    const outcome = makeOutcome('planned', `plan mode${modeNote}, nothing written: would ${describeWrite(write)}`, { before: verdict.before });
    return finish(deps, command, claim, outcome, rows(command, outcome, verdict.work));
  }

  let written: WriteDone;
  let phase: Phase = 'record-attempt';
  try {
    await recordAttempt(deps, command, claim, write, attemptSubjects(command, verdict.work));
    phase = 'act';
    written = await handler.act(verdict.work);
  } catch (err) {
    return onFailure(err, deps, command, claim, phase);
  }

  let verified: Verified | null = null;
  let note = 'verified by re-reading';
  try {
    verified = await handler.verify();
  } catch (err) {
    // The write was accepted; a failed verification read must not turn it into a retry here (which would write
    // again at once). Where proof is required the outcome is 'unverified' and a later poll decides.
    note = `verification read failed: ${ensureError(err).message}`;
  }
  const failures = [...written.failed.entries()];
  const unproven = verified === null ? handler.proofRequired : verified.proven === false && !written.alreadyDone;
  if (unproven && verified !== null) note = 'the re-read does not show the change yet';
  const status: OutcomeStatus = failures.length > 0 ? 'failed-permanent' : unproven ? 'unverified' : written.alreadyDone ? 'already-done' : 'succeeded';
  const what =
    failures.length > 0
      ? `${failures.length} of ${verdict.work.length} refused by Graph (${failures.map(([id, f]) => `${id}: ${f.message}`).join('; ')})`
      : written.alreadyDone
        ? 'Graph reported it already done'
        : 'written';
  const outcome = makeOutcome(status, `${describeWrite(write)}: ${what}; ${note}`, {
    before: verdict.before,
    after: verified?.state ?? null,
    graphRequestId: written.requestId,
  });
  return finish(deps, command, claim, outcome, rows(command, outcome, verdict.work, written));
}

/** The attempt row goes to the partitions of the subjects actually written (for a member batch: the missing ones). */
function attemptSubjects(command: RemediationCommand, work: readonly string[]): string[] {
  const target = command.target;
  const keys = subjectKeysOf(target);
  if (target.action !== 'add-to-device-prep-group') return keys;
  return target.members.flatMap((m, i) => (work.includes(m.objectId) ? [keys[i] ?? m.objectId] : []));
}

/**
 * One history row per subject. For a member batch, members that needed no write get their own wording, and
 * each row carries only that member's before/after.
 */
function rows(command: RemediationCommand, outcome: Outcome, work: readonly string[] | null, written?: WriteDone): OutcomeRow[] {
  const target = command.target;
  if (target.action !== 'add-to-device-prep-group') return subjectKeysOf(target).map((subjectKey) => ({ subjectKey, outcome }));
  const memberState = (state: Record<string, unknown> | null, id: string): Record<string, unknown> | null => {
    const members = state?.members;
    if (members === null || typeof members !== 'object') return state;
    return { groupId: target.groupId, member: (members as Record<string, unknown>)[id] ?? null };
  };
  const keys = subjectKeysOf(target);
  return target.members.map((m, i) => {
    const failure = written?.failed.get(m.objectId);
    const skipped = work !== null && !work.includes(m.objectId);
    const own: Outcome = skipped
      ? { ...outcome, status: 'no-longer-applies', detail: 'already a member before this write; not written' }
      : failure !== undefined
        ? { ...outcome, status: 'failed-permanent', detail: `Graph refused this member: ${failure.message}`, graphRequestId: failure.requestId }
        : written !== undefined
          ? { ...outcome, status: written.items.get(m.objectId) === true ? 'already-done' : 'succeeded' }
          : outcome;
    return {
      subjectKey: keys[i] ?? m.objectId,
      part: m.objectId,
      outcome: { ...own, before: memberState(outcome.before, m.objectId), after: memberState(outcome.after, m.objectId) },
    };
  });
}
