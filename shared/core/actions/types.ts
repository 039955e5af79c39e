import type {
  ActionName,
  CommandTarget,
  Decision,
  Finding,
  Mode,
  RemediationCommand,
  RemedyTarget,
  Subject,
} from '../model/index.js';
import type { EvidenceFlags, PolicyContext } from '../policy/types.js';

// One remediation action = one module of this shape (core/actions/<name>.ts) plus its worker handler
// (app/remediation/handlers/<name>.ts). The registry (index.ts) is typed `{ [A in ActionName]: ActionModule<A> }`,
// so adding a name to ACTIONS does not compile until every piece below exists: which findings it answers (their
// remedy), how it is gated and described, how it counts toward the blast radius, how its decisions become queue
// commands, which history partitions it touches and what a queued target must look like.

/** An action's gates and caps in plain words; `{SETTING}` names a configuration key (remediation-table.ts). */
export interface RemediationRule {
  /** The Graph call the action makes. */
  readonly call: string;
  /** Every condition that must hold for the action to write; otherwise it alerts, defers or plans. */
  readonly gates: readonly string[];
  /** How often it may act. */
  readonly caps: readonly string[];
}

export type RemedyOf<A extends ActionName> = Extract<RemedyTarget, { readonly action: A }>;
export type TargetOf<A extends ActionName> = Extract<CommandTarget, { readonly action: A }>;

/** A decision that acts (remediate, with a remedy, mode plan or enforce) on action A. */
export type ActingOf<A extends ActionName> = Decision & { readonly remedy: RemedyOf<A> };

/** Builds a queue command with the run's tenant, run id and time; `key` is the idempotency key before the mode suffix. */
export type MakeCommand = (
  target: CommandTarget,
  mode: Mode,
  key: string,
  reasons: readonly string[],
) => RemediationCommand;

export interface PlanContext {
  readonly tenant: string;
  readonly now: number;
  readonly make: MakeCommand;
}

export interface ActionModule<A extends ActionName = ActionName> {
  readonly name: A;
  /** On when REMEDIATION_ACTIONS is not set. A new action is off by default until its module says otherwise. */
  readonly enabledByDefault: boolean;
  /**
   * Destructive: the policy never acts on it (its safetyGate always answers), its `commands` plan nothing, and the
   * worker writes only for an approved, unexpired request the command names (core/approvals, app/approvals).
   */
  readonly requiresApproval?: boolean;
  /** What one command acts on, for the outcome summary. */
  readonly subjectKind: Subject['kind'];
  /** Which fleet a blast-radius percentage of this action is taken of (blast-radius.ts: fleetFor). */
  readonly fleet: 'autopilot' | 'device-preparation';
  /** Gates and caps in plain words for the README table (remediation-table.ts renders it). */
  readonly rule: RemediationRule;
  /** The remedy in an operator's words: "unblock the next enrollment of device SN-1". */
  describe(remedy: RemedyOf<A>): string;
  /** What one enforce-mode decision writes to, for the blast radius: `device|…`, `group|…` or `tenant|…`. */
  blastTarget(remedy: RemedyOf<A>): string;
  /** Why acting on this finding is unsafe (alert only), or null. Limits (cooldown, daily cap) come after, in decide.ts. */
  safetyGate(finding: Finding, remedy: RemedyOf<A>, flags: EvidenceFlags, ctx: PolicyContext): string | null;
  /** This run's queue commands for the action's acting decisions: one per target, coalesced or batched. */
  commands(acting: readonly ActingOf<A>[], ctx: PlanContext): RemediationCommand[];
  /** History partitions a command touches, keyed exactly as the detectors key the findings it answers. */
  subjectKeys(target: TargetOf<A>): string[];
  /** What is wrong with a queued target's ids (not GUIDs, unbounded serials…); [] when nothing. */
  targetProblems(target: TargetOf<A>): string[];
}

export type ActionRegistry = { readonly [A in ActionName]: ActionModule<A> };
