// The unblock gate dates a device's last unblock from its unblock outcomes in history, with no time bound: the
// 0x80180014 failure that unblock answered stays evidence for as long as Intune serves the deployment event (30 days)
// or an open finding remembers it. The sweep's retention clean-up (HISTORY_RETENTION_DAYS, as short as 1 day) deleted
// those rows with the rest, and the same failure then unblocked the device a second time.
import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import { lastUnblockAt } from '../../../shared/app/history/last-unblock.js';
import { outcomeReader } from '../../../shared/app/history/subject-outcomes.js';
import type { HistoryRecord } from '../../../shared/ports/index.js';
import type { Simulator } from '../../../sim/index.js';
import { startHarness, type Azurite } from '../../support/harness.js';
import {
  apId,
  blockedAfterFailure,
  memoryStores,
  MIN,
  simHarness,
  UNBLOCK_WRITE,
  unblockAgain,
  unblockCommand,
  writes,
  azuriteAndSimForFile,
} from './support.js';

const DAY = 24 * 60 * MIN;
let sim: Simulator;
let azurite: Azurite;
azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});

function row(over: Partial<HistoryRecord>): HistoryRecord {
  return {
    subjectKey: 'SN-OLD',
    at: 0,
    id: 'row',
    runId: 'run-old',
    type: 'outcome',
    action: 'allow-next-enrollment',
    code: null,
    idempotencyKey: 'k-old',
    mode: 'enforce',
    status: 'succeeded',
    reason: 'unblocked',
    attempt: 1,
    graphRequestId: null,
    before: null,
    after: null,
    ...over,
  };
}

describe('history retention keeps what the unblock gate needs', () => {
  it("the compliance sweep's clean-up keeps a device's old unblock outcome, and deletes the rest (Azurite)", async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan', env: { HISTORY_RETENTION_DAYS: '1' } });
    try {
      const history = h.container.stores.history;
      const old = h.clock.now() - 3 * DAY;
      await history.append([
        row({ at: old, id: 'unblock-outcome' }),
        row({ at: old, id: 'plan-outcome', mode: 'plan', status: 'planned', idempotencyKey: 'k-old-plan' }),
        row({ at: old, id: 'decision', type: 'decision', status: 'remediate' }),
      ]);

      await h.runCompliance();

      expect(await lastUnblockAt(outcomeReader(history), 'SN-OLD')).toBe(old);
      const left = (await history.query({ subjectKey: 'SN-OLD', limit: 10 })).items.map((r) => r.id);
      expect(left).toEqual(['unblock-outcome']);
    } finally {
      await h.stop();
    }
  });

  it('a failure already answered by an unblock is not answered again after the clean-up', async () => {
    const stores = memoryStores();
    const h = simHarness(sim, stores);
    const now = sim.clock.nowMs();
    await blockedAfterFailure(sim, stores, 'SN-RETAINED', now - 10 * MIN);
    sim.clearRequests();
    expect((await executeRemediation(unblockCommand('SN-RETAINED', 'genuine', now), h.deps('w'))).status).toBe(
      'succeeded',
    );

    // Blocked again two days later, with no newer failure; the sweep has since run with HISTORY_RETENTION_DAYS = 1.
    sim.tenant.setIdentity(apId('SN-RETAINED'), { userlessEnrollmentStatus: 'blocked' });
    sim.clock.advance(2 * DAY);
    await stores.history.deleteOlderThan(sim.clock.nowMs() - DAY);

    const again = await unblockAgain(sim, h, 'SN-RETAINED', 'again');
    expect(again.status).toBe('refused');
    expect(again.detail).toContain('not newer than the last unblock');
    expect(writes(sim, UNBLOCK_WRITE)).toHaveLength(1);
  });
});
