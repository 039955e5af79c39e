import { beforeEach, describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { RemediationDeps } from '../../../shared/app/remediation/deps.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import type { Simulator } from '../../../sim/index.js';
import { T0, GROUP, memoryStores, objectId, POLICY_NAME, simForFile, simHarness, writes } from './support.js';

// add-to-device-prep-group: Graph accepts the PATCH (204) but the re-read does not show the device as a member (a
// write that did not apply, or read lag). Before, the handler's verify always answered proven: null with proof not
// required, so the worker recorded 'succeeded', "verified by re-reading". Now, as for the other actions, the outcome
// is 'unverified' (docs/operations.md: the write was accepted but the re-read did not show it), per member.

let sim: Simulator;
simForFile((s) => (sim = s));
beforeEach(() => {
  // Each test starts from an empty group: the simulator's tenant outlives a test.
  sim.tenant.deleteGroup(GROUP);
  sim.tenant.addGroup({ id: GROUP, displayName: 'Device prep' });
  sim.clearRequests();
  for (const i of [1, 2, 3])
    sim.tenant.addDevice({
      id: objectId(i),
      deviceId: `e0000000-0000-4000-8000-00000000000${i}`,
      enrollmentProfileName: POLICY_NAME,
    });
});

function add(key: string, members: readonly string[]): RemediationCommand {
  return {
    schemaVersion: 1,
    idempotencyKey: key,
    action: 'add-to-device-prep-group',
    tenant: 'contoso',
    mode: 'enforce',
    target: {
      action: 'add-to-device-prep-group',
      groupId: GROUP,
      members: members.map((objectId) => ({ objectId, serialNumber: null })),
    },
    reasons: ['fp'],
    runId: 'run-1',
    createdAt: new Date(T0).toISOString(),
  };
}

/** Graph answers 204 for every member, but only `applied` really become members. */
function acceptingButApplying(base: RemediationDeps, applied: readonly string[]): RemediationDeps['actions'] {
  return {
    ...base.actions,
    addGroupMembers: async (groupId: string, ids: readonly string[]) => {
      const real = ids.filter((id) => applied.includes(id));
      if (real.length > 0) await base.actions.addGroupMembers(groupId, real);
      return new Map(ids.map((id) => [id, { requestId: 'req-1', alreadyDone: false }]));
    },
  };
}

describe('group add: the re-read is the proof', () => {
  it('accepted write, re-read shows no membership: unverified, not succeeded', async () => {
    const stores = memoryStores();
    const h = simHarness(sim, stores);
    const base = h.deps('w');
    const out = await executeRemediation(add('k-none', [objectId(1)]), {
      ...base,
      actions: acceptingButApplying(base, []),
    });
    expect(sim.tenant.groupMembers(GROUP)).toEqual([]);
    expect(out.after).toMatchObject({ members: { [objectId(1)]: false } });
    expect(out.status).toBe('unverified');
    expect(out.detail).toContain('the re-read does not show the change yet');
    const rows = (await stores.history.query({ type: 'outcome', limit: 10 })).items;
    expect(rows.map((r) => [r.subjectKey, r.status])).toEqual([[objectId(1), 'unverified']]);
  });

  it('one of two members appears: the batch is unverified, each member recorded as its re-read shows', async () => {
    const stores = memoryStores();
    const h = simHarness(sim, stores);
    const base = h.deps('w');
    const out = await executeRemediation(add('k-half', [objectId(2), objectId(3)]), {
      ...base,
      actions: acceptingButApplying(base, [objectId(2)]),
    });
    expect(sim.tenant.groupMembers(GROUP)).toEqual([objectId(2)]);
    expect(out.status).toBe('unverified');
    const rows = (await stores.history.query({ type: 'outcome', limit: 10 })).items;
    expect(Object.fromEntries(rows.map((r) => [r.subjectKey, r.status]))).toEqual({
      [objectId(2)]: 'succeeded',
      [objectId(3)]: 'unverified',
    });
  });

  it('a re-read that fails proves nothing: unverified', async () => {
    const h = simHarness(sim, memoryStores());
    const base = h.deps('w');
    let reads = 0;
    // The adapter is a class instance: keep its methods, replace one.
    const directory: RemediationDeps['directory'] = Object.assign(
      Object.create(base.directory) as RemediationDeps['directory'],
      {
        // The pre-check's read goes through; the verification read (the second) fails for good.
        filterMembers: async (groupId: string, ids: readonly string[]) => {
          reads += 1;
          if (reads > 1) throw new Error('membership read refused');
          return base.directory.filterMembers(groupId, ids);
        },
      },
    );
    const out = await executeRemediation(add('k-read-fails', [objectId(1)]), { ...base, directory });
    expect(writes(sim, /\/groups\//).length).toBeGreaterThan(0);
    expect(out.status).toBe('unverified');
    expect(out.detail).toContain('verification read failed');
  });

  it('the member appears on re-read: succeeded', async () => {
    const h = simHarness(sim, memoryStores());
    const out = await executeRemediation(add('k-real', [objectId(1)]), h.deps('w'));
    expect(sim.tenant.groupMembers(GROUP)).toContain(objectId(1));
    expect(out.status).toBe('succeeded');
    expect(out.after).toMatchObject({ members: { [objectId(1)]: true } });
  });
});
