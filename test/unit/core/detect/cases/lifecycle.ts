import { CODES } from '../../../../../shared/core/catalog/codes.js';
import type { AutopilotDevice, ManagedDevice, TenantSnapshot } from '../../../../../shared/core/model/index.js';
import {
  DAY,
  HOUR,
  MINUTE,
  NOW,
  entraDevice,
  event,
  fullSnapshot,
  identity,
  managedDevice,
  snapshot,
} from '../../../../support/builders.js';
import type { Case } from './types.js';

const C = CODES;

/** One healthy Autopilot device, read in full: identity + Entra object + Intune record. */
export const healthy = (
  i: Partial<AutopilotDevice> = {},
  m: Partial<ManagedDevice> | null = {},
  o: Partial<TenantSnapshot> = {},
) =>
  fullSnapshot({
    identities: [identity(i)],
    entraDevices: [entraDevice()],
    managedDevices: m === null ? [] : [managedDevice(m)],
    ...o,
  });

const old = NOW - 200 * DAY;
const techEnd = NOW - 10 * DAY;
const preprovMemory = { preprovisionedRuns: [{ serialNumber: 'SN-1', autopilotId: 'ap-1', technicianEndAt: techEnd }] };

export const LIFECYCLE_CASES: readonly Case[] = [
  {
    code: C.AP_REGISTRATION_STALE,
    name: 'no Autopilot contact and no check-in for 200 days',
    expect: 'present',
    snapshot: healthy({ lastContactedAt: old }, { lastSyncAt: old }),
    subjectKey: 'SN-1',
  },
  {
    code: C.AP_REGISTRATION_STALE,
    name: 'old Autopilot contact but checked in yesterday (normal for an enrolled device)',
    expect: 'absent',
    snapshot: healthy({ lastContactedAt: old }, { lastSyncAt: NOW - DAY }),
  },
  {
    code: C.AP_REGISTRATION_STALE,
    name: 'sweep-only: an incremental poll never concludes staleness',
    expect: 'absent',
    snapshot: snapshot({ identities: [identity({ lastContactedAt: old })] }),
  },
  {
    code: C.AP_REGISTERED_NEVER_ENROLLED,
    name: 'registered 200 days ago, never contacted, no Intune record',
    expect: 'present',
    severity: 'info',
    snapshot: healthy({ enrollmentState: 'notContacted', managedDeviceId: null, lastContactedAt: null }, null, {
      entraDevices: [entraDevice({ createdAt: old })],
    }),
  },
  {
    code: C.AP_REGISTERED_NEVER_ENROLLED,
    name: 'registered 10 days ago (stock)',
    expect: 'absent',
    snapshot: healthy({ enrollmentState: 'notContacted', managedDeviceId: null, lastContactedAt: null }, null, {
      entraDevices: [entraDevice({ createdAt: NOW - 10 * DAY })],
    }),
  },
  {
    code: C.AP_ENTRA_OBJECT_MISSING,
    name: 'Entra object gone',
    expect: 'present',
    snapshot: healthy({}, {}, { entraDevices: [] }),
  },
  {
    code: C.AP_ENTRA_OBJECT_MISSING,
    name: 'Entra object present',
    expect: 'absent',
    snapshot: healthy(),
  },
  {
    code: C.AP_ENTRA_OBJECT_MISSING,
    name: 'Entra devices not read in full',
    expect: 'absent',
    snapshot: healthy(
      {},
      {},
      {
        entraDevices: [],
        complete: {
          identities: true,
          blockedIdentities: true,
          entraDevices: false,
          managedDevices: true,
          devicePrepDeployments: true,
          imports: true,
        },
      },
    ),
  },
  {
    code: C.AP_MANAGED_DEVICE_MISSING,
    name: 'managedDeviceId points nowhere',
    expect: 'present',
    snapshot: healthy({}, null),
  },
  {
    code: C.AP_MANAGED_DEVICE_MISSING,
    name: 'all-zero managedDeviceId means "none"',
    expect: 'absent',
    snapshot: healthy(
      { managedDeviceId: '00000000-0000-0000-0000-000000000000', enrollmentState: 'notContacted' },
      null,
    ),
  },
  {
    code: C.AP_DUPLICATE_SERIAL,
    name: 'two Autopilot records, serials differing only in case and spaces',
    expect: 'present',
    snapshot: fullSnapshot({
      identities: [identity(), identity({ id: 'ap-2', serialNumber: ' sn-1 ' })],
      entraDevices: [entraDevice()],
      managedDevices: [managedDevice()],
    }),
  },
  {
    code: C.AP_DUPLICATE_SERIAL,
    name: 'hybrid join: two Entra objects for one device are by design',
    expect: 'absent',
    snapshot: healthy(
      {},
      {},
      {
        entraDevices: [
          entraDevice(),
          entraDevice({
            objectId: 'obj-hybrid',
            deviceId: 'aad-hybrid',
            trustType: 'ServerAd',
            isAutopilotRegistered: false,
          }),
        ],
      },
    ),
  },
  {
    code: C.AP_MANAGED_NONCOMPLIANT,
    name: 'noncompliant for weeks',
    expect: 'present',
    snapshot: healthy({}, { complianceState: 'noncompliant' }),
  },
  {
    code: C.AP_MANAGED_NONCOMPLIANT,
    // Issue 14 item 8: the enrollment time comes from the latest deployment event, not Intune's enrolledDateTime.
    name: 'deployed 2 hours ago (latest deployment event): check-in cadence not settled',
    expect: 'absent',
    snapshot: healthy(
      {},
      { complianceState: 'noncompliant', enrolledAt: NOW - 90 * DAY },
      { events: [event({ deploymentStartAt: NOW - 3 * HOUR, deploymentEndAt: NOW - 2 * HOUR })] },
    ),
  },
  {
    code: C.AP_MANAGED_NONCOMPLIANT,
    name: 'pre-provisioned user flow started 3 hours ago: compliance reset is expected',
    expect: 'absent',
    snapshot: healthy(
      { lastContactedAt: NOW - 3 * HOUR },
      { complianceState: 'noncompliant', enrolledAt: techEnd - HOUR },
      { memory: preprovMemory },
    ),
  },
  {
    code: C.AP_MANAGED_NONCOMPLIANT,
    name: 'pre-provisioned device resealed, waiting for its user',
    expect: 'absent',
    snapshot: healthy(
      { lastContactedAt: techEnd - HOUR },
      { complianceState: 'noncompliant', enrolledAt: techEnd - HOUR, lastSyncAt: techEnd + MINUTE },
      { memory: preprovMemory },
    ),
  },
  {
    code: C.AP_MANAGED_CHECKIN_STALE,
    name: 'no check-in for 40 days',
    expect: 'present',
    snapshot: healthy({}, { lastSyncAt: NOW - 40 * DAY }),
  },
  {
    code: C.AP_MANAGED_CHECKIN_STALE,
    name: 'checked in 10 days ago',
    expect: 'absent',
    snapshot: healthy({}, { lastSyncAt: NOW - 10 * DAY }),
  },
  {
    code: C.AP_MANAGED_CHECKIN_STALE,
    name: 'resealed pre-provisioned device is switched off on purpose',
    expect: 'absent',
    snapshot: healthy(
      { lastContactedAt: NOW - 41 * DAY },
      { lastSyncAt: NOW - 40 * DAY + MINUTE, enrolledAt: NOW - 41 * DAY },
      {
        memory: {
          preprovisionedRuns: [{ serialNumber: 'SN-1', autopilotId: 'ap-1', technicianEndAt: NOW - 40 * DAY }],
        },
      },
    ),
  },
];
