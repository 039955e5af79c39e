// Whoever enrolls or imports a device chooses its serial. The worker keys a device's history by its serial
// (serialKey = normSerial), and counts the device's cooldown and attempts per day from that history. normSerial was
// trim().toUpperCase(): "ſN-1" (long s) and "SN-1\u00a0" (NBSP) were keyed "SN-1", so unblocking a hostile device of
// that serial recorded its attempt under the victim's key, and the victim's own unblock was refused as cooling down
// (repeat it and the victim's attempts per day are spent). Table Storage, as in production.
import { describe, expect, it } from 'vitest';

import { executeRemediation } from '../../../shared/app/remediation/index.js';
import { serialKey } from '../../../shared/core/actions/index.js';
import type { Stores } from '../../../shared/ports/index.js';
import type { Simulator } from '../../../sim/index.js';
import { ENFORCE_POLICY, unblockFinding } from '../../unit/app/remediation/support.js';
import {
  apId,
  azuriteAndSimForFile,
  MIN,
  simHarness,
  tableStores,
  UNBLOCK_WRITE,
  unblockCommand,
  withAzurite,
  writes,
} from './support.js';

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;
azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});

const VICTIM = 'SN-1';

/** `serial`'s own record blocked after a failure a minute ago, with the finding the poll records under its device key. */
async function blocked(stores: Stores, serial: string): Promise<void> {
  sim.tenant.setIdentity(apId(serial), {
    serialNumber: serial,
    enrollmentState: 'blocked',
    userlessEnrollmentStatus: 'blocked',
  });
  const key = serialKey(serial) as string;
  // A finding the poll already had under this key keeps its attempts, as the poll keeps them.
  const had = await stores.findings.get(key, 'AP_USERLESS_BLOCKED');
  const attempts = { attempts: had?.attempts ?? 0, lastAttemptAt: had?.lastAttemptAt ?? null };
  await stores.findings.upsertMany([
    { ...unblockFinding(serial, sim.clock.nowMs() - MIN), subjectKey: key, ...attempts },
  ]);
}

describe.each([
  ['a long s (ſ)', 'ſN-1'],
  ['a trailing NBSP', 'SN-1\u00a0'],
  ['a leading ideographic space', '\u3000SN-1'],
])("a hostile device whose serial has %s, unblocked first, and the victim's unblock", (_name, hostile) => {
  it("the victim is unblocked: the hostile device's attempt is its own history, not the victim's", async () => {
    const stores = await tableStores(azurite, 'look');
    const h = simHarness(sim, stores);
    sim.clearRequests();

    await blocked(stores, hostile);
    const first = await executeRemediation(unblockCommand(hostile, `evil-${hostile}`, sim.clock.nowMs()), h.deps('w'));
    expect(first.status).toBe('succeeded');

    sim.clock.advance(5 * MIN);
    await blocked(stores, VICTIM);
    const second = await executeRemediation(unblockCommand(VICTIM, 'victim-1', sim.clock.nowMs()), h.deps('w'));
    expect(second.detail ?? '').not.toContain('cooling down');
    expect(second.status).toBe('succeeded');
    expect(sim.tenant.identity(apId(VICTIM))?.userlessEnrollmentStatus).toBe('allowed');
    expect(writes(sim, UNBLOCK_WRITE)).toHaveLength(2);

    // Each device's history holds its own write only.
    const victimRows = (await stores.history.query({ subjectKey: VICTIM, limit: 100 })).items;
    expect(victimRows.filter((r) => r.type === 'attempt').map((r) => r.idempotencyKey)).toEqual(['victim-1']);
    const hostileRows = (await stores.history.query({ subjectKey: serialKey(hostile) as string, limit: 100 })).items;
    expect(hostileRows.filter((r) => r.type === 'attempt').map((r) => r.idempotencyKey)).toEqual([`evil-${hostile}`]);
    expect(ENFORCE_POLICY.cooldownMs).toBeGreaterThan(5 * MIN);
  });
});
