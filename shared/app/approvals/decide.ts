import { actionModule } from '../../core/actions/index.js';
import { isExpired, tokenMatches, type ApprovalRequest } from '../../core/approvals/index.js';
import type { RemediationCommand } from '../../core/model/index.js';
import { DAY_MS, modeFor, type PolicySettings } from '../../core/policy/index.js';
import {
  ensureError,
  type ApprovalRecord,
  type ApprovalStore,
  type ClaimStore,
  type Clock,
  type HistoryRecord,
  type HistoryStore,
  type Logger,
  type RemediationQueue,
  type RunOutcomeStore,
} from '../../ports/index.js';
import type { ApprovalSettings } from './settings.js';

// A person's decision on an approval request (the review page's POST, `autopilot-medic approvals approve|reject`).
// The request must be pending and unexpired, and a link's token must verify for exactly this request; the decision
// is an ETag-conditional write, so a replayed or concurrent one finds the request decided. Approving enqueues the one
// command (the worker re-reads the target and refuses if it changed); its mode is the configuration's for the action,
// so approving in plan mode plans. Limits hold at approval time: the device's daily attempt limit
// (MAX_ATTEMPTS_PER_DAY) and at most BLAST_RADIUS_MAX_DEVICES approved deletions in 24 hours.

export interface DecideDeps {
  readonly tenant: string;
  readonly approvals: ApprovalStore;
  /** Serialises approvals (APPROVAL_LOCK): the 24-hour limit is counted and the decision written under one lock. */
  readonly claims: Pick<ClaimStore, 'claim' | 'release'>;
  readonly history: HistoryStore;
  readonly queue: RemediationQueue;
  readonly runOutcomes: RunOutcomeStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy: PolicySettings;
  readonly settings: ApprovalSettings;
}

export interface DecideInput {
  readonly id: string;
  readonly decision: 'approve' | 'reject';
  /** Who decides: the signed-in principal, "function key", or the CLI's operator. */
  readonly approver: string;
  /** The link's token; null = a caller trusted without one (the CLI, which holds the storage credentials). */
  readonly token: string | null;
}

export type RefusalReason =
  | 'not-found'
  | 'invalid-token'
  | 'no-signing-key'
  | 'expired'
  | 'already-decided'
  | 'action-off'
  | 'limit'
  /** Another approval was being decided at the same moment: nothing changed; deciding again a moment later works. */
  | 'busy'
  /** Approved, but its command could not be queued: nothing will happen to the device, and the fix is asked again. */
  | 'not-queued';

export type DecideResult =
  | { readonly kind: 'approved'; readonly request: ApprovalRecord; readonly command: RemediationCommand }
  | { readonly kind: 'rejected'; readonly request: ApprovalRecord }
  | {
      readonly kind: 'refused';
      readonly reason: RefusalReason;
      readonly message: string;
      readonly request: ApprovalRecord | null;
    };

/** A request and its token, checked without changing anything (the review page's GET uses this too). */
export async function readWithToken(
  deps: Pick<DecideDeps, 'approvals' | 'settings'>,
  id: string,
  token: string | null,
): Promise<{ readonly ok: true; readonly request: ApprovalRecord } | Extract<DecideResult, { kind: 'refused' }>> {
  const request = /^[0-9a-f]{32}$/.test(id) ? await deps.approvals.get(id) : null;
  if (token !== null) {
    const key = deps.settings.signingKey;
    if (key === null) return refused('no-signing-key', 'review links are off: APPROVAL_SIGNING_KEY is not set', null);
    // An unknown id and a wrong token answer alike: the link proves nothing about requests it was not made for.
    if (request === null || !tokenMatches(key, request, token))
      return refused('invalid-token', 'this link is not valid for an approval request', null);
  }
  if (request === null) return refused('not-found', `there is no approval request ${id.slice(0, 40)}`, null);
  return { ok: true, request };
}

export async function decideApproval(deps: DecideDeps, input: DecideInput): Promise<DecideResult> {
  const read = await readWithToken(deps, input.id, input.token);
  if ('kind' in read) return read;
  const request = read.request;
  const now = deps.clock.now();
  if (request.status !== 'pending')
    return refused(
      'already-decided',
      `this request was already ${request.status} by ${request.decidedBy ?? 'someone'}`,
      request,
    );
  if (isExpired(request, now))
    return refused('expired', `this request expired at ${new Date(request.expiresAt).toISOString()}`, request);
  const status = input.decision === 'approve' ? 'approved' : 'rejected';
  let decided: ApprovalRecord | null;
  if (input.decision === 'approve') {
    const mode = modeFor(request.action, deps.policy);
    if (mode === 'off')
      return refused('action-off', `${request.action} is off in the configuration (REMEDIATION_ACTIONS)`, request);
    const approval = await underApprovalLock(deps, input, request, now, async () => {
      const limit = await limitReached(deps, request, now);
      if (limit !== null) return refused('limit', limit, request);
      return deps.approvals.decide(request, { status, by: input.approver, at: now });
    });
    if (approval !== null && 'kind' in approval) return approval;
    decided = approval;
  } else decided = await deps.approvals.decide(request, { status, by: input.approver, at: now });
  if (decided === null) return refused('already-decided', 'this request was decided by someone else just now', request);
  // The decision stands once written: a history row that cannot be written is logged, not a reason to drop it.
  await deps.history.append([decisionRecord(decided, now)]).catch((err: unknown) => {
    deps.logger.error('approval.history-failed', { approvalId: decided.id, error: ensureError(err).name });
  });
  deps.logger.info('approval.decided', { approvalId: decided.id, status, action: decided.action });
  if (status === 'rejected') return { kind: 'rejected', request: decided };
  const command = commandFor(decided, deps, now);
  try {
    await deps.runOutcomes.expect(
      command.runId,
      [{ idempotencyKey: command.idempotencyKey, action: command.action, subjects: [decided.target.serialNumber] }],
      now,
    );
    await deps.queue.send(command, null);
  } catch (err) {
    return notQueued(deps, decided, ensureError(err), now);
  }
  return { kind: 'approved', request: decided, command };
}

/**
 * The request is approved but its command never reached the queue. Left so, it would stay approved with nothing
 * done and no outcome: nobody could decide it again ("already approved"), and an approved request with no outcome
 * blocks every later proposal for its finding. So the missing execution is recorded as refused, which is what lets
 * the next sweep propose the fix again (as after a worker's refusal), and the person is told nothing was deleted.
 */
async function notQueued(
  deps: DecideDeps,
  decided: ApprovalRecord,
  err: Error,
  now: number,
): Promise<Extract<DecideResult, { kind: 'refused' }>> {
  deps.logger.error('approval.enqueue-failed', { approvalId: decided.id, error: err.name });
  const detail = `approved, but its command could not be queued (${err.name})`;
  const recorded = await deps.approvals.recordExecution(decided.id, { status: 'refused', detail, at: now }).then(
    () => true,
    (e: unknown) => {
      deps.logger.error('approval.execution-not-recorded', { approvalId: decided.id, error: ensureError(e).name });
      return false;
    },
  );
  const latest = recorded ? ((await deps.approvals.get(decided.id).catch(() => null)) ?? decided) : decided;
  const message = recorded
    ? `Approved, but queueing its command failed (${err.name}). The request is marked refused so that no worker acts on it, and the next sweep proposes the fix again.`
    : `Approved, but queueing its command failed (${err.name}), and storage did not take the refusal either: the request stays approved with nothing done until the retention clean-up deletes it.`;
  return refused('not-queued', message, latest);
}

function refused(
  reason: RefusalReason,
  message: string,
  request: ApprovalRecord | null,
): Extract<DecideResult, { kind: 'refused' }> {
  return { kind: 'refused', reason, message, request };
}

/**
 * The limits are counted from the approvals already written, so two approvals counted at once would each find room
 * for one more and both be written: two reviewers (or one script posting every link of a digest) could pass
 * BLAST_RADIUS_MAX_DEVICES together. The count and the decision's write therefore happen under one claim of the
 * tenant's claims table; an approval arriving meanwhile is refused as busy rather than waited for (a person decides
 * again; nothing changed). The claim is released at once, and one left by a crashed instance expires.
 */
const APPROVAL_LOCK = { action: 'approval-decision', key: 'daily-limit', payloadHash: 'approval-limit' } as const;
const APPROVAL_LOCK_TTL_MS = 60_000;

async function underApprovalLock<T>(
  deps: DecideDeps,
  input: DecideInput,
  request: ApprovalRecord,
  now: number,
  body: () => Promise<T>,
): Promise<T | Extract<DecideResult, { kind: 'refused' }>> {
  const lock = await deps.claims.claim({
    ...APPROVAL_LOCK,
    owner: `${input.id}|${input.approver.slice(0, 200)}`,
    now,
    ttlMs: APPROVAL_LOCK_TTL_MS,
  });
  if (lock.kind !== 'claimed')
    return refused('busy', 'another approval is being decided at this moment: nothing changed, try again', request);
  try {
    return await body();
  } finally {
    await deps.claims.release(lock.claim).catch((err: unknown) => {
      // Left behind, it expires after APPROVAL_LOCK_TTL_MS; until then approvals are refused as busy.
      deps.logger.warn('approval.lock-not-released', { approvalId: input.id, error: ensureError(err).name });
    });
  }
}

async function limitReached(deps: DecideDeps, request: ApprovalRequest, now: number): Promise<string | null> {
  const since = now - DAY_MS;
  // Every approved request, not the newest few: lists are newest-made first, and a request made earlier may have been
  // decided later (it lives up to APPROVAL_EXPIRY_HOURS, a week), so the first few made could all have been decided
  // days ago while older ones approved today went uncounted. Approved requests are few (the store reads the whole
  // partition either way).
  const approved = await deps.approvals.list({ status: 'approved', limit: Number.MAX_SAFE_INTEGER });
  const lastDay = approved.filter((r) => (r.decidedAt ?? 0) > since).length;
  if (lastDay >= deps.policy.blastRadiusMaxDevices)
    return `${lastDay} destructive fixes were approved in the last 24 h: the limit is ${deps.policy.blastRadiusMaxDevices} (BLAST_RADIUS_MAX_DEVICES)`;
  const attempts = await deps.history.query({
    subjectKey: request.subjectKey,
    type: 'attempt',
    since,
    limit: deps.policy.maxAttemptsPerDay + 1,
  });
  if (attempts.items.length >= deps.policy.maxAttemptsPerDay)
    return `${attempts.items.length} writes to this device in the last 24 h reached the limit of ${deps.policy.maxAttemptsPerDay} (MAX_ATTEMPTS_PER_DAY)`;
  return null;
}

function commandFor(r: ApprovalRecord, deps: DecideDeps, now: number): RemediationCommand {
  const mode = modeFor(r.action, deps.policy);
  // The decision's time is in the key: a key made of the request id alone could be guessed before anyone decided,
  // and a forged message sent under it while the request was pending (refused, as it should be) completed the key's
  // claim, so the genuine command was dropped as its duplicate after the approval.
  const key = `${deps.tenant}:${r.action}:approval:${r.id}:${r.decidedAt ?? now}`;
  return {
    schemaVersion: 1,
    // Plan and enforce get different keys, as planRun gives them (a plan's completed claim must not stand in later).
    idempotencyKey: mode === 'plan' ? `${key}-plan` : key,
    action: r.action,
    tenant: deps.tenant,
    mode,
    target: { ...r.target, approvalId: r.id },
    reasons: [r.fingerprint],
    runId: `approval-${r.id}`,
    createdAt: new Date(now).toISOString(),
  };
}

function decisionRecord(r: ApprovalRecord, at: number): HistoryRecord {
  const what = actionModule(r.action).describe(r.target);
  const reason =
    r.status === 'approved'
      ? `approved by ${r.decidedBy ?? 'unknown'}: ${what}`
      : `rejected by ${r.decidedBy ?? 'unknown'}: ${what} will not be done; the finding stays open and is not proposed again while it lasts`;
  return {
    subjectKey: r.subjectKey,
    at,
    id: `approval|${r.id}|${r.status}`,
    runId: `approval-${r.id}`,
    type: 'decision',
    action: r.action,
    code: r.findingCode,
    idempotencyKey: null,
    mode: null,
    status: r.status,
    reason,
    attempt: 0,
    graphRequestId: null,
    before: { approvalId: r.id, fingerprint: r.fingerprint, approver: r.decidedBy },
    after: null,
  };
}
