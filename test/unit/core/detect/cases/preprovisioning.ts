import { CODES } from '../../../../../shared/core/catalog/codes.js';
import type { TenantSnapshot } from '../../../../../shared/core/model/index.js';
import {
  DAY,
  HOUR,
  MINUTE,
  NOW,
  event,
  fullSnapshot,
  identity,
  managedDevice,
  snapshot,
} from '../../../../support/builders.js';
import type { Case } from './types.js';

const C = CODES;

const technicianDone = (endAt: number) =>
  event({
    enrollmentType: 'azureADJoinedWithWhiteGlove',
    deploymentState: 'success',
    deploymentStartAt: endAt - HOUR,
    deploymentEndAt: endAt,
    deploymentTotalSeconds: 3600,
  });

/** A resealed device: the last Autopilot contact and the last check-in both belong to the technician run. */
const resealed = (endAt: number, o: Partial<TenantSnapshot> = {}): TenantSnapshot =>
  snapshot({
    identities: [identity({ lastContactedAt: endAt - 50 * MINUTE })],
    managedDevices: [managedDevice({ lastSyncAt: endAt + 5 * MINUTE, enrolledAt: endAt - 40 * MINUTE })],
    memory: { preprovisionedRuns: [{ serialNumber: 'SN-1', autopilotId: 'ap-1', technicianEndAt: endAt }] },
    ...o,
  });

export const PREPROVISIONING_CASES: readonly Case[] = [
  {
    code: C.AP_PREPROV_USER_FLOW_PENDING,
    name: 'fresh technician run in this poll is tracked at info',
    expect: 'present',
    severity: 'info',
    snapshot: snapshot({ events: [technicianDone(NOW - 2 * DAY)] }),
    subjectKey: 'SN-1',
  },
  {
    code: C.AP_PREPROV_USER_FLOW_PENDING,
    name: 'remembered run, resealed for 160 days: warning (5 months)',
    expect: 'present',
    severity: 'warning',
    snapshot: resealed(NOW - 160 * DAY),
  },
  {
    code: C.AP_PREPROV_USER_FLOW_PENDING,
    name: 'remembered run, resealed for 190 days: error (6 months)',
    expect: 'present',
    severity: 'error',
    snapshot: resealed(NOW - 190 * DAY),
  },
  {
    code: C.AP_PREPROV_USER_FLOW_PENDING,
    name: 'the Autopilot record contacted the service after the reseal: user flow ran',
    expect: 'absent',
    snapshot: resealed(NOW - 160 * DAY, { identities: [identity({ lastContactedAt: NOW - 150 * DAY })] }),
  },
  {
    code: C.AP_PREPROV_USER_FLOW_PENDING,
    name: 'Intune check-in long after the reseal: user flow ran',
    expect: 'absent',
    snapshot: resealed(NOW - 160 * DAY, { managedDevices: [managedDevice({ lastSyncAt: NOW - DAY })] }),
  },
  {
    code: C.AP_PREPROV_USER_FLOW_PENDING,
    name: 'remembered run with nothing observable: no escalation on a blind poll',
    expect: 'absent',
    snapshot: resealed(NOW - 160 * DAY, { identities: [], managedDevices: [] }),
  },
  {
    code: C.AP_PREPROV_USER_FLOW_PENDING,
    name: 'a newer deployment of the device supersedes the remembered run',
    expect: 'absent',
    snapshot: resealed(NOW - 160 * DAY, { events: [event({ deploymentStartAt: NOW - 3 * HOUR })] }),
  },
  {
    code: C.AP_PREPROV_USER_FLOW_PENDING,
    name: 'full sweep: Intune record deleted (device reset for reuse)',
    expect: 'absent',
    snapshot: fullSnapshot({
      identities: [identity({ lastContactedAt: NOW - 161 * DAY })],
      memory: { preprovisionedRuns: [{ serialNumber: 'SN-1', autopilotId: 'ap-1', technicianEndAt: NOW - 160 * DAY }] },
    }),
  },
  {
    code: C.AP_PREPROV_USER_FLOW_TOO_SOON,
    name: 'user flow OOBE contact 40 minutes after the technician flow',
    expect: 'present',
    severity: 'info',
    snapshot: fullSnapshot({
      events: [technicianDone(NOW - 3 * DAY)],
      identities: [identity({ lastContactedAt: NOW - 3 * DAY + 40 * MINUTE })],
      managedDevices: [managedDevice()],
    }),
  },
  {
    code: C.AP_PREPROV_USER_FLOW_TOO_SOON,
    name: 'user flow 3 hours after the technician flow',
    expect: 'absent',
    snapshot: fullSnapshot({
      events: [technicianDone(NOW - 3 * DAY)],
      identities: [identity({ lastContactedAt: NOW - 3 * DAY + 3 * HOUR })],
      managedDevices: [managedDevice()],
    }),
  },
  {
    code: C.AP_PREPROV_USER_FLOW_TOO_SOON,
    name: 'sweep-only: not judged on an incremental poll',
    expect: 'absent',
    snapshot: snapshot({
      events: [technicianDone(NOW - 3 * DAY)],
      identities: [identity({ lastContactedAt: NOW - 3 * DAY + 40 * MINUTE })],
    }),
  },
];
