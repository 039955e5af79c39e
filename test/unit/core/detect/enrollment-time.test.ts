import { describe, expect, it } from 'vitest';
import { CODES } from '../../../../shared/core/catalog/codes.js';
import { defaultDetectorRules, detectAll } from '../../../../shared/core/detect/index.js';
import type { TenantSnapshot } from '../../../../shared/core/model/index.js';
import {
  DAY,
  HOUR,
  NOW,
  devicePrepDeployment,
  entraDevice,
  event,
  fullSnapshot,
  identity,
  managedDevice,
} from '../../../support/builders.js';

// Issue 14 item 8. Microsoft Learn "Windows Autopilot - known issues" › "Enrolled date for Autopilot device is
// incorrect" (https://learn.microsoft.com/autopilot/known-issues): the Enrolled date Intune shows for an Autopilot
// device (managedDevice.enrolledDateTime) is the date it was registered with Autopilot; for the enrollment date use the
// Windows Autopilot deployment report for recently deployed devices, or the Entra device object. A noncompliant device
// within the settling time after its REAL enrollment (12 h by default) must not raise AP_MANAGED_NONCOMPLIANT.

const REGISTERED_LONG_AGO = NOW - 120 * DAY;

function noncompliant(extra: Partial<TenantSnapshot>): boolean {
  const s = fullSnapshot({
    identities: [identity()],
    entraDevices: [entraDevice({ createdAt: REGISTERED_LONG_AGO })],
    managedDevices: [managedDevice({ complianceState: 'noncompliant', enrolledAt: REGISTERED_LONG_AGO })],
    ...extra,
  });
  return detectAll(s, NOW, defaultDetectorRules).findings.some((f) => f.code === CODES.AP_MANAGED_NONCOMPLIANT);
}

describe('enrollment time: latest deployment, else the Entra registration — never Intune enrolledDateTime', () => {
  it.each([
    {
      name: 'classic deployment finished 1 h ago (Intune "enrolled" 120 days ago = registration)',
      extra: { events: [event({ deploymentStartAt: NOW - 2 * HOUR, deploymentEndAt: NOW - HOUR })] },
      alert: false,
    },
    {
      name: 'deployment in progress, started 3 h ago (no end yet)',
      extra: {
        events: [event({ deploymentState: 'inProgress', deploymentStartAt: NOW - 3 * HOUR, deploymentEndAt: null })],
      },
      alert: false,
    },
    {
      name: 'device-preparation deployment enrolled 2 h ago',
      extra: { devicePrepDeployments: [devicePrepDeployment({ enrolledAt: NOW - 2 * HOUR })] },
      alert: false,
    },
    {
      name: 'Entra device registered 3 h ago (no deployment row)',
      extra: { entraDevices: [entraDevice({ createdAt: NOW - 3 * HOUR })] },
      alert: false,
    },
    {
      name: 'latest deployment 2 days ago: past the settling time',
      extra: { events: [event({ deploymentStartAt: NOW - 2 * DAY - HOUR, deploymentEndAt: NOW - 2 * DAY })] },
      alert: true,
    },
    {
      name: 'an older deployment is superseded by nothing newer: the newest counts',
      extra: {
        events: [
          event({ id: 'ev-old', deploymentStartAt: NOW - 40 * DAY, deploymentEndAt: NOW - 40 * DAY + HOUR }),
          event({ id: 'ev-new', deploymentStartAt: NOW - 3 * HOUR, deploymentEndAt: NOW - 2 * HOUR }),
        ],
      },
      alert: false,
    },
    { name: 'nothing but the registration date from Intune: not fresh', extra: {}, alert: true },
    {
      name: 'Intune enrolledDateTime says 1 h ago, nothing else does: it is a registration date, not used',
      extra: { managedDevices: [managedDevice({ complianceState: 'noncompliant', enrolledAt: NOW - HOUR })] },
      alert: true,
    },
  ])('$name → alert: $alert', ({ extra, alert }) => {
    expect(noncompliant(extra)).toBe(alert);
  });

  it("records where the enrollment time came from, next to Intune's own date", () => {
    const s = fullSnapshot({
      identities: [identity()],
      entraDevices: [entraDevice({ createdAt: REGISTERED_LONG_AGO })],
      managedDevices: [managedDevice({ complianceState: 'noncompliant', enrolledAt: REGISTERED_LONG_AGO })],
      events: [event({ deploymentStartAt: NOW - 3 * DAY - HOUR, deploymentEndAt: NOW - 3 * DAY })],
    });
    const f = detectAll(s, NOW, defaultDetectorRules).findings.find((x) => x.code === CODES.AP_MANAGED_NONCOMPLIANT)!;
    expect(f.evidence).toMatchObject({
      enrolledAt: NOW - 3 * DAY,
      enrolledAtSource: 'deployment-event',
      intuneEnrolledDateTime: REGISTERED_LONG_AGO,
    });
  });
});
