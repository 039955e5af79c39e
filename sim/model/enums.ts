/**
 * Enum members as Graph spells them on the wire (written from the Graph reference pages; the
 * schema test cross-checks them against Microsoft's CSDL). Note `assignedUnkownSyncState` (sic).
 */
export const ENROLLMENT_STATES_BETA = [
  'unknown',
  'enrolled',
  'pendingReset',
  'failed',
  'notContacted',
  'blocked',
] as const;
/** v1.0 has no `blocked`; the simulator renders it as `unknown` there. */
export const ENROLLMENT_STATES_V1 = ['unknown', 'enrolled', 'pendingReset', 'failed', 'notContacted'] as const;
export const PROFILE_ASSIGNMENT_STATUSES = [
  'unknown',
  'assignedInSync',
  'assignedOutOfSync',
  'assignedUnkownSyncState',
  'notAssigned',
  'pending',
  'failed',
] as const;
export const PROFILE_DETAILED_STATUSES = [
  'none',
  'hardwareRequirementsNotMet',
  'surfaceHubProfileNotSupported',
  'holoLensProfileNotSupported',
  'windowsPcProfileNotSupported',
  'surfaceHub2SProfileNotSupported',
  'unknownFutureValue',
] as const;
export const REMEDIATION_STATES = [
  'unknown',
  'noRemediationRequired',
  'automaticRemediationRequired',
  'manualRemediationRequired',
  'unknownFutureValue',
] as const;
export const USERLESS_STATUSES = ['unknown', 'allowed', 'blocked', 'unknownFutureValue'] as const;
export const SYNC_STATUSES = ['unknown', 'inProgress', 'completed', 'failed'] as const;
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
export const COMPLIANCE_STATES = [
  'unknown',
  'compliant',
  'noncompliant',
  'conflict',
  'error',
  'inGracePeriod',
  'configManager',
] as const;
export const OWNER_TYPES = ['unknown', 'company', 'personal', 'unknownFutureValue'] as const;
export const REPORT_STATUSES = ['unknown', 'notStarted', 'inProgress', 'completed', 'failed'] as const;
export const REPORT_FORMATS = ['csv', 'pdf', 'json', 'unknownFutureValue'] as const;
export const LOCALIZATION_TYPES = ['localizedValuesAsAdditionalColumn', 'replaceLocalizableValues'] as const;
/** importedWindowsAutopilotDeviceIdentityImportStatus. */
export const IMPORT_STATUSES = ['unknown', 'pending', 'partial', 'complete', 'error'] as const;

export type EnrollmentState = (typeof ENROLLMENT_STATES_BETA)[number];
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];
export type ComplianceState = (typeof COMPLIANCE_STATES)[number];
export type SyncStatus = (typeof SYNC_STATUSES)[number];
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
