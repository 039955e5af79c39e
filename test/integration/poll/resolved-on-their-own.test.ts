import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHarness, type Harness } from '../../support/harness.js';
import { DEMO } from './expected.js';

// Issue 17.2: a finding that goes away without any action of ours sends no message of its own; the daily report
// counts it instead. A finding we remediated gets its own "resolved" follow-up (see the e2e test).

describe('findings that resolve on their own', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ scenario: 'demo', mode: 'plan' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('are only counted, in the poll and in the daily report line', async () => {
    await h.runPoll('incremental');
    // An admin pressed "Unblock device" and restored the owner by hand; the product only planned.
    h.sim.tenant.setIdentity(DEMO.blocked.identityId, {
      enrollmentState: 'notContacted',
      userlessEnrollmentStatus: 'allowed',
    });
    h.sim.tenant.addGroupOwner(DEMO.group, DEMO.provisioningClientId);
    h.sim.clock.advance(5 * 60_000);
    const second = await h.runPoll('incremental');
    expect(second.resolved.map((r) => r.code).sort()).toEqual(['AP_USERLESS_BLOCKED', 'DP_GROUP_OWNER_MISSING']);
    expect(second.resolved.every((r) => r.attempts === 0)).toBe(true);
    // Nothing was sent for them: no resolved alert was dispatched by the poll.
    const dispatched = h.logs.filter((l) => l.event === 'alert.dispatch.done' && l.fields.runId === second.runId);
    expect(dispatched.map((l) => l.fields.alerts)).toEqual([0]);

    const compliance = await h.runCompliance();
    expect(compliance.resolvedOnTheirOwnLastDay).toBe(2);
  });
});
