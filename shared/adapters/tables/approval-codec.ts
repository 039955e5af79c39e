import {
  APPROVAL_STATUSES,
  isApprovalAction,
  type ApprovalRequest,
  type ApprovalStatus,
  type ApprovalTarget,
  type TargetState,
} from '../../core/approvals/index.js';
import type { Citation } from '../../core/catalog/index.js';
import { OUTCOME_STATUSES, type Evidence, type OutcomeStatus } from '../../core/model/index.js';

// An approval request's structured parts (target, evidence, state, docs, execution) are stored as JSON text and
// checked on the way back: a row an older version or a person edited must fail as "unreadable", never reach the
// worker as a target it would act on.

export interface ApprovalParts {
  readonly target: ApprovalTarget;
  readonly evidence: Evidence;
  readonly state: TargetState;
  readonly docs: readonly Citation[];
}

export function partsOf(r: ApprovalRequest): ApprovalParts {
  return { target: r.target, evidence: r.evidence, state: r.state, docs: r.docs };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The stored parts, or throws naming what is wrong. */
export function readParts(value: unknown, action: string): ApprovalParts {
  if (!isRecord(value)) throw new Error('approval parts are not an object');
  const { target, evidence, state, docs } = value;
  if (!isRecord(target) || target['action'] !== action || !isApprovalAction(action))
    throw new Error('approval target does not match its action');
  if (!isRecord(evidence) || !isRecord(state) || !Array.isArray(docs)) throw new Error('approval parts are malformed');
  return {
    target: target as unknown as ApprovalTarget,
    evidence: evidence as Evidence,
    state: state as TargetState,
    docs: docs as Citation[],
  };
}

export function readStatus(value: string | null): ApprovalStatus {
  if (value !== null && (APPROVAL_STATUSES as readonly string[]).includes(value)) return value as ApprovalStatus;
  throw new Error(`unknown approval status ${JSON.stringify(value)}`);
}

export function readOutcomeStatus(value: string | null): OutcomeStatus | null {
  return value !== null && (OUTCOME_STATUSES as readonly string[]).includes(value) ? (value as OutcomeStatus) : null;
}
