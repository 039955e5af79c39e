// The unblock gate holds in the worker too, not only when a poll plans the unblock (core/policy/unblock-gate.ts):
// the one-time userless block exists so a reset or stolen device cannot re-provision silently, and nearly every
// self-deployed device carries it. A message naming a blocked device proves nothing, so the worker re-applies the
// gate under the current configuration: the device's open AP_USERLESS_BLOCKED finding, as the poll recorded it, must
// show its latest deployment refused with 0x80180014 after its last unblock in history. Otherwise it is refused,
// recorded in history and nothing is written.
import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { Simulator } from '../../../sim/index.js';
import {
  apId,
  blockedAfterFailure,
  memoryStores,
  MIN,
  simForFile,
  simHarness,
  UNBLOCK_WRITE,
  unblockAgain,
  unblockCommand,
  writes,
} from './support.js';

let sim: Simulator;
simForFile((s) => (sim = s));

describe('the worker re-applies the unblock gate', () => {
  it('refuses a blocked device without a recorded 0x80180014 failure; writes nothing; records the refusal', async () => {
    const stores = memoryStores();
    const h = simHarness(sim, stores);
    const now = sim.clock.nowMs();
    // No finding at all: a device that merely carries the block after a completed self-deployment.
    await blockedAfterFailure(sim, memoryStores(), 'SN-NOFINDING', now - 10 * MIN);
    // A finding whose latest deployment succeeded: the block is the one-time check working as meant.
    await blockedAfterFailure(sim, stores, 'SN-SUCCEEDED', now - 10 * MIN, {
      lastDeploymentState: 'success',
      lastDeploymentFailureCode: null,
    });
    sim.clearRequests();

    for (const serial of ['SN-NOFINDING', 'SN-SUCCEEDED']) {
      const outcome = await executeRemediation(unblockCommand(serial, `forged-${serial}`, now), h.deps('w'));
      expect(outcome.status).toBe('refused');
      expect(sim.tenant.identity(apId(serial))?.userlessEnrollmentStatus).toBe('blocked');
      const rows = (await stores.history.query({ subjectKey: serial, limit: 100 })).items;
      expect(rows.map((r) => r.type)).not.toContain('attempt');
      expect(rows.find((r) => r.type === 'outcome')?.status).toBe('refused');
    }
    expect(writes(sim, UNBLOCK_WRITE)).toEqual([]);
    expect(
      (await stores.history.query({ subjectKey: 'SN-SUCCEEDED', type: 'outcome', limit: 10 })).items[0]?.reason,
    ).toContain('did not fail');
  });

  it('unblocks once per 0x80180014 failure: a second message for the same failure is refused', async () => {
    const stores = memoryStores();
    const h = simHarness(sim, stores);
    const now = sim.clock.nowMs();
    await blockedAfterFailure(sim, stores, 'SN-FAILED', now - 10 * MIN);
    sim.clearRequests();

    const first = await executeRemediation(unblockCommand('SN-FAILED', 'genuine', now), h.deps('w'));
    expect(first.status).toBe('succeeded');
    // Blocked again, but no newer failure: the one the first unblock answered is all there is.
    sim.tenant.setIdentity(apId('SN-FAILED'), { userlessEnrollmentStatus: 'blocked' });
    sim.clock.advance(2 * 60 * MIN);
    const second = await unblockAgain(sim, h, 'SN-FAILED', 'forged-again');
    expect(second.status).toBe('refused');
    expect(second.detail).toContain('not newer than the last unblock');
    expect(writes(sim, UNBLOCK_WRITE)).toHaveLength(1);
  });
});
