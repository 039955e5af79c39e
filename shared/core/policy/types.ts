import type { ActionName, Mode, RemediationState } from '../model/index.js';

/** The policy knobs. shared/config's `PolicyConfig` is this type, filled from the environment. */
export interface PolicySettings {
  readonly defaultMode: Mode;
  readonly enabledActions: readonly ActionName[];
  readonly actionModes: Readonly<Record<ActionName, Mode>>;
  readonly blastRadiusMaxDevices: number;
  readonly blastRadiusMaxPercent: number;
  readonly cooldownMs: number;
  readonly maxAttemptsPerDay: number;
  readonly unblockRequiresFailureEvent: boolean;
}

/** What history says about this subject (device serial, group id or tenant). Times are epoch ms. */
export interface SubjectHistory {
  /** Real (enforce-mode) attempts in the 24 h before `now`. */
  readonly attemptsLast24h: number;
  readonly lastAttemptAt: number | null;
  /** The stored finding record for this subject and code, when there is one. */
  readonly finding: { readonly attempts: number; readonly lastAttemptAt: number | null; readonly firstSeenAt: number } | null;
}

/** Shape of a device-prep group as last observed; null fields mean "not observed". */
export interface GroupShape {
  readonly exists: boolean;
  readonly isDynamic: boolean;
  readonly securityEnabled: boolean;
  readonly isAssignableToRole: boolean;
}

/**
 * Facts the gates need that are not in the finding's remedy. The caller may pass them from the snapshot;
 * anything left out is read from the finding's evidence (see evidence.ts for the keys).
 */
export interface EvidenceFlags {
  /** A deployment failure with 0x80180014 was seen for this device. */
  readonly failureEvent: boolean;
  /** An operator marked the device for deliberate reuse (tag, queue, approval). */
  readonly reuseSignal: boolean;
  readonly remediationState: RemediationState | null;
  readonly group: GroupShape | null;
}

export interface PolicyContext {
  readonly history: SubjectHistory;
  readonly now: number;
  readonly policy: PolicySettings;
  /** Configured device-prep group ids: the only groups ever written. */
  readonly allowedGroupIds: readonly string[];
  readonly evidence?: Partial<EvidenceFlags>;
}

export interface BlastRadius {
  readonly exceeded: boolean;
  /** Distinct devices the run would write to in enforce mode. */
  readonly devices: number;
  /** Of the fleet, or null when the fleet size is unknown. */
  readonly percent: number | null;
  readonly limit: { readonly devices: number; readonly percent: number };
  /** Plain words for the alert and the history, or null when within limits. */
  readonly reason: string | null;
}

export const NO_HISTORY: SubjectHistory = { attemptsLast24h: 0, lastAttemptAt: null, finding: null };
