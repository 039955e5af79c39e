import { isApprovalAction } from '../../core/approvals/index.js';
import type { Outcome, RemediationCommand } from '../../core/model/index.js';
import { ensureError } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';
import { matchedRequest } from './handlers/approval-check.js';

/**
 * A destructive command's outcome goes onto its approval request too, so the review page, `approvals show` and the
 * dashboard of requests say what became of an approval. Best effort: history already holds the outcome.
 *
 * `approvalId` is the request the command proved it carries out (approval-check.ts matchedRequest), null when it did
 * not: naming a request proves nothing, since anyone who can send to the queue can name one, and a refusal on the
 * request is final for it. A command that does not match is refused and recorded in history only.
 */
export async function noteApprovalOutcome(
  deps: RemediationDeps,
  approvalId: string | null,
  outcome: Outcome,
): Promise<void> {
  if (approvalId === null || outcome.status === 'duplicate' || deps.approvals === undefined) return;
  try {
    await deps.approvals.recordExecution(approvalId, {
      status: outcome.status,
      detail: outcome.detail,
      at: deps.clock.now(),
    });
  } catch (err) {
    deps.logger.warn('approval.outcome-not-recorded', { approvalId, error: ensureError(err).message });
  }
}

/**
 * For a command refused before its handler runs (its action is off in the configuration): the request it carries
 * out, if it proves it is the approved one, so that the refusal lets the fix be proposed again; otherwise null.
 */
export async function approvalMatchedBy(command: RemediationCommand, deps: RemediationDeps): Promise<string | null> {
  const target = command.target;
  if (!isApprovalAction(target.action) || !('approvalId' in target)) return null;
  const matched = await matchedRequest(target.action, target, deps);
  return matched.ok ? matched.request.id : null;
}
