import { runIsDone, runOutcomesAlert } from '../../core/alerts/index.js';
import { OUTCOME_STATUSES, type Outcome, type OutcomeStatus, type RemediationCommand } from '../../core/model/index.js';
import { ensureError, type RunCommandRecord, storageFailureOf } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';

// The run's outcome summary goes out from where the outcomes happen: the worker that records the last outcome of
// a run sends it (in-process at the end of a CLI sweep; with Service Bus, whichever consumer finishes last). Two
// consumers finishing together both see the run done; the dispatcher's per-key claim (`outcomes:<run id>`) lets
// one of them send. A deferred command counts as done (the summary says "Deferred"); its later result is in history.

type Deps = Pick<RemediationDeps, 'runOutcomes' | 'alerts' | 'clock' | 'logger' | 'tenant'>;

export async function reportRunOutcome(deps: Deps, command: RemediationCommand, outcome: Outcome): Promise<void> {
  try {
    const now = deps.clock.now();
    let commands: RunCommandRecord[] | null = null;
    let recorded = outcome;
    if (outcome.status === 'duplicate') {
      // The key's claim was completed by another message: this run's own one (its outcome is recorded already),
      // or another run's copy of the same command, whose outcome this run records as its own so it completes too.
      const done = completedOutcomeOf(outcome);
      if (done === null) return;
      commands = await deps.runOutcomes.list(command.runId);
      const mine = commands.find((c) => c.idempotencyKey === command.idempotencyKey);
      if (mine === undefined || mine.status !== null) return;
      recorded = { ...outcome, status: done.status, detail: `${done.detail} (by another message of this command)` };
    }
    const known = await deps.runOutcomes.record(command.runId, command.idempotencyKey, recorded, now);
    if (!known) return;
    commands = await deps.runOutcomes.list(command.runId);
    if (!runIsDone(commands)) return;
    const result = await deps.alerts.send(
      runOutcomesAlert({ tenant: deps.tenant, at: now }, { runId: command.runId, commands }),
    );
    if (!result.delivered)
      deps.logger.warn('remediation.outcome-summary-not-delivered', {
        runId: command.runId.slice(0, 200),
        status: result.status,
      });
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

/** The completed claim's stored outcome that a duplicate carries (lifecycle.ts), or null. */
function completedOutcomeOf(outcome: Outcome): { status: OutcomeStatus; detail: string } | null {
  const stored: unknown = outcome.before?.['completed'];
  if (typeof stored !== 'object' || stored === null) return null;
  const { status, detail } = stored as { status?: unknown; detail?: unknown };
  const known = OUTCOME_STATUSES.find((s) => s === status);
  if (known === undefined || known === 'duplicate') return null;
  return { status: known, detail: typeof detail === 'string' ? detail : '' };
}
