import type { GraphWrite } from '../attempt.js';

// What a targeted action's worker handler does, step by step: re-derive the target from the tenant and the current
// configuration (does the finding still apply, and is this write one we would have planned ourselves?), name the
// exact write, make it, and re-read to verify. Pre-checks read Graph fresh: the poll's snapshot may be minutes old,
// and the message itself proves nothing. The lifecycle around it (claim, attempt row, outcome) is targeted.ts.

export type Verdict =
  /** Still needed: write `work`. */
  | { readonly kind: 'act'; readonly before: Record<string, unknown>; readonly work: readonly string[] }
  /** Already in the desired state (fixed by someone, or by a crashed earlier delivery of this command). */
  | { readonly kind: 'clear'; readonly before: Record<string, unknown>; readonly detail: string }
  /** The target is gone: nothing to do. */
  | { readonly kind: 'gone'; readonly before: Record<string, unknown> | null; readonly detail: string }
  /** Writing now would be unsafe or useless, or the message asks for something we would never plan: a person must look. */
  | { readonly kind: 'refuse'; readonly before: Record<string, unknown>; readonly detail: string };

export interface WriteDone {
  readonly requestId: string | null;
  /** Graph said every item was already in the desired state (400 "already a member/owner"). */
  readonly alreadyDone: boolean;
  /** Per written item (object id) whether it was already done. */
  readonly items: ReadonlyMap<string, boolean>;
  /** Items Graph refused for good (e.g. 404 no such object) while the rest went through: id -> why. */
  readonly failed: ReadonlyMap<string, { readonly message: string; readonly requestId: string | null }>;
}

/** A write on one object: its result as the handler reports it. */
export function oneItemDone(
  id: string,
  r: { readonly requestId: string | null; readonly alreadyDone: boolean },
): WriteDone {
  return {
    requestId: r.requestId,
    alreadyDone: r.alreadyDone,
    items: new Map([[id, r.alreadyDone]]),
    failed: new Map(),
  };
}

export interface Verified {
  readonly state: Record<string, unknown>;
  /** Does the re-read show the desired state? null = this read does not judge it. */
  readonly proven: boolean | null;
}

export interface TargetHandler {
  precheck(): Promise<Verdict>;
  /** The exact Graph write for `work` (the attempt row and plan mode record exactly this). */
  write(work: readonly string[]): GraphWrite;
  act(work: readonly string[]): Promise<WriteDone>;
  verify(): Promise<Verified>;
  /** Success is recorded only when the re-read proves it: a failed or inconclusive read makes it 'unverified'. */
  readonly proofRequired: boolean;
  /**
   * For an action that needs approval: the approval request this command proved, in its pre-check, to carry out
   * (approval-check.ts matchedRequest); null before the pre-check or when it did not. Only then is the outcome
   * written onto the request.
   */
  approvalRequestId?(): string | null;
  /** A batched target (several items in one write): each item gets its own history row. Absent = one per subject. */
  readonly items?: TargetItems;
}

export interface TargetItems {
  /** The ids written, in the order of the target's subject keys (core/actions: subjectKeys). */
  readonly ids: readonly string[];
  /** This item's slice of a before or after state. */
  state(state: Record<string, unknown> | null, id: string): Record<string, unknown> | null;
  /**
   * Does this after state show this item done? null = it does not say. When the outcome is 'unverified', an item
   * it shows done is recorded as succeeded and the rest stay unverified; absent = every written item stays unverified.
   */
  proven?(state: Record<string, unknown> | null, id: string): boolean | null;
  /** What one item is, in an operator's words ("member"). */
  readonly noun: string;
  /** The outcome of an item that needed no write. */
  readonly skippedDetail: string;
}
