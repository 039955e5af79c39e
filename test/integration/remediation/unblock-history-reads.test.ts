// Before an unblock write the worker needs the device's unblock outcomes twice: the per-device limits count its
// attempts (limits.ts) and the unblock gate dates its last unblock (handlers/allow-next-enrollment.ts). Both come from
// the same rows of the device's history partition, so one command reads them once.
import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { HistoryQuery, HistoryStore, Stores } from '../../../shared/ports/index.js';
import type { Simulator } from '../../../sim/index.js';
import type { Azurite } from '../../support/harness.js';
import {
  blockedAfterFailure,
  MIN,
  simHarness,
  tableStores,
  UNBLOCK_WRITE,
  unblockCommand,
  writes,
  azuriteAndSimForFile,
} from './support.js';

let sim: Simulator;
let azurite: Azurite;
azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});

/**
 * The real Table Storage history store (Azurite), wrapped only to note each query made through it: what is counted
 * is what the worker asks storage for, every query answered by the real store.
 */
function countingHistory(history: HistoryStore): { readonly history: HistoryStore; readonly queries: HistoryQuery[] } {
  const queries: HistoryQuery[] = [];
  return {
    queries,
    history: {
      append: (records) => history.append(records),
      query: (q) => {
        queries.push(q);
        return history.query(q);
      },
      deleteOlderThan: (cutoff) => history.deleteOlderThan(cutoff),
    },
  };
}

describe('one unblock command reads the history of its device once', () => {
  it('the limits and the unblock gate share one read of the unblock outcomes (Azurite)', async () => {
    const serial = 'SN-ONE-READ';
    const stores: Stores = await tableStores(azurite, 'reads');
    const counted = countingHistory(stores.history);
    const h = simHarness(sim, { ...stores, history: counted.history });
    sim.clearRequests();

    // An earlier unblock, so the device has an attempt on its finding (the limits read history only then) and an
    // unblock outcome (the gate dates it); then a newer 0x80180014 failure after the cooldown, so both checks pass.
    await blockedAfterFailure(sim, stores, serial, sim.clock.nowMs() - MIN);
    expect((await executeRemediation(unblockCommand(serial, 'first', sim.clock.nowMs()), h.deps('w'))).status).toBe(
      'succeeded',
    );
    sim.clock.advance(66 * MIN);
    await blockedAfterFailure(sim, stores, serial, sim.clock.nowMs() - MIN);
    expect((await stores.findings.get(serial, 'AP_USERLESS_BLOCKED'))?.attempts).toBeGreaterThan(0);
    counted.queries.length = 0;

    const outcome = await executeRemediation(unblockCommand(serial, 'second', sim.clock.nowMs()), h.deps('w'));

    expect(outcome.status).toBe('succeeded');
    expect(writes(sim, UNBLOCK_WRITE)).toHaveLength(2);
    expect(counted.queries).toHaveLength(1);
    expect(counted.queries[0]).toMatchObject({ subjectKey: serial, type: 'outcome', action: 'allow-next-enrollment' });
  });
});
