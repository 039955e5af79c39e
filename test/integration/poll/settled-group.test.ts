import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withAzurite } from '../../support/azurite.js';
import { lastSeq, startHarness, wireRequests, type Azurite, type Harness } from '../../support/harness.js';
import { DEMO } from './expected.js';

// Issue 18: a poll asks the device-preparation group's counts (devices of the policy; those of them that are members)
// before its lists. Equal counts prove no device missing, and then the poll reads neither list: at 6,000 devices
// that was 14 requests a poll. Counted in the simulator's own request log; the group's state is changed in the
// simulator, as the Intune Provisioning Client would change it.

const GROUP = `/groups/${DEMO.group}`;
const REGISTERED = '0b000000-0000-4000-8000-000000000019';

/** The full member list and the full candidate list (not the one-item counts, not the registered devices). */
function listReads(h: Harness, since: number): string[] {
  return wireRequests(h.sim, since)
    .filter(
      (r) =>
        (r.path === `${GROUP}/members` ||
          (r.path === '/devices' && !/ZTDID/.test(r.query['$filter'] ?? '') && r.query['$top'] !== '1')) &&
        r.method === 'GET',
    )
    .map((r) => r.path);
}

describe('a poll that counts the device-preparation group first', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('reads no list once every device of the policy is a member, and resolves the missing-device findings', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      const first = await h.runPoll('incremental');
      const missing = first.opened.filter((f) => f.code === 'DP_DEVICE_NOT_IN_GROUP').map((f) => f.subject.key);
      expect(missing.sort()).toEqual(DEMO.missingMembers.map((m) => m.objectId).sort());
      expect(
        first.opened.some((f) => f.code === 'DP_TARGET_AUTOPILOT_REGISTERED' && f.subject.key === REGISTERED),
      ).toBe(true);

      // The devices are added (by the service, or by a person): the counts now agree.
      for (const m of DEMO.missingMembers) h.sim.tenant.state.addMember(DEMO.group, m.objectId);
      h.sim.clock.advance(5 * 60_000);
      const since = lastSeq(h.sim);
      const second = await h.runPoll('incremental');

      expect(listReads(h, since), 'neither the member list nor the candidate list').toEqual([]);
      const counts = wireRequests(h.sim, since).filter((r) => r.query['$top'] === '1' && r.query['$count'] === 'true');
      expect(counts.map((r) => r.path).sort()).toEqual(['/devices', `${GROUP}/members/microsoft.graph.device`]);
      // Proven present, every missing-device finding resolves; the registered device is still read and still reported.
      const resolved = second.resolved.filter((f) => f.code === 'DP_DEVICE_NOT_IN_GROUP').map((f) => f.subjectKey);
      expect(resolved.sort()).toEqual(DEMO.missingMembers.map((m) => m.objectId).sort());
      expect(second.resolved.some((f) => f.code === 'DP_TARGET_AUTOPILOT_REGISTERED')).toBe(false);
      const open = await h.container.stores.findings.listOpen();
      expect(open.some((f) => f.code === 'DP_TARGET_AUTOPILOT_REGISTERED' && f.subjectKey === REGISTERED)).toBe(true);
      expect(open.some((f) => f.code === 'DP_DEVICE_NOT_IN_GROUP')).toBe(false);

      // One leaves the group again: the counts differ, the lists are read, and the device is found missing.
      const [gone] = DEMO.missingMembers;
      if (!gone) throw new Error('demo scenario: no missing member');
      h.sim.tenant.state.removeMember(DEMO.group, gone.objectId);
      h.sim.clock.advance(5 * 60_000);
      const since3 = lastSeq(h.sim);
      const third = await h.runPoll('incremental');
      expect(listReads(h, since3).sort()).toEqual(['/devices', `${GROUP}/members`]);
      expect(third.opened.filter((f) => f.code === 'DP_DEVICE_NOT_IN_GROUP').map((f) => f.subject.key)).toEqual([
        gone.objectId,
      ]);
    } finally {
      await h.stop();
    }
  });

  it('reads the lists when the service refuses the count query (400), and the poll goes on', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      // Every device is a member, so counts would settle the group; but Graph answers an advanced query it does not
      // support with 400 Request_UnsupportedQuery.
      for (const m of DEMO.missingMembers) h.sim.tenant.state.addMember(DEMO.group, m.objectId);
      h.sim.faults.add({ path: 'members/microsoft.graph.device', status: 400, times: 100 });
      const since = lastSeq(h.sim);
      const poll = await h.runPoll('incremental');
      const refused = wireRequests(h.sim, since).filter((r) => r.path.endsWith('/members/microsoft.graph.device'));
      expect(refused.map((r) => r.status)).toEqual([400]);
      expect(listReads(h, since).sort()).toEqual(['/devices', `${GROUP}/members`]);
      expect(poll.opened.filter((f) => f.code === 'DP_DEVICE_NOT_IN_GROUP')).toEqual([]);
      expect(poll.opened.some((f) => f.code === 'DP_TARGET_AUTOPILOT_REGISTERED')).toBe(true);
    } finally {
      await h.stop();
    }
  });
});
