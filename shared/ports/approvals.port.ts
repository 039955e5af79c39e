import type { ApprovalAction, ApprovalRequest, ApprovalStatus } from '../core/approvals/index.js';
import type { OutcomeStatus } from '../core/model/index.js';

// Approval requests for the destructive actions (core/approvals). Adapters: Azure Table Storage
// (adapters/tables/approval-store.ts) and in-memory; both pass test/contract/approval-store.contract.ts.

/** A stored request with the ETag its decision is conditional on. */
export interface ApprovalRecord extends ApprovalRequest {
  readonly etag: string;
}

export interface ApprovalDecision {
  readonly status: Extract<ApprovalStatus, 'approved' | 'rejected'>;
  readonly by: string;
  readonly at: number;
}

export interface ApprovalStore {
  /** Insert; false when a request with this id already exists (the same proposal made twice). */
  create(request: ApprovalRequest): Promise<boolean>;
  get(id: string): Promise<ApprovalRecord | null>;
  /** Newest first, at most `limit`; `status` filters on the stored status. */
  list(query: { readonly status?: ApprovalStatus; readonly limit: number }): Promise<ApprovalRecord[]>;
  /** Every request made for this finding fingerprint and action, newest first. */
  forFinding(fingerprint: string, action: ApprovalAction): Promise<ApprovalRecord[]>;
  /**
   * pending → approved | rejected, conditional on the record's ETag: exactly one decision wins. null when the
   * record changed since it was read (someone else decided first) or is gone.
   */
  decide(record: ApprovalRecord, decision: ApprovalDecision): Promise<ApprovalRecord | null>;
  /** The worker's outcome of the approved command (the latest wins). */
  recordExecution(
    id: string,
    execution: { readonly status: OutcomeStatus; readonly detail: string; readonly at: number },
  ): Promise<void>;
  /**
   * Deletes the requests retired before `cutoff` (core `retiredBefore`: decided or long expired, nothing after the
   * cutoff) and returns how many. A request changed since it was read (a decision, an execution) is kept.
   */
  deleteOlderThan(cutoff: number): Promise<number>;
}
