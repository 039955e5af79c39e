import type {
  AutopilotDevice,
  AutopilotEvent,
  AutopilotSettings,
  DevicePrepDeployment,
  DevicePrepGroupSnapshot,
  DevicePrepItemStatus,
  DirectoryObjectRef,
  EntraDevice,
  GroupInfo,
  ImportedDevice,
  ManagedDevice,
  ServicePrincipalRef,
  TenantSnapshot,
} from '../../shared/core/model/index.js';
import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../../shared/core/model/index.js';

// Small, generic builders for domain objects. Every builder returns a healthy, unremarkable object (nothing a
// detector would flag) so a test states only the fields that matter to it. Times are relative to NOW.

export const NOW = Date.UTC(2025, 2, 1, 12, 0, 0); // fixed clock: 2025-03-01T12:00:00Z
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function identity(o: Partial<AutopilotDevice> = {}): AutopilotDevice {
  return {
    id: 'ap-1',
    serialNumber: 'SN-1',
    manufacturer: 'Contoso',
    model: 'Laptop 7',
    groupTag: null,
    displayName: null,
    enrollmentState: 'enrolled',
    userlessEnrollmentStatus: 'allowed',
    remediationState: 'noRemediationRequired',
    remediationStateLastModifiedAt: null,
    profileAssignmentStatus: 'assignedInSync',
    profileAssignedAt: NOW - 30 * DAY,
    lastContactedAt: NOW - 20 * DAY,
    azureAdDeviceId: 'aad-1',
    managedDeviceId: 'md-1',
    userPrincipalName: null,
    ...o,
  };
}

export function event(o: Partial<AutopilotEvent> = {}): AutopilotEvent {
  return {
    id: 'ev-1',
    deviceId: 'md-1',
    serialNumber: 'SN-1',
    eventAt: NOW - HOUR,
    enrollmentType: 'azureADJoinedWithAutopilotProfile',
    deploymentState: 'success',
    deviceSetupStatus: 'success',
    accountSetupStatus: 'success',
    deploymentStartAt: NOW - 2 * HOUR,
    deploymentEndAt: NOW - HOUR,
    enrollmentStartAt: NOW - 2 * HOUR,
    deploymentTotalSeconds: 3600,
    failureDetails: null,
    profileName: 'Standard user-driven',
    managedDeviceName: 'DESKTOP-1',
    ...o,
  };
}

export function entraDevice(o: Partial<EntraDevice> = {}): EntraDevice {
  return {
    objectId: 'obj-1',
    deviceId: 'aad-1',
    displayName: 'DESKTOP-1',
    enrollmentProfileName: null,
    isAutopilotRegistered: true,
    trustType: 'AzureAd',
    createdAt: NOW - 60 * DAY,
    ...o,
  };
}

export function managedDevice(o: Partial<ManagedDevice> = {}): ManagedDevice {
  return {
    id: 'md-1',
    deviceName: 'DESKTOP-1',
    serialNumber: 'SN-1',
    azureAdDeviceId: 'aad-1',
    complianceState: 'compliant',
    lastSyncAt: NOW - 2 * HOUR,
    enrolledAt: NOW - 30 * DAY,
    enrollmentProfileName: null,
    autopilotEnrolled: true,
    ...o,
  };
}

export function importedDevice(o: Partial<ImportedDevice> = {}): ImportedDevice {
  return { id: 'imp-1', serialNumber: 'SN-1', status: 'complete', errorName: null, errorCode: null, ...o };
}

export function settings(o: Partial<AutopilotSettings> = {}): AutopilotSettings {
  return { lastSyncAt: NOW - HOUR, lastManualSyncTriggerAt: NOW - DAY, syncStatus: 'completed', ...o };
}

export const PROVISIONING_CLIENT: ServicePrincipalRef = {
  objectId: 'sp-obj-1',
  appId: INTUNE_PROVISIONING_CLIENT_APP_ID,
  displayName: 'Intune Provisioning Client',
};

export function group(o: Partial<GroupInfo> = {}): GroupInfo {
  return {
    id: 'grp-1',
    displayName: 'Device prep devices',
    securityEnabled: true,
    isDynamic: false,
    isAssignableToRole: false,
    ...o,
  };
}

export function owner(o: Partial<DirectoryObjectRef> = {}): DirectoryObjectRef {
  return { id: PROVISIONING_CLIENT.objectId, type: 'servicePrincipal', appId: PROVISIONING_CLIENT.appId, ...o };
}

/** A healthy configured device-prep group: exists, assigned security group, owned by the provisioning client. */
export function devicePrepGroup(o: Partial<DevicePrepGroupSnapshot> = {}): DevicePrepGroupSnapshot {
  const groupId = o.groupId ?? 'grp-1';
  // The policy's enrollment-time target is this group: the state in which the product may write to it.
  const policyTarget = {
    kind: 'read' as const,
    policyId: 'pol-1',
    validationSucceeded: true,
    targets: [{ targetId: groupId, error: null }],
  };
  return {
    groupId,
    policyName: 'DP Policy',
    group: group({ id: groupId }),
    owners: [owner()],
    memberObjectIds: [],
    candidates: [],
    policyTarget,
    ...o,
  };
}

export function devicePrepDeployment(o: Partial<DevicePrepDeployment> = {}): DevicePrepDeployment {
  return {
    intuneDeviceId: 'md-1',
    deviceName: 'DESKTOP-1',
    serialNumber: 'SN-1',
    userPrincipalName: 'user@contoso.com',
    enrolledAt: NOW - 3 * HOUR,
    status: 'succeeded',
    phase: null,
    resultCode: null,
    policyName: 'DP Policy',
    ...o,
  };
}

type SnapshotOverrides = Partial<Omit<TenantSnapshot, 'complete'>> & { complete?: Partial<TenantSnapshot['complete']> };

/** An empty incremental snapshot observed at NOW, nothing read in full unless `complete` says so. */
export function snapshot(o: SnapshotOverrides = {}): TenantSnapshot {
  const { complete, ...rest } = o;
  return {
    observedAt: NOW,
    kind: 'incremental',
    identities: [],
    events: [],
    settings: null,
    imports: [],
    devicePrepGroups: [],
    provisioningClient: null,
    entraDevices: [],
    managedDevices: [],
    devicePrepDeployments: [],
    fleetSize: null,
    ...rest,
    complete: {
      identities: false,
      blockedIdentities: false,
      entraDevices: false,
      managedDevices: false,
      devicePrepDeployments: false,
      imports: false,
      ...complete,
    },
  };
}

/** A full sweep snapshot: every collection read completely. */
export function fullSnapshot(o: SnapshotOverrides = {}): TenantSnapshot {
  const { complete, ...rest } = o;
  return snapshot({
    kind: 'full',
    ...rest,
    complete: {
      identities: true,
      blockedIdentities: true,
      entraDevices: true,
      managedDevices: true,
      devicePrepDeployments: true,
      imports: true,
      ...complete,
    },
  });
}

/** One row of the device-preparation app (default) or script detail export, for device md-1. */
export function devicePrepItem(o: Partial<DevicePrepItemStatus> = {}): DevicePrepItemStatus {
  return {
    kind: 'app',
    intuneDeviceId: 'md-1',
    itemId: 'app-1',
    name: 'Company Portal',
    appType: 'WinGetApp',
    status: 'installed',
    statusCode: '1',
    ...o,
  };
}
