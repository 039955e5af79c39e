import type { ActionName, CommandTarget } from './action-shapes.js';
import type { Mode } from './decision.js';

// One queue message = one Graph write (or one batched write of ≤ 20 members). The idempotency key is
// derived from the target, never invented, so the same work queued twice has the same key.

export interface RemediationCommand {
  readonly schemaVersion: 1;
  readonly idempotencyKey: string;
  readonly action: ActionName;
  readonly tenant: string;
  readonly mode: Mode;
  readonly target: CommandTarget;
  /** Fingerprints of the findings this command answers. */
  readonly reasons: readonly string[];
  /** Run id of the poll that produced it. */
  readonly runId: string;
  readonly createdAt: string;
}

export const OUTCOME_STATUSES = [
  'succeeded',
  'already-done',
  'no-longer-applies',
  'planned',
  'deferred',
  'refused',
  'failed-transient',
  'failed-permanent',
  'duplicate',
  /** The write was accepted but the read-back does not show the desired state: counts as an attempt, retried later. */
  'unverified',
] as const;

export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export interface Outcome {
  readonly status: OutcomeStatus;
  readonly detail: string;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  readonly graphRequestId: string | null;
  /** For 'deferred': when it will run again (epoch ms). */
  readonly retryAt: number | null;
}
