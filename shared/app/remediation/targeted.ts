import type { Outcome, OutcomeStatus, RemediationCommand } from '../../core/model/index.js';
import { ensureError } from '../../ports/index.js';
import { outcomeReader, type OutcomeReader } from '../history/subject-outcomes.js';
import { describeWrite, recordAttempt } from './attempt.js';
import type { RemediationDeps } from './deps.js';
import { claimCommand, finish, onFailure, type Phase } from './lifecycle.js';
import { limitProblem } from './limits.js';
import { makeOutcome, type OutcomeRow, subjectKeysOf } from './record.js';
import type { TargetHandler, TargetItems, Verdict, Verified, WriteDone } from './handlers/types.js';

// claim → pre-check (fresh read, then the per-subject limits) → attempt row → act (enforce only) → verify (re-read) → record + complete.

/** `outcomes` is the command's history reader, the one its handler was given (execute.ts). */
export async function executeTargeted(
  command: RemediationCommand,
  handler: TargetHandler,
  deps: RemediationDeps,
  modeNote = '',
  outcomes: OutcomeReader = outcomeReader(deps.history),
): Promise<Outcome> {
  const gate = await claimCommand(command, deps, outcomes);
  if (gate.kind === 'stop') return gate.outcome;
  const { claim, tookOver } = gate;

  let verdict: Verdict;
  try {
    verdict = await handler.precheck();
    // The limits only where a write would follow: as in the poll, a target that no longer needs one or must not get
    // one is reported as such rather than as cooling down.
    if (verdict.kind === 'act') {
      const limited = await limitProblem(command, attemptSubjects(command, handler, verdict.work), deps, outcomes);
      if (limited !== null) verdict = { kind: 'refuse', before: verdict.before, detail: limited };
    }
  } catch (err) {
    return onFailure(err, deps, command, claim, 'pre-check');
  }

  // A destructive pre-check refuses a target that is already gone ("state changed since the proposal"). After a
  // take-over that is most likely our own write, made before storage failed to record its outcome: the re-read
  // decides, so history and the approval request say the record was deleted, not "refused; not written".
  if (tookOver && verdict.kind === 'refuse' && (await provenDone(handler))) {
    verdict = { kind: 'clear', before: verdict.before, detail: verdict.detail.replace(/; not written$/, '') };
  }

  if (verdict.kind !== 'act') {
    // After a take-over, "already in the desired state" is most likely our own interrupted write: report it as
    // done rather than as "no longer applies".
    const status: OutcomeStatus =
      verdict.kind === 'refuse'
        ? 'refused'
        : verdict.kind === 'clear' && tookOver
          ? 'already-done'
          : 'no-longer-applies';
    const detail =
      status === 'already-done'
        ? `${verdict.detail} (found on re-read after taking over an interrupted attempt; not written again)`
        : verdict.detail;
    const outcome = makeOutcome(status, `${detail}${modeNote}`, { before: verdict.before, after: verdict.before });
    return finish(deps, command, claim, outcome, rows(command, handler, outcome, null));
  }

  const write = handler.write(verdict.work);
  if (command.mode !== 'enforce') {
    const outcome = makeOutcome('planned', `plan mode${modeNote}, nothing written: would ${describeWrite(write)}`, {
      before: verdict.before,
    });
    return finish(deps, command, claim, outcome, rows(command, handler, outcome, verdict.work));
  }

  let written: WriteDone;
  let phase: Phase = 'record-attempt';
  try {
    await recordAttempt(deps, command, claim, write, attemptSubjects(command, handler, verdict.work));
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
  const status: OutcomeStatus =
    failures.length > 0
      ? 'failed-permanent'
      : unproven
        ? 'unverified'
        : written.alreadyDone
          ? 'already-done'
          : 'succeeded';
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
  return finish(deps, command, claim, outcome, rows(command, handler, outcome, verdict.work, written));
}

/** Does a re-read show the write's desired state? A read that fails proves nothing. */
async function provenDone(handler: TargetHandler): Promise<boolean> {
  try {
    return (await handler.verify()).proven === true;
  } catch {
    return false;
  }
}

/** The attempt row goes to the partitions of the subjects actually written (for a batch: the items written). */
function attemptSubjects(command: RemediationCommand, handler: TargetHandler, work: readonly string[]): string[] {
  const keys = subjectKeysOf(command.target);
  if (!handler.items) return keys;
  return handler.items.ids.flatMap((id, i) => (work.includes(id) ? [keys[i] ?? id] : []));
}

/**
 * One history row per subject. For a batch, items that needed no write get their own wording, and each row
 * carries only that item's before/after.
 */
function rows(
  command: RemediationCommand,
  handler: TargetHandler,
  outcome: Outcome,
  work: readonly string[] | null,
  written?: WriteDone,
): OutcomeRow[] {
  const keys = subjectKeysOf(command.target);
  const items = handler.items;
  if (!items) return keys.map((subjectKey) => ({ subjectKey, outcome }));
  return items.ids.map((id, i) => {
    const failure = written?.failed.get(id);
    const skipped = work !== null && !work.includes(id);
    const own: Outcome = skipped
      ? { ...outcome, status: 'no-longer-applies', detail: items.skippedDetail }
      : failure !== undefined
        ? {
            ...outcome,
            status: 'failed-permanent',
            detail: `Graph refused this ${items.noun}: ${failure.message}`,
            graphRequestId: failure.requestId,
          }
        : written !== undefined
          ? { ...outcome, status: itemStatus(items, outcome, id, written.items.get(id) === true) }
          : outcome;
    return {
      subjectKey: keys[i] ?? id,
      part: id,
      outcome: { ...own, before: items.state(outcome.before, id), after: items.state(outcome.after, id) },
    };
  });
}

/**
 * A written item's own status. Graph's "already done" stands; otherwise an unverified outcome stays unverified for
 * every item its re-read does not show done: one member read back must not make its batch-mates look proven.
 */
function itemStatus(items: TargetItems, outcome: Outcome, id: string, alreadyDone: boolean): OutcomeStatus {
  if (alreadyDone) return 'already-done';
  if (outcome.status === 'unverified' && items.proven?.(outcome.after, id) !== true) return 'unverified';
  return 'succeeded';
}
