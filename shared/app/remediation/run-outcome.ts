import { runIsDone, runOutcomesAlert } from '../../core/alerts/index.js';
import { OUTCOME_STATUSES, type Outcome, type OutcomeStatus, type RemediationCommand } from '../../core/model/index.js';
import { ensureError, type RunCommandRecord, storageFailureOf } from '../../ports/index.js';
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
      const completed = completedOutcomeOf(outcome);
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

/** The completed claim's stored outcome that a duplicate carries (lifecycle.ts), or null. */
function completedOutcomeOf(outcome: Outcome): { status: OutcomeStatus; detail: string } | null {
  const stored: unknown = outcome.before?.['completed'];
  if (typeof stored !== 'object' || stored === null) return null;
  const { status, detail } = stored as { status?: unknown; detail?: unknown };
  const known = OUTCOME_STATUSES.find((s) => s === status);
  if (known === undefined || known === 'duplicate') return null;
  return { status: known, detail: typeof detail === 'string' ? detail : '' };
}
