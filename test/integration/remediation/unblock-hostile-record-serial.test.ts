// The worker unblocks a device only when the Autopilot record it names reads the message's serial number: the
// attempt, the outcome and the unblock cooldown are filed under that serial (handlers/allow-next-enrollment.ts).
// Whoever enrolls a device chooses the serial its record carries. A record reading a look-alike of the message's
// serial is another serial: refused and recorded (Azurite takes the row), nothing written, and the other devices of
// the run are unblocked all the same. Before, both were compared upper-cased, and toUpperCase maps distinct
// characters onto ASCII letters (ſ → S, ı → I, ß → SS): a record reading "ſN-SSI-1" was unblocked for "SN-SSI-1".
import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import type { Simulator } from '../../../sim/index.js';
import {
  apId,
  blockedAfterFailure,
  MIN,
  simHarness,
  T0,
  tableStores,
  UNBLOCK_WRITE,
  unblockCommand,
  withAzurite,
  writes,
  azuriteAndSimForFile,
} from './support.js';

let sim: Simulator;
let azurite: Awaited<ReturnType<typeof withAzurite>>;
azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});

const SERIAL = 'SN-SSI-1';
const OTHER = 'SN-OK-1';

describe("an unblock whose Autopilot record's serial number is hostile tenant text", () => {
  it.each([
    ['a long s (ſ upper-cases to S)', 'ſN-SSI-1'],
    ['a dotless i (ı upper-cases to I)', 'SN-SSı-1'],
    ['a sharp s (ß upper-cases to SS)', 'SN-ßI-1'],
    ['a TAB inside', 'SN-SS\tI-1'],
    ['a zero-width space', 'SN-SSI-1\u200b'],
    ['full-width letters', 'ＳＮ-ＳＳＩ-1'],
    ['600 characters', SERIAL.padEnd(600, '9')],
  ])('%s: refused, not written; the next device is unblocked', async (_name, recordSerial) => {
    const stores = await tableStores(azurite, 'hostileunblock');
    const h = simHarness(sim, stores);
    for (const serial of [SERIAL, OTHER]) await blockedAfterFailure(sim, stores, serial, T0 - 10 * MIN);
    sim.tenant.setIdentity(apId(SERIAL), { serialNumber: recordSerial });
    sim.clearRequests();

    const hostile = await executeRemediation(unblockCommand(SERIAL, `k-${recordSerial.length}`, T0), h.deps('w'));
    const next = await executeRemediation(unblockCommand(OTHER, `k-other-${recordSerial.length}`, T0), h.deps('w'));

    expect(hostile.status).toBe('refused');
    expect(hostile.detail).toBe("the message's serial number is not the Autopilot record's; not written");
    expect(next.status).toBe('succeeded');
    expect(writes(sim, UNBLOCK_WRITE).map((w) => w.path)).toEqual([expect.stringContaining(apId(OTHER)) as string]);
    expect(sim.tenant.identity(apId(SERIAL))?.userlessEnrollmentStatus).toBe('blocked');
    const rows = (await stores.history.query({ subjectKey: SERIAL, limit: 50 })).items;
    expect(rows.map((r) => `${r.type} ${r.status}`)).toEqual(['outcome refused']);
    // Compared as JSON text both sides, so a TAB is looked for as the escape JSON writes it.
    expect(JSON.stringify(rows)).not.toContain(JSON.stringify(recordSerial).slice(1, -1));
  });
});
