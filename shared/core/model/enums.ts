// Graph enums narrowed to the members we act on. Anything Graph adds later (or `unknownFutureValue`)
// maps to 'unknown' in the adapter, so a new enum member degrades a check instead of crashing a sweep.

export const ENROLLMENT_STATES = ['unknown', 'enrolled', 'pendingReset', 'failed', 'notContacted', 'blocked'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];

export const USERLESS_ENROLLMENT_STATUSES = ['unknown', 'allowed', 'blocked'] as const;
export type UserlessEnrollmentStatus = (typeof USERLESS_ENROLLMENT_STATUSES)[number];

/** Backing field of the portal's "Fix pending" (automatic) and "Attention required" (manual). */
export const REMEDIATION_STATES = [
  'unknown',
  'noRemediationRequired',
  'automaticRemediationRequired',
  'manualRemediationRequired',
] as const;
export type RemediationState = (typeof REMEDIATION_STATES)[number];

/** `assignedUnkownSyncState` is Graph's own spelling on the wire. */
export const PROFILE_ASSIGNMENT_STATUSES = [
  'unknown',
  'assignedInSync',
  'assignedOutOfSync',
  'assignedUnkownSyncState',
  'notAssigned',
  'pending',
  'failed',
] as const;
export type ProfileAssignmentStatus = (typeof PROFILE_ASSIGNMENT_STATUSES)[number];

export const DEPLOYMENT_STATES = [
  'unknown',
  'success',
  'inProgress',
  'failure',
  'successWithTimeout',
  'notAttempted',
  'disabled',
  'successOnRetry',
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export const ENROLLMENT_TYPES = [
  'unknown',
  'azureADJoinedWithAutopilotProfile',
  'offlineDomainJoined',
  'azureADJoinedUsingDeviceAuthWithAutopilotProfile',
  'azureADJoinedUsingDeviceAuthWithoutAutopilotProfile',
  'azureADJoinedWithOfflineAutopilotProfile',
  'azureADJoinedWithWhiteGlove',
  'offlineDomainJoinedWithWhiteGlove',
  'offlineDomainJoinedWithOfflineAutopilotProfile',
] as const;
export type EnrollmentType = (typeof ENROLLMENT_TYPES)[number];

export const SYNC_STATUSES = ['unknown', 'inProgress', 'completed', 'failed'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const COMPLIANCE_STATES = [
  'unknown',
  'compliant',
  'noncompliant',
  'conflict',
  'error',
  'inGracePeriod',
  'configManager',
] as const;
export type ComplianceState = (typeof COMPLIANCE_STATES)[number];

export const IMPORT_STATUSES = ['unknown', 'pending', 'partial', 'complete', 'error'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const DEVICE_PREP_DEPLOYMENT_STATUSES = ['unknown', 'inProgress', 'succeeded', 'failed'] as const;
export type DevicePrepDeploymentStatus = (typeof DEVICE_PREP_DEPLOYMENT_STATUSES)[number];

/**
 * App and script status in the device-preparation detail exports, as the deployment details name them (Installed, In
 * progress, Skipped, Failed). The report's numeric code for them is not documented, so the adapter maps the localized
 * text column; anything else is 'unknown'.
 */
export const DEVICE_PREP_ITEM_STATES = ['unknown', 'installed', 'inProgress', 'skipped', 'failed'] as const;
export type DevicePrepItemState = (typeof DEVICE_PREP_ITEM_STATES)[number];

/** Map a wire value onto a known member, or 'unknown'. Pure, total. */
export function toKnown<T extends string>(members: readonly T[], value: unknown): T | 'unknown' {
  if (typeof value !== 'string') return 'unknown';
  // Graph sends the member as declared: found without lower-casing every member for every record of a fleet.
  const exact = members.indexOf(value as T);
  if (exact >= 0) return members[exact] ?? 'unknown';
  const lower = value.toLowerCase();
  const hit = members.find((m) => m.toLowerCase() === lower);
  return hit ?? 'unknown';
}
