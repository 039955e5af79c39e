import type { Outcome, RemediationCommand } from '../../core/model/index.js';
import { ensureError, type ClaimRecord, type ThrottledError } from '../../ports/index.js';
import { toJson } from '../../ports/json.js';
import type { OutcomeReader } from '../history/subject-outcomes.js';
import type { RemediationDeps } from './deps.js';
import { AlreadyInProgressError, DeferralNotRecordedError } from './errors.js';
import { bumpAttempts, makeOutcome, outcomeRecords, subjectKeysOf } from './record.js';

// A write Graph answered with 429 is not made again before its Retry-After, by any delivery of its key: a
// redelivery, the deferral's own scheduled re-send, or a copy a later poll scheduled (write pacing re-sends a command
// every poll until it runs). Microsoft Graph throttling guidance, "Microsoft Graph throttling guidance": wait the
// number of seconds in Retry-After before retrying (https://learn.microsoft.com/graph/throttling).
//
// Two durable records say "not before": the claim, held in progress until then (every delivery of the key meets it
// and is re-scheduled for its expiry), and the 'deferred' history row, whose `after.notBefore` every enforce-mode
// delivery that gets a claim reads first. The row binds the action on the subject, not the key: the deferral counts
// as an attempt, so the next poll plans the device's command under a new key, whose claim is free; when Retry-After
// is longer than DEVICE_COOLDOWN_MINUTES that command would otherwise write before it. The row also covers a hold
// that could not be written (the claim expires earlier). The claim is never released here: a free key would let the
// next delivery write at once.

/** The least a throttled write waits when Graph names no Retry-After. */
const THROTTLE_FLOOR_MS = 60_000;

/**
 * Hold the claim and record the deferral, then schedule the same command for the Retry-After. At least one of
 * the two records must be durable, or DeferralNotRecordedError (carrying the time) sends the message back. A failed
 * re-send is rethrown: the message is redelivered and meets the hold (or, after the claim expires, the row).
 */
export async function deferThrottledWrite(
  err: ThrottledError,
  deps: RemediationDeps,
  command: RemediationCommand,
  claim: ClaimRecord,
): Promise<Outcome> {
  const now = deps.clock.now();
  const retryAt = now + Math.max(err.retryAfterMs ?? 0, THROTTLE_FLOOR_MS);
  const notBefore = new Date(retryAt).toISOString();
  const outcome = makeOutcome(
    'deferred',
    `the write was throttled (429); not retried before ${notBefore}, as Retry-After asks`,
    {
      graphRequestId: err.requestId,
      retryAt,
      after: { notBefore },
    },
  );
  const log = { key: command.idempotencyKey, retryAt: notBefore };

  let held = false;
  let cause: unknown = null;
  try {
    const summary = { status: outcome.status, detail: outcome.detail, graphRequestId: outcome.graphRequestId, retryAt };
    held = (await deps.claims.hold(claim, retryAt, toJson(summary))) !== null;
    if (!held) deps.logger.warn('remediation.claim-hold-lost', log);
  } catch (holdErr) {
    cause = holdErr;
    deps.logger.warn('remediation.claim-hold-failed', { ...log, error: ensureError(holdErr).message });
  }

  let recorded = false;
  try {
    const rows = subjectKeysOf(command.target).map((subjectKey) => ({ subjectKey, outcome }));
    await deps.history.append(outcomeRecords(deps, command, rows, now, () => 0));
    recorded = true;
  } catch (recordErr) {
    cause = recordErr;
    deps.logger.warn('remediation.history-unwritable', { ...log, error: ensureError(recordErr).message });
  }

  // Counted, so the next poll's cooldown holds the subject and its command moves to a new key.
  try {
    await bumpAttempts(deps, command, now);
  } catch (bumpErr) {
    deps.logger.warn('remediation.attempts-not-updated', { ...log, error: ensureError(bumpErr).message });
  }

  if (!held && !recorded) {
    deps.logger.error('remediation.deferral-not-recorded', log);
    throw new DeferralNotRecordedError(command.idempotencyKey, retryAt, cause);
  }
  await deps.queue.send(command, retryAt);
  deps.logger.warn('remediation.throttled-write', log);
  return outcome;
}

/**
 * Called by an enforce-mode delivery as soon as it has the claim (fresh or taken over): when a deferral of this action
 * on any of its subjects, under any key, asks for a later time, hold the claim until then (best effort) and throw
 * AlreadyInProgressError, so the transport re-schedules the message. `outcomes` is the command's history reader, so the
 * rows are read once for this check and the pre-check's (the unblock gate, the limits). A history read that fails is
 * thrown too: the claim stays taken until its TTL and nothing is written.
 */
export async function refuseBeforeRetryAfter(
  command: RemediationCommand,
  claim: ClaimRecord,
  deps: RemediationDeps,
  now: number,
  outcomes: OutcomeReader,
): Promise<void> {
  const until = await deferredUntil(command, outcomes);
  if (until === null || until <= now) return;
  try {
    await deps.claims.hold(claim, until, toJson({ status: 'deferred', retryAt: until }));
  } catch (holdErr) {
    deps.logger.warn('remediation.claim-hold-failed', {
      key: command.idempotencyKey,
      error: ensureError(holdErr).message,
    });
  }
  deps.logger.warn('remediation.throttled-not-yet', {
    key: command.idempotencyKey,
    retryAt: new Date(until).toISOString(),
  });
  throw new AlreadyInProgressError(command.idempotencyKey, until, claim.owner);
}

/**
 * The latest not-before the 'deferred' rows of this action on the command's subjects name, whatever their key, or
 * null. The reader's newest rows reach back far enough: a deferral is an attempt, and the per-device limits keep a
 * subject's rows of one action to a handful a day.
 */
async function deferredUntil(command: RemediationCommand, outcomes: OutcomeReader): Promise<number | null> {
  const subjects = [...new Set(subjectKeysOf(command.target))];
  const rows = (await Promise.all(subjects.map((s) => outcomes(s, command.action)))).flat();
  const times = rows
    .filter((r) => r.status === 'deferred')
    .map((r) => notBeforeOf(r.after))
    .filter((t): t is number => t !== null);
  return times.length === 0 ? null : Math.max(...times);
}

function notBeforeOf(after: unknown): number | null {
  if (typeof after !== 'object' || after === null) return null;
  const v = (after as { notBefore?: unknown }).notBefore;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : null;
}
