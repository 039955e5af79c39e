import {
  isStale,
  stateChanges,
  stateFromIdentity,
  targetKeyOf,
  type ApprovalAction,
  type ApprovalTarget,
} from '../../../core/approvals/index.js';
import { sameSerial, type TargetOf } from '../../../core/actions/index.js';
import type { AutopilotDevice } from '../../../core/model/index.js';
import type { ApprovalRecord } from '../../../ports/index.js';
import type { RemediationDeps } from '../deps.js';

// What every destructive command must prove before its pre-check reads the tenant: a person approved exactly this
// request — same tenant, action and target — and the finding it answers is still open with the fingerprint the
// person saw. Then the Autopilot record must read as it did when the fix was proposed. Any difference is a refusal,
// recorded in history: the person approved something that no longer exists.

export type Approved =
  | { readonly ok: true; readonly request: ApprovalRecord; readonly before: Record<string, unknown> }
  | {
      readonly ok: false;
      /**
       * The request this command proved it carries out (same tenant, action and target, approved), refused because
       * the state changed since; null when the command did not prove that (see matchedRequest).
       */
      readonly request: ApprovalRecord | null;
      readonly before: Record<string, unknown>;
      readonly detail: string;
    };

type DestructiveTarget = TargetOf<'delete-intune-device-record'> | TargetOf<'deregister-autopilot-device'>;

/** The command's target without the approval id: what the request names. */
function requestedTarget(t: DestructiveTarget): ApprovalTarget {
  const { approvalId: _approvalId, ...rest } = t;
  return rest;
}

export type Matched =
  | { readonly ok: true; readonly request: ApprovalRecord; readonly before: Record<string, unknown> }
  | { readonly ok: false; readonly before: Record<string, unknown>; readonly detail: string };

/**
 * Is this command the one a person approved: the request exists, is for this tenant, action and target, is approved
 * and was not refused before? Only such a command may write its outcome onto the request (approval-outcome.ts). Any
 * queue sender can name an existing request, so a command failing this proves nothing about the request: its
 * refusal goes to history only, or one forged message sent while a request is pending would be the request's final
 * refusal and the genuine command would be refused after the person approves.
 */
export async function matchedRequest(
  action: ApprovalAction,
  t: DestructiveTarget,
  deps: RemediationDeps,
): Promise<Matched> {
  const before: Record<string, unknown> = { approvalId: t.approvalId };
  const refuse = (detail: string): Matched => ({ ok: false, before, detail: `${detail}; not written` });
  if (deps.approvals === undefined) return refuse('no approval store is configured for this worker');
  const request = await deps.approvals.get(t.approvalId);
  if (request === null) return refuse(`there is no approval request ${t.approvalId}`);
  if (request.tenant !== deps.tenant || request.action !== action)
    return refuse(`approval request ${t.approvalId} is for another tenant or action`);
  if (targetKeyOf(request.target) !== targetKeyOf(requestedTarget(t)))
    return refuse(`the command's target is not the one approval request ${t.approvalId} names`);
  before.approvedBy = request.decidedBy;
  if (request.status !== 'approved')
    return refuse(`approval request ${t.approvalId} is ${request.status}, not approved`);
  // A refusal is final for its request (a fix asked again is a new request): one recorded when the command could not
  // be queued must hold even if the queue took the message after all.
  if (request.execution?.status === 'refused')
    return refuse(`approval request ${t.approvalId} was refused before: ${request.execution.detail}`);
  // An approval is used once. Its one command records an execution only after completing its claim, so a redelivery
  // of that command stops at the claim (duplicate) before it gets here; any other command naming a request already
  // carried out — planned while the action was in plan mode, failed, unverified — would act on a decision the person
  // made about another run. Only a throttled write, which re-sends that same command for later, may come back.
  if (request.execution !== null && request.execution.status !== 'deferred')
    return refuse(
      `approval request ${t.approvalId} was already carried out (${request.execution.status}): an approval is used once`,
    );
  return { ok: true, request, before };
}

export async function approvedRequest(
  action: ApprovalAction,
  t: DestructiveTarget,
  deps: RemediationDeps,
): Promise<Approved> {
  const matched = await matchedRequest(action, t, deps);
  if (!matched.ok) return { ...matched, request: null };
  const { request, before } = matched;
  // From here on the command is the approved one and a refusal is the tenant's state changing: final for the request.
  const refuse = (detail: string): Approved => ({ ok: false, request, before, detail: `${detail}; not written` });
  // A decision is about the device as the person saw it then. A command turning up long after (lost in between: its
  // tenant briefly out of the configuration, dead-lettered through an outage) would act on a stale decision, and
  // the sweeps have asked for the fix again by then (approvals/propose.ts isStale).
  if (isStale(request, deps.clock.now(), deps.approvalExpiryMs))
    return refuse(
      `approval request ${request.id} was approved ${new Date(request.decidedAt ?? 0).toISOString()} and not carried out within APPROVAL_EXPIRY_HOURS: the fix is asked again`,
    );
  const finding = await deps.findings.get(request.subjectKey, request.findingCode);
  if (finding === null || finding.status !== 'open')
    return refuse(`state changed since the proposal: finding ${request.findingCode} is no longer open`);
  if (finding.fingerprint !== request.fingerprint)
    return refuse(
      `state changed since the proposal: finding ${request.findingCode} now has fingerprint ${finding.fingerprint}, the approval was for ${request.fingerprint}`,
    );
  return { ok: true, request, before };
}

/** The Autopilot record as the proposal recorded it, or why it no longer is. */
export function identityUnchanged(request: ApprovalRecord, identity: AutopilotDevice | null): string | null {
  if (identity === null) return 'state changed since the proposal: the Autopilot record no longer exists';
  // The record the request names must still be the device the person approved: the same id now carrying another
  // serial number is another device's record, whatever its state fields say.
  if (!sameSerial(identity.serialNumber, request.target.serialNumber))
    return `state changed since the proposal: the Autopilot record's serial number is not the approved ${request.target.serialNumber}`;
  const changes = stateChanges(request.state, stateFromIdentity(identity));
  return changes.length === 0 ? null : `state changed since the proposal: ${changes.join(', ')}`;
}
