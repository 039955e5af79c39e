import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FindingRecord } from '../../../shared/ports/index.js';
import { withAzurite } from '../../support/azurite.js';
import { historyRecords, startHarness, wireWrites, type Azurite, type Harness } from '../../support/harness.js';
import { BROKEN, DEMO, findingKeys, keysOf } from './expected.js';

// Issue 4: fix things in the tenant through the simulator's mutation API, poll again, and exactly the findings
// those fixes address are resolved — `finding-resolved` in history, status `resolved` in the findings table —
// while every other open finding stays open and nothing new opens. The comparison is against what the first
// poll actually left open, so this test stands on its own even where the first poll's set is disputed.

const PROVISIONING_CLIENT_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';
const key = (code: string, subjectKey: string): string => `${code} ${subjectKey}`;

async function pollFixAndPollAgain(h: Harness, fix: () => void, expectedResolved: readonly string[]): Promise<void> {
  const first = await h.runPoll('incremental');
  const openBefore = keysOf(await h.container.stores.findings.listOpen());
  // Precondition: the fixes address findings that the first poll opened.
  for (const k of expectedResolved) expect(openBefore, 'the first poll opened it').toContain(k);
  expect(findingKeys(first.opened)).toEqual(openBefore);

  fix();
  h.sim.clock.advance(5 * 60_000); // the next timer tick
  const secondStartedAt = h.clock.now();
  const second = await h.runPoll('incremental');

  const expected = [...expectedResolved].sort();
  expect(keysOf(second.resolved), 'resolved by the second poll').toEqual(expected);
  expect(findingKeys(second.opened), 'nothing new opens').toEqual([]);

  const resolvedHistory = await historyRecords(h.container.stores, { type: 'finding-resolved' });
  expect(
    keysOf(resolvedHistory.map((r) => ({ code: r.code ?? '', subjectKey: r.subjectKey }))),
    'finding-resolved history',
  ).toEqual(expected);
  expect(resolvedHistory.every((r) => r.at >= secondStartedAt)).toBe(true);
  const openedHistory = await historyRecords(h.container.stores, { type: 'finding-opened', since: secondStartedAt });
  expect(openedHistory).toEqual([]);

  for (const k of expected) {
    const [code = '', subjectKey = ''] = k.split(' ');
    const row: FindingRecord | null = await h.container.stores.findings.get(subjectKey, code);
    expect(row, k).toMatchObject({ status: 'resolved', resolvedAt: second.startedAt });
  }
  const openAfter = keysOf(await h.container.stores.findings.listOpen());
  expect(openAfter, 'everything else is still open').toEqual(openBefore.filter((k) => !expected.includes(k)));
  // Plan mode: neither poll wrote to the tenant.
  expect(wireWrites(h.sim)).toEqual([]);
}

describe('fixes made in the tenant resolve exactly their findings', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('demo: unblock a device, let the stuck deployment succeed, add a missing member, restore the owner', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      await pollFixAndPollAgain(h, () => {
        // An admin pressed "Unblock device" on 9TQ4L83.
        h.sim.tenant.setIdentity(DEMO.blocked.identityId, {
          enrollmentState: 'notContacted',
          userlessEnrollmentStatus: 'allowed',
        });
        // The deployment of 031928374651 that was in progress for 5 h finished.
        h.sim.tenant.addEvent({
          id: DEMO.stuck.eventId,
          deploymentState: 'success',
          deviceSetupStatus: 'success',
          accountSetupStatus: 'success',
          deploymentEndDateTime: 'now-1m',
          eventDateTime: 'now-1m',
          deploymentTotalDuration: 'PT5H2M',
        });
        // One of the three missing device-prep devices was added to the group (by object id).
        h.sim.tenant.addGroupMember(DEMO.group, DEMO.missingMembers[0].objectId);
        // The Intune Provisioning Client is an owner again.
        h.sim.tenant.addGroupOwner(DEMO.group, DEMO.provisioningClientId);
      }, [
        key('AP_USERLESS_BLOCKED', DEMO.blocked.serial),
        key('AP_DEPLOYMENT_STUCK', DEMO.stuck.serial),
        key('DP_DEVICE_NOT_IN_GROUP', DEMO.missingMembers[0].objectId),
        key('DP_GROUP_OWNER_MISSING', DEMO.group),
      ]);
    } finally {
      await h.stop();
    }
  });

  it('deviceprep-broken: create the service principal, make it owner of the valid group, add a missing device', async () => {
    const h = await startHarness({ scenario: 'deviceprep-broken', azurite, mode: 'plan' });
    try {
      const spId = '5b000000-0000-4000-8000-0000000000f1';
      await pollFixAndPollAgain(h, () => {
        h.sim.tenant.addServicePrincipal({
          id: spId,
          appId: PROVISIONING_CLIENT_APP_ID,
          displayName: 'Intune Provisioning Client',
        });
        h.sim.tenant.addGroupOwner(BROKEN.engineering, spId);
        h.sim.tenant.addGroupMember(BROKEN.engineering, BROKEN.engineeringMissing[0]);
      }, [
        key('DP_PROVISIONING_CLIENT_MISSING', 'tenant'),
        key('DP_GROUP_OWNER_MISSING', BROKEN.engineering),
        key('DP_DEVICE_NOT_IN_GROUP', BROKEN.engineeringMissing[0]),
      ]);
    } finally {
      await h.stop();
    }
  });
});
