import type { Finding, RemedyTarget } from '../../../../shared/core/model/index.js';
import { NO_HISTORY, type PolicyContext, type PolicySettings } from '../../../../shared/core/policy/index.js';

export const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
export const MIN = 60_000;
export const GROUP = '11111111-1111-4111-8111-111111111111';
export const OTHER_GROUP = '22222222-2222-4222-8222-222222222222';

export const ENFORCE_ALL: PolicySettings = {
  defaultMode: 'enforce',
  enabledActions: ['autopilot-sync', 'allow-next-enrollment', 'add-to-device-prep-group', 'restore-device-prep-owner'],
  actionModes: {
    'autopilot-sync': 'enforce',
    'allow-next-enrollment': 'enforce',
    'add-to-device-prep-group': 'enforce',
    'restore-device-prep-owner': 'enforce',
    'delete-intune-device-record': 'enforce',
    'deregister-autopilot-device': 'enforce',
  },
  blastRadiusMaxDevices: 50,
  blastRadiusMaxPercent: 10,
  blastRadiusMinDevices: 5,
  cooldownMs: 60 * MIN,
  maxAttemptsPerDay: 3,
  unblockRequiresFailureEvent: true,
};

/**
 * What the identity detector records for a blocked device whose latest deployment (pre-provisioning) was
 * refused with 0x80180014 two hours before T0: the evidence an automatic unblock requires.
 */
export const REFUSED_BY_BLOCK = {
  userlessEnrollmentStatus: 'blocked',
  lastDeploymentEventId: 'ev-1',
  lastDeploymentSerialNumber: 'SN-1',
  lastDeploymentState: 'failure',
  lastDeploymentEnrollmentType: 'azureADJoinedWithWhiteGlove',
  lastDeploymentFailureCode: '0x80180014',
  lastDeploymentStartedAt: T0 - 2 * 60 * MIN,
} as const;

/** The same for another serial (the event evidence carries the device's own serial). */
export function refusedBlock(serial: string): Record<string, string | number> {
  return { ...REFUSED_BY_BLOCK, lastDeploymentSerialNumber: serial };
}

export const REMEDIES = {
  sync: { action: 'autopilot-sync' } as RemedyTarget,
  unblock: (serial = 'SN-1', autopilotId = `ap-${serial}`): RemedyTarget => ({
    action: 'allow-next-enrollment',
    autopilotId,
    serialNumber: serial,
  }),
  member: (objectId: string, serial: string | null = null, groupId = GROUP): RemedyTarget => ({
    action: 'add-to-device-prep-group',
    groupId,
    objectId,
    serialNumber: serial,
  }),
  owner: (groupId = GROUP): RemedyTarget => ({
    action: 'restore-device-prep-owner',
    groupId,
    servicePrincipalId: 'sp-object-1',
  }),
};

export function finding(remedy: RemedyTarget | null, over: Partial<Finding> = {}): Finding {
  const key =
    remedy === null || remedy.action === 'autopilot-sync'
      ? 'tenant'
      : remedy.action === 'allow-next-enrollment'
        ? remedy.serialNumber
        : remedy.action === 'add-to-device-prep-group'
          ? (remedy.serialNumber ?? remedy.objectId)
          : 'groupId' in remedy
            ? remedy.groupId
            : remedy.serialNumber;
  return {
    code: 'TEST_CODE',
    subject:
      key === 'tenant'
        ? { kind: 'tenant', key: 'tenant' }
        : { kind: 'device', key, serialNumber: key, autopilotId: null },
    severity: 'warning',
    title: 'test finding',
    evidence: {},
    fingerprint: `fp-${key}-${remedy?.action ?? 'none'}`,
    remedy,
    ...over,
  };
}

export function ctx(over: Partial<PolicyContext> = {}): PolicyContext {
  return { history: NO_HISTORY, now: T0, policy: ENFORCE_ALL, allowedGroupIds: [GROUP], ...over };
}
