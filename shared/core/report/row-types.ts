import type { ActionName, Severity } from '../model/index.js';

// The rows behind the report's figures (see types.ts). Plain JSON, like the rest of the report.

/** A list behind a figure: the first `cap` rows in a stable order, and how many there were in all. */
export type CappedList<T> = {
  readonly total: number;
  readonly truncated: boolean;
  readonly rows: readonly T[];
};

/** One device as the lists show it; ids are the ones an admin pastes into the Intune/Entra portals. */
export type DeviceRow = {
  readonly serialNumber: string | null;
  readonly manufacturer: string | null;
  readonly model: string | null;
  /** Autopilot display name, or the Intune device name for managed-device rows. */
  readonly name: string | null;
  /** The state that put the device on this list, in short words (e.g. "userless: blocked"). */
  readonly state: string;
  readonly autopilotId: string | null;
  readonly azureAdDeviceId: string | null;
  readonly managedDeviceId: string | null;
  /** Last contact (Autopilot) or last check-in (Intune), when known. */
  readonly lastSeenAt: number | null;
};

export type GroupRow = {
  readonly groupId: string;
  readonly name: string | null;
  readonly policyName: string;
  readonly healthy: boolean;
  /** Empty when healthy; else e.g. "group missing", "dynamic membership", "provisioning client not owner". */
  readonly problems: readonly string[];
  readonly members: number;
  /** Candidates (enrollmentProfileName = policy name) that are not members. */
  readonly missingMembers: number;
};

export type OpenFindingRow = {
  readonly severity: Severity;
  readonly code: string;
  readonly title: string;
  readonly subjectKey: string;
  /**
   * What the subject key names: a device (a serial number or an Entra object id, either of which the device lookup
   * finds), a group, or the tenant. Null when unknown (rows an older version stored).
   */
  readonly subjectKind?: 'device' | 'group' | 'tenant' | null;
  readonly firstSeenAt: number;
  /** Minutes between firstSeenAt and the report time. */
  readonly ageMinutes: number;
  /** The documented fix from the catalog, or null when the code is not in it. */
  readonly fix: string | null;
  /** Whether the service fixes it automatically (catalog remediation), or a person must. */
  readonly remediation: ActionName | null;
};

export type RemediationRow = {
  readonly at: number;
  readonly subjectKey: string;
  readonly action: ActionName | null;
  readonly status: string;
  readonly mode: string | null;
  readonly reason: string;
};

/** Outcome statuses folded into the few groups a chart can colour legibly. */
export const OUTCOME_GROUPS = ['fixed', 'planned', 'deferred', 'failed', 'other'] as const;
export type OutcomeGroup = (typeof OUTCOME_GROUPS)[number];

export type DayBucket = {
  /** UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly counts: Readonly<Record<OutcomeGroup, number>>;
};
