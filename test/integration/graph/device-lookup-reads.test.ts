import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type Simulator } from '../../../sim/index.js';
import { adaptersFor, quickSleep } from './sim-harness.js';

// The device lookup's point reads against the simulator over real HTTP: each is filtered (or by key), matches are
// exact, and a refused filter on the events falls back to recent events filtered here, never to "no events".

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', port: 0 });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.faults.clear();
  sim.clearRequests();
});

const reader = () => adaptersFor(sim, { maxRetries: 0 }, { sleep: quickSleep, now: () => sim.clock.nowMs() }).lookup;

describe('DeviceLookupReader', () => {
  it('events of one serial (any case), newest first, at most `limit`, by a filtered read', async () => {
    const events = await reader().eventsForSerial('9tq4l83', 5);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.serialNumber === '9TQ4L83')).toBe(true);
    expect(events.map((e) => e.eventAt)).toEqual([...events.map((e) => e.eventAt)].sort((a, b) => (b ?? 0) - (a ?? 0)));
    expect(await reader().eventsForSerial('9TQ4L83', 1)).toHaveLength(1);
    const reads = sim.requests().filter((r) => r.path.endsWith('/autopilotEvents'));
    expect(reads.every((r) => /deviceSerialNumber eq '9t?q4l83'/i.test(r.query['$filter'] ?? ''))).toBe(true);
  });

  it('a refused serial filter (400) falls back to the last 30 days of events, filtered here', async () => {
    const expected = await reader().eventsForSerial('9TQ4L83', 5);
    sim.clearRequests();
    sim.faults.add({
      method: 'GET',
      path: 'autopilotEvents$',
      status: 400,
      code: 'BadRequest',
      message: 'Invalid filter clause',
      times: 1,
    });
    const events = await reader().eventsForSerial('9TQ4L83', 5);
    expect(events).toEqual(expected);
    const filters = sim
      .requests()
      .filter((r) => r.path.endsWith('/autopilotEvents'))
      .map((r) => r.query['$filter'] ?? '');
    expect(filters).toHaveLength(2);
    expect(filters[1]).toMatch(/^eventDateTime ge \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('any other failure is not hidden', async () => {
    sim.faults.add({ method: 'GET', path: 'autopilotEvents$', status: 403, code: 'Forbidden', message: 'no' });
    await expect(reader().eventsForSerial('9TQ4L83', 5)).rejects.toMatchObject({ kind: 'permission' });
  });

  it('Intune records by serial, name and Entra deviceId; by id; an unknown id is null', async () => {
    const r = reader();
    expect((await r.managedDevicesBy({ serialNumber: '9tq4l83' })).map((m) => m.id)).toEqual([
      'ed000000-0000-4000-8000-000000000008',
    ]);
    expect((await r.managedDevicesBy({ deviceName: 'cts-9tq4l83' })).map((m) => m.id)).toEqual([
      'ed000000-0000-4000-8000-000000000008',
    ]);
    expect(
      (await r.managedDevicesBy({ entraDeviceId: 'DE000000-0000-4000-8000-000000000008' })).map((m) => m.id),
    ).toEqual(['ed000000-0000-4000-8000-000000000008']);
    expect(await r.managedDevicesBy({ entraDeviceId: 'not-a-guid' })).toEqual([]);
    expect((await r.getManagedDevice('ed000000-0000-4000-8000-000000000008'))?.serialNumber).toBe('9TQ4L83');
    expect(await r.getManagedDevice('ed000000-0000-4000-8000-0000000000ff')).toBeNull();
  });

  it('Entra devices by exact name; identities by Entra deviceId; a quote in a name is escaped, not injected', async () => {
    const r = reader();
    expect((await r.entraDevicesByName('CTS-9TQ4L83')).map((d) => d.objectId)).toEqual([
      '0b000000-0000-4000-8000-000000000008',
    ]);
    expect(
      (await r.identitiesByEntraDeviceId('de000000-0000-4000-8000-000000000008')).map((i) => i.serialNumber),
    ).toEqual(['9TQ4L83']);
    expect(await r.entraDevicesByName("x' or displayName ne 'y")).toEqual([]);
    const names = sim
      .requests()
      .filter((r) => r.path.endsWith('/devices'))
      .map((q) => q.query['$filter']);
    expect(names).toContain("displayName eq 'x'' or displayName ne ''y'");
  });
});
