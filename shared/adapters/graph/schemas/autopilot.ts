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
  toKnown,
  USERLESS_ENROLLMENT_STATUSES,
} from '../../../core/model/index.js';
import {
  dateTime,
  durationToSeconds,
  idOrNull,
  optInt,
  optString,
  requiredId,
  sharedStringOrNull,
  stringOrNull,
  toEpochMs,
  wireEnum,
  wireRecord,
} from './common.js';

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

const identity = wireRecord(IDENTITY_FIELDS, (w): AutopilotDevice => ({
  id: w.id as string,
  serialNumber: stringOrNull(w['serialNumber']) ?? '',
  manufacturer: sharedStringOrNull(w['manufacturer']),
  model: sharedStringOrNull(w['model']),
  groupTag: sharedStringOrNull(w['groupTag']),
  displayName: stringOrNull(w['displayName']),
  enrollmentState: toKnown(ENROLLMENT_STATES, w['enrollmentState']),
  userlessEnrollmentStatus: toKnown(USERLESS_ENROLLMENT_STATUSES, w['userlessEnrollmentStatus']),
  remediationState: toKnown(REMEDIATION_STATES, w['remediationState']),
  remediationStateLastModifiedAt: toEpochMs(w['remediationStateLastModifiedDateTime']),
  profileAssignmentStatus: toKnown(PROFILE_ASSIGNMENT_STATUSES, w['deploymentProfileAssignmentStatus']),
  profileAssignedAt: toEpochMs(w['deploymentProfileAssignedDateTime']),
  lastContactedAt: toEpochMs(w['lastContactedDateTime']),
  // beta `azureAdDeviceId` replaces `azureActiveDirectoryDeviceId` ("to be deprecated"); read both.
  azureAdDeviceId: idOrNull(w['azureAdDeviceId']) ?? idOrNull(w['azureActiveDirectoryDeviceId']),
  managedDeviceId: idOrNull(w['managedDeviceId']),
  userPrincipalName: stringOrNull(w['userPrincipalName']),
}));
export const identitySchema = identity.schema;
export const parseIdentity = identity.parse;

/** Edm.Duration on the wire (`PT23M10S`), not seconds. `PT0S` is the non-nullable default: no duration known. */
function totalSeconds(v: unknown): number | null {
  const seconds = durationToSeconds(v);
  return seconds !== null && seconds > 0 ? seconds : null;
}

/** autopilotEvents is read without $select (the adapter pages it whole); these are the fields mapped. */
const EVENT_FIELDS = [
  'id',
  'deviceId',
  'deviceSerialNumber',
  'eventDateTime',
  'enrollmentType',
  'deploymentState',
  'deviceSetupStatus',
  'accountSetupStatus',
  'deploymentStartDateTime',
  'deploymentEndDateTime',
  'enrollmentStartDateTime',
  'deploymentTotalDuration',
  'enrollmentFailureDetails',
  'windowsAutopilotDeploymentProfileDisplayName',
  'managedDeviceName',
] as const;

const event = wireRecord(EVENT_FIELDS, (w): AutopilotEvent => ({
  id: w.id as string,
  deviceId: idOrNull(w['deviceId']),
  serialNumber: stringOrNull(w['deviceSerialNumber']),
  eventAt: toEpochMs(w['eventDateTime']),
  enrollmentType: toKnown(ENROLLMENT_TYPES, w['enrollmentType']),
  deploymentState: toKnown(DEPLOYMENT_STATES, w['deploymentState']),
  deviceSetupStatus: toKnown(DEPLOYMENT_STATES, w['deviceSetupStatus']),
  accountSetupStatus: toKnown(DEPLOYMENT_STATES, w['accountSetupStatus']),
  deploymentStartAt: toEpochMs(w['deploymentStartDateTime']),
  deploymentEndAt: toEpochMs(w['deploymentEndDateTime']),
  enrollmentStartAt: toEpochMs(w['enrollmentStartDateTime']),
  deploymentTotalSeconds: totalSeconds(w['deploymentTotalDuration']),
  failureDetails: stringOrNull(w['enrollmentFailureDetails']),
  profileName: sharedStringOrNull(w['windowsAutopilotDeploymentProfileDisplayName']),
  managedDeviceName: stringOrNull(w['managedDeviceName']),
}));
export const eventSchema = event.schema;
export const parseEvent = event.parse;

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
