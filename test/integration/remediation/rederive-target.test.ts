import { beforeEach, describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { CommandTarget, RemediationCommand } from '../../../shared/core/model/index.js';
import type { Simulator } from '../../../sim/index.js';
import { T0, GROUP, memoryStores, objectId, POLICY_NAME, simForFile, simHarness, writes } from './support.js';

// Issue 13.1 over real HTTP: the worker re-derives a group write's target from the tenant through the real Graph
// adapters (GET /devices?$filter=id in (…), GET /servicePrincipals?$filter=appId eq …) against the simulator, whose
// request log proves that a refused command made no write.

const PROVISIONING_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';
const PC_SP = '5b000000-0000-4000-8000-0000000000aa';
const OTHER_SP = '5b000000-0000-4000-8000-0000000000bb';

let sim: Simulator;
simForFile((s) => (sim = s));
beforeEach(() => {
  sim.tenant.addGroup({ id: GROUP, displayName: 'Device prep' });
  sim.tenant.addServicePrincipal({
    id: PC_SP,
    appId: PROVISIONING_APP_ID,
    displayName: 'Intune Autopilot ConfidentialClient',
  });
  sim.tenant.addServicePrincipal({
    id: OTHER_SP,
    appId: '00000000-1111-4222-8333-444444444444',
    displayName: 'Intune Provisioning Client',
  });
  sim.tenant.addDevice({
    id: objectId(1),
    deviceId: 'e0000000-0000-4000-8000-000000000001',
    enrollmentProfileName: POLICY_NAME,
  });
  sim.tenant.addDevice({
    id: objectId(2),
    deviceId: 'e0000000-0000-4000-8000-000000000002',
    enrollmentProfileName: `${POLICY_NAME} (old)`,
  });
  sim.clearRequests();
});

function cmd(target: CommandTarget, key: string): RemediationCommand {
  return {
    schemaVersion: 1,
    idempotencyKey: key,
    action: target.action,
    tenant: 'contoso',
    mode: 'enforce',
    target,
    reasons: ['fp'],
    runId: 'run-1',
    createdAt: new Date(T0).toISOString(),
  };
}

describe('re-deriving the target from the tenant (simulator)', () => {
  it('adds a device whose enrollmentProfileName is the policy name; refuses one of another policy and one that does not exist', async () => {
    const h = simHarness(sim, memoryStores());
    const add = (id: string, key: string) =>
      executeRemediation(
        cmd(
          { action: 'add-to-device-prep-group', groupId: GROUP, members: [{ objectId: id, serialNumber: null }] },
          key,
        ),
        h.deps('w'),
      );
    expect((await add(objectId(2), 'k-other-policy')).status).toBe('refused');
    expect((await add(objectId(9), 'k-missing')).status).toBe('refused');
    expect(writes(sim)).toEqual([]);
    expect((await add(objectId(1), 'k-belongs')).status).toBe('succeeded');
    expect(sim.tenant.groupMembers(GROUP)).toEqual([objectId(1)]);
  });

  it('re-checks 18 devices in 2 device reads (15 ids a request), not one read per device, then proves the adds', async () => {
    const ids = Array.from({ length: 18 }, (_, k) => objectId(100 + k));
    ids.forEach((id, k) =>
      sim.tenant.addDevice({
        id,
        deviceId: `e0000000-0000-4000-8000-${String(100 + k).padStart(12, '0')}`,
        enrollmentProfileName: POLICY_NAME,
      }),
    );
    sim.clearRequests();
    const h = simHarness(sim, memoryStores());
    const outcome = await executeRemediation(
      cmd(
        {
          action: 'add-to-device-prep-group',
          groupId: GROUP,
          members: ids.map((objectId) => ({ objectId, serialNumber: null })),
        },
        'k-eighteen',
      ),
      h.deps('w'),
    );
    expect(outcome.status).toBe('succeeded');
    expect(sim.tenant.groupMembers(GROUP)).toEqual(expect.arrayContaining(ids));
    const graph = sim.requests().filter((r) => r.version !== null && !/\/\$batch$/i.test(r.path));
    const count = (re: RegExp, method = 'GET') => graph.filter((r) => r.method === method && re.test(r.path)).length;
    expect(count(/^\/devices$/)).toBe(2); // id in (15) + id in (3)
    expect(count(/^\/devices\/[^/]+$/)).toBe(0);
    expect(count(/^\/groups\/[^/]+$/)).toBe(1); // the group gate
    expect(count(/retrieveEnrollmentTimeDeviceMembershipTarget$/, 'POST')).toBe(1);
    expect(count(/^\/groups\/[^/]+\/members$/)).toBe(2); // who is a member before, and the read-back after
    expect(writes(sim)).toEqual([{ method: 'PATCH', path: `/groups/${GROUP}`, status: 204 }]);
  });

  /** One device (objectId(1)) re-added to `groupId`, as a command on the queue would ask. */
  const addDevice1 = (groupId: string, key: string) =>
    executeRemediation(
      cmd(
        { action: 'add-to-device-prep-group', groupId, members: [{ objectId: objectId(1), serialNumber: null }] },
        key,
      ),
      simHarness(sim, memoryStores()).deps('w'),
    );

  it('a deleted group is refused as deleted, though the member read that went out beside the gate got a 404', async () => {
    sim.tenant.deleteGroup(GROUP);
    sim.clearRequests();
    const outcome = await addDevice1(GROUP, 'k-deleted');
    expect(outcome.status).toBe('refused');
    expect(JSON.stringify(outcome)).toMatch(/no longer exists/);
    expect(sim.requests().some((r) => /^\/groups\/[^/]+\/members$/.test(r.path) && r.status === 404)).toBe(true);
    expect(writes(sim)).toEqual([]);
  });

  it('a group outside DEVICE_PREP_GROUPS is refused without a single Graph read', async () => {
    sim.clearRequests();
    const outcome = await addDevice1('6f000000-0000-4000-8000-0000000000cc', 'k-not-configured');
    expect(outcome.status).toBe('refused');
    expect(sim.requests().filter((r) => r.version !== null)).toEqual([]);
  });

  it('adds as owner only the service principal whose appId is the Intune Provisioning Client, never one with its name', async () => {
    const h = simHarness(sim, memoryStores());
    const own = (sp: string, key: string) =>
      executeRemediation(
        cmd({ action: 'restore-device-prep-owner', groupId: GROUP, servicePrincipalId: sp }, key),
        h.deps('w'),
      );
    const refused = await own(OTHER_SP, 'k-other-sp');
    expect(refused.status).toBe('refused');
    expect(refused.detail).toContain(`the Intune Provisioning Client is ${PC_SP}`);
    expect(writes(sim)).toEqual([]);
    expect((await own(PC_SP, 'k-pc')).status).toBe('succeeded');
    expect(writes(sim)).toEqual([{ method: 'POST', path: `/groups/${GROUP}/owners/$ref`, status: 204 }]);
  });

  it('refuses a role-assignable group before any write', async () => {
    sim.tenant.addGroup({ id: GROUP, displayName: 'Device prep', isAssignableToRole: true });
    const h = simHarness(sim, memoryStores());
    const out = await executeRemediation(
      cmd(
        {
          action: 'add-to-device-prep-group',
          groupId: GROUP,
          members: [{ objectId: objectId(1), serialNumber: null }],
        },
        'k-role',
      ),
      h.deps('w'),
    );
    expect(out).toMatchObject({ status: 'refused' });
    expect(out.detail).toMatch(/role-assignable/);
    expect(writes(sim)).toEqual([]);
  });
});
