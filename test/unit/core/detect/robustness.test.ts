import { describe, expect, it } from 'vitest';
import { defaultDetectorRules, detectAll } from '../../../../shared/core/detect/index.js';
import {
  COMPLIANCE_STATES,
  DEPLOYMENT_STATES,
  ENROLLMENT_STATES,
  ENROLLMENT_TYPES,
  PROFILE_ASSIGNMENT_STATUSES,
  REMEDIATION_STATES,
  toKnown,
  USERLESS_ENROLLMENT_STATUSES,
} from '../../../../shared/core/model/index.js';
import {
  HOUR,
  NOW,
  devicePrepDeployment,
  entraDevice,
  event,
  fullSnapshot,
  identity,
  importedDevice,
  managedDevice,
  settings,
  snapshot,
} from '../../../support/builders.js';

// Graph adds enum members over time (and beta fields are often absent); the adapter maps anything it does not
// know to 'unknown'. A detector must neither crash nor guess on 'unknown'.

const future = 'unknownFutureValue';

describe("unknown enum values ('unknown')", () => {
  it('produce no findings anywhere, on a poll or a sweep', () => {
    const s = {
      identities: [
        identity({
          enrollmentState: toKnown(ENROLLMENT_STATES, future),
          userlessEnrollmentStatus: toKnown(USERLESS_ENROLLMENT_STATUSES, future),
          remediationState: toKnown(REMEDIATION_STATES, future),
          profileAssignmentStatus: toKnown(PROFILE_ASSIGNMENT_STATUSES, 'somethingNew'),
          remediationStateLastModifiedAt: NOW - 900 * HOUR,
        }),
      ],
      events: [
        event({
          enrollmentType: toKnown(ENROLLMENT_TYPES, future),
          deploymentState: toKnown(DEPLOYMENT_STATES, future),
          deviceSetupStatus: 'unknown',
          accountSetupStatus: 'unknown',
          deploymentStartAt: NOW - 30 * HOUR,
        }),
      ],
      entraDevices: [entraDevice()],
      managedDevices: [managedDevice({ complianceState: toKnown(COMPLIANCE_STATES, future) })],
      imports: [importedDevice({ status: 'unknown' })],
      settings: settings({ syncStatus: 'unknown' }),
      devicePrepDeployments: [devicePrepDeployment({ status: 'unknown' })],
    };
    const rules = { ...defaultDetectorRules };
    expect(detectAll(snapshot(s), NOW, rules).findings).toEqual([]);
    expect(detectAll(fullSnapshot(s), NOW, rules).findings).toEqual([]);
  });

  it('tolerate missing optional data: nulls everywhere, empty serials, events without serial', () => {
    const s = fullSnapshot({
      identities: [
        identity({
          serialNumber: '  ',
          azureAdDeviceId: null,
          managedDeviceId: null,
          lastContactedAt: null,
          profileAssignedAt: null,
        }),
      ],
      events: [
        event({
          serialNumber: null,
          deviceId: null,
          eventAt: null,
          deploymentStartAt: null,
          enrollmentStartAt: null,
          deploymentEndAt: null,
          deploymentTotalSeconds: null,
        }),
      ],
      managedDevices: [
        managedDevice({ serialNumber: null, azureAdDeviceId: null, lastSyncAt: null, enrolledAt: null }),
      ],
      imports: [importedDevice()],
    });
    expect(() => detectAll(s, NOW, defaultDetectorRules)).not.toThrow();
  });

  it('an event without a serial is keyed through its Intune device id', () => {
    const s = snapshot({
      identities: [identity({ serialNumber: 'SN-7', managedDeviceId: 'MD-7' })],
      events: [
        event({ serialNumber: null, deviceId: 'md-7', deploymentState: 'failure', failureDetails: '0x80180005' }),
      ],
    });
    const f = detectAll(s, NOW, defaultDetectorRules).findings.find((x) => x.code === 'AP_PREPROV_NOT_ALLOWED')!;
    expect(f.subject).toEqual({ kind: 'device', key: 'SN-7', serialNumber: 'SN-7', autopilotId: 'ap-1' });
  });

  it('reports one finding per subject and code, keeping the most severe', () => {
    const s = snapshot({
      identities: [
        identity({ enrollmentState: 'blocked' }),
        identity({ id: 'ap-2', serialNumber: 'sn-1', enrollmentState: 'blocked' }),
      ],
    });
    expect(
      detectAll(s, NOW, defaultDetectorRules).findings.filter((f) => f.code === 'AP_USERLESS_BLOCKED'),
    ).toHaveLength(1);
  });
});
