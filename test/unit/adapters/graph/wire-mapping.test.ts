import { describe, expect, it } from 'vitest';
import {
  eventSchema,
  identitySchema,
  importedSchema,
  settingsSchema,
} from '../../../../shared/adapters/graph/schemas/autopilot.js';
import {
  directoryObjectSchema,
  entraDeviceSchema,
  groupSchema,
  managedDeviceSchema,
  servicePrincipalSchema,
} from '../../../../shared/adapters/graph/schemas/directory.js';

const NEVER = '0001-01-01T00:00:00Z';

describe('windowsAutopilotDeviceIdentity (beta)', () => {
  const wire = {
    '@odata.type': '#microsoft.graph.windowsAutopilotDeviceIdentity',
    id: 'ap-1',
    serialNumber: 'SN-1',
    manufacturer: 'Contoso',
    model: null,
    groupTag: '',
    enrollmentState: 'blocked',
    userlessEnrollmentStatus: 'blocked',
    remediationState: 'automaticRemediationRequired',
    remediationStateLastModifiedDateTime: '2025-03-01T08:00:00Z',
    deploymentProfileAssignmentStatus: 'assignedUnkownSyncState',
    deploymentProfileAssignedDateTime: NEVER,
    lastContactedDateTime: NEVER,
    azureActiveDirectoryDeviceId: '11111111-1111-1111-1111-111111111111',
    azureAdDeviceId: '22222222-2222-2222-2222-222222222222',
    managedDeviceId: '00000000-0000-0000-0000-000000000000',
    userPrincipalName: 'a@contoso.com',
    deviceAccountPassword: 'never-read',
  };

  it('maps to the domain type', () => {
    expect(identitySchema.parse(wire)).toEqual({
      id: 'ap-1',
      serialNumber: 'SN-1',
      manufacturer: 'Contoso',
      model: null,
      groupTag: null,
      displayName: null,
      enrollmentState: 'blocked',
      userlessEnrollmentStatus: 'blocked',
      remediationState: 'automaticRemediationRequired',
      remediationStateLastModifiedAt: Date.UTC(2025, 2, 1, 8),
      profileAssignmentStatus: 'assignedUnkownSyncState',
      profileAssignedAt: null,
      lastContactedAt: null,
      azureAdDeviceId: '22222222-2222-2222-2222-222222222222',
      managedDeviceId: null,
      userPrincipalName: 'a@contoso.com',
    });
  });

  it('falls back to azureActiveDirectoryDeviceId (v1.0 spelling) when azureAdDeviceId is absent', () => {
    const { azureAdDeviceId: _dropped, ...v1 } = wire;
    expect(identitySchema.parse(v1).azureAdDeviceId).toBe('11111111-1111-1111-1111-111111111111');
  });

  it('turns unknownFutureValue and members added later into unknown', () => {
    const d = identitySchema.parse({
      ...wire,
      enrollmentState: 'quarantined',
      userlessEnrollmentStatus: 'unknownFutureValue',
      remediationState: 'unknownFutureValue',
      deploymentProfileAssignmentStatus: 42,
    });
    expect([d.enrollmentState, d.userlessEnrollmentStatus, d.remediationState, d.profileAssignmentStatus]).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  it('tolerates a minimal object', () => {
    const d = identitySchema.parse({ id: 'ap-2' });
    expect(d).toMatchObject({ id: 'ap-2', serialNumber: '', enrollmentState: 'unknown', lastContactedAt: null });
  });

  it.each([{}, { id: '' }, { id: null }, { serialNumber: 'X' }])('fails clearly without an id: %j', (bad) => {
    expect(() => identitySchema.parse(bad)).toThrow(/id/);
  });
});

describe('deviceManagementAutopilotEvent', () => {
  it('maps durations to seconds, defaults to null and enums by name', () => {
    const e = eventSchema.parse({
      id: 'ev-1',
      deviceId: '00000000-0000-0000-0000-000000000000',
      deviceSerialNumber: 'SN-1',
      eventDateTime: '2025-03-01T09:00:00Z',
      enrollmentType: 'azureADJoinedWithWhiteGlove',
      deploymentState: 'failure',
      deviceSetupStatus: 'successOnRetry',
      accountSetupStatus: 'unknownFutureValue',
      deploymentStartDateTime: '2025-03-01T08:00:00Z',
      deploymentEndDateTime: NEVER,
      enrollmentStartDateTime: null,
      deploymentTotalDuration: 'PT1H2M3S',
      enrollmentFailureDetails: '0x80180014',
      windowsAutopilotDeploymentProfileDisplayName: 'Self-deploying',
      managedDeviceName: 'DESKTOP-1',
    });
    expect(e).toEqual({
      id: 'ev-1',
      deviceId: null,
      serialNumber: 'SN-1',
      eventAt: Date.UTC(2025, 2, 1, 9),
      enrollmentType: 'azureADJoinedWithWhiteGlove',
      deploymentState: 'failure',
      deviceSetupStatus: 'successOnRetry',
      accountSetupStatus: 'unknown',
      deploymentStartAt: Date.UTC(2025, 2, 1, 8),
      deploymentEndAt: null,
      enrollmentStartAt: null,
      deploymentTotalSeconds: 3723,
      failureDetails: '0x80180014',
      profileName: 'Self-deploying',
      managedDeviceName: 'DESKTOP-1',
    });
  });
});

describe('windowsAutopilotSettings', () => {
  it('maps the 0001 default to null and keeps the sync status', () => {
    expect(
      settingsSchema.parse({
        id: 's',
        lastSyncDateTime: NEVER,
        lastManualSyncTriggerDateTime: '2025-03-01T10:00:00Z',
        syncStatus: 'inProgress',
      }),
    ).toEqual({
      lastSyncAt: null,
      lastManualSyncTriggerAt: Date.UTC(2025, 2, 1, 10),
      syncStatus: 'inProgress',
    });
    expect(settingsSchema.parse({ syncStatus: 'somethingNew' }).syncStatus).toBe('unknown');
  });
});

describe('importedWindowsAutopilotDeviceIdentity', () => {
  it('reads the nested state', () => {
    expect(
      importedSchema.parse({
        id: 'imp-1',
        serialNumber: 'SN-9',
        importId: 'batch-1',
        state: {
          deviceImportStatus: 'error',
          deviceRegistrationId: '',
          deviceErrorCode: 806,
          deviceErrorName: 'ZtdDeviceAssignedToOtherTenant',
        },
      }),
    ).toEqual({
      id: 'imp-1',
      serialNumber: 'SN-9',
      status: 'error',
      errorName: 'ZtdDeviceAssignedToOtherTenant',
      errorCode: 806,
    });
  });

  it('tolerates a missing or odd state', () => {
    expect(importedSchema.parse({ id: 'imp-2', state: null })).toMatchObject({ status: 'unknown', errorCode: null });
    expect(importedSchema.parse({ id: 'imp-3', state: 'weird' })).toMatchObject({ status: 'unknown' });
    expect(
      importedSchema.parse({ id: 'imp-4', state: { deviceImportStatus: 'complete', deviceErrorCode: 0 } }),
    ).toMatchObject({
      status: 'complete',
      errorCode: null,
    });
  });
});

describe('directory objects', () => {
  it('group: dynamic when groupTypes says so', () => {
    expect(
      groupSchema.parse({
        id: 'g',
        displayName: 'DP',
        securityEnabled: true,
        groupTypes: [],
        isAssignableToRole: null,
      }),
    ).toEqual({
      id: 'g',
      displayName: 'DP',
      securityEnabled: true,
      isDynamic: false,
      isAssignableToRole: false,
    });
    expect(
      groupSchema.parse({
        id: 'g',
        groupTypes: ['DynamicMembership'],
        membershipRule: '(device.devicePhysicalIds -any _ -eq "[ZTDId]")',
      }).isDynamic,
    ).toBe(true);
  });

  it('directoryObject: type from @odata.type, appId when present', () => {
    expect(
      directoryObjectSchema.parse({ '@odata.type': '#microsoft.graph.servicePrincipal', id: 'sp', appId: 'app' }),
    ).toEqual({
      id: 'sp',
      type: 'servicePrincipal',
      appId: 'app',
    });
    expect(directoryObjectSchema.parse({ '@odata.type': '#microsoft.graph.orgContact', id: 'c' }).type).toBe('other');
  });

  it('servicePrincipal needs an appId', () => {
    expect(() => servicePrincipalSchema.parse({ id: 'sp' })).toThrow(/appId/);
  });

  it('device: ZTDID physical id marks Autopilot registration (any case)', () => {
    const d = entraDeviceSchema.parse({
      id: 'obj-1',
      deviceId: 'dev-1',
      physicalIds: ['[ZTDId]:abc', '[GID]:g'],
      registrationDateTime: '2025-01-01T00:00:00Z',
      trustType: 'AzureAd',
    });
    expect(d).toEqual({
      objectId: 'obj-1',
      deviceId: 'dev-1',
      displayName: null,
      enrollmentProfileName: null,
      isAutopilotRegistered: true,
      trustType: 'AzureAd',
      createdAt: Date.UTC(2025, 0, 1),
    });
    expect(entraDeviceSchema.parse({ id: 'obj-2', physicalIds: null }).isAutopilotRegistered).toBe(false);
  });

  it('managedDevice: azureADDeviceId spelling, sparse compliance enum by name', () => {
    const m = managedDeviceSchema.parse({
      id: 'md',
      azureADDeviceId: '00000000-0000-0000-0000-000000000000',
      complianceState: 'inGracePeriod',
      lastSyncDateTime: NEVER,
      enrolledDateTime: '2025-02-01T00:00:00Z',
      autopilotEnrolled: true,
    });
    expect(m).toMatchObject({
      azureAdDeviceId: null,
      complianceState: 'inGracePeriod',
      lastSyncAt: null,
      enrolledAt: Date.UTC(2025, 1, 1),
      autopilotEnrolled: true,
    });
    expect(managedDeviceSchema.parse({ id: 'md', complianceState: 'unknownFutureValue' }).complianceState).toBe(
      'unknown',
    );
  });
});
