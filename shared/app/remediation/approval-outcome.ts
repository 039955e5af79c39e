import { actionModule } from '../../core/actions/index.js';
import type { Outcome, RemediationCommand } from '../../core/model/index.js';
import { ensureError } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';

/**
 * A destructive command's outcome goes onto its approval request too, so the review page, `approvals show` and the
 * dashboard of requests say what became of an approval. Best effort: history already holds the outcome.
 */
export async function noteApprovalOutcome(
  deps: RemediationDeps,
  command: RemediationCommand,
  outcome: Outcome,
): Promise<void> {
  const target = command.target;
  if (!actionModule(target.action).requiresApproval || !('approvalId' in target)) return;
  if (outcome.status === 'duplicate' || deps.approvals === undefined) return;
  // A command naming a request that does not exist has nothing to note it on (it was refused for that).
  if ((await deps.approvals.get(target.approvalId)) === null) return;
  try {
    await deps.approvals.recordExecution(target.approvalId, {
      status: outcome.status,
      detail: outcome.detail,
      at: deps.clock.now(),
    });
  } catch (err) {
    deps.logger.warn('approval.outcome-not-recorded', {
      approvalId: target.approvalId,
      error: ensureError(err).message,
    });
  }
}
