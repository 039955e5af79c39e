// Detection thresholds. All durations are in MILLISECONDS, so detectors compare epoch-ms numbers directly;
// `detectorRulesFromConfig` converts the config's hour/day/minute units in one place.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface DevicePrepGroupRule {
  readonly groupId: string;
  /** Device-preparation policy name: devices whose enrollmentProfileName equals it belong in the group. */
  readonly policyName: string;
  /**
   * The device preparation policy's id. Its enrollment-time device membership target must be this group before
   * anything is written to the group; absent = not verifiable, so never written.
   */
  readonly policyId?: string;
}

export interface DetectorRules {
  /** inProgress deployment older than this is stuck (DEPLOYMENT_STUCK_HOURS). */
  readonly deploymentStuckMs: number;
  /** notAssigned / pending / assignedOutOfSync tolerated this long (PROFILE_STUCK_HOURS). */
  readonly profileStuckMs: number;
  /** An imported device must be visible as an identity after this (IMPORT_VISIBLE_MINUTES). */
  readonly importVisibleMs: number;
  /** Fix pending tolerated this long (FIX_PENDING_ALERT_HOURS). */
  readonly fixPendingAlertMs: number;
  /** No Autopilot contact and no Intune check-in for this long = stale registration (STALE_REGISTRATION_DAYS). */
  readonly staleRegistrationMs: number;
  /** No Intune check-in for this long = stale managed device (CHECKIN_STALE_DAYS). */
  readonly checkinStaleMs: number;
  /**
   * Noncompliance right after enrollment is expected until the check-in cadence has settled: every 3 min for
   * 15 min, every 15 min for 2 h, then about every 8 h = 10 h 15 min, rounded up to 12 h ("Common questions and
   * answers with device policies and profiles in Microsoft Intune" › How long does it take for devices to get a
   * policy, profile, or app after they're assigned?,
   * https://learn.microsoft.com/intune/intune-service/configuration/device-profile-troubleshoot).
   */
  readonly freshEnrollmentGraceMs: number;
  /**
   * Entra compliance is reset during a pre-provisioned user flow and re-evaluated after it ("Windows Autopilot -
   * known issues" › Device-based Conditional Access policies, https://learn.microsoft.com/autopilot/known-issues).
   */
  readonly userFlowComplianceGraceMs: number;
  /** Pre-provisioned user flow still not run: warning from here (≈ 5 months, a month before the limit below). */
  readonly preprovUserFlowWarnMs: number;
  /**
   * …and error from here (≈ 6 months: IME certificates may have expired; "Pre-provision Microsoft Entra join: User
   * flow" › User-flow tips, https://learn.microsoft.com/autopilot/tutorial/pre-provisioning/azure-ad-join-user-flow).
   */
  readonly preprovUserFlowMaxMs: number;
  /** Minimum gap between technician flow and user flow (90 minutes, same page and section as above). */
  readonly preprovMinGapMs: number;
  /** The configured device-preparation groups (DEVICE_PREP_GROUPS): the only groups checked or written. */
  readonly devicePrepGroups: readonly DevicePrepGroupRule[];
}

export const defaultDetectorRules: DetectorRules = Object.freeze({
  // 2 h: past the ESP's default 60-minute time-out, before the report's 4-hour automatic failure (env-schema.ts).
  deploymentStuckMs: 2 * HOUR,
  profileStuckMs: 24 * HOUR,
  importVisibleMs: 20 * MINUTE,
  fixPendingAlertMs: 24 * HOUR,
  staleRegistrationMs: 180 * DAY,
  checkinStaleMs: 30 * DAY,
  freshEnrollmentGraceMs: 12 * HOUR,
  userFlowComplianceGraceMs: 24 * HOUR,
  // Calendar months vary; 30.44 days average, rounded so the error never fires before six full months.
  preprovUserFlowWarnMs: 152 * DAY,
  preprovUserFlowMaxMs: 183 * DAY,
  preprovMinGapMs: 90 * MINUTE,
  devicePrepGroups: [],
});

/** The detection keys of the config, in the config's own units. */
export interface DetectorThresholdsConfig {
  readonly deploymentStuckHours: number;
  readonly profileStuckHours: number;
  readonly importVisibleMinutes: number;
  readonly fixPendingAlertHours: number;
  readonly staleRegistrationDays: number;
  readonly checkinStaleDays: number;
  readonly devicePrepGroups: readonly DevicePrepGroupRule[];
}

export function detectorRulesFromConfig(c: DetectorThresholdsConfig): DetectorRules {
  return {
    ...defaultDetectorRules,
    deploymentStuckMs: c.deploymentStuckHours * HOUR,
    profileStuckMs: c.profileStuckHours * HOUR,
    importVisibleMs: c.importVisibleMinutes * MINUTE,
    fixPendingAlertMs: c.fixPendingAlertHours * HOUR,
    staleRegistrationMs: c.staleRegistrationDays * DAY,
    checkinStaleMs: c.checkinStaleDays * DAY,
    devicePrepGroups: c.devicePrepGroups,
  };
}

export const DURATION = { MINUTE, HOUR, DAY } as const;
