import type { Outcome, RemediationCommand } from '../../core/model/index.js';
import type { RemediationDeps } from './deps.js';
import { makeOutcome } from './record.js';
import { executeSync } from './sync.js';
import { executeTargeted } from './targeted.js';

/**
 * Run one remediation command with exactly-once effect under at-least-once delivery.
 *
 * Returns the outcome for every expected case (done, duplicate, planned, deferred, refused, permanent failure).
 * Throws only when the message must come back: `AlreadyInProgressError` (another delivery holds the claim;
 * redeliver after `retryAt`) or a transient failure (claim released; redeliver).
 */
export async function executeRemediation(command: RemediationCommand, deps: RemediationDeps): Promise<Outcome> {
  const target = command.target;
  if (target.action !== command.action) {
    // A malformed command never reaches Graph; the transport's schema normally rejects it before this.
    return makeOutcome('refused', `command action ${command.action} does not match its target (${target.action}); refused`);
  }
  if (target.action === 'autopilot-sync') return executeSync(command, deps);
  return executeTargeted(command, target, deps);
}
