import { z } from 'zod';
import {
  type AutopilotDevice,
  type AutopilotEvent,
  type AutopilotSettings,
  DEPLOYMENT_STATES,
  ENROLLMENT_STATES,
  ENROLLMENT_TYPES,
  IMPORT_STATUSES,
  type ImportedDevice,
  PROFILE_ASSIGNMENT_STATUSES,
  REMEDIATION_STATES,
  SYNC_STATUSES,
  USERLESS_ENROLLMENT_STATUSES,
} from '../../../core/model/index.js';
import { dateTime, duration, optId, optInt, optString, requiredId, wireEnum } from './common.js';

// Autopilot resources, read from beta (the fields we act on — remediationState, userlessEnrollmentStatus,
// profile assignment, enrollmentState `blocked` — exist only there).
// https://learn.microsoft.com/graph/api/resources/intune-enrollment-windowsautopilotdeviceidentity?view=graph-rest-beta

/** The fields read; test/unit/adapters/graph/official-types.test.ts checks them against Microsoft's beta types. */
export const IDENTITY_FIELDS = [
  'id',
  'serialNumber',
  'manufacturer',
  'model',
  'groupTag',
  'displayName',
  'enrollmentState',
  'userlessEnrollmentStatus',
  'remediationState',
  'remediationStateLastModifiedDateTime',
  'deploymentProfileAssignmentStatus',
  'deploymentProfileAssignedDateTime',
  'lastContactedDateTime',
  'azureActiveDirectoryDeviceId',
  'azureAdDeviceId',
  'managedDeviceId',
  'userPrincipalName',
] as const;
export const IDENTITY_SELECT = IDENTITY_FIELDS.join(',');

export const identitySchema = z
  .object({
    id: requiredId,
    serialNumber: optString,
    manufacturer: optString,
    model: optString,
    groupTag: optString,
    displayName: optString,
    enrollmentState: wireEnum(ENROLLMENT_STATES),
    userlessEnrollmentStatus: wireEnum(USERLESS_ENROLLMENT_STATUSES),
    remediationState: wireEnum(REMEDIATION_STATES),
    remediationStateLastModifiedDateTime: dateTime,
    deploymentProfileAssignmentStatus: wireEnum(PROFILE_ASSIGNMENT_STATUSES),
    deploymentProfileAssignedDateTime: dateTime,
    lastContactedDateTime: dateTime,
    // beta `azureAdDeviceId` replaces `azureActiveDirectoryDeviceId` ("to be deprecated"); read both.
    azureAdDeviceId: optId,
    azureActiveDirectoryDeviceId: optId,
    managedDeviceId: optId,
    userPrincipalName: optString,
  })
  .transform((w): AutopilotDevice => ({
    id: w.id,
    serialNumber: w.serialNumber ?? '',
    manufacturer: w.manufacturer,
    model: w.model,
    groupTag: w.groupTag,
    displayName: w.displayName,
    enrollmentState: w.enrollmentState,
    userlessEnrollmentStatus: w.userlessEnrollmentStatus,
    remediationState: w.remediationState,
    remediationStateLastModifiedAt: w.remediationStateLastModifiedDateTime,
    profileAssignmentStatus: w.deploymentProfileAssignmentStatus,
    profileAssignedAt: w.deploymentProfileAssignedDateTime,
    lastContactedAt: w.lastContactedDateTime,
    azureAdDeviceId: w.azureAdDeviceId ?? w.azureActiveDirectoryDeviceId,
    managedDeviceId: w.managedDeviceId,
    userPrincipalName: w.userPrincipalName,
  }));

export const eventSchema = z
  .object({
    id: requiredId,
    deviceId: optId,
    deviceSerialNumber: optString,
    eventDateTime: dateTime,
    enrollmentType: wireEnum(ENROLLMENT_TYPES),
    deploymentState: wireEnum(DEPLOYMENT_STATES),
    deviceSetupStatus: wireEnum(DEPLOYMENT_STATES),
    accountSetupStatus: wireEnum(DEPLOYMENT_STATES),
    deploymentStartDateTime: dateTime,
    deploymentEndDateTime: dateTime,
    enrollmentStartDateTime: dateTime,
    // Edm.Duration on the wire (`PT23M10S`), not seconds. `PT0S` is the non-nullable default: no duration known.
    deploymentTotalDuration: duration,
    enrollmentFailureDetails: optString,
    windowsAutopilotDeploymentProfileDisplayName: optString,
    managedDeviceName: optString,
  })
  .transform((w): AutopilotEvent => ({
    id: w.id,
    deviceId: w.deviceId,
    serialNumber: w.deviceSerialNumber,
    eventAt: w.eventDateTime,
    enrollmentType: w.enrollmentType,
    deploymentState: w.deploymentState,
    deviceSetupStatus: w.deviceSetupStatus,
    accountSetupStatus: w.accountSetupStatus,
    deploymentStartAt: w.deploymentStartDateTime,
    deploymentEndAt: w.deploymentEndDateTime,
    enrollmentStartAt: w.enrollmentStartDateTime,
    deploymentTotalSeconds:
      w.deploymentTotalDuration !== null && w.deploymentTotalDuration > 0 ? w.deploymentTotalDuration : null,
    failureDetails: w.enrollmentFailureDetails,
    profileName: w.windowsAutopilotDeploymentProfileDisplayName,
    managedDeviceName: w.managedDeviceName,
  }));

/** A singleton: no id is needed to use it. */
export const settingsSchema = z
  .object({ lastSyncDateTime: dateTime, lastManualSyncTriggerDateTime: dateTime, syncStatus: wireEnum(SYNC_STATUSES) })
  .transform((w): AutopilotSettings => ({
    lastSyncAt: w.lastSyncDateTime,
    lastManualSyncTriggerAt: w.lastManualSyncTriggerDateTime,
    syncStatus: w.syncStatus,
  }));

/**
 * importedWindowsAutopilotDeviceIdentity (beta): `state` is a complex type
 * {deviceImportStatus, deviceRegistrationId, deviceErrorCode, deviceErrorName}. The resource has no import timestamp
 * at all (Microsoft Graph beta "importedWindowsAutopilotDeviceIdentity resource type" › Properties,
 * https://learn.microsoft.com/graph/api/resources/intune-enrollment-importedwindowsautopilotdeviceidentity?view=graph-rest-beta),
 * so none is read: the detector dates an import by when the product first saw it.
 */
export const importedSchema = z
  .object({
    id: requiredId,
    serialNumber: optString,
    state: z
      .object({ deviceImportStatus: wireEnum(IMPORT_STATUSES), deviceErrorCode: optInt, deviceErrorName: optString })
      .nullish()
      .catch(null),
  })
  .transform((w): ImportedDevice => ({
    id: w.id,
    serialNumber: w.serialNumber ?? '',
    status: w.state?.deviceImportStatus ?? 'unknown',
    errorName: w.state?.deviceErrorName ?? null,
    // 0 is "no error" on the wire.
    errorCode: w.state?.deviceErrorCode ? w.state.deviceErrorCode : null,
  }));
