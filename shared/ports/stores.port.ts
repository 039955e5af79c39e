import type { ActionName, Mode, OutcomeStatus, RemedyTarget, Severity, Subject } from '../core/model/index.js';
import type { PacingHorizon, UnlistedReasons } from '../core/governor/index.js';
import type { ApprovalStore } from './approvals.port.js';

// Storage ports. Adapters: Azure Table Storage (adapters/tables) and in-memory (adapters/inprocess).
// Both must pass the same contract suites in test/contract. Times are epoch milliseconds.

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to get the next page. null = last page. */
  readonly continuationToken: string | null;
}

export type HistoryEventType =
  | 'decision'
  | 'outcome'
  | 'finding-opened'
  | 'finding-resolved'
  | 'alert'
  | 'invalid-message'
  | 'run'
  /** Written BEFORE a tenant write, naming the exact Graph call: no write happens without it. */
  | 'attempt';

export interface HistoryRecord {
  /** Partition: device serial, group id or 'tenant'. */
  readonly subjectKey: string;
  readonly at: number;
  /** Unique within the subject; with `at` it forms the row key (newest first). */
  readonly id: string;
  readonly runId: string;
  readonly type: HistoryEventType;
  readonly action: ActionName | null;
  readonly code: string | null;
  readonly idempotencyKey: string | null;
  readonly mode: Mode | null;
  /** Decision kind or outcome status. */
  readonly status: string;
  readonly reason: string;
  readonly attempt: number;
  readonly graphRequestId: string | null;
  readonly before: Json;
  readonly after: Json;
}

export interface HistoryQuery {
  readonly subjectKey?: string;
  readonly action?: ActionName;
  readonly status?: string;
  readonly type?: HistoryEventType;
  readonly since?: number;
  readonly until?: number;
  readonly limit: number;
  readonly continuationToken?: string | null;
}

export interface HistoryStore {
  append(records: readonly HistoryRecord[]): Promise<void>;
  /** Newest first within a subject; across subjects, newest first per page. */
  query(q: HistoryQuery): Promise<Page<HistoryRecord>>;
  deleteOlderThan(cutoff: number): Promise<number>;
}

export type FindingStatus = 'open' | 'resolved';

export interface FindingRecord {
  readonly subjectKey: string;
  readonly code: string;
  readonly fingerprint: string;
  readonly severity: Severity;
  readonly title: string;
  readonly status: FindingStatus;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly resolvedAt: number | null;
  /** Remediation attempts so far (for the per-device limits). */
  readonly attempts: number;
  readonly lastAttemptAt: number | null;
  /**
   * What the detector observed, exactly as it recorded it: the one stored copy of a finding's evidence. History
   * rows (opened, resolved, decision) name the finding's fingerprint instead of copying it.
   */
  readonly evidence: Json;
  /** What the finding is about. Absent only on rows an older version wrote (the adapter recovers it when it can). */
  readonly subject?: Subject;
  /** The fix the finding asked for when it was last seen, or null. */
  readonly remedy?: RemedyTarget | null;
}

export interface FindingStore {
  get(subjectKey: string, code: string): Promise<FindingRecord | null>;
  listOpen(): Promise<FindingRecord[]>;
  listBySubject(subjectKey: string): Promise<FindingRecord[]>;
  upsertMany(records: readonly FindingRecord[]): Promise<void>;
}

export type ClaimStatus = 'in-progress' | 'completed';

export interface ClaimRecord {
  readonly action: string;
  readonly key: string;
  readonly status: ClaimStatus;
  readonly payloadHash: string;
  readonly owner: string;
  readonly claimedAt: number;
  readonly expiresAt: number;
  readonly outcome: Json;
  readonly etag: string;
}

export type ClaimResult =
  | { readonly kind: 'claimed'; readonly claim: ClaimRecord; readonly tookOver: boolean }
  | { readonly kind: 'completed'; readonly claim: ClaimRecord }
  | { readonly kind: 'in-progress'; readonly claim: ClaimRecord }
  | { readonly kind: 'payload-mismatch'; readonly claim: ClaimRecord };

export interface ClaimStore {
  /** Atomic: create, or take over an expired in-progress claim with an ETag-conditional write. */
  claim(input: {
    action: string;
    key: string;
    payloadHash: string;
    owner: string;
    now: number;
    ttlMs: number;
  }): Promise<ClaimResult>;
  /** ETag-conditional; returns false if someone else changed the claim since. */
  complete(claim: ClaimRecord, outcome: Json, now: number): Promise<boolean>;
  /** ETag-conditional release of an in-progress claim (transient failure: let a redelivery retry). */
  release(claim: ClaimRecord): Promise<boolean>;
  /**
   * ETag-conditional: keep an in-progress claim until `until` (its new expiry), with `outcome` saying why. A write
   * Graph throttled is held so: no delivery of its key writes again before the Retry-After. Null if someone else
   * changed the claim since.
   */
  hold(claim: ClaimRecord, until: number, outcome: Json): Promise<ClaimRecord | null>;
  get(action: string, key: string): Promise<ClaimRecord | null>;
  deleteOlderThan(cutoff: number): Promise<number>;
}

export interface GovernorState {
  readonly tenant: string;
  /** Last time WE triggered a sync (epoch ms), or null. */
  readonly lastTriggeredAt: number | null;
  /** Earliest time a sync may be triggered. */
  readonly nextAllowedAt: number | null;
  /** Coalesced reasons (finding fingerprints) waiting for the next sync: at most MAX_LISTED_SYNC_REASONS listed. */
  readonly pendingReasons: readonly string[];
  /** Reasons waiting beyond the listed ones (core/governor/pending-reasons.ts), or null. */
  readonly unlisted: UnlistedReasons | null;
  /** A scheduled command exists for this time (epoch ms), so no second one is scheduled. */
  readonly scheduledFor: number | null;
  /** Instance currently allowed to call sync, and until when. */
  readonly holder: string | null;
  readonly holderUntil: number | null;
  /** The write pacing handed out by earlier polls (core/governor/write-pacing.ts). */
  readonly pacing: PacingHorizon;
  readonly etag: string | null;
}

export interface GovernorStore {
  get(tenant: string): Promise<GovernorState>;
  /** ETag-conditional write (etag null = must not exist yet). Returns the new state, or null on conflict. */
  put(state: GovernorState): Promise<GovernorState | null>;
}

export interface Watermark {
  readonly stream: string;
  readonly value: number;
  /** Event ids already seen inside the overlap window, for de-duplication. */
  readonly seenIds: readonly string[];
}

export interface WatermarkStore {
  get(tenant: string, stream: string): Promise<Watermark | null>;
  put(tenant: string, mark: Watermark): Promise<void>;
}

export interface AlertStateRecord {
  readonly channel: string;
  readonly dedupeKey: string;
  readonly lastSentAt: number;
  readonly count: number;
  readonly lastStatus: string;
  /**
   * When the cooldown window of the current send opened: a re-send after a failure keeps it, so the re-sent
   * message keeps its id. Absent on rows written before it was recorded (lastSentAt is the best guess then).
   */
  readonly windowOpenedAt?: number;
}

export interface AlertStateStore {
  get(channel: string, dedupeKey: string): Promise<AlertStateRecord | null>;
  /**
   * Atomically claim the right to send for this window: false if already sent since `windowStart`. The row
   * records `windowOpenedAt` (default `now`: a new window; a re-send passes the window's original opening).
   */
  tryAcquire(
    channel: string,
    dedupeKey: string,
    now: number,
    windowStart: number,
    windowOpenedAt?: number,
  ): Promise<boolean>;
  recordResult(channel: string, dedupeKey: string, status: string): Promise<void>;
}

export interface ReportRecord {
  readonly id: string;
  readonly at: number;
  readonly summary: Json;
  /** Full report body (JSON string); adapters may split it across properties. */
  readonly body: string;
}

export interface ReportStore {
  put(report: ReportRecord): Promise<void>;
  latest(): Promise<ReportRecord | null>;
  list(limit: number): Promise<ReportRecord[]>;
  deleteOlderThan(cutoff: number): Promise<number>;
}

export interface RunLockStore {
  /** Claim a scheduled run slot (e.g. `poll:2026-11-22T10:05:00Z`); false if it already ran or runs. */
  tryStartRun(slot: string, now: number): Promise<boolean>;
}

/** One command a run queued, and (once the worker is done with it) its outcome. */
export interface RunCommandRecord {
  readonly idempotencyKey: string;
  readonly action: ActionName;
  /** What a person reads for each target: serial and device name, or the group's name (never a bare object id when a name is known). */
  readonly subjects: readonly string[];
  readonly status: OutcomeStatus | null;
  readonly detail: string | null;
  readonly finishedAt: number | null;
}

/**
 * Per run, the commands it queued and their outcomes, so the outcome summary goes out once the last of them is
 * done — wherever the worker runs (in-process, or one of many Service Bus consumers).
 */
export interface RunOutcomeStore {
  /** Written before the commands are sent, at `at` (epoch ms), from which retention (deleteOlderThan) counts. */
  expect(
    runId: string,
    commands: readonly Pick<RunCommandRecord, 'idempotencyKey' | 'action' | 'subjects'>[],
    at: number,
  ): Promise<void>;
  /** The outcome of an expected command (the latest wins); false when the run never queued that key. */
  record(
    runId: string,
    idempotencyKey: string,
    outcome: { readonly status: OutcomeStatus; readonly detail: string },
    at: number,
  ): Promise<boolean>;
  list(runId: string): Promise<RunCommandRecord[]>;
  /**
   * The runs that expect this key (written by `expect`; at most MAX_RUNS_PER_KEY, in no promised order). A later
   * poll's copy of a queued command can be dropped as a duplicate message id, so the message that does run it
   * records its outcome into these runs too (app/remediation/run-outcome.ts).
   */
  runsExpecting(idempotencyKey: string): Promise<string[]>;
  /**
   * Deletes what `expect` wrote before `cutoff` (the runs' command rows and their key index), finished or not: a run
   * whose command was lost would otherwise stay open, and its rows, for ever. Returns how many rows went.
   */
  deleteOlderThan(cutoff: number): Promise<number>;
}

/** Runs listed per key by `RunOutcomeStore.runsExpecting`: a key waits for a few polls, not hundreds. */
export const MAX_RUNS_PER_KEY = 100;

export interface Stores {
  readonly history: HistoryStore;
  readonly findings: FindingStore;
  readonly claims: ClaimStore;
  readonly governor: GovernorStore;
  readonly watermarks: WatermarkStore;
  readonly alerts: AlertStateStore;
  readonly reports: ReportStore;
  readonly runs: RunLockStore;
  readonly runOutcomes: RunOutcomeStore;
  /** Approval requests for the destructive actions. */
  readonly approvals: ApprovalStore;
  /** One cheap read per table, for the health check; absent where there are no tables to reach (in memory). */
  readonly probeTables?: () => Promise<TableReach[]>;
}

export interface TableReach {
  readonly table: string;
  readonly ok: boolean;
  readonly detail: string;
}
