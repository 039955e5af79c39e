// The other destructive action end to end: deleting the Intune record of a device held by the one-time userless
// block, approved from the CLI path (no token). The simulator is Graph, Azurite the tables. The request is built
// here from the open finding (the proposal itself, after Unblock reached its daily limit, is unit-tested in
// test/unit/core/approvals/proposals.test.ts): what is under test is the approval, the worker's re-read and the write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEMO_BLOCKED, demoWithApprovedIntuneDelete } from '../../support/approval-requests.js';
import { withAzurite } from '../../support/azurite.js';
import { historyRecords, type Azurite, type Harness } from '../../support/harness.js';

const { autopilotId: BLOCKED, managedDeviceId: BLOCKED_MANAGED, serialNumber: SERIAL } = DEMO_BLOCKED;

let azurite: Azurite;
beforeAll(async () => {
  azurite = await withAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

const approvedDeletion = () => demoWithApprovedIntuneDelete(azurite);
const deletesOf = (h: Harness) => h.sim.requests().filter((r) => r.method === 'DELETE');

describe('delete-intune-device-record after approval', () => {
  it('one DELETE managedDevices/{id}, verified gone; the device is no longer blocked; a second run deletes nothing', async () => {
    const { h, request } = await approvedDeletion();
    try {
      expect(request.state).toMatchObject({ userlessEnrollmentStatus: 'blocked', managedDeviceId: BLOCKED_MANAGED });
      await h.drainQueue();
      await h.drainQueue();
      expect(deletesOf(h).map((r) => `/${r.version}${r.path} ${r.status}`)).toEqual([
        `/v1.0/deviceManagement/managedDevices/${BLOCKED_MANAGED} 204`,
      ]);
      expect(h.sim.tenant.state.managedDevices.has(BLOCKED_MANAGED)).toBe(false);
      expect(h.sim.tenant.identity(BLOCKED)?.userlessEnrollmentStatus).toBe('allowed');
      const outcome = (await historyRecords(h.container.stores)).find(
        (r) => r.type === 'outcome' && r.action === 'delete-intune-device-record',
      );
      expect(outcome?.status).toBe('succeeded');
      expect(outcome?.before).toMatchObject({ approvedBy: 'cli:operator', intuneRecordExists: true });
      expect(outcome?.after).toEqual({ intuneRecordExists: false });
      // The next poll sees the block gone: the finding resolves.
      await h.runPoll('incremental');
      expect((await h.container.stores.findings.get(SERIAL, 'AP_USERLESS_BLOCKED'))?.status).toBe('resolved');
    } finally {
      await h.stop();
    }
  });

  it("the Intune record now reads another device's serial number: refused, nothing deleted", async () => {
    const { h, request } = await approvedDeletion();
    try {
      // Between the approval and the worker, the record the request names is another device's.
      h.sim.tenant.setManagedDevice(BLOCKED_MANAGED, { serialNumber: 'OTHER-DEVICE-2' });
      await h.drainQueue();
      expect(deletesOf(h)).toEqual([]);
      expect(h.sim.tenant.state.managedDevices.has(BLOCKED_MANAGED)).toBe(true);
      const outcome = (await historyRecords(h.container.stores)).find(
        (r) => r.type === 'outcome' && r.action === 'delete-intune-device-record',
      );
      expect(outcome?.status).toBe('refused');
      expect(outcome?.reason).toMatch(/serial/);
      expect((await h.container.stores.approvals.get(request.id))?.execution?.status).toBe('refused');
    } finally {
      await h.stop();
    }
  });
});
