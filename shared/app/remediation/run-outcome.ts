import { runIsDone, runOutcomesAlert } from '../../core/alerts/index.js';
import { OUTCOME_STATUSES, type Outcome, type OutcomeStatus, type RemediationCommand } from '../../core/model/index.js';
import { payloadHash } from '../../core/policy/index.js';
import { ensureError, type RunCommandRecord, storageFailureOf } from '../../ports/index.js';
import { mapLimited } from '../map-limited.js';
import type { RemediationDeps } from './deps.js';

// The run's outcome summary goes out from where the outcomes happen: the worker that records the last outcome of
// a run sends it (in-process at the end of a CLI sweep; with Service Bus, whichever consumer finishes last). Two
// consumers finishing together both see the run done; the dispatcher's per-key claim (`outcomes:<run id>`) lets
// one of them send. A deferred command counts as done (the summary says "Deferred"); its later result is in history.

// A later poll's copy of a queued, not yet run command (same key, its own run) can be dropped by the queue's
// duplicate detection ("Duplicate detection", https://learn.microsoft.com/azure/service-bus-messaging/duplicate-detection:
// an immediate send's message id is the bare key), so it never reaches a worker. The message that does run the
// command therefore also records its outcome into every other run that expects the key and has none yet. Its own
// run is recorded (and summarised) first, so a failure while copying never loses the real run's outcome; a storage
// failure while copying is rethrown, and the redelivery (a duplicate: the claim is completed) copies again.
//
// A later poll that plans a key an earlier message has already run leaves it out of its run (notYetRun); one whose
// message runs between that read and the run's `expect` is recorded into the run by the poll (recordCompletedClaims).

type Deps = Pick<RemediationDeps, 'runOutcomes' | 'alerts' | 'clock' | 'logger' | 'tenant'>;
type Recorded = { readonly status: OutcomeStatus; readonly detail: string };

export async function reportRunOutcome(deps: Deps, command: RemediationCommand, outcome: Outcome): Promise<void> {
  try {
    const now = deps.clock.now();
    const key = command.idempotencyKey;
    let done: Recorded;
    if (outcome.status === 'duplicate') {
      // The key's claim was completed by another message: this run's own one (its outcome is recorded already),
      // or another run's copy of the same command, whose outcome this run records as its own so it completes too.
      const completed = storedOutcomeOf(outcome.before?.['completed']);
      if (completed === null) return;
      done = completed;
      await recordIfOpen(deps, command.runId, key, by(done, 'another message of this command'), now);
    } else {
      done = outcome;
      // A key the run never queued (a forged message) gives no other run an outcome either.
      if (!(await deps.runOutcomes.record(command.runId, key, outcome, now))) return;
      await summariseIfDone(deps, command.runId, now);
    }
    for (const runId of await deps.runOutcomes.runsExpecting(key)) {
      if (runId !== command.runId) await recordIfOpen(deps, runId, key, by(done, 'another run’s message'), now);
    }
  } catch (err) {
    // Storage gone is a run abort like anywhere else (the CLI exits 1; the message is redelivered as a duplicate).
    if (storageFailureOf(err) !== null) throw err;
    // Otherwise the outcome is recorded in history already: a summary that cannot be assembled must not fail it.
    deps.logger.warn('remediation.outcome-summary-failed', {
      runId: command.runId.slice(0, 200),
      error: ensureError(err).message,
    });
  }
}

function by(done: Recorded, who: string): Recorded {
  return { status: done.status, detail: `${done.detail} (by ${who})` };
}

/** Records the outcome into a run that expects the key and has none for it yet; sends its summary if that was the last. */
async function recordIfOpen(deps: Deps, runId: string, key: string, outcome: Recorded, now: number): Promise<void> {
  const mine = (await deps.runOutcomes.list(runId)).find((c) => c.idempotencyKey === key);
  if (mine === undefined || mine.status !== null) return;
  if (!(await deps.runOutcomes.record(runId, key, outcome, now))) return;
  await summariseIfDone(deps, runId, now);
}

/**
 * Re-reads the run after a record, so of two workers finishing its last commands together at least one sees it
 * done; the dispatcher's per-key claim (`outcomes:<run id>`) lets one of them send.
 */
async function summariseIfDone(deps: Deps, runId: string, now: number): Promise<void> {
  const commands: RunCommandRecord[] = await deps.runOutcomes.list(runId);
  if (!runIsDone(commands)) return;
  const result = await deps.alerts.send(runOutcomesAlert({ tenant: deps.tenant, at: now }, { runId, commands }));
  if (!result.delivered)
    deps.logger.warn('remediation.outcome-summary-not-delivered', {
      runId: runId.slice(0, 200),
      status: result.status,
    });
}

/** Point reads of claims in flight at once while a poll sorts out its commands (one per command). */
const CLAIM_READS = 16;

type ClaimDeps = Deps & Pick<RemediationDeps, 'claims'>;

/** Per command, the outcome its completed claim stores (same payload), or null when it has not run. */
async function completedOutcomes(
  deps: ClaimDeps,
  commands: readonly RemediationCommand[],
): Promise<({ status: OutcomeStatus; detail: string } | null)[]> {
  const claims = await mapLimited(commands, CLAIM_READS, (c) => deps.claims.get(c.action, c.idempotencyKey));
  return claims.map((claim, i) => {
    const command = commands[i];
    // Another command under the same key (a collision) did not answer this one; its message is refused if delivered.
    if (command === undefined || claim?.status !== 'completed' || claim.payloadHash !== payloadHash(command))
      return null;
    return storedOutcomeOf(claim.outcome);
  });
}

/**
 * The commands a poll planned that no message has run yet. One an earlier message ran (the same key: in plan mode
 * nothing counts as an attempt, and in enforce mode a poll may read the attempts just before the worker counts them)
 * is not this run's to send or to expect: its copy would be dropped as a duplicate message id or meet a completed
 * claim, and a run that expected it would repeat the earlier run's summary, on every poll in plan mode.
 */
export async function notYetRun(
  deps: ClaimDeps,
  commands: readonly RemediationCommand[],
): Promise<RemediationCommand[]> {
  const done = await completedOutcomes(deps, commands);
  return commands.filter((_, i) => done[i] === null);
}

/**
 * Called by the poll right after `expect`, before sending: a command whose message ran between `notYetRun`'s read
 * and `expect` copied its outcome only to the runs expecting the key then, and this run's copy may be dropped as a
 * duplicate message id, so the poll records the completed claim's outcome into the run, and sends the summary if that
 * completes it. Expected first, then read: a worker completing the claim after this read finds the run among
 * runsExpecting; a copy that is delivered meets a run already recorded (recordIfOpen) and adds nothing. Storage
 * failures are thrown: the poll fails before sending, as when `expect` fails.
 */
export async function recordCompletedClaims(
  deps: ClaimDeps,
  runId: string,
  commands: readonly RemediationCommand[],
  now: number,
): Promise<number> {
  const done = await completedOutcomes(deps, commands);
  let filled = 0;
  for (const [i, outcome] of done.entries()) {
    const command = commands[i];
    if (command === undefined || outcome === null) continue;
    if (await deps.runOutcomes.record(runId, command.idempotencyKey, by(outcome, 'an earlier run’s message'), now))
      filled += 1;
  }
  if (filled > 0) await summariseIfDone(deps, runId, now);
  return filled;
}

/** The outcome a completed claim stores (lifecycle.ts `finish`; a duplicate carries it as before.completed), or null. */
function storedOutcomeOf(stored: unknown): { status: OutcomeStatus; detail: string } | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const { status, detail } = stored as { status?: unknown; detail?: unknown };
  const known = OUTCOME_STATUSES.find((s) => s === status);
  if (known === undefined || known === 'duplicate') return null;
  return { status: known, detail: typeof detail === 'string' ? detail : '' };
}
