import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { Simulator } from '../../../sim/index.js';
import {
  T0,
  apId,
  blockedAfterFailure,
  memoryStores,
  MIN,
  simForFile,
  simHarness,
  unblockCommand,
  writes,
} from './support.js';

// An unblock command names the Autopilot record by id and the device by serial; its history (attempt, outcome,
// the cooldown) is filed under the serial. A message whose serial is not the record's would unblock one device and
// file the write under another's, so the next unblock of the first would find no cooldown. The worker compares the
// serial it reads from the tenant with the message's and refuses a mismatch before any write.

let sim: Simulator;
simForFile((s) => (sim = s));

describe("unblock checks the message's serial against the tenant's", () => {
  it("refuses the id of one device with another's serial, writes nothing; the true pair is unblocked", async () => {
    const stores = memoryStores();
    for (const serial of ['SN-X', 'SN-Y']) await blockedAfterFailure(sim, stores, serial, T0 - 10 * MIN);
    sim.clearRequests();
    const h = simHarness(sim, stores);
    const forged = await executeRemediation(unblockCommand('SN-Y', 'k-forged', T0, apId('SN-X')), h.deps('w'));
    expect(forged.status).toBe('refused');
    expect(writes(sim)).toEqual([]);
    expect(sim.tenant.identity(apId('SN-X'))?.userlessEnrollmentStatus).toBe('blocked');
    const recorded = [...(await stores.history.query({ limit: 100 })).items];
    expect(recorded.map((r) => r.type)).not.toContain('attempt');
    expect(recorded.find((r) => r.type === 'outcome')?.reason).toContain('serial');
    // Serials are compared as the tenant compares them (case and surrounding blanks aside).
    const real = await executeRemediation(unblockCommand(' sn-x ', 'k-real', T0, apId('SN-X')), h.deps('w'));
    expect(real.status).toBe('succeeded');
    expect(writes(sim)).toHaveLength(1);
    expect(sim.tenant.identity(apId('SN-Y'))?.userlessEnrollmentStatus).toBe('blocked');
  });
});
