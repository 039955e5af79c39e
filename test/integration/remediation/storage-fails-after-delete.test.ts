// No hidden writes, with Table Storage failing right after an approved DELETE went through (the simulator is Graph,
// Azurite the tables). The outcome row is refused, so the command comes back; the redelivery takes the expired claim
// over and re-reads the tenant. The DELETE it finds done is its own (the attempt row of this key says so): history
// and the approval request must say the record was deleted, not that the fix was refused and nothing was written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import { StorageUnavailableError, type HistoryStore } from '../../../shared/ports/index.js';
import { DEMO_BLOCKED, demoWithApprovedIntuneDelete } from '../../support/approval-requests.js';
import { withAzurite } from '../../support/azurite.js';
import { historyRecords, type Azurite } from '../../support/harness.js';

const BLOCKED_MANAGED = DEMO_BLOCKED.managedDeviceId;

let azurite: Azurite;
beforeAll(async () => {
  azurite = await withAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

describe('Table Storage fails after an approved DELETE went through', () => {
  it('the redelivery deletes nothing again and records the delete as done, on history and on the request', async () => {
    const { h, request } = await demoWithApprovedIntuneDelete(azurite);
    try {
      const target = request.target;

      // Storage refuses the first outcome row of the delete: after the DELETE, before anything records it.
      const deps = h.container.remediationDeps();
      const stores = h.container.stores;
      let failed = 0;
      const history: HistoryStore = {
        append: async (records) => {
          if (failed === 0 && records.some((r) => r.type === 'outcome' && r.action === target.action)) {
            failed += 1;
            throw new StorageUnavailableError('medicHistory', 'connect ECONNREFUSED 127.0.0.1:1');
          }
          return stores.history.append(records);
        },
        query: (q) => stores.history.query(q),
        deleteOlderThan: (c) => stores.history.deleteOlderThan(c),
      };
      h.queue.setHandler((command) => executeRemediation(command, { ...deps, history }));
      const report = await h.queue.drain({ waitForScheduled: true });
      expect(failed).toBe(1);
      expect(report).toMatchObject({ deadLettered: 0, remaining: 0 });

      const deletes = h.sim.requests().filter((r) => r.method === 'DELETE');
      expect(deletes.map((r) => `/${r.version}${r.path} ${r.status}`)).toEqual([
        `/v1.0/deviceManagement/managedDevices/${BLOCKED_MANAGED} 204`,
      ]);
      const rows = (await historyRecords(stores)).filter((r) => r.action === target.action);
      const attempts = rows.filter((r) => r.type === 'attempt');
      const outcomes = rows.filter((r) => r.type === 'outcome');
      expect(attempts).toHaveLength(1);
      expect(outcomes.map((r) => r.status)).toEqual(['already-done']);
      expect(outcomes[0]?.reason).toMatch(/taking over an interrupted attempt; not written again\)$/);
      const after = await stores.approvals.get(request.id);
      expect(after?.execution?.status).toBe('already-done');
    } finally {
      await h.stop();
    }
  });
});
