import { beforeEach, describe, expect, it } from 'vitest';

import { enqueueDecisions, executeRemediation } from '../../../shared/app/remediation/index.js';
import type { Decision, Finding, RemediationCommand } from '../../../shared/core/model/index.js';
import { decide, planRun, syncKey, type PolicySettings } from '../../../shared/core/policy/index.js';
import type { AutopilotReader } from '../../../shared/ports/index.js';
import type { Simulator } from '../../../sim/index.js';
import {
  MIN,
  simHarness,
  syncCalls,
  tableStores,
  withAzurite,
  azuriteAndSimForFile,
  syncCommand as sync,
} from './support.js';

// The sync governor against the simulator's real 10-minute / in-progress rules (409, 429 over HTTP) and the
// governor + claim rows on Azurite, where the ETag-conditional writes decide which instance may call.

const MARGIN = 15_000;
let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;

azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});
beforeEach(() => {
  // A quiet tenant: last sync long ago, nothing running.
  sim.tenant.setSettings({
    lastManualSyncTriggerDateTime: 'now-1h',
    lastSyncDateTime: 'now-1h',
    syncStatus: 'completed',
  });
  sim.clearRequests();
});

function syncCommand(key: string, reasons: string[]): RemediationCommand {
  return sync(key, reasons, 'run-1', sim.clock.nowMs());
}

describe('sync governor (simulator + Azurite)', () => {
  it('two workers racing for the open window make at most one sync call (3 rounds)', async () => {
    const stores = await tableStores(azurite, 'govRace');
    const h = simHarness(sim, stores);
    for (let round = 0; round < 3; round += 1) {
      sim.clock.advance(11 * MIN); // window open again, previous sync finished
      sim.clearRequests();
      const a = syncCommand(`contoso:autopilot-sync:tenant:round${round}a`, [`a${round}`]);
      const b = syncCommand(`contoso:autopilot-sync:tenant:round${round}b`, [`b${round}`]);
      const outcomes = await Promise.all([
        executeRemediation(a, h.deps('worker-a')),
        executeRemediation(b, h.deps('worker-b')),
      ]);
      expect(syncCalls(sim)).toEqual([{ status: 204 }]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['deferred', 'succeeded']);
    }
    // The loser's scheduled retries find their reasons covered and make no further call.
    sim.clearRequests();
    await h.queue.drain({ waitForScheduled: true });
    expect(syncCalls(sim).filter((c) => c.status === 204).length).toBeLessThanOrEqual(1);
  });

  it('the same sync command on two workers at once: one call', async () => {
    const stores = await tableStores(azurite, 'govSame');
    const h = simHarness(sim, stores);
    const cmd = syncCommand('contoso:autopilot-sync:tenant:same', ['s1']);
    const results = await Promise.allSettled([
      executeRemediation(cmd, h.deps('w1')),
      executeRemediation(cmd, h.deps('w2')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.status === 'succeeded')).toHaveLength(1);
    expect(syncCalls(sim)).toHaveLength(1);
  });

  it('service last triggered 3 minutes ago: deferred to trigger + 10 min + margin, then one call', async () => {
    const stores = await tableStores(azurite, 'govDefer');
    const h = simHarness(sim, stores);
    const trigger = sim.clock.nowMs() - 3 * MIN;
    sim.tenant.setSettings({ lastManualSyncTriggerDateTime: new Date(trigger).toISOString(), syncStatus: 'completed' });
    const opens = trigger + 10 * MIN + MARGIN;

    const out = await executeRemediation(syncCommand('contoso:autopilot-sync:tenant:d1', ['r1']), h.deps('w1'));
    expect(out).toMatchObject({ status: 'deferred', retryAt: opens });
    expect(syncCalls(sim)).toHaveLength(0);
    expect(h.queue.pending).toEqual([expect.objectContaining({ visibleAt: opens })]);
    expect((await stores.governor.get('contoso')).scheduledFor).toBe(opens);

    await h.queue.drain({ waitForScheduled: true });
    expect(syncCalls(sim)).toEqual([{ status: 204 }]);
    const call = sim.requests().find((r) => /windowsAutopilotSettings\/sync$/.test(r.path))!;
    expect(Date.parse(call.time)).toBeGreaterThanOrEqual(opens);
    expect(Date.parse(call.time)).toBeLessThan(opens + MIN);
    expect(await stores.governor.get('contoso')).toMatchObject({ pendingReasons: [], scheduledFor: null });
  });

  it('ten sync reasons in one run produce one call once the window is open', async () => {
    const stores = await tableStores(azurite, 'govTen');
    const h = simHarness(sim, stores);
    sim.tenant.setSettings({ lastManualSyncTriggerDateTime: 'now-2m', syncStatus: 'completed' });
    const policy: PolicySettings = {
      defaultMode: 'enforce',
      enabledActions: ['autopilot-sync'],
      actionModes: {
        'autopilot-sync': 'enforce',
        'allow-next-enrollment': 'off',
        'add-to-device-prep-group': 'off',
        'restore-device-prep-owner': 'off',
        'delete-intune-device-record': 'off',
        'deregister-autopilot-device': 'off',
      },
      blastRadiusMaxDevices: 50,
      blastRadiusMaxPercent: 10,
      blastRadiusMinDevices: 5,
      cooldownMs: 0,
      maxAttemptsPerDay: 3,
      unblockRequiresFailureEvent: true,
    };
    const now = sim.clock.nowMs();
    const findings: Finding[] = Array.from({ length: 10 }, (_, i) => ({
      code: 'AP_IMPORT_NOT_VISIBLE',
      subject: { kind: 'tenant', key: 'tenant' },
      severity: 'warning',
      title: 'imported device not visible',
      evidence: {},
      fingerprint: `fp-import-${i}`,
      remedy: { action: 'autopilot-sync' },
    }));
    const decisions: Decision[] = findings.map((f) =>
      decide(f, {
        history: { attemptsLast24h: 0, lastAttemptAt: null, finding: null },
        now,
        policy,
        allowedGroupIds: [],
      }),
    );
    const plan = planRun(decisions, { size: 100, source: 'test fleet' }, policy, 'contoso', 'run-ten', now);
    expect(plan.commands).toHaveLength(1);
    expect(plan.commands[0]!.idempotencyKey).toBe(syncKey('contoso', now));

    await enqueueDecisions(plan, h.deps('poller'));
    expect((await stores.governor.get('contoso')).pendingReasons).toHaveLength(10);
    await h.queue.drain({ waitForScheduled: true });

    expect(syncCalls(sim)).toEqual([{ status: 204 }]);
    expect((await stores.governor.get('contoso')).pendingReasons).toEqual([]);
    const outcomes = (await stores.history.query({ subjectKey: 'tenant', type: 'outcome', limit: 10 })).items.map(
      (r) => r.status,
    );
    expect(outcomes.sort()).toEqual(['deferred', 'succeeded']);
  });

  it.each([
    [
      '409: a portal sync starts between our read and our call',
      { syncStatus: 'inProgress', lastManualSyncTriggerDateTime: 'now-5s' },
      409,
      2 * MIN,
    ],
    [
      '429: a portal sync finished between our read and our call',
      { syncStatus: 'completed', lastManualSyncTriggerDateTime: 'now' },
      429,
      10 * MIN + MARGIN,
    ],
  ] as const)('%s -> deferral, exactly one request', async (_n, adminChange, status, wait) => {
    const stores = await tableStores(azurite, `gov${status}`);
    const h = simHarness(sim, stores);
    const base = h.deps('w1');
    // The admin acts right after our settings read: our view says "open", the service disagrees.
    const racing: AutopilotReader = {
      ...base.autopilot,
      getSettings: async () => {
        const seen = await base.autopilot.getSettings();
        sim.tenant.setSettings(adminChange);
        return seen;
      },
      getDeviceIdentity: (id) => base.autopilot.getDeviceIdentity(id),
    };
    const before = sim.clock.nowMs();
    const out = await executeRemediation(syncCommand(`contoso:autopilot-sync:tenant:r${status}`, ['x']), {
      ...base,
      autopilot: racing,
    });
    expect(syncCalls(sim)).toEqual([{ status }]);
    expect(out.status).toBe('deferred');
    expect(out.retryAt).toBeGreaterThanOrEqual(before + wait - 2_000);
    expect(out.retryAt).toBeLessThanOrEqual(sim.clock.nowMs() + wait + 2_000);
    expect(out.graphRequestId).not.toBeNull();
    expect(h.queue.pending).toHaveLength(1);
    expect(await stores.governor.get('contoso')).toMatchObject({ holder: null, scheduledFor: out.retryAt });
  });
});
