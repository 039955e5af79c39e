import type {
  ComplianceState,
  DeploymentState,
  DevicePrepDeploymentStatus,
  DevicePrepItemState,
  EnrollmentState,
  EnrollmentType,
  ImportStatus,
  ProfileAssignmentStatus,
  RemediationState,
  SyncStatus,
  UserlessEnrollmentStatus,
} from './enums.js';

// Narrow domain views of what Graph returns. Times are epoch milliseconds (null = Graph sent none or its
// `0001-01-01` default), so core code compares numbers and never parses dates.

export interface AutopilotDevice {
  readonly id: string;
  readonly serialNumber: string;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly groupTag: string | null;
  readonly displayName: string | null;
  readonly enrollmentState: EnrollmentState;
  readonly userlessEnrollmentStatus: UserlessEnrollmentStatus;
  readonly remediationState: RemediationState;
  readonly remediationStateLastModifiedAt: number | null;
  readonly profileAssignmentStatus: ProfileAssignmentStatus;
  readonly profileAssignedAt: number | null;
  readonly lastContactedAt: number | null;
  /** Entra `deviceId` GUID (not the directory object id). */
  readonly azureAdDeviceId: string | null;
  readonly managedDeviceId: string | null;
  readonly userPrincipalName: string | null;
}

export interface AutopilotEvent {
  readonly id: string;
  readonly deviceId: string | null;
  readonly serialNumber: string | null;
  readonly eventAt: number | null;
  readonly enrollmentType: EnrollmentType;
  readonly deploymentState: DeploymentState;
  readonly deviceSetupStatus: DeploymentState;
  readonly accountSetupStatus: DeploymentState;
  readonly deploymentStartAt: number | null;
  readonly deploymentEndAt: number | null;
  readonly enrollmentStartAt: number | null;
  readonly deploymentTotalSeconds: number | null;
  readonly failureDetails: string | null;
  readonly profileName: string | null;
  readonly managedDeviceName: string | null;
}

export interface AutopilotSettings {
  readonly lastSyncAt: number | null;
  readonly lastManualSyncTriggerAt: number | null;
  readonly syncStatus: SyncStatus;
}

/**
 * importedWindowsAutopilotDeviceIdentity. The resource carries no import timestamp, so none is modelled: the time a
 * completed import was first seen is remembered by the product instead (DetectorMemory.importSightings).
 */
export interface ImportedDevice {
  readonly id: string;
  readonly serialNumber: string;
  readonly status: ImportStatus;
  readonly errorName: string | null;
  readonly errorCode: number | null;
}

export interface EntraDevice {
  /** Directory object id: the only id group membership accepts. */
  readonly objectId: string;
  readonly deviceId: string;
  readonly displayName: string | null;
  readonly enrollmentProfileName: string | null;
  readonly isAutopilotRegistered: boolean;
  readonly trustType: string | null;
  readonly createdAt: number | null;
}

export interface ManagedDevice {
  readonly id: string;
  readonly deviceName: string | null;
  readonly serialNumber: string | null;
  readonly azureAdDeviceId: string | null;
  readonly complianceState: ComplianceState;
  readonly lastSyncAt: number | null;
  /**
   * Intune's enrolledDateTime. For Autopilot devices it holds the date the device was REGISTERED with Autopilot, not
   * when it enrolled, so it is never used as the enrollment time (detect/enrollment-time.ts derives that).
   */
  readonly enrolledAt: number | null;
  readonly enrollmentProfileName: string | null;
  readonly autopilotEnrolled: boolean;
}

export interface GroupInfo {
  readonly id: string;
  readonly displayName: string | null;
  readonly securityEnabled: boolean;
  readonly isDynamic: boolean;
  readonly isAssignableToRole: boolean;
}

export interface DirectoryObjectRef {
  readonly id: string;
  readonly type: 'device' | 'servicePrincipal' | 'user' | 'group' | 'other';
  readonly appId: string | null;
}

/** One configured device-preparation group as read in one poll. */
export interface DevicePrepGroupSnapshot {
  readonly groupId: string;
  readonly policyName: string;
  /** null: the group does not exist (404). */
  readonly group: GroupInfo | null;
  readonly owners: readonly DirectoryObjectRef[];
  readonly memberObjectIds: readonly string[];
  /** Entra devices whose enrollmentProfileName equals the policy name (when settled: only the Autopilot-registered ones). */
  readonly candidates: readonly EntraDevice[];
  /** What the device preparation policy itself says it writes to at enrollment (see PolicyTargetRead). */
  readonly policyTarget: PolicyTargetRead;
  /**
   * A poll's counts, asked before the lists: the devices of the policy, and how many of them are members. Equal counts
   * prove every one a member, and the poll reads no list (see `groupSettled`). Absent = not asked (a sweep).
   */
  readonly counts?: { readonly candidates: number; readonly members: number };
}

/**
 * Was the group proven complete by its counts instead of read? Then `memberObjectIds` is empty and `candidates` holds
 * only the Autopilot-registered devices of the policy (every one of them a member): no device of it is missing.
 */
export function groupSettled(g: DevicePrepGroupSnapshot): boolean {
  return g.counts !== undefined && g.counts.candidates === g.counts.members;
}

/**
 * The validation error codes the service reports for an enrollment-time device membership target
 * (enrollmentTimeDeviceMembershipTargetValidationErrorCode, Microsoft Graph beta). `unknownFutureValue` and any
 * value not listed here are kept as 'unrecognised'.
 */
export const ENROLLMENT_TIME_TARGET_ERRORS = [
  'securityGroupNotFound',
  'notSecurityGroup',
  'notStaticSecurityGroup',
  'firstPartyAppNotAnOwner',
  'securityGroupNotInCallerScope',
] as const;
export type EnrollmentTimeTargetError = (typeof ENROLLMENT_TIME_TARGET_ERRORS)[number];

/** One target the policy names, with the service's validation verdict for it (null = no error reported). */
export interface PolicyTargetStatus {
  readonly targetId: string | null;
  readonly error: EnrollmentTimeTargetError | 'unrecognised' | null;
}

/**
 * The device preparation policy's enrollment-time device membership target, read with the beta action
 * retrieveEnrollmentTimeDeviceMembershipTarget:
 * - `not-configured`: DEVICE_PREP_GROUPS gives no policyId for the group, so there is nothing to read;
 * - `policy-missing`: the policy id answers 404;
 * - `unreadable`: the read failed for another reason (the action answers 500 for app-only tokens in some tenants);
 * - `read`: the service's answer, one status per target.
 */
export type PolicyTargetRead =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'policy-missing'; readonly policyId: string }
  | { readonly kind: 'unreadable'; readonly policyId: string; readonly reason: string }
  | {
      readonly kind: 'read';
      readonly policyId: string;
      readonly validationSucceeded: boolean;
      readonly targets: readonly PolicyTargetStatus[];
    };

export interface DevicePrepDeployment {
  readonly intuneDeviceId: string | null;
  readonly deviceName: string | null;
  readonly serialNumber: string | null;
  readonly userPrincipalName: string | null;
  readonly enrolledAt: number | null;
  readonly status: DevicePrepDeploymentStatus;
  readonly phase: string | null;
  readonly resultCode: string | null;
  readonly policyName: string | null;
}

/**
 * One row of the AutopilotV2DeploymentStatusDetailedAppInfo or …DetailedScriptInfo export: the last status of one app
 * or PowerShell script of a device-preparation deployment, as the Apps and Scripts tabs of the deployment details show.
 */
export interface DevicePrepItemStatus {
  readonly kind: 'app' | 'script';
  /** Intune device id. */
  readonly intuneDeviceId: string | null;
  /** ApplicationId (apps) or PolicyId (scripts). */
  readonly itemId: string | null;
  readonly name: string | null;
  /** Apps only, e.g. Win32LobApp, WinGetApp, OfficeSuiteApp. */
  readonly appType: string | null;
  readonly status: DevicePrepItemState;
  /** The raw PolicyInstallStatus code, kept for the evidence (its numeric meaning is not documented). */
  readonly statusCode: string | null;
}

export interface ServicePrincipalRef {
  readonly objectId: string;
  readonly appId: string;
  readonly displayName: string | null;
}
