import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import { withAzurite } from '../../support/azurite.js';
import {
  BUNDLED_DEVICE_PREP_GROUPS,
  historyRecords,
  startHarness,
  wireWrites,
  type Azurite,
  type Harness,
} from '../../support/harness.js';
import { DEMO } from '../poll/expected.js';

// Issue 14 item 11 over real HTTP (the simulator) and real Table Storage (Azurite): before anything is written to a
// DEVICE_PREP_GROUPS group, the device preparation policy's enrollment-time device membership target is read
// (POST …/configurationPolicies/{id}/retrieveEnrollmentTimeDeviceMembershipTarget) and must be that group.
// Microsoft Learn "Windows Autopilot device preparation troubleshooting FAQ" › "Device isn't being added to the device
// group specified in the Windows Autopilot device preparation policy" (verify the correct device group is specified)
// and › "Windows Autopilot device preparation experience never launches during the out-of-box experience (OOBE)" (a
// policy can be created without selecting a device group): https://learn.microsoft.com/autopilot/device-preparation/troubleshooting-faq
// Graph beta "enrollmentTimeDeviceMembershipTargetResult resource type":
// https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptargetresult?view=graph-rest-beta

const POLICY_ID = BUNDLED_DEVICE_PREP_GROUPS.demo?.[0]?.policyId ?? '';
/** The demo's other group ("Autopilot - All registered devices"): a real group, just not the configured one. */
const OTHER_GROUP = '9a000000-0000-4000-8000-000000000002';
const groupWrites = (h: Harness, since?: number) =>
  wireWrites(h.sim, since).filter((r) => r.path.toLowerCase().startsWith(`/groups/${DEMO.group}`));

function forgedAdd(objectId: string): RemediationCommand {
  const target = {
    action: 'add-to-device-prep-group' as const,
    groupId: DEMO.group,
    members: [{ objectId, serialNumber: null }],
  };
  return {
    schemaVersion: 1,
    idempotencyKey: `forged-${objectId}`,
    action: target.action,
    tenant: 'contoso',
    mode: 'enforce',
    target,
    reasons: ['forged'],
    runId: 'forged-run',
    createdAt: new Date().toISOString(),
  };
}

describe('device preparation: the policy must name the group before it is written', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('policy targets another group: critical finding, no group write, and a forged add is refused', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    try {
      h.sim.tenant.setPolicyTargets(POLICY_ID, [OTHER_GROUP]);
      const poll = await h.runPoll('incremental');
      const mismatch = poll.findings.find((f) => f.code === 'DP_POLICY_TARGET_MISMATCH');
      expect(mismatch).toMatchObject({ severity: 'critical', subject: { key: DEMO.group } });
      expect(mismatch?.evidence).toMatchObject({
        policyId: POLICY_ID,
        policyTargetReason: 'other-group',
        policyTargetIds: OTHER_GROUP,
      });
      // Neither the missing members nor the owner are planned for the group.
      expect(
        poll.plan.decisions.filter((d) => d.kind === 'remediate' && d.remedy !== null && 'groupId' in d.remedy),
      ).toEqual([]);

      await h.drainQueue();
      expect(groupWrites(h)).toEqual([]);
      // The read itself is a POST that changes nothing: logged as a read.
      expect(
        h.sim
          .requests()
          .some((r) => r.path.endsWith('/retrieveEnrollmentTimeDeviceMembershipTarget') && r.kind === 'read'),
      ).toBe(true);

      // A message naming a device that does belong (enrollmentProfileName = policy name) is still refused.
      const missing = DEMO.missingMembers[0]?.objectId ?? '';
      const out = await executeRemediation(forgedAdd(missing), h.container.remediationDeps());
      expect(out.status).toBe('refused');
      expect(out.detail).toContain(`puts devices in ${OTHER_GROUP}`);
      expect(groupWrites(h)).toEqual([]);
      expect(h.sim.tenant.groupMembers(DEMO.group).map((m) => m.toLowerCase())).not.toContain(missing);
    } finally {
      await h.stop();
    }
  });

  it('an add queued while the target was proven is refused once the policy has no device group', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    try {
      const poll = await h.runPoll('incremental');
      expect(poll.findings.some((f) => f.code === 'DP_POLICY_TARGET_MISMATCH')).toBe(false);
      expect(
        poll.plan.decisions.some((d) => d.kind === 'remediate' && d.remedy?.action === 'add-to-device-prep-group'),
      ).toBe(true);
      // Someone clears the policy's device group between the poll and the worker.
      h.sim.tenant.setPolicyTargets(POLICY_ID, []);
      await h.drainQueue();
      expect(groupWrites(h)).toEqual([]);
      const refused = (await historyRecords(h.container.stores, { type: 'outcome' })).filter(
        (r) => r.status === 'refused',
      );
      expect(refused.map((r) => r.reason).join('\n')).toMatch(/has no device group selected/);
    } finally {
      await h.stop();
    }
  });

  it('policy targets the configured group: the missing devices are added', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    try {
      await h.runPoll('incremental');
      await h.drainQueue();
      expect(
        groupWrites(h)
          .map((r) => `${r.method} ${r.path}`)
          .sort(),
      ).toEqual([`PATCH /groups/${DEMO.group}`, `POST /groups/${DEMO.group}/owners/$ref`]);
      expect(h.sim.tenant.groupMembers(DEMO.group).map((m) => m.toLowerCase())).toEqual(
        expect.arrayContaining(DEMO.missingMembers.map((m) => m.objectId)),
      );
    } finally {
      await h.stop();
    }
  });
});
