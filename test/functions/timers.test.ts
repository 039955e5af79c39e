import { InvocationContext, type Timer } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeComplianceHandler } from '../../functions/compliance-sweep.js';
import { makePollHandler } from '../../functions/poll.js';
import { PermissionError } from '../../shared/ports/index.js';
import { withAzurite } from '../support/azurite.js';
import { historyRecords, startHarness, wireRequests, type Azurite, type Harness } from '../support/harness.js';

// The poll and compliance timer handlers with a REAL InvocationContext and the Timer object the host passes,
// against the simulator and Azurite: one run per scheduled slot, and a permission error from Graph aborts
// the run (the invocation fails) before anything is decided or written.

interface LogLine {
  readonly level: string;
  readonly event: unknown;
  readonly fields: unknown;
}

let invocations = 0;

function invocation(functionName: string): { context: InvocationContext; logs: LogLine[] } {
  const logs: LogLine[] = [];
  invocations += 1;
  const context = new InvocationContext({
    invocationId: `inv-${invocations}`,
    functionName,
    logHandler: (level, ...args) => void logs.push({ level, event: args[0], fields: args[1] }),
  });
  return { context, logs };
}

/** What the host passes a timer function (schedule status in the host's ISO form). */
function timerFor(h: Harness, isPastDue = false): Timer {
  const now = h.clock.now();
  return {
    isPastDue,
    schedule: { adjustForDST: true },
    scheduleStatus: {
      last: new Date(now - 5 * 60_000).toISOString(),
      next: new Date(now + 5 * 60_000).toISOString(),
      lastUpdated: new Date(now).toISOString(),
    },
  };
}

const events = (logs: readonly LogLine[]): unknown[] => logs.map((l) => l.event);

/** Start the simulator clock a second into a minute, so one "scheduled slot" lasts the whole test step. */
const startOfAMinute = (): Date => new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 1_000);

describe('timer handlers', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('poll: the same scheduled slot invoked twice runs once; the next slot runs again', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan', sim: { now: startOfAMinute() } });
    try {
      const handler = makePollHandler(() => Promise.resolve(h.container));
      const timer = timerFor(h);

      const first = invocation('poll');
      await expect(handler(timer, first.context)).resolves.toBeUndefined();
      expect(events(first.logs)).toContain('poll.summary');
      const readsAfterFirst = wireRequests(h.sim).length;
      expect(readsAfterFirst).toBeGreaterThan(0);
      const openAfterFirst = (await h.container.stores.findings.listOpen()).length;
      expect(openAfterFirst).toBeGreaterThan(0);
      const historyAfterFirst = (await historyRecords(h.container.stores)).length;

      // A second instance / a retry of the same occurrence: skipped, nothing read, nothing recorded.
      const second = invocation('poll');
      await expect(handler(timer, second.context)).resolves.toBeUndefined();
      expect(events(second.logs)).toContain('poll.skipped');
      expect(second.logs.find((l) => l.event === 'poll.skipped')?.level).toBe('information');
      expect(events(second.logs)).not.toContain('poll.summary');
      expect(wireRequests(h.sim)).toHaveLength(readsAfterFirst);
      expect(await historyRecords(h.container.stores)).toHaveLength(historyAfterFirst);

      // The next occurrence (5 minutes later) is a new slot.
      h.sim.clock.advance(5 * 60_000);
      const third = invocation('poll');
      await handler(timerFor(h), third.context);
      expect(events(third.logs)).toContain('poll.summary');
      expect(wireRequests(h.sim).length).toBeGreaterThan(readsAfterFirst);
    } finally {
      await h.stop();
    }
  });

  it('compliance sweep: the same scheduled slot invoked twice runs once (one report)', async () => {
    const h = await startHarness({ scenario: 'healthy', azurite, mode: 'plan', sim: { now: startOfAMinute() } });
    try {
      const handler = makeComplianceHandler(() => Promise.resolve(h.container));
      const timer = timerFor(h);
      const first = invocation('complianceSweep');
      await handler(timer, first.context);
      expect(events(first.logs)).toContain('complianceSweep.summary');
      const reads = wireRequests(h.sim).length;

      const second = invocation('complianceSweep');
      await handler(timer, second.context);
      expect(events(second.logs)).toContain('complianceSweep.skipped');
      expect(events(second.logs)).not.toContain('complianceSweep.summary');
      expect(wireRequests(h.sim)).toHaveLength(reads);
      expect(await h.container.stores.reports.list(10)).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });

  it.each([
    ['Autopilot identities (beta)', 'windowsAutopilotDeviceIdentities$'],
    ['device-prep group members (v1.0)', '/groups/[^/]+/members$'],
  ])('poll: a 403 on %s aborts the run: the handler throws and writes no findings', async (_what, path) => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce', sim: { now: startOfAMinute() } });
    try {
      h.sim.faults.add({ path, status: 403 });
      const handler = makePollHandler(() => Promise.resolve(h.container));
      const run = invocation('poll');
      const error: unknown = await handler(timerFor(h), run.context).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PermissionError);
      expect(error).toMatchObject({ status: 403 });
      expect(
        wireRequests(h.sim).some((r) => r.status === 403 && new RegExp(path, 'i').test(`/${r.version}${r.path}`)),
      ).toBe(true);

      expect(await h.container.stores.findings.listOpen()).toEqual([]);
      expect(await historyRecords(h.container.stores, { type: 'finding-opened' })).toEqual([]);
      expect(await historyRecords(h.container.stores, { type: 'decision' })).toEqual([]);
      expect(h.queue.sent).toEqual([]);
      expect(wireRequests(h.sim).filter((r) => r.kind === 'write')).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it('poll: a 403 after an earlier good run resolves nothing and opens nothing (no decision on a partial picture)', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan', sim: { now: startOfAMinute() } });
    try {
      const handler = makePollHandler(() => Promise.resolve(h.container));
      await handler(timerFor(h), invocation('poll').context);
      const before = await h.container.stores.findings.listOpen();
      const historyBefore = await historyRecords(h.container.stores);
      expect(before.length).toBeGreaterThan(0);

      // Meanwhile the blocked device was unblocked — but the next run cannot read the groups.
      h.sim.tenant.setIdentity('ad000000-0000-4000-8000-000000000008', {
        enrollmentState: 'notContacted',
        userlessEnrollmentStatus: 'allowed',
      });
      h.sim.faults.add({ path: '/groups/[^/]+/owners$', status: 403 });
      h.sim.clock.advance(5 * 60_000);
      await expect(handler(timerFor(h), invocation('poll').context)).rejects.toBeInstanceOf(PermissionError);

      const view = (rows: typeof before) =>
        rows.map((r) => `${r.code} ${r.subjectKey} ${r.status} ${r.lastSeenAt}`).sort();
      expect(view(await h.container.stores.findings.listOpen())).toEqual(view(before));
      // Nothing decided, opened or resolved: the only new row is the aborted run's own, with its reason.
      const after = await historyRecords(h.container.stores);
      const added = after.filter((r) => !historyBefore.some((b) => b.id === r.id && b.subjectKey === r.subjectKey));
      expect(added.map((r) => `${r.type} ${r.status}`)).toEqual(['run aborted']);
      expect(added[0]?.reason).toMatch(/^poll: /);
    } finally {
      await h.stop();
    }
  });

  it('compliance sweep: a 403 on managed devices aborts the sweep: throws, no findings, no report', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan', sim: { now: startOfAMinute() } });
    try {
      h.sim.faults.add({ path: 'managedDevices$', status: 403 });
      const handler = makeComplianceHandler(() => Promise.resolve(h.container));
      await expect(handler(timerFor(h), invocation('complianceSweep').context)).rejects.toBeInstanceOf(PermissionError);
      expect(await h.container.stores.findings.listOpen()).toEqual([]);
      expect(await h.container.stores.reports.list(10)).toEqual([]);
      expect(await historyRecords(h.container.stores, { type: 'finding-opened' })).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
