import type { Outcome, RemediationCommand } from '../../core/model/index.js';
import { outcomeReader } from '../history/subject-outcomes.js';
import { approvalMatchedBy, noteApprovalOutcome } from './approval-outcome.js';
import type { RemediationDeps } from './deps.js';
import { commandProblem, withConfiguredMode } from './guard.js';
import { claimCommand, finish } from './lifecycle.js';
import { alertForOutcome, makeOutcome, outcomeRecord, subjectKeysOf } from './record.js';
import { reportRunOutcome } from './run-outcome.js';
import { workerHandler } from './handlers/index.js';
import { executeTargeted } from './targeted.js';

/**
 * Run one remediation command with exactly-once effect under at-least-once delivery.
 *
 * Returns the outcome for every expected case (done, duplicate, planned, deferred, refused, unverified, permanent
 * failure). Throws only when the message must come back: `AlreadyInProgressError` (another delivery holds the
 * claim; redeliver after `retryAt`) or a transient failure (claim released; redeliver).
 *
 * The message is a request: a malformed or foreign one is refused, and it never runs in a stronger mode than the
 * current configuration gives its action.
 */
export async function executeRemediation(message: RemediationCommand, deps: RemediationDeps): Promise<Outcome> {
  const problem = commandProblem(message, deps.tenant);
  if (problem !== null) return refuseMalformed(message, deps, problem);
  const outcome = await executeChecked(message, deps);
  await reportRunOutcome(deps, message, outcome);
  return outcome;
}

async function executeChecked(message: RemediationCommand, deps: RemediationDeps): Promise<Outcome> {
  const { command, lowered } = withConfiguredMode(message, deps.policy);
  let note = '';
  if (lowered !== null) {
    note = ` (the message asked for ${lowered.asked}; the configuration has ${command.action} in ${lowered.configured})`;
    deps.logger.warn('remediation.mode-lowered', {
      key: message.idempotencyKey,
      action: command.action,
      asked: lowered.asked,
      configured: lowered.configured,
    });
  }
  if (command.mode === 'off') {
    // Matched before refusing: a request approved only after this refusal was recorded must not take it as its own.
    const approvalId = await approvalMatchedBy(command, deps);
    const outcome = await refuseClaimed(
      command,
      deps,
      `remediation ${command.action} is off in the configuration; nothing written${note}`,
    );
    await noteApprovalOutcome(deps, approvalId, outcome);
    return outcome;
  }

  const target = command.target;
  const h = workerHandler(target.action);
  if (h.kind === 'own-lifecycle') return h.execute(command, deps, note);
  // One read of a subject's outcomes serves every check of this command: before an unblock, the gate's last unblock
  // and the limits' attempts come from the same rows.
  const outcomes = outcomeReader(deps.history);
  const handler = h.handler(target, deps, outcomes);
  const outcome = await executeTargeted(command, handler, deps, note, outcomes);
  // Only a command its pre-check proved to be the approved one writes onto the request (approval-outcome.ts).
  await noteApprovalOutcome(deps, handler.approvalRequestId?.() ?? null, outcome);
  return outcome;
}

/** A command that fails the message checks: recorded under the tenant (its ids are not trusted as keys) and alerted. */
async function refuseMalformed(command: RemediationCommand, deps: RemediationDeps, problem: string): Promise<Outcome> {
  const outcome = makeOutcome('refused', `${problem}; refused without calling Graph`);
  await deps.history.append([outcomeRecord(deps, command, { subjectKey: 'tenant', outcome }, deps.clock.now(), 0)]);
  await alertForOutcome(deps, command, outcome);
  deps.logger.error('remediation.refused-message', { key: command.idempotencyKey.slice(0, 200), problem });
  return outcome;
}

/** Refused after claiming, so a redelivery of the same message is a duplicate, not a second record and alert. */
async function refuseClaimed(command: RemediationCommand, deps: RemediationDeps, detail: string): Promise<Outcome> {
  const gate = await claimCommand(command, deps);
  if (gate.kind === 'stop') return gate.outcome;
  const outcome = makeOutcome('refused', detail);
  return finish(
    deps,
    command,
    gate.claim,
    outcome,
    subjectKeysOf(command.target).map((subjectKey) => ({ subjectKey, outcome })),
  );
}
