import { z } from 'zod';
import {
  COMPLIANCE_STATES,
  type DirectoryObjectRef,
  type EntraDevice,
  type GroupInfo,
  type ManagedDevice,
  type ServicePrincipalRef,
} from '../../../core/model/index.js';
import { bool, dateTime, optId, optString, requiredId, wireEnum } from './common.js';

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

export const entraDeviceSchema = z
  .object({
    id: requiredId,
    deviceId: optId,
    displayName: optString,
    enrollmentProfileName: optString,
    physicalIds: z.array(z.unknown()).nullish().catch(null),
    trustType: optString,
    registrationDateTime: dateTime,
  })
  .transform((w): EntraDevice => ({
    objectId: w.id,
    deviceId: w.deviceId ?? '',
    displayName: w.displayName,
    enrollmentProfileName: w.enrollmentProfileName,
    isAutopilotRegistered: (w.physicalIds ?? []).some(
      (p) => typeof p === 'string' && p.toUpperCase().startsWith(ZTDID_PREFIX),
    ),
    trustType: w.trustType,
    createdAt: w.registrationDateTime,
  }));

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

export const managedDeviceSchema = z
  .object({
    id: requiredId,
    deviceName: optString,
    serialNumber: optString,
    // managedDevice spells it azureADDeviceId (capital AD), unlike the Autopilot identity.
    azureADDeviceId: optId,
    complianceState: wireEnum(COMPLIANCE_STATES),
    lastSyncDateTime: dateTime,
    enrolledDateTime: dateTime,
    enrollmentProfileName: optString,
    autopilotEnrolled: bool,
  })
  .transform((w): ManagedDevice => ({
    id: w.id,
    deviceName: w.deviceName,
    serialNumber: w.serialNumber,
    azureAdDeviceId: w.azureADDeviceId,
    complianceState: w.complianceState,
    lastSyncAt: w.lastSyncDateTime,
    enrolledAt: w.enrolledDateTime,
    enrollmentProfileName: w.enrollmentProfileName,
    autopilotEnrolled: w.autopilotEnrolled,
  }));
