import { beforeEach, describe, expect, it } from 'vitest';

import { enqueueDecisions } from '../../../shared/app/remediation/index.js';
import type { Finding, Mode } from '../../../shared/core/model/index.js';
import { decide, planRun, type PolicySettings } from '../../../shared/core/policy/index.js';
import type { Simulator } from '../../../sim/index.js';
import { apId, GROUP, memoryStores, MIN, objectId, POLICY_NAME, simForFile, simHarness, writes } from './support.js';
import { unblockFinding } from '../../unit/app/remediation/support.js';

// Plan mode and the blast-radius breaker, end to end: decide -> plan -> enqueue -> in-process queue ->
// executeRemediation -> the simulator over HTTP. The simulator's request log proves "zero writes".

let sim: Simulator;
simForFile((s) => (sim = s));
beforeEach(() => {
  sim.tenant.setSettings({ lastManualSyncTriggerDateTime: 'now-1h', syncStatus: 'completed' });
  sim.tenant.addGroup({ id: GROUP, displayName: 'Device prep' });
  for (const i of [1, 2, 3]) {
    sim.tenant.addIdentity({
      id: apId(`SN-${i}`),
      serialNumber: `SN-${i}`,
      enrollmentState: 'blocked',
      userlessEnrollmentStatus: 'blocked',
    });
    sim.tenant.addDevice({ id: objectId(i), deviceId: `dev-${i}`, enrollmentProfileName: POLICY_NAME });
  }
  sim.clearRequests();
});

const policy = (mode: Mode, maxDevices = 50): PolicySettings => ({
  defaultMode: mode,
  enabledActions: ['autopilot-sync', 'allow-next-enrollment', 'add-to-device-prep-group', 'restore-device-prep-owner'],
  actionModes: {
    'autopilot-sync': mode,
    'allow-next-enrollment': mode,
    'add-to-device-prep-group': mode,
    'restore-device-prep-owner': mode,
    'delete-intune-device-record': mode,
    'deregister-autopilot-device': mode,
  },
  blastRadiusMaxDevices: maxDevices,
  blastRadiusMaxPercent: 100,
  blastRadiusMinDevices: 5,
  cooldownMs: 0,
  maxAttemptsPerDay: 3,
  unblockRequiresFailureEvent: true,
});

function findings(): Finding[] {
  const device = (i: number) => ({
    kind: 'device' as const,
    key: `SN-${i}`,
    serialNumber: `SN-${i}`,
    autopilotId: apId(`SN-${i}`),
  });
  return [
    ...[1, 2, 3].map<Finding>((i) => ({
      code: 'AP_USERLESS_BLOCKED',
      subject: device(i),
      severity: 'error',
      title: 'blocked',
      // Structured unblock evidence (issue 14 items 4–5): userless-blocked, latest deployment a pre-provisioning
      // run refused with 0x80180014. A free-text "0x80180014" no longer counts.
      evidence: {
        userlessEnrollmentStatus: 'blocked',
        lastDeploymentEventId: `ev-${i}`,
        lastDeploymentSerialNumber: `SN-${i}`,
        lastDeploymentState: 'failure',
        lastDeploymentEnrollmentType: 'azureADJoinedWithWhiteGlove',
        lastDeploymentFailureCode: '0x80180014',
        lastDeploymentStartedAt: null,
      },
      fingerprint: `fp-block-${i}`,
      remedy: { action: 'allow-next-enrollment', autopilotId: apId(`SN-${i}`), serialNumber: `SN-${i}` },
    })),
    ...[1, 2].map<Finding>((i) => ({
      code: 'DP_MEMBER_MISSING',
      subject: device(i),
      severity: 'warning',
      title: 'missing member',
      evidence: {},
      fingerprint: `fp-member-${i}`,
      remedy: { action: 'add-to-device-prep-group', groupId: GROUP, objectId: objectId(i), serialNumber: `SN-${i}` },
    })),
    {
      code: 'AP_IMPORT_NOT_VISIBLE',
      subject: { kind: 'tenant', key: 'tenant' },
      severity: 'warning',
      title: 'import',
      evidence: {},
      fingerprint: 'fp-sync',
      remedy: { action: 'autopilot-sync' },
    },
  ];
}

async function run(p: PolicySettings) {
  const stores = memoryStores();
  const h = simHarness(sim, stores);
  const now = sim.clock.nowMs();
  // The poll records its findings before it queues their commands: the worker re-checks each unblock against them.
  await stores.findings.upsertMany([1, 2, 3].map((i) => unblockFinding(`SN-${i}`, now - 10 * MIN)));
  const decisions = findings().map((f) =>
    decide(f, {
      history: { attemptsLast24h: 0, lastAttemptAt: null, finding: null },
      now,
      policy: p,
      allowedGroupIds: [GROUP],
    }),
  );
  const plan = planRun(decisions, { size: 1000, source: 'test fleet' }, p, 'contoso', 'run-p', now);
  await enqueueDecisions(plan, h.deps('poller'));
  const report = await h.queue.drain({ waitForScheduled: true });
  const outcomes = (await stores.history.query({ type: 'outcome', limit: 100 })).items;
  return { plan, h, report, outcomes };
}

describe('plan mode and blast radius (simulator)', () => {
  it('plan mode makes zero writes yet records what it would have done', async () => {
    const { outcomes, report, h } = await run(policy('plan'));
    expect(writes(sim)).toEqual([]);
    expect(report.deadLettered).toBe(0);
    expect(outcomes.length).toBe(3 + 2 + 1);
    expect(outcomes.every((r) => r.status === 'planned' && r.mode === 'plan')).toBe(true);
    const details = outcomes.map((r) => r.reason).join('\n');
    expect(details).toContain(
      `would POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/${apId('SN-1')}/allowNextEnrollment`,
    );
    // The exact call: method, path and the body's references (issue 13.2 made plan mode and the attempt rows say it).
    expect(details).toContain(
      `would PATCH /v1.0/groups/${GROUP} {"members@odata.bind":["https://graph.microsoft.com/v1.0/directoryObjects/${objectId(1)}","https://graph.microsoft.com/v1.0/directoryObjects/${objectId(2)}"]}`,
    );
    expect(details).toMatch(/would call POST \/beta\/deviceManagement\/windowsAutopilotSettings\/sync now/);
    expect(outcomes.find((r) => r.subjectKey === 'SN-1' && r.action === 'allow-next-enrollment')?.before).toMatchObject(
      { enrollmentState: 'blocked' },
    );
    // One message says what the run would have done (issue 17: outcomes reach people from the worker).
    expect(h.alerts.alerts.map((a) => [a.kind, a.severity, a.facts['Planned (plan mode)']])).toEqual([
      ['outcomes', 'info', 3 + 2 + 1],
    ]);
    expect(sim.tenant.identity(apId('SN-1'))?.enrollmentState).toBe('blocked');
  });

  it('a blast-radius breach makes zero writes, reports the breach, and raises exactly one critical alert', async () => {
    const { plan, outcomes, h } = await run(policy('enforce', 2));
    // Every action counts (issue 15): 3 devices and the tenant-wide sync are 4 targets.
    expect(plan.blastRadius).toMatchObject({ exceeded: true, targets: 4, devices: 3, limit: { devices: 2 } });
    expect(writes(sim)).toEqual([]);
    expect(outcomes.every((r) => r.status === 'planned')).toBe(true);
    // Exactly one critical alert; the info-level outcome summary lists what was planned instead.
    expect(h.alerts.alerts.map((a) => [a.kind, a.severity])).toEqual([
      ['blast-radius', 'critical'],
      ['outcomes', 'info'],
    ]);
    expect(h.alerts.alerts[0]!.summary).toMatch(
      /4 targets \(3 devices, a tenant-wide sync\), more than the limit of 2/,
    );
  });

  it('control: the same run in enforce mode within limits does write', async () => {
    const { outcomes } = await run(policy('enforce'));
    expect(writes(sim).length).toBeGreaterThanOrEqual(3);
    expect(outcomes.filter((r) => r.status === 'succeeded').length).toBe(3 + 2 + 1);
    expect(sim.tenant.groupMembers(GROUP).sort()).toEqual([objectId(1), objectId(2)]);
  });
});
