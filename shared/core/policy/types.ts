import type { ActionName, Mode, RemediationState } from '../model/index.js';

/** The policy knobs. shared/config's `PolicyConfig` is this type, filled from the environment. */
export interface PolicySettings {
  readonly defaultMode: Mode;
  readonly enabledActions: readonly ActionName[];
  readonly actionModes: Readonly<Record<ActionName, Mode>>;
  readonly blastRadiusMaxDevices: number;
  readonly blastRadiusMaxPercent: number;
  /** The percentage limit only trips above this many targets (small tenants). */
  readonly blastRadiusMinDevices: number;
  readonly cooldownMs: number;
  readonly maxAttemptsPerDay: number;
  readonly unblockRequiresFailureEvent: boolean;
  /** Autopilot syncs that may answer one finding in 24 h; then it escalates. Absent = SYNC_DEFAULTS. */
  readonly syncMaxPerFindingPerDay?: number;
  /** Autopilot syncs per tenant in 24 h, whatever the reasons. Absent = SYNC_DEFAULTS. */
  readonly syncMaxPerDay?: number;
  /** Whether a profile assignment out of sync is a reason to sync. Absent = SYNC_DEFAULTS. */
  readonly syncOnProfileOutOfSync?: boolean;
}

/**
 * Sync caps when the settings leave them out (config always fills them; these are its defaults too). Each
 * sync locks the admin's own Sync button for 10 minutes ("Syncs can only occur once every 10 minutes": User-
 * driven Microsoft Entra join: Register devices as Autopilot devices, section "Register devices as Autopilot
 * devices", https://learn.microsoft.com/autopilot/tutorial/user-driven/azure-ad-join-register-device), so a
 * cause a sync cannot fix must reach a person after a couple of tries instead of syncing all day.
 */
export const SYNC_DEFAULTS = { maxPerFindingPerDay: 2, maxPerDay: 6, onProfileOutOfSync: true } as const;

/** What history says about this subject (device serial, group id or tenant). Times are epoch ms. */
export interface SubjectHistory {
  /** Real (enforce-mode) attempts in the 24 h before `now`. */
  readonly attemptsLast24h: number;
  readonly lastAttemptAt: number | null;
  /** The stored finding record for this subject and code, when there is one. */
  readonly finding: {
    readonly attempts: number;
    readonly lastAttemptAt: number | null;
    readonly firstSeenAt: number;
  } | null;
  /** The last enforce-mode unblock (allowNextEnrollment) of this device in history; absent or null = none known. */
  readonly lastUnblockAt?: number | null;
}

/** Shape of a device-prep group as last observed; null fields mean "not observed". */
export interface GroupShape {
  readonly exists: boolean;
  readonly isDynamic: boolean;
  readonly securityEnabled: boolean;
  readonly isAssignableToRole: boolean;
}

/** The device's latest known Autopilot deployment, as the detector recorded it (see evidence.ts for the keys). */
export interface DeploymentFacts {
  readonly eventId: string | null;
  /** The serial number the event itself carries (null when it was matched through the Intune device id). */
  readonly serialNumber: string | null;
  readonly deploymentState: string | null;
  readonly enrollmentType: string | null;
  /** The failure HRESULT as an unsigned 32-bit number, parsed from a structured field; null when none. */
  readonly failureCode: number | null;
  /** When the deployment started (epoch ms), or null when unknown. */
  readonly startedAt: number | null;
}

/**
 * Facts the gates need that are not in the finding's remedy. The caller may pass them from the snapshot;
 * anything left out is read from the finding's evidence (see evidence.ts for the keys).
 */
export interface EvidenceFlags {
  /** userlessEnrollmentStatus = blocked: the one-time userless block itself, not enrollmentState. */
  readonly userlessBlocked: boolean;
  /** The device's latest deployment, or null when none is known. */
  readonly lastDeployment: DeploymentFacts | null;
  readonly remediationState: RemediationState | null;
  readonly group: GroupShape | null;
  /**
   * Whether the detector proved that the device preparation policy writes to the group (its enrollment-time
   * device membership target is this group). false = not proven: never written. null = not recorded (the worker
   * re-reads the policy before writing anyway).
   */
  readonly policyTargetProven: boolean | null;
}

export interface PolicyContext {
  readonly history: SubjectHistory;
  readonly now: number;
  readonly policy: PolicySettings;
  /** Configured device-prep group ids: the only groups ever written. */
  readonly allowedGroupIds: readonly string[];
  readonly evidence?: Partial<EvidenceFlags>;
  /**
   * When the Autopilot syncs this product triggered in the 24 h before `now` happened (epoch ms). The poll
   * always passes them; absent = none known (only tests leave it out).
   */
  readonly syncsLast24h?: readonly number[];
  /**
   * When the previous completed run started. A limit is escalated once, by the first run after the attempt
   * that reached it; later runs keep the finding alert-only without escalating again. Absent/null = unknown
   * (escalate).
   */
  readonly previousRunAt?: number | null;
}

/** The fleet a run's blast-radius percentage is taken of (blast-radius.ts: fleetOf). */
export interface Fleet {
  /** Devices the product could act on, or null when the run does not know. */
  readonly size: number | null;
  /** Where the number comes from, or why it is unknown, in plain words. */
  readonly source: string;
  /** 'device-preparation': only those devices were counted, so the size holds for device-preparation actions alone. */
  readonly scope?: 'all' | 'device-preparation';
}

export interface BlastRadius {
  readonly exceeded: boolean;
  /** Distinct targets the run would write to in enforce mode: devices, groups whose owner it restores, the tenant (sync). */
  readonly targets: number;
  /** The devices among the targets. */
  readonly devices: number;
  /** Targets as a percentage of the fleet, or null when the fleet size is unknown (then only the absolute limit applies). */
  readonly percent: number | null;
  readonly fleet: Fleet;
  readonly limit: { readonly devices: number; readonly percent: number; readonly minDevices: number };
  /** How the check was made, always (for the history, the log and `--json`). */
  readonly basis: string;
  /** Plain words for the alert and the history, or null when within limits. */
  readonly reason: string | null;
}

export const NO_HISTORY: SubjectHistory = { attemptsLast24h: 0, lastAttemptAt: null, finding: null };
