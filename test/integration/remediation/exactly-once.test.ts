import { describe, expect, it } from 'vitest';

import { AlreadyInProgressError, executeRemediation } from '../../../shared/app/remediation/index.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import type { HistoryStore, Stores } from '../../../shared/ports/index.js';
import type { Simulator } from '../../../sim/index.js';
import {
  apId,
  blockedAfterFailure,
  GROUP,
  MIN,
  objectId,
  POLICY_NAME,
  simHarness,
  T0,
  tableStores,
  withAzurite,
  writes,
  azuriteAndSimForFile,
} from './support.js';

// At-least-once delivery, exactly-once effect: the simulator (real HTTP) counts the Graph writes, and the claim
// store is Table Storage on Azurite, so the atomicity under test is the real ETag / 409 behaviour.

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;

azuriteAndSimForFile((a, s) => {
  azurite = a;
  sim = s;
});

function unblockCommand(serial: string): RemediationCommand {
  return {
    schemaVersion: 1,
    idempotencyKey: `contoso:allow-next-enrollment:${apId(serial)}:fp-${serial}-a1`,
    action: 'allow-next-enrollment',
    tenant: 'contoso',
    mode: 'enforce',
    target: { action: 'allow-next-enrollment', autopilotId: apId(serial), serialNumber: serial },
    reasons: [`fp-${serial}`],
    runId: 'run-1',
    createdAt: new Date(T0).toISOString(),
  };
}

/** Blocked after a 0x80180014 failure ten minutes ago, as the poll recorded it. */
const blockDevice = (stores: Stores, serial: string): Promise<void> =>
  blockedAfterFailure(sim, stores, serial, sim.clock.nowMs() - 10 * MIN);

describe('the same command delivered 5 times', () => {
  it('concurrently (five workers): exactly one Graph write', async () => {
    const stores = await tableStores(azurite, 'eoConc');
    const h = simHarness(sim, stores);
    await blockDevice(stores, 'SN-C1');
    sim.clearRequests();
    const cmd = unblockCommand('SN-C1');
    const results = await Promise.allSettled(
      [0, 1, 2, 3, 4].map((i) => executeRemediation(cmd, h.deps(`worker-${i}`))),
    );
    const statuses = results.map((r) =>
      r.status === 'fulfilled'
        ? r.value.status
        : r.reason instanceof AlreadyInProgressError
          ? 'in-progress'
          : String(r.reason),
    );
    expect(statuses.filter((s) => s === 'succeeded')).toHaveLength(1);
    expect(statuses.every((s) => ['succeeded', 'duplicate', 'in-progress'].includes(s))).toBe(true);
    expect(writes(sim)).toHaveLength(1);
    expect(sim.tenant.identity(apId('SN-C1'))?.userlessEnrollmentStatus).toBe('allowed');
  });

  it('in sequence: one write, then four duplicates', async () => {
    const stores = await tableStores(azurite, 'eoSeq');
    const h = simHarness(sim, stores);
    sim.tenant.addGroup({ id: GROUP, displayName: 'Device prep' });
    for (const i of [1, 2])
      sim.tenant.addDevice({ id: objectId(i), deviceId: `dev-${i}`, enrollmentProfileName: POLICY_NAME });
    sim.clearRequests();
    const cmd: RemediationCommand = {
      ...unblockCommand('x'),
      idempotencyKey: 'contoso:add-to-device-prep-group:g:batch1',
      action: 'add-to-device-prep-group',
      target: {
        action: 'add-to-device-prep-group',
        groupId: GROUP,
        members: [1, 2].map((i) => ({ objectId: objectId(i), serialNumber: `SN-M${i}` })),
      },
    };
    const statuses: string[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await executeRemediation(cmd, h.deps(`worker-${i}`))).status);
    expect(statuses).toEqual(['succeeded', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(writes(sim)).toHaveLength(1);
    expect(sim.tenant.groupMembers(GROUP).sort()).toEqual([objectId(1), objectId(2)]);
  });
});

describe('a crash between the Graph call and completion', () => {
  it('redelivery takes the claim over after it expires, finds the work done, and writes nothing again', async () => {
    const stores = await tableStores(azurite, 'eoCrash');
    await blockDevice(stores, 'SN-X1');
    sim.clearRequests();
    // The first outcome write "crashes" the worker: the process would die right after Graph answered, so
    // neither history nor the claim completion happens. Everything after that is the real flow.
    let crashed = false;
    const crashingHistory: HistoryStore = {
      append: async (records) => {
        if (!crashed && records.some((r) => r.type === 'outcome')) {
          crashed = true;
          throw new Error('worker crashed (injected)');
        }
        return stores.history.append(records);
      },
      query: (q) => stores.history.query(q),
      deleteOlderThan: (c) => stores.history.deleteOlderThan(c),
    };
    const crashStores: Stores = { ...stores, history: crashingHistory };
    const h = simHarness(sim, crashStores);
    const cmd = unblockCommand('SN-X1');
    const start = sim.clock.nowMs();
    await h.queue.send(cmd, null);

    const report = await h.queue.drain({ waitForScheduled: true });

    expect(crashed).toBe(true);
    expect(writes(sim)).toHaveLength(1);
    // delivery 1 crashed, delivery 2 met the unexpired claim (AlreadyInProgress -> redeliver at expiry),
    // delivery 3 took the claim over after the 10-minute TTL.
    expect(report).toMatchObject({ deliveries: 3, completed: 1, deadLettered: 0, remaining: 0 });
    expect(sim.clock.nowMs() - start).toBeGreaterThanOrEqual(10 * MIN);
    const history = (await stores.history.query({ subjectKey: 'SN-X1', type: 'outcome', limit: 50 })).items;
    expect(history.map((r) => r.status)).toEqual(['already-done']);
    // The write the crash hid from the outcome records is still on record: its attempt row came first (issue 13.2).
    const attempts = (await stores.history.query({ subjectKey: 'SN-X1', type: 'attempt', limit: 50 })).items;
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.before).toEqual({
      method: 'POST',
      path: `/beta/deviceManagement/windowsAutopilotDeviceIdentities/${apId('SN-X1')}/allowNextEnrollment`,
      body: null,
    });
    expect(history[0]!.reason).toMatch(/taking over an interrupted attempt; not written again/);
    expect(await stores.claims.get(cmd.action, cmd.idempotencyKey)).toMatchObject({ status: 'completed' });
    expect(h.logger.lines.some((l) => l.event === 'remediation.claim-taken-over')).toBe(true);
  });
});
