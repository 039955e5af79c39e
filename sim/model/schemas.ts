/**
 * The stored shape of every resource, as zod schemas. Scenario files are parsed with these (strict:
 * a misspelt property is an error, not a silently missing field), and the TypeScript types come from
 * them so there is one definition. Stored objects always carry the full beta shape; the renderer
 * drops what a version does not have.
 */
import { z } from 'zod';
import { NEVER } from '../clock.js';
import * as E from './enums.js';

const dateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 date-time or now±N');
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const duration = z.string().regex(DURATION, 'must be an ISO-8601 duration such as PT23M10S');
const str = z.string().nullable().default(null);
const strOr = (d: string) => z.string().nullable().default(d);

export const identitySchema = z.strictObject({
  id: z.string().min(1),
  addressableUserName: str,
  azureActiveDirectoryDeviceId: str,
  azureAdDeviceId: str,
  deploymentProfileAssignedDateTime: dateTime.default(NEVER),
  deploymentProfileAssignmentDetailedStatus: z.enum(E.PROFILE_DETAILED_STATUSES).default('none'),
  deploymentProfileAssignmentStatus: z.enum(E.PROFILE_ASSIGNMENT_STATUSES).default('assignedInSync'),
  deviceAccountPassword: str,
  deviceAccountUpn: str,
  deviceFriendlyName: str,
  displayName: str,
  enrollmentState: z.enum(E.ENROLLMENT_STATES_BETA).default('enrolled'),
  groupTag: str,
  lastContactedDateTime: dateTime.default(NEVER),
  managedDeviceId: str,
  manufacturer: str,
  model: str,
  productKey: str,
  purchaseOrderIdentifier: str,
  remediationState: z.enum(E.REMEDIATION_STATES).default('noRemediationRequired'),
  remediationStateLastModifiedDateTime: dateTime.default(NEVER),
  resourceName: str,
  serialNumber: str,
  skuNumber: str,
  systemFamily: str,
  userlessEnrollmentStatus: z.enum(E.USERLESS_STATUSES).default('allowed'),
  userPrincipalName: str,
});
export type AutopilotIdentity = z.output<typeof identitySchema>;

export const eventSchema = z.strictObject({
  id: z.string().min(1),
  accountSetupDuration: duration.default('PT0S'),
  accountSetupStatus: z.enum(E.DEPLOYMENT_STATES).default('unknown'),
  deploymentDuration: duration.default('PT0S'),
  deploymentEndDateTime: dateTime.default(NEVER),
  deploymentStartDateTime: dateTime.default(NEVER),
  deploymentState: z.enum(E.DEPLOYMENT_STATES).default('unknown'),
  deploymentTotalDuration: duration.default('PT0S'),
  deviceId: str,
  deviceRegisteredDateTime: dateTime.default(NEVER),
  deviceSerialNumber: str,
  deviceSetupDuration: duration.default('PT0S'),
  deviceSetupStatus: z.enum(E.DEPLOYMENT_STATES).default('unknown'),
  enrollmentFailureDetails: str,
  enrollmentStartDateTime: dateTime.default(NEVER),
  enrollmentState: z.enum(E.ENROLLMENT_STATES_BETA).default('unknown'),
  enrollmentType: z.enum(E.ENROLLMENT_TYPES).default('unknown'),
  eventDateTime: dateTime.default(NEVER),
  managedDeviceName: str,
  osVersion: str,
  userId: str,
  userPrincipalName: str,
  windows10EnrollmentCompletionPageConfigurationDisplayName: str,
  windows10EnrollmentCompletionPageConfigurationId: str,
  windowsAutopilotDeploymentProfileDisplayName: str,
});
export type AutopilotEvent = z.output<typeof eventSchema>;

export const settingsSchema = z.strictObject({
  id: z.string().default('3c5a5a12-7d9a-4f0e-a6b1-5e1f00000001'),
  lastManualSyncTriggerDateTime: dateTime.default(NEVER),
  lastSyncDateTime: dateTime.default(NEVER),
  syncStatus: z.enum(E.SYNC_STATUSES).default('completed'),
});
export type AutopilotSettings = z.output<typeof settingsSchema>;

export const groupSchema = z.strictObject({
  id: z.string().min(1),
  displayName: str,
  securityEnabled: z.boolean().nullable().default(true),
  mailEnabled: z.boolean().nullable().default(false),
  groupTypes: z.array(z.string()).default([]),
  membershipRule: str,
  membershipRuleProcessingState: str,
  isAssignableToRole: z.boolean().nullable().default(false),
});
export type Group = z.output<typeof groupSchema>;

export const entraDeviceSchema = z.strictObject({
  id: z.string().min(1),
  deviceId: str,
  displayName: str,
  enrollmentProfileName: str,
  trustType: strOr('AzureAd'),
  physicalIds: z.array(z.string()).default([]),
  accountEnabled: z.boolean().nullable().default(true),
  approximateLastSignInDateTime: dateTime.nullable().default(null),
  registrationDateTime: dateTime.nullable().default(null),
});
export type EntraDevice = z.output<typeof entraDeviceSchema>;

/**
 * A settings-catalog configuration policy (beta deviceManagement/configurationPolicies), reduced to what the
 * simulator serves: its name and, for a device preparation policy, the enrollment-time device membership targets
 * (the device group the service adds devices to at enrollment). "enrollmentTimeDeviceMembershipTarget resource
 * type": https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptarget?view=graph-rest-beta
 */
export const configurationPolicySchema = z.strictObject({
  id: z.string().min(1),
  name: str,
  enrollmentTimeDeviceMembershipTargets: z
    .array(
      z.strictObject({
        targetType: z.enum(['staticSecurityGroup']).default('staticSecurityGroup'),
        targetId: z.string().min(1),
      }),
    )
    .default([]),
});
export type ConfigurationPolicy = z.output<typeof configurationPolicySchema>;

export const servicePrincipalSchema = z.strictObject({
  id: z.string().min(1),
  appId: str,
  displayName: str,
});
export type ServicePrincipal = z.output<typeof servicePrincipalSchema>;

/** Users only appear as group owners/members; `user` is outside the schema subset, so keep it minimal. */
export const userSchema = z.strictObject({
  id: z.string().min(1),
  displayName: str,
  userPrincipalName: str,
});
export type User = z.output<typeof userSchema>;

export const managedDeviceSchema = z.strictObject({
  id: z.string().min(1),
  deviceName: str,
  serialNumber: str,
  complianceState: z.enum(E.COMPLIANCE_STATES).default('compliant'),
  lastSyncDateTime: dateTime.default(NEVER),
  azureADDeviceId: str,
  enrollmentProfileName: str,
  managedDeviceOwnerType: z.enum(E.OWNER_TYPES).default('company'),
  operatingSystem: strOr('Windows'),
  osVersion: strOr('10.0.22631.4317'),
  enrolledDateTime: dateTime.default(NEVER),
  autopilotEnrolled: z.boolean().default(false),
});
export type ManagedDevice = z.output<typeof managedDeviceSchema>;

/** One row of the AutopilotV2DeploymentStatus export, typed here and rendered as strings in the file. */
export const reportRowSchema = z.strictObject({
  DeviceId: z.string(),
  DeviceName: z.string(),
  SerialNumber: z.string(),
  UPN: z.string(),
  EnrollmentTimeInUtc: dateTime,
  CurrentProvisioningPhase: z.number().int().default(4),
  DeploymentStatus: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  DeploymentDurationTimeInSeconds: z.number().int().nonnegative().default(0),
  Phase: z.number().int().default(6),
  ResultCode: z.number().int().default(0),
  PolicyName: z.string(),
});
export type ReportRow = z.output<typeof reportRowSchema>;

/**
 * The words the device-preparation deployment details show for an app or a script (Microsoft Learn "Windows Autopilot
 * device preparation reporting and monitoring" › Apps / Scripts). The exports carry them as the `_loc` text of
 * PolicyInstallStatus; the numeric code beside it is the simulator's own (Microsoft documents none).
 */
export const ITEM_INSTALL_STATUSES = ['In progress', 'Installed', 'Failed', 'Skipped'] as const;

/** One row of the AutopilotV2DeploymentStatusDetailedAppInfo export: an app of a device's deployment. */
export const appReportRowSchema = z.strictObject({
  DeviceId: z.string(),
  ApplicationId: z.string(),
  ApplicationName: z.string(),
  /** e.g. Win32LobApp, WinGetApp, OfficeSuiteApp, Win32CatalogApp. */
  AppType: z.string().default('Win32LobApp'),
  IsAdminSelected: z.boolean().default(true),
  PolicyInstallStatus: z.enum(ITEM_INSTALL_STATUSES),
});
export type AppReportRow = z.output<typeof appReportRowSchema>;

/** One row of the AutopilotV2DeploymentStatusDetailedScriptInfo export: a PowerShell script of a deployment. */
export const scriptReportRowSchema = z.strictObject({
  DeviceId: z.string(),
  PolicyId: z.string(),
  DisplayName: z.string(),
  PolicyInstallStatus: z.enum(ITEM_INSTALL_STATUSES),
});
export type ScriptReportRow = z.output<typeof scriptReportRowSchema>;

/** deviceManagementExportJob properties in CSDL order (`search` is beta-only). */
export const exportJobProps = [
  'id',
  'expirationDateTime',
  'filter',
  'format',
  'localizationType',
  'reportName',
  'requestDateTime',
  'search',
  'select',
  'snapshotId',
  'status',
  'url',
] as const;

/** A device imported into Autopilot that the service shows only after a later sync completes. */
export const pendingImportSchema = z.strictObject({
  importedDateTime: dateTime,
  identity: identitySchema,
  /** The Entra device object registration creates; it appears together with the identity. */
  device: entraDeviceSchema.optional(),
});
export type PendingImport = z.output<typeof pendingImportSchema>;

/** Edm.Binary on the wire: base64 (the standard or the URL-safe alphabet). */
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

/** The `state` complex type of an imported device, as the Device Directory Service (DDS) reports it. */
export const importedStateSchema = z.strictObject({
  /** Accepted (and ignored) so payloads copied from Graph load as they are; the renderer always adds it. */
  '@odata.type': z.literal('microsoft.graph.importedWindowsAutopilotDeviceIdentityState').optional(),
  deviceImportStatus: z.enum(E.IMPORT_STATUSES).default('unknown'),
  /** Set by DDS for a device it registered: the Autopilot device id (ZTDID). */
  deviceRegistrationId: str,
  /** Edm.Int32, not nullable: 0 means no error. */
  deviceErrorCode: z.number().int().default(0),
  deviceErrorName: str,
});
export type ImportedState = z.output<typeof importedStateSchema>;

/**
 * importedWindowsAutopilotDeviceIdentity: one row of a hardware-hash import (CSV upload or the `import`
 * action) and its outcome. Graph has no import timestamp on this resource, so none is stored or served.
 * `orderIdentifier` is the older (beta-only) name of the group tag.
 */
export const importedDeviceSchema = z.strictObject({
  id: z.string().min(1),
  orderIdentifier: str,
  groupTag: str,
  serialNumber: str,
  productKey: str,
  importId: str,
  hardwareIdentifier: base64.nullable().default(null),
  state: importedStateSchema.prefault({}),
  assignedUserPrincipalName: str,
});
export type ImportedDevice = z.output<typeof importedDeviceSchema>;
