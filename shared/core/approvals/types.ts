import type { RemedyOf } from '../actions/types.js';
import type { Citation } from '../catalog/learn.js';
import type { Evidence, OutcomeStatus } from '../model/index.js';

// An approval request: one destructive fix the documentation prescribes for one finding, waiting for a person.
// It records everything the reviewer needs (what will be deleted, why, the evidence and the exact state read) and
// everything the worker re-checks before it writes (target, finding fingerprint, that state).

/** The actions that only run after a person's approval (their modules say `requiresApproval`). */
export const APPROVAL_ACTIONS = ['delete-intune-device-record', 'deregister-autopilot-device'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

export function isApprovalAction(action: string): action is ApprovalAction {
  return (APPROVAL_ACTIONS as readonly string[]).includes(action);
}

export type ApprovalTarget = RemedyOf<'delete-intune-device-record'> | RemedyOf<'deregister-autopilot-device'>;

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** What a proposal states about its target when it was made; the worker refuses when a re-read differs. */
export type TargetState = Readonly<Record<string, string | null>>;

export interface ApprovalRequest {
  /** 32 hex digits (ids.ts). */
  readonly id: string;
  readonly tenant: string;
  readonly action: ApprovalAction;
  readonly target: ApprovalTarget;
  /** The finding this fixes: its code, subject partition and fingerprint at the time of the proposal. */
  readonly findingCode: string;
  readonly subjectKey: string;
  readonly fingerprint: string;
  readonly findingTitle: string;
  /** The finding's evidence as the detector recorded it. */
  readonly evidence: Evidence;
  /** The target's state as read for the proposal (compared again before the write). */
  readonly state: TargetState;
  /** Why the documentation prescribes this fix here, in plain words. */
  readonly reason: string;
  /** Where it is documented. */
  readonly docs: readonly Citation[];
  /** Who or what proposed it (the run). */
  readonly proposedBy: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly status: ApprovalStatus;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
  /** The worker's outcome once the approved command ran. */
  readonly execution: {
    readonly status: OutcomeStatus;
    readonly detail: string;
    readonly at: number;
  } | null;
}

/** Pending and past its expiry: can no longer be approved. */
export function isExpired(r: Pick<ApprovalRequest, 'status' | 'expiresAt'>, now: number): boolean {
  return r.status === 'pending' && now >= r.expiresAt;
}

/**
 * Approved, and not carried out (no execution, or only a throttled one waiting) for `expiryMs` after the decision:
 * its command was lost. Neither the worker nor the sweeps wait on it any longer; the fix is asked again.
 */
export function isStale(
  r: Pick<ApprovalRequest, 'status' | 'decidedAt' | 'execution'>,
  now: number,
  expiryMs: number | undefined,
): boolean {
  if (r.status !== 'approved' || r.decidedAt === null || expiryMs === undefined) return false;
  if (r.execution !== null && r.execution.status !== 'deferred') return false;
  return now >= r.decidedAt + expiryMs;
}

/**
 * A request the retention clean-up may delete: nothing can happen to it any more and everything that did happened
 * before `cutoff` (its proposal, decision and execution, and for one never decided, its expiry). A pending request
 * is kept until it has been expired for as long as the history is kept, so it is never deleted while it can still
 * be approved.
 */
export function retiredBefore(
  r: Pick<ApprovalRequest, 'status' | 'createdAt' | 'expiresAt' | 'decidedAt' | 'execution'>,
  cutoff: number,
): boolean {
  const last = Math.max(r.createdAt, r.decidedAt ?? 0, r.execution?.at ?? 0, r.status === 'pending' ? r.expiresAt : 0);
  return last < cutoff;
}

/** What a person sees as the request's state. */
export function displayStatus(r: ApprovalRequest, now: number): string {
  if (isExpired(r, now)) return 'expired';
  if (r.status === 'approved' && r.execution !== null) return `approved, ${r.execution.status}`;
  return r.status;
}
