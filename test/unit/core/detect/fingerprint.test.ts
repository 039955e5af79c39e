import { describe, expect, it } from 'vitest';
import { defaultDetectorRules, detectAll, type DetectorRules } from '../../../../shared/core/detect/index.js';
import type { Finding, TenantSnapshot } from '../../../../shared/core/model/index.js';
import {
  DAY,
  HOUR,
  NOW,
  devicePrepDeployment,
  devicePrepGroup,
  entraDevice,
  event,
  fullSnapshot,
  identity,
  importedDevice,
  managedDevice,
  settings,
  snapshot,
} from '../../../support/builders.js';

// A fingerprint covers only what defines the problem: moving clocks, newer check-ins and growing ages must not
// change it (finding.ts). Severity escalation is a new problem level.

const rules: DetectorRules = {
  ...defaultDetectorRules,
  devicePrepGroups: [{ groupId: 'grp-1', policyName: 'DP Policy' }],
};

/** Many problems at once; `shift` moves every "last seen"-style timestamp without changing any problem. */
function world(shift: number): TenantSnapshot {
  return fullSnapshot({
    identities: [
      identity({
        id: 'ap-1',
        serialNumber: 'SN-1',
        enrollmentState: 'blocked',
        lastContactedAt: NOW - 3 * DAY + shift,
      }),
      identity({
        id: 'ap-2',
        serialNumber: 'SN-2',
        azureAdDeviceId: 'aad-2',
        managedDeviceId: 'md-2',
        remediationState: 'automaticRemediationRequired',
        remediationStateLastModifiedAt: NOW - 3 * DAY,
      }),
      identity({ id: 'ap-3', serialNumber: 'SN-3', azureAdDeviceId: 'aad-3', managedDeviceId: 'md-3' }),
    ],
    entraDevices: [
      entraDevice(),
      entraDevice({ objectId: 'obj-2', deviceId: 'aad-2' }),
      entraDevice({ objectId: 'obj-3', deviceId: 'aad-3' }),
    ],
    managedDevices: [
      managedDevice({ lastSyncAt: NOW - HOUR + shift }),
      managedDevice({
        id: 'md-2',
        serialNumber: 'SN-2',
        azureAdDeviceId: 'aad-2',
        complianceState: 'noncompliant',
        lastSyncAt: NOW - 2 * HOUR + shift,
      }),
      managedDevice({ id: 'md-3', serialNumber: 'SN-3', azureAdDeviceId: 'aad-3', lastSyncAt: NOW - 40 * DAY + shift }),
    ],
    events: [
      event({
        serialNumber: 'SN-4',
        deviceId: 'md-4',
        deploymentState: 'inProgress',
        deploymentStartAt: NOW - 6 * HOUR,
        eventAt: NOW - HOUR + shift,
      }),
    ],
    imports: [importedDevice({ serialNumber: 'SN-5', status: 'error', errorCode: 808 })],
    settings: settings({ syncStatus: 'failed', lastSyncAt: NOW - HOUR + shift }),
    devicePrepGroups: [
      devicePrepGroup({
        owners: [],
        candidates: [
          entraDevice({
            objectId: 'obj-9',
            deviceId: 'aad-9',
            enrollmentProfileName: 'DP Policy',
            isAutopilotRegistered: false,
          }),
        ],
      }),
    ],
  });
}

const byId = (fs: readonly Finding[]) => new Map(fs.map((f) => [`${f.subject.key}/${f.code}`, f.fingerprint]));

describe('fingerprints', () => {
  it('stay the same when only timestamps move and ages grow', () => {
    const before = detectAll(world(0), NOW, rules).findings;
    const after = detectAll(world(30 * 60_000), NOW + 2 * HOUR, rules).findings;
    expect(before.length).toBeGreaterThanOrEqual(9);
    expect(byId(after)).toEqual(byId(before));
    // The evidence did move (hours in progress grew), proving the fingerprint ignores it.
    const stuck = (fs: readonly Finding[]) =>
      fs.find((f) => f.code === 'AP_DEPLOYMENT_STUCK')?.evidence['hoursInProgress'];
    expect(stuck(after)).toBe(Number(stuck(before)) + 2);
  });

  it('change when the defining state changes (a new failed attempt is a new problem)', () => {
    const first = detectAll(
      fullSnapshot({ events: [event({ id: 'a', deploymentState: 'failure', failureDetails: '0x80180014' })] }),
      NOW,
      rules,
    );
    const second = detectAll(
      fullSnapshot({ events: [event({ id: 'b', deploymentState: 'failure', failureDetails: '0x80180014' })] }),
      NOW,
      rules,
    );
    expect(first.findings[0]!.code).toBe(second.findings[0]!.code);
    expect(first.findings[0]!.fingerprint).not.toBe(second.findings[0]!.fingerprint);
  });

  it('change when severity escalates with age (pre-provisioned user flow 5 → 6 months)', () => {
    const end = NOW - 100 * DAY; // one technician run, observed on later and later days
    const s = fullSnapshot({
      identities: [identity({ lastContactedAt: end - HOUR })],
      entraDevices: [entraDevice()],
      managedDevices: [managedDevice({ lastSyncAt: end })],
      memory: { preprovisionedRuns: [{ serialNumber: 'SN-1', autopilotId: 'ap-1', technicianEndAt: end }] },
    });
    const at = (ageDays: number) =>
      detectAll(s, end + ageDays * DAY, rules).findings.find((f) => f.code === 'AP_PREPROV_USER_FLOW_PENDING')!;
    const [d100, d140, d160, d170, d190] = [at(100), at(140), at(160), at(170), at(190)];
    expect([d100.severity, d160.severity, d190.severity]).toEqual(['info', 'warning', 'error']);
    expect(d100.fingerprint).toBe(d140.fingerprint);
    expect(d160.fingerprint).toBe(d170.fingerprint);
    expect(new Set([d100.fingerprint, d160.fingerprint, d190.fingerprint]).size).toBe(3);
  });

  it('a device-prep device keeps its subject key whether or not the run read Intune', () => {
    const d = entraDevice({
      objectId: 'obj-9',
      deviceId: 'aad-9',
      enrollmentProfileName: 'DP Policy',
      isAutopilotRegistered: true,
    });
    const groups = [devicePrepGroup({ candidates: [d] })];
    const row = devicePrepDeployment({ intuneDeviceId: 'md-9', serialNumber: 'SN-9' });
    const poll = detectAll(snapshot({ devicePrepGroups: groups }), NOW, rules).findings;
    const sweep = detectAll(
      fullSnapshot({
        devicePrepGroups: groups,
        identities: [identity({ id: 'ap-9', serialNumber: 'SN-9', azureAdDeviceId: 'aad-9', managedDeviceId: 'md-9' })],
        managedDevices: [managedDevice({ id: 'md-9', serialNumber: 'SN-9', azureAdDeviceId: 'aad-9' })],
        entraDevices: [d],
        devicePrepDeployments: [row],
      }),
      NOW,
      rules,
    ).findings;
    const dp = (fs: readonly Finding[]) =>
      fs.filter((f) => f.code.startsWith('DP_DEVICE') || f.code === 'DP_TARGET_AUTOPILOT_REGISTERED');
    expect(dp(poll).map((f) => [f.code, f.subject.key, f.fingerprint])).toEqual(
      dp(sweep).map((f) => [f.code, f.subject.key, f.fingerprint]),
    );
    expect(dp(sweep).map((f) => f.subject.key)).toEqual(['obj-9', 'obj-9']);
    expect(dp(sweep)[0]!.subject).toMatchObject({ serialNumber: 'SN-9', autopilotId: 'ap-9' });
  });

  it('is independent of collection order', () => {
    const s = world(0);
    const reversed: TenantSnapshot = {
      ...s,
      identities: [...s.identities].reverse(),
      managedDevices: [...s.managedDevices].reverse(),
    };
    expect(detectAll(reversed, NOW, rules).findings).toEqual(detectAll(s, NOW, rules).findings);
  });
});
