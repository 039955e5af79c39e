// SYNC_MAX_PER_DAY ("syncs per tenant in 24 h, whatever the reasons") holds in the worker too, not only when a poll
// plans the sync (core/policy/sync-caps.ts): a sync message proves nothing, and messages with new idempotency keys,
// one per open 10-minute window, would otherwise each trigger a real sync. At the cap the worker waits as the poll's
// reasons do: one scheduled message for when the oldest sync leaves the 24 h window, recorded in history.
import { beforeEach, describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import type { Simulator } from '../../../sim/index.js';
import { ENFORCE_POLICY } from '../../unit/app/remediation/support.js';
import { memoryStores, MIN, simForFile, simHarness, syncCalls } from './support.js';

const DAY = 24 * 60 * MIN;
let sim: Simulator;
simForFile((s) => (sim = s));
beforeEach(() => {
  sim.tenant.setSettings({
    lastManualSyncTriggerDateTime: 'now-1h',
    lastSyncDateTime: 'now-1h',
    syncStatus: 'completed',
  });
  sim.clearRequests();
});

/** A sync message as any sender could write it: its own key and reason. */
function syncCommand(i: number): RemediationCommand {
  return {
    schemaVersion: 1,
    idempotencyKey: `sender-sync-${i}`,
    action: 'autopilot-sync',
    tenant: 'contoso',
    mode: 'enforce',
    target: { action: 'autopilot-sync' },
    reasons: [`reason-${i}`],
    runId: 'elsewhere',
    createdAt: new Date(sim.clock.nowMs()).toISOString(),
  };
}

describe('the tenant-wide sync cap in the worker', () => {
  it('SYNC_MAX_PER_DAY = 2: further sync messages in 24 h trigger no sync, wait for the cap and are recorded', async () => {
    const stores = memoryStores();
    const h = simHarness(sim, stores);
    const deps = h.deps('w', { policy: { ...ENFORCE_POLICY, syncMaxPerDay: 2 } });
    const outcomes = [];
    for (let i = 0; i < 5; i += 1) {
      sim.clock.advance(11 * MIN); // the 10-minute window is open again each time
      outcomes.push(await executeRemediation(syncCommand(i), deps));
    }

    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'deferred', 'deferred', 'deferred']);
    expect(syncCalls(sim).filter((c) => c.status === 204)).toHaveLength(2);
    const rows = (await stores.history.query({ subjectKey: 'tenant', type: 'outcome', limit: 100 })).items.filter(
      (r) => r.action === 'autopilot-sync',
    );
    // The cap counts the syncs history records (as the poll's does): the first one's row is when it leaves the window.
    const firstSync = Math.min(...rows.filter((r) => r.status === 'succeeded').map((r) => r.at));
    for (const o of outcomes.slice(2)) {
      expect(o.detail).toContain(
        'tenant-wide sync cap reached: 2 Autopilot syncs in the last 24 h (SYNC_MAX_PER_DAY = 2)',
      );
      // It waits until the first sync leaves the 24 h window, not merely for the next 10-minute window.
      expect(o.retryAt).toBe(firstSync + DAY);
    }
    // One scheduled message carries every waiting reason, as when the poll's cap defers them.
    expect(h.queue.pending).toHaveLength(1);

    expect(
      rows
        .filter((r) => r.status === 'deferred')
        .map((r) => r.idempotencyKey)
        .sort(),
    ).toEqual(['sender-sync-2', 'sender-sync-3', 'sender-sync-4']);
  });
});
