import { runIsDone, runOutcomesAlert } from '../../core/alerts/index.js';
import type { Outcome, RemediationCommand } from '../../core/model/index.js';
import { ensureError, storageFailureOf } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';

// The run's outcome summary goes out from where the outcomes happen: the worker that records the last outcome of
// a run sends it (in-process at the end of a CLI sweep; with Service Bus, whichever consumer finishes last). Two
// consumers finishing together both see the run done; the dispatcher's per-key claim (`outcomes:<run id>`) lets
// one of them send. A deferred command counts as done (the summary says "Deferred"); its later result is in history.

type Deps = Pick<RemediationDeps, 'runOutcomes' | 'alerts' | 'clock' | 'logger' | 'tenant'>;

export async function reportRunOutcome(deps: Deps, command: RemediationCommand, outcome: Outcome): Promise<void> {
  // Another delivery already recorded this command's outcome.
  if (outcome.status === 'duplicate') return;
  try {
    const now = deps.clock.now();
    const known = await deps.runOutcomes.record(command.runId, command.idempotencyKey, outcome, now);
    if (!known) return;
    const commands = await deps.runOutcomes.list(command.runId);
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
