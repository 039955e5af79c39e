import { z } from 'zod';
import {
  COMPLIANCE_STATES,
  type DirectoryObjectRef,
  type EntraDevice,
  type GroupInfo,
  type ManagedDevice,
  type ServicePrincipalRef,
  toKnown,
} from '../../../core/model/index.js';
import {
  bool,
  idOrNull,
  optString,
  requiredId,
  sharedStringOrNull,
  stringOrNull,
  toEpochMs,
  wireRecord,
} from './common.js';

// Entra (directory) objects from v1.0, and Intune managedDevice (beta). The *_FIELDS lists are checked against
// Microsoft's official Graph types by test/unit/adapters/graph/official-types.test.ts.

export const GROUP_FIELDS = [
  'id',
  'displayName',
  'securityEnabled',
  'groupTypes',
  'membershipRule',
  'isAssignableToRole',
] as const;
export const GROUP_SELECT = GROUP_FIELDS.join(',');

export const groupSchema = z
  .object({
    id: requiredId,
    displayName: optString,
    securityEnabled: bool,
    groupTypes: z.array(z.unknown()).nullish().catch(null),
    membershipRule: optString,
    isAssignableToRole: bool,
  })
  .transform((w): GroupInfo => ({
    id: w.id,
    displayName: w.displayName,
    securityEnabled: w.securityEnabled,
    // Dynamic groups carry "DynamicMembership" in groupTypes; a rule without it is paused, still not assignable.
    isDynamic:
      (w.groupTypes ?? []).some((t) => typeof t === 'string' && t.toLowerCase() === 'dynamicmembership') ||
      w.membershipRule !== null,
    isAssignableToRole: w.isAssignableToRole,
  }));

const TYPE_BY_ODATA: Record<string, DirectoryObjectRef['type']> = {
  '#microsoft.graph.device': 'device',
  '#microsoft.graph.serviceprincipal': 'servicePrincipal',
  '#microsoft.graph.user': 'user',
  '#microsoft.graph.group': 'group',
};

/** A directoryObject from /members or /owners: the `@odata.type` tells what it is. */
export const directoryObjectSchema = z
  .object({ id: requiredId, '@odata.type': optString, appId: optString })
  .transform((w): DirectoryObjectRef => ({
    id: w.id,
    type: TYPE_BY_ODATA[(w['@odata.type'] ?? '').toLowerCase()] ?? 'other',
    appId: w.appId,
  }));

export const memberIdSchema = z.object({ id: requiredId }).transform((w) => w.id);

export const SERVICE_PRINCIPAL_FIELDS = ['id', 'appId', 'displayName'] as const;
export const SERVICE_PRINCIPAL_SELECT = SERVICE_PRINCIPAL_FIELDS.join(',');

export const servicePrincipalSchema = z
  .object({ id: requiredId, appId: z.string().min(1, 'appId is missing'), displayName: optString })
  .transform((w): ServicePrincipalRef => ({ objectId: w.id, appId: w.appId, displayName: w.displayName }));

export const DEVICE_FIELDS = [
  'id',
  'deviceId',
  'displayName',
  'enrollmentProfileName',
  'physicalIds',
  'trustType',
  'registrationDateTime',
] as const;
export const DEVICE_SELECT = DEVICE_FIELDS.join(',');

/** Autopilot-registered devices carry a `[ZTDID]:<hash>` entry in physicalIds (case varies: `[ZTDId]`). */
export const ZTDID_PREFIX = '[ZTDID]';

const entraDevice = wireRecord(DEVICE_FIELDS, (w): EntraDevice => {
  const physicalIds = w['physicalIds'];
  return {
    objectId: w.id as string,
    deviceId: idOrNull(w['deviceId']) ?? '',
    displayName: stringOrNull(w['displayName']),
    enrollmentProfileName: sharedStringOrNull(w['enrollmentProfileName']),
    isAutopilotRegistered:
      Array.isArray(physicalIds) &&
      physicalIds.some((p) => typeof p === 'string' && p.toUpperCase().startsWith(ZTDID_PREFIX)),
    trustType: sharedStringOrNull(w['trustType']),
    createdAt: toEpochMs(w['registrationDateTime']),
  };
});
export const entraDeviceSchema = entraDevice.schema;
export const parseEntraDevice = entraDevice.parse;

export const MANAGED_DEVICE_FIELDS = [
  'id',
  'deviceName',
  'serialNumber',
  'azureADDeviceId',
  'complianceState',
  'lastSyncDateTime',
  'enrolledDateTime',
  'enrollmentProfileName',
  'autopilotEnrolled',
] as const;
export const MANAGED_DEVICE_SELECT = MANAGED_DEVICE_FIELDS.join(',');

const managedDevice = wireRecord(MANAGED_DEVICE_FIELDS, (w): ManagedDevice => ({
  id: w.id as string,
  deviceName: stringOrNull(w['deviceName']),
  serialNumber: stringOrNull(w['serialNumber']),
  // managedDevice spells it azureADDeviceId (capital AD), unlike the Autopilot identity.
  azureAdDeviceId: idOrNull(w['azureADDeviceId']),
  complianceState: toKnown(COMPLIANCE_STATES, w['complianceState']),
  lastSyncAt: toEpochMs(w['lastSyncDateTime']),
  enrolledAt: toEpochMs(w['enrolledDateTime']),
  enrollmentProfileName: sharedStringOrNull(w['enrollmentProfileName']),
  autopilotEnrolled: w['autopilotEnrolled'] === true,
}));
export const managedDeviceSchema = managedDevice.schema;
export const parseManagedDevice = managedDevice.parse;
