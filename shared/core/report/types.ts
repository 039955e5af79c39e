import type { ActionName, ProfileAssignmentStatus, Severity, SyncStatus } from '../model/index.js';
import type { CappedList, DayBucket, DeviceRow, GroupRow, OpenFindingRow, RemediationRow } from './row-types.js';

export * from './row-types.js';

// The compliance report is stored (ReportRecord.body) and read back by the dashboard, the CLI and the
// integration test that compares every figure with what a simulator scenario planted. So each figure below
// is defined once, here, in words precise enough to be re-counted by hand. Times are epoch ms.
// `type` aliases (not interfaces) so the whole report is structurally plain JSON.

export type ComplianceSummary = {
  /** Autopilot device identities in the snapshot (snapshot.identities.length; a full sweep reads them all). */
  readonly totalDevices: number;
  /** Identities per deploymentProfileAssignmentStatus; every status is present (0 when none), incl. 'unknown'. */
  readonly profileAssignment: Readonly<Record<ProfileAssignmentStatus, number>>;
  /** Identities with userlessEnrollmentStatus = 'blocked' OR enrollmentState = 'blocked' (each device once). */
  readonly blocked: number;
  /** Identities with remediationState = 'automaticRemediationRequired' (portal: "Fix pending"). */
  readonly fixPending: number;
  /** Identities with remediationState = 'manualRemediationRequired' (portal: "Attention required"). */
  readonly attentionRequired: number;
  /**
   * Identities whose last Autopilot contact (lastContactedAt) is known and strictly older than
   * `now - staleDays` days AND whose Intune record (found by managedDeviceId, else serial, else Entra deviceId)
   * is absent, never checked in, or last checked in before that same cutoff. Autopilot contact alone dates the
   * last deployment, not the last use, so a device in daily use is never stale. (Catalog AP_REGISTRATION_STALE.)
   */
  readonly stale: number;
  /**
   * Identities with enrollmentState = 'notContacted', no Intune record, and a known registration time (newest
   * import of the serial, or creation of its Entra object) strictly older than `now - staleDays` days. Fresh
   * stock waiting to be issued is not counted. (Catalog AP_REGISTERED_NEVER_ENROLLED.)
   */
  readonly neverEnrolled: number;
  /**
   * Identities missing a counterpart. `noEntraObject`: azureAdDeviceId is null, the all-zero GUID, or not the
   * deviceId of any Entra device in the snapshot (sweep list or device-prep candidates; case-insensitive).
   * `noIntuneRecord`: the identity has a managedDeviceId or enrollmentState = 'enrolled', but no Intune record
   * is found for it (by id, serial or Entra deviceId). Each part is null when the snapshot did not read that
   * collection in full (absence cannot be proven). `total` counts devices with either problem, once.
   * (Catalog AP_ENTRA_OBJECT_MISSING, AP_MANAGED_DEVICE_MISSING.)
   */
  readonly orphaned: {
    readonly total: number;
    readonly noEntraObject: number | null;
    readonly noIntuneRecord: number | null;
  };
  /**
   * Serial numbers (trimmed, case-insensitive, empty ignored) held by two or more identities: `serials` is
   * the number of such serial numbers, `devices` the number of identities holding one of them.
   */
  readonly duplicateSerials: { readonly serials: number; readonly devices: number };
  /**
   * Intune managed devices of the Autopilot fleet — autopilotEnrolled = true, or the Intune record of an
   * identity — with complianceState = 'noncompliant' (not conflict/error/grace). No settling-time grace: this
   * is the state; the AP_MANAGED_NONCOMPLIANT finding adds the grace before alerting.
   */
  readonly noncompliant: number;
  /**
   * Intune managed devices of the Autopilot fleet (as for `noncompliant`) whose last check-in (lastSyncAt) is
   * null or strictly older than `now - checkinStaleDays` days.
   */
  readonly notCheckedIn: number;
  /**
   * Configured device-preparation groups. Healthy = the group exists, has assigned (not dynamic) membership,
   * the Intune Provisioning Client (by appId) is an owner, and every candidate device is a member.
   */
  readonly devicePrepGroups: { readonly total: number; readonly healthy: number; readonly unhealthy: number };
  /** The tenant-wide Autopilot sync as read from windowsAutopilotSettings; 'unread' when the read gave nothing. */
  readonly sync: {
    readonly status: SyncStatus | 'unread';
    readonly lastSyncAt: number | null;
    readonly lastManualSyncTriggerAt: number | null;
    /** Whole minutes since lastSyncAt, or null. */
    readonly minutesSinceLastSync: number | null;
    /** Settings were read and the last sync did not fail. */
    readonly healthy: boolean;
  };
  /**
   * History records of type 'outcome' with periodStart <= at <= now: `total`, per status, per action and
   * status, and per UTC day (by outcome group: fixed = succeeded|already-done; failed = failed-*|refused;
   * other = no-longer-applies|duplicate|anything else).
   */
  readonly remediations: {
    readonly total: number;
    readonly byStatus: Readonly<Record<string, number>>;
    readonly byAction: readonly {
      readonly action: ActionName | 'none';
      readonly status: string;
      readonly count: number;
    }[];
    readonly byDay: readonly DayBucket[];
  };
  /**
   * Findings open now: stored open FindingRecords, plus findings detected in this sweep that have no open
   * record yet (first seen now), once per subject+code. `bySeverity` has every severity (0 when none).
   */
  readonly openFindings: {
    readonly total: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly oldestFirstSeenAt: number | null;
  };
  /**
   * Mean time to remediate, minutes (one decimal): over outcomes 'succeeded'/'already-done' in the period, the
   * time since the matching 'finding-opened' history record (same subject; same code when the outcome names
   * one). Each opening is paired with the first success after it only. null when nothing paired.
   */
  readonly mttrMinutes: number | null;
  /** How many remediations the MTTR averages. */
  readonly mttrSamples: number;
  /** Findings this sweep detected, per code (sorted by severity, then count). */
  readonly detectedByCode: readonly {
    readonly code: string;
    readonly title: string;
    readonly severity: Severity;
    readonly count: number;
  }[];
};

export type ComplianceLists = {
  readonly devices: CappedList<DeviceRow>;
  readonly profileAssignment: Readonly<Record<ProfileAssignmentStatus, CappedList<DeviceRow>>>;
  readonly blocked: CappedList<DeviceRow>;
  readonly fixPending: CappedList<DeviceRow>;
  readonly attentionRequired: CappedList<DeviceRow>;
  readonly stale: CappedList<DeviceRow>;
  readonly neverEnrolled: CappedList<DeviceRow>;
  readonly orphaned: CappedList<DeviceRow>;
  readonly duplicateSerials: CappedList<DeviceRow>;
  readonly noncompliant: CappedList<DeviceRow>;
  readonly notCheckedIn: CappedList<DeviceRow>;
  readonly devicePrepGroups: CappedList<GroupRow>;
  readonly remediations: CappedList<RemediationRow>;
  readonly openFindings: CappedList<OpenFindingRow>;
};

export type ComplianceReport = {
  readonly schemaVersion: 1;
  readonly tenant: string;
  readonly generatedAt: number;
  readonly period: { readonly start: number; readonly end: number };
  readonly rules: { readonly staleDays: number; readonly checkinStaleDays: number };
  /** What the snapshot could see: figures over collections read only in part are lower bounds. */
  readonly coverage: {
    readonly snapshotKind: 'incremental' | 'full';
    readonly observedAt: number;
    readonly identities: boolean;
    readonly entraDevices: boolean;
    readonly managedDevices: boolean;
    /** History for the period was read in full (remediation figures and MTTR are exact). */
    readonly history: boolean;
  };
  readonly summary: ComplianceSummary;
  readonly lists: ComplianceLists;
};
