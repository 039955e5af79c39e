import type { DevicePrepGroupRule } from '../../core/detect/index.js';
import type { GovernorSettings, WriteBudget } from '../../core/governor/index.js';
import type { PolicySettings } from '../../core/policy/index.js';
import type {
  AlertSink,
  ApprovalStore,
  DeviceLookupReader,
  AutopilotReader,
  ClaimStore,
  Clock,
  DirectoryReader,
  FindingStore,
  GovernorStore,
  HistoryStore,
  IntuneActions,
  Logger,
  RemediationQueue,
  RunOutcomeStore,
} from '../../ports/index.js';

/**
 * What executing a remediation needs. The composition root builds it once per host (the logger may be per
 * invocation); tests pass in-memory stores, a scripted or simulator-backed Graph and a fixed clock.
 */
export interface RemediationDeps {
  readonly tenant: string;
  /** This worker instance (claims and the governor row name their holder). */
  readonly owner: string;
  readonly claims: ClaimStore;
  readonly governor: GovernorStore;
  readonly history: HistoryStore;
  readonly findings: FindingStore;
  /** Per run, the commands queued and their outcomes: the last one done sends the run's outcome summary. */
  readonly runOutcomes: RunOutcomeStore;
  readonly queue: RemediationQueue;
  readonly actions: IntuneActions;
  readonly autopilot: AutopilotReader;
  readonly directory: DirectoryReader;
  /** One sink (the composition root fans out to Teams/webhook and de-duplicates). */
  readonly alerts: AlertSink;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a claim protects in-progress work before another delivery may take it over (CLAIM_TTL_SECONDS). */
  readonly claimTtlMs: number;
  /**
   * The CURRENT configuration's policy: the worker acts with the stricter of a message's mode and this one's mode
   * for the action, so a message can never raise its own privileges (or outlive a switch to plan or off).
   */
  readonly policy: PolicySettings;
  /**
   * DEVICE_PREP_GROUPS: the only groups ever written, with the policy name whose devices belong in each. The worker
   * re-checks both before every group write.
   */
  readonly devicePrepGroups: readonly DevicePrepGroupRule[];
  readonly governorSettings?: GovernorSettings;
  /**
   * The app-wide write budget the poll spreads a run's writing commands over, when they run on other instances
   * (Service Bus). Null when the queue is drained in this process, whose own write limiter already paces them.
   */
  readonly writePacing?: WriteBudget | null;
  /**
   * Approval requests: the destructive actions write only for an approved request the command names (absent = they
   * refuse every command).
   */
  readonly approvals?: ApprovalStore;
  /**
   * APPROVAL_EXPIRY_HOURS: an approved request not carried out within as long after its decision is stale (its
   * command was lost), and the fix is asked again instead. Absent = no such limit.
   */
  readonly approvalExpiryMs?: number;
  /** Reads one Intune record by id, for the re-check before deleting it (absent = that action refuses). */
  readonly managedDevices?: Pick<DeviceLookupReader, 'getManagedDevice'>;
}

/** Enqueueing needs less: no Graph; claims only read (a command already run gives its outcome to the new run). */
export type EnqueueDeps = Pick<
  RemediationDeps,
  'tenant' | 'claims' | 'governor' | 'history' | 'runOutcomes' | 'queue' | 'alerts' | 'clock' | 'logger' | 'writePacing'
>;
