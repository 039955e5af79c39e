// No hidden writes, for the tenant-wide sync: Table Storage refuses the outcome row right after the service accepted
// the sync (204). The command comes back and takes the expired claim over; the sync it finds is its own (the attempt
// row of its key says so), so history records it as the sync it was — and SYNC_MAX_PER_DAY, which counts the syncs
// history shows, still holds. Before, the redelivery recorded "no longer applies", the sync vanished from the count,
// and the next sync message called the service again past the cap.
import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import { StorageUnavailableError, type HistoryStore, type Stores } from '../../../shared/ports/index.js';
import type { Simulator } from '../../../sim/index.js';
import { ENFORCE_POLICY } from '../../unit/app/remediation/support.js';
import {
  MIN,
  simHarness,
  syncCalls,
  tableStores,
  withAzurite,
  azuriteAndSimForFile,
  syncCommand as sync,
} from './support.js';

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;
azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
  sim.tenant.setSettings({
    lastManualSyncTriggerDateTime: 'now-1h',
    lastSyncDateTime: 'now-1h',
    syncStatus: 'completed',
  });
});

function syncCommand(i: number): RemediationCommand {
  return sync(`contoso:autopilot-sync:lost-${i}`, [`reason-${i}`], 'run-lost', sim.clock.nowMs());
}

describe('storage fails after the service accepted a sync', () => {
  it('the redelivery calls nothing again and records the sync; the daily cap still counts it', async () => {
    const stores = await tableStores(azurite, 'syncLost');
    let refused = 0;
    const history: HistoryStore = {
      append: async (records) => {
        if (refused === 0 && records.some((r) => r.type === 'outcome' && r.action === 'autopilot-sync')) {
          refused += 1;
          throw new StorageUnavailableError('medicHistory', 'connect ECONNREFUSED 127.0.0.1:1');
        }
        return stores.history.append(records);
      },
      query: (q) => stores.history.query(q),
      deleteOlderThan: (c) => stores.history.deleteOlderThan(c),
    };
    const flaky: Stores = { ...stores, history };
    const h = simHarness(sim, flaky);
    const policy = { ...ENFORCE_POLICY, syncMaxPerDay: 1 };
    h.queue.setHandler(async (command) => {
      await executeRemediation(command, h.deps('queue-worker', { policy }));
    });
    sim.clearRequests();

    await h.queue.send(syncCommand(0), null);
    const report = await h.queue.drain({ waitForScheduled: true });
    expect(refused).toBe(1);
    expect(report).toMatchObject({ deadLettered: 0, remaining: 0 });
    expect(syncCalls(sim)).toEqual([{ status: 204 }]);

    const rows = (await stores.history.query({ subjectKey: 'tenant', limit: 50 })).items.filter(
      (r) => r.action === 'autopilot-sync',
    );
    expect(rows.filter((r) => r.type === 'attempt')).toHaveLength(1);
    const outcomes = rows.filter((r) => r.type === 'outcome');
    expect(outcomes.map((r) => r.status)).toEqual(['succeeded']);
    expect(outcomes[0]?.reason).toMatch(/this command's own sync/);

    // The window is open again, but one sync a day is the limit: the next sync message waits.
    sim.clock.advance(11 * MIN);
    const next = await executeRemediation(syncCommand(1), h.deps('queue-worker', { policy }));
    expect(next.status).toBe('deferred');
    expect(next.detail).toMatch(/SYNC_MAX_PER_DAY = 1/);
    expect(syncCalls(sim)).toEqual([{ status: 204 }]);
  });
});
