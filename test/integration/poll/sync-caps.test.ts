import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CODES } from '../../../shared/core/catalog/codes.js';
import { isEscalation } from '../../../shared/core/policy/index.js';
import type { ScenarioObject } from '../../../sim/index.js';
import { withAzurite } from '../../support/azurite.js';
import { historyRecords, startHarness, wireWrites, type Azurite, type Harness } from '../../support/harness.js';

// Issue 14 "Done when": 24 simulated hours of polls (every 5–10 minutes, the in-process worker draining after
// each) against a cause that never clears make at most the capped number of Autopilot syncs, then exactly one
// escalation. Syncs are counted in the simulator's own request log (the POSTs that reached "Graph").
// Every sync locks the admin's Sync button for 10 minutes ("Syncs can only occur once every 10 minutes" — User-
// driven Microsoft Entra join: Register devices as Autopilot devices, section "Register devices as Autopilot
// devices", https://learn.microsoft.com/autopilot/tutorial/user-driven/azure-ad-join-register-device).
// Before the fix these runs synced every ~10 minutes all day (over 100 syncs) and never escalated.

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const STEPS = [5, 7, 10].map((m) => m * MIN);
const SYNC_PATH = '/deviceManagement/windowsAutopilotSettings/sync';

/** A completed import record whose device never appears (e.g. deregistered since): a sync cannot fix it. */
const ghostImport: ScenarioObject = {
  name: 'ghost-import',
  windowsAutopilotSettings: {
    id: '3c5a5a12-7d9a-4f0e-a6b1-5e1f00000001',
    lastManualSyncTriggerDateTime: 'now-1h',
    lastSyncDateTime: 'now-1h+30s',
    syncStatus: 'completed',
  },
  importedDevices: [
    {
      id: 'a1000000-0000-4000-8000-000000000901',
      serialNumber: 'GHOST0001',
      importId: 'a2000000-0000-4000-8000-000000000900',
      state: {
        deviceImportStatus: 'complete',
        deviceRegistrationId: 'ad000000-0000-4000-8000-000000000901',
        deviceErrorCode: 0,
        deviceErrorName: '',
      },
    },
  ],
};

/** Every sync the service runs ends failed. */
const failingSync: ScenarioObject = {
  name: 'failing-sync',
  options: { syncOutcome: 'failed' },
  windowsAutopilotSettings: {
    id: '3c5a5a12-7d9a-4f0e-a6b1-5e1f00000001',
    lastManualSyncTriggerDateTime: 'now-1h',
    lastSyncDateTime: 'now-2h',
    syncStatus: 'failed',
  },
};

interface DayRun {
  readonly syncTimes: number[];
  readonly escalations: { code: string; reason: string }[];
  readonly polls: number;
}

async function runADay(h: Harness, opts: { pollWhileSyncRuns?: boolean } = {}): Promise<DayRun> {
  const start = h.clock.now();
  const escalations: { code: string; reason: string }[] = [];
  let polls = 0;
  for (let i = 0; h.clock.now() - start <= DAY; i += 1) {
    await h.drainQueue(); // scheduled syncs that came due while time passed
    const poll = await h.runPoll('incremental');
    polls += 1;
    escalations.push(
      ...poll.plan.decisions.filter(isEscalation).map((d) => ({ code: d.finding.code, reason: d.reason })),
    );
    const drained = await h.drainQueue();
    expect(drained.deadLettered).toBe(0);
    if (opts.pollWhileSyncRuns === true) {
      // A second poll straight after the worker, while the sync it started still runs (no failed status to see).
      const again = await h.runPoll('incremental');
      polls += 1;
      escalations.push(
        ...again.plan.decisions.filter(isEscalation).map((d) => ({ code: d.finding.code, reason: d.reason })),
      );
      await h.drainQueue();
    }
    h.sim.clock.advance(STEPS[i % STEPS.length] ?? 5 * MIN);
  }
  const syncTimes = wireWrites(h.sim)
    .filter((w) => w.method === 'POST' && w.path === SYNC_PATH)
    .map((w) => Date.parse(w.time));
  return { syncTimes, escalations, polls };
}

describe('24 simulated hours against a cause a sync cannot fix', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it.each([
    ['an import record whose device never appears', ghostImport, CODES.AP_IMPORT_NOT_VISIBLE],
    ['a sync status that stays failed', failingSync, CODES.AP_SYNC_FAILED],
  ])(
    '%s: 2 syncs (SYNC_MAX_PER_FINDING_PER_DAY), then exactly one escalation',
    async (_name, scenario, code) => {
      const h = await startHarness({ scenario, azurite, mode: 'enforce' });
      try {
        const run = await runADay(h);
        expect(run.polls).toBeGreaterThan(190);
        expect(run.syncTimes, 'sync POSTs in the simulator log').toHaveLength(2);
        const [first, second] = run.syncTimes as [number, number];
        expect(second - first, 'the second one waited for the 10-minute window').toBeGreaterThanOrEqual(10 * MIN);
        expect(run.escalations.map((e) => e.code)).toEqual([code]);
        expect(run.escalations[0]?.reason).toMatch(
          /^escalate: sync did not fix this: 2 .*SYNC_MAX_PER_FINDING_PER_DAY = 2/,
        );
        // The history says the same: one escalation decision, recorded once.
        const escalated = (await historyRecords(h.container.stores, { type: 'decision' })).filter((r) =>
          r.reason.startsWith('escalate: '),
        );
        expect(escalated.map((r) => r.code)).toEqual([code]);
        // Nothing the service refused: the governor kept to the window.
        expect(wireWrites(h.sim).filter((w) => w.path === SYNC_PATH && w.status !== 204)).toEqual([]);
      } finally {
        await h.stop();
      }
    },
    240_000,
  );

  it('a failed-sync reason that resolves while its sync runs and reopens after it is the same cause: still 2 syncs, one escalation', async () => {
    // A poll that sees the sync running resolves AP_SYNC_FAILED (the status is not "failed" then); the next poll
    // reopens it. Before the fix the reopened finding was "first seen" again, its cap started from zero, and the day
    // ended at the tenant cap (6 syncs) instead of 2.
    const flapping: ScenarioObject = {
      ...failingSync,
      name: 'failing-sync-slow',
      options: { syncOutcome: 'failed', syncDurationMs: 3 * MIN },
    };
    const h = await startHarness({ scenario: flapping, azurite, mode: 'enforce' });
    try {
      const run = await runADay(h, { pollWhileSyncRuns: true });
      expect(run.syncTimes, 'sync POSTs in the simulator log').toHaveLength(2);
      expect(run.escalations.map((e) => e.code)).toEqual([CODES.AP_SYNC_FAILED]);
    } finally {
      await h.stop();
    }
  }, 240_000);

  it('with a generous per-finding cap, the tenant cap (SYNC_MAX_PER_DAY = 6) holds the day to 6 syncs', async () => {
    const h = await startHarness({
      scenario: ghostImport,
      azurite,
      mode: 'enforce',
      env: { SYNC_MAX_PER_FINDING_PER_DAY: '24' },
    });
    try {
      const run = await runADay(h);
      expect(run.syncTimes).toHaveLength(6);
      expect(run.escalations).toEqual([]);
      const deferred = (await historyRecords(h.container.stores, { type: 'decision' })).filter(
        (r) => r.status === 'defer',
      );
      expect(deferred.length).toBeGreaterThan(0);
      expect(deferred[0]?.reason).toMatch(
        /^tenant-wide sync cap reached: 6 Autopilot syncs in the last 24 h \(SYNC_MAX_PER_DAY = 6\)/,
      );
    } finally {
      await h.stop();
    }
  }, 240_000);
});
