import { payloadHash } from '../../core/policy/index.js';
import type { Outcome, RemediationCommand } from '../../core/model/index.js';
import { ensureError, GraphError, type ClaimRecord, ThrottledError, TransientError } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';
import { AlreadyInProgressError } from './errors.js';
import {
  alertForOutcome,
  attemptsFor,
  bumpAttempts,
  makeOutcome,
  type OutcomeRow,
  outcomeRecords,
  subjectKeysOf,
} from './record.js';
import { toJson } from '../../ports/json.js';
import { outcomeReader, type OutcomeReader } from '../history/subject-outcomes.js';
import { deferThrottledWrite, refuseBeforeRetryAfter } from './throttle-deferral.js';

// The claim → act → complete state machine around every command (Powertools' idempotency model on Table
// Storage). At-least-once delivery gives exactly-once effect because nothing writes to Graph without holding
// the claim, and a taken-over claim always re-reads the target before writing.

export type ClaimGate =
  | { readonly kind: 'go'; readonly claim: ClaimRecord; readonly tookOver: boolean }
  | { readonly kind: 'stop'; readonly outcome: Outcome };

/** `outcomes` is the command's history reader (execute.ts), shared with its pre-check so a subject is read once. */
export async function claimCommand(
  command: RemediationCommand,
  deps: RemediationDeps,
  outcomes: OutcomeReader = outcomeReader(deps.history),
): Promise<ClaimGate> {
  const now = deps.clock.now();
  const result = await deps.claims.claim({
    action: command.action,
    key: command.idempotencyKey,
    payloadHash: payloadHash(command),
    owner: deps.owner,
    now,
    ttlMs: deps.claimTtlMs,
  });
  const log = { key: command.idempotencyKey, action: command.action };
  switch (result.kind) {
    case 'claimed':
      if (result.tookOver) deps.logger.warn('remediation.claim-taken-over', log);
      // A throttled write's Retry-After binds every key of the action on the subject (a later poll's next attempt),
      // and outlives a hold that could not be written. Only a command that may write waits for it.
      if (command.mode === 'enforce') await refuseBeforeRetryAfter(command, result.claim, deps, now, outcomes);
      return { kind: 'go', claim: result.claim, tookOver: result.tookOver };
    case 'completed':
      deps.logger.info('remediation.duplicate', log);
      // The completed claim's outcome goes with it: the duplicate may be another run's message of the same key
      // (a later poll's copy), and that run records it as its own (run-outcome.ts) or never completes.
      return {
        kind: 'stop',
        outcome: makeOutcome('duplicate', 'this command was already completed; nothing was done', {
          before: { completed: result.claim.outcome },
        }),
      };
    case 'in-progress':
      throw new AlreadyInProgressError(command.idempotencyKey, result.claim.expiresAt, result.claim.owner);
    case 'payload-mismatch': {
      // Same key, different target or mode: a key collision or a tampered message. Never guess which is right.
      const outcome = makeOutcome(
        'refused',
        'a different command already holds this idempotency key; refused without calling Graph',
        {
          before: { storedPayloadHash: result.claim.payloadHash, receivedPayloadHash: payloadHash(command) },
        },
      );
      const rows = subjectKeysOf(command.target).map((subjectKey) => ({ subjectKey, outcome }));
      await deps.history.append(outcomeRecords(deps, command, rows, now, () => 0));
      await alertForOutcome(deps, command, outcome);
      deps.logger.error('remediation.payload-mismatch', log);
      return { kind: 'stop', outcome };
    }
  }
}

/**
 * Terminal enforce outcomes count as an attempt on the findings the command answers. Besides feeding the
 * cooldown and the daily limit, this moves the next poll's command to a new key (keys carry the attempt), so a
 * problem that comes back is acted on again instead of meeting this completed claim as a duplicate.
 */
const COUNTED: ReadonlySet<Outcome['status']> = new Set([
  'succeeded',
  'already-done',
  'no-longer-applies',
  'refused',
  'failed-permanent',
  'unverified',
]);

/** Record, count the attempt, complete the claim, alert. History goes first: a crash after it repeats a row, never loses one. */
export async function finish(
  deps: RemediationDeps,
  command: RemediationCommand,
  claim: ClaimRecord,
  outcome: Outcome,
  rows: readonly OutcomeRow[],
): Promise<Outcome> {
  const now = deps.clock.now();
  const attempts = await attemptsFor(deps, command);
  await deps.history.append(outcomeRecords(deps, command, rows, now, (s) => attempts.get(s) ?? 1));
  if (command.mode === 'enforce' && COUNTED.has(outcome.status)) {
    try {
      await bumpAttempts(deps, command, now);
    } catch (err) {
      deps.logger.warn('remediation.attempts-not-updated', {
        key: command.idempotencyKey,
        error: ensureError(err).message,
      });
    }
  }
  const summary = {
    status: outcome.status,
    detail: outcome.detail,
    graphRequestId: outcome.graphRequestId,
    retryAt: outcome.retryAt,
  };
  if (!(await deps.claims.complete(claim, toJson(summary), now))) {
    deps.logger.warn('remediation.claim-lost', { key: command.idempotencyKey, status: outcome.status });
  }
  await alertForOutcome(deps, command, outcome);
  deps.logger.info('remediation.finished', {
    key: command.idempotencyKey,
    action: command.action,
    mode: command.mode,
    outcome: outcome.status,
  });
  return outcome;
}

/** Graph said "try later" (5xx, 429 on a write, network): the transport should redeliver. Unknown errors count too. */
export function isTransient(err: unknown): boolean {
  if (err instanceof TransientError || err instanceof ThrottledError) return true;
  return !(err instanceof GraphError);
}

/** Where a command failed: before any write, while recording the attempt (so no write), or in the write. */
export type Phase = 'pre-check' | 'record-attempt' | 'act';

/**
 * Throttled write (429): deferred to its Retry-After with the claim held (throttle-deferral.ts).
 * Transient: record it, release the claim so a redelivery may retry at once, and rethrow. Permanent (401/403,
 * 404, 400): record, alert and complete the claim with the failure; do not rethrow — retrying cannot help.
 * Storage may be the thing that failed: then the record and the release are best effort (a claim left behind
 * expires, and the redelivery that takes it over re-reads the target before writing).
 */
export async function onFailure(
  err: unknown,
  deps: RemediationDeps,
  command: RemediationCommand,
  claim: ClaimRecord,
  phase: Phase,
): Promise<Outcome> {
  const e = ensureError(err);
  const requestId = err instanceof GraphError ? err.requestId : null;
  const subjects = subjectKeysOf(command.target);
  if (err instanceof ThrottledError && phase === 'act') return deferThrottledWrite(err, deps, command, claim);
  if (isTransient(err)) {
    const outcome = makeOutcome('failed-transient', `${phase} failed, will be retried: ${e.message}`, {
      graphRequestId: requestId,
    });
    try {
      await deps.history.append(
        outcomeRecords(
          deps,
          command,
          subjects.map((subjectKey) => ({ subjectKey, outcome })),
          deps.clock.now(),
          () => 0,
        ),
      );
    } catch (recordErr) {
      deps.logger.warn('remediation.history-unwritable', {
        key: command.idempotencyKey,
        error: ensureError(recordErr).message,
      });
    }
    try {
      if (!(await deps.claims.release(claim)))
        deps.logger.warn('remediation.claim-release-lost', { key: command.idempotencyKey });
    } catch (releaseErr) {
      deps.logger.warn('remediation.claim-release-failed', {
        key: command.idempotencyKey,
        error: ensureError(releaseErr).message,
      });
    }
    deps.logger.warn('remediation.transient', { key: command.idempotencyKey, phase, error: e.message });
    throw e;
  }
  const outcome = makeOutcome('failed-permanent', `${phase} failed: ${e.message}`, { graphRequestId: requestId });
  return finish(
    deps,
    command,
    claim,
    outcome,
    subjects.map((subjectKey) => ({ subjectKey, outcome })),
  );
}
