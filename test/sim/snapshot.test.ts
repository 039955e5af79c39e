/**
 * A snapshot of the simulated tenant, loaded into a new simulator, answers Graph as the original did: the CLI's
 * embedded default keeps its tenant between runs this way, so one sweep's fixes are there for the next to verify.
 */
import { afterEach, expect, test } from 'vitest';
import { SNAPSHOT_MAX_OBJECTS, SnapshotTooLargeError, type Simulator } from '../../sim/index.js';
import { all, call, start } from './helpers.js';

const started: Simulator[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
});
async function sim(scenario: NonNullable<Parameters<typeof start>[0]>['scenario'], now?: Date): Promise<Simulator> {
  const s = await start({ scenario, ...(now ? { now } : {}) });
  started.push(s);
  return s;
}

const DP_GROUP = '9a000000-0000-4000-8000-000000000001';
const READS = [
  '/beta/deviceManagement/windowsAutopilotDeviceIdentities',
  '/beta/deviceManagement/autopilotEvents',
  '/v1.0/devices',
  '/v1.0/deviceManagement/managedDevices',
  `/v1.0/groups/${DP_GROUP}/members`,
  `/v1.0/groups/${DP_GROUP}/owners`,
  '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities',
];

async function everything(s: Simulator): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const path of READS) out.push((await all(s, path)).items);
  // The settings entity without its @odata.context (an address holding the simulator's port).
  const { ['@odata.context']: _context, ...settings } = (
    await call(s, 'GET', '/beta/deviceManagement/windowsAutopilotSettings')
  ).body as Record<string, unknown>;
  out.push(settings);
  return out;
}

test('the demo tenant after writes reads back the same from its snapshot (changes included)', async () => {
  const before = await sim('demo');
  // Writes of the kinds the product makes: an unblock, a member added, an owner restored, a sync started.
  const blocked = before.tenant.state.identities.values().find((i) => i.serialNumber === '9TQ4L83');
  expect(blocked).toBeDefined();
  expect(
    (
      await call(
        before,
        'POST',
        `/beta/deviceManagement/windowsAutopilotDeviceIdentities/${blocked?.id}/allowNextEnrollment`,
      )
    ).status,
  ).toBe(204);
  before.tenant.state.addMember(DP_GROUP, '0b000000-0000-4000-8000-000000000068');
  expect((await call(before, 'POST', '/beta/deviceManagement/windowsAutopilotSettings/sync')).status).toBe(204);

  const snapshot: unknown = JSON.parse(JSON.stringify(before.snapshot()));
  const after = await sim(snapshot as never, before.clock.now());
  after.clock.set(before.clock.now());
  expect(await everything(after)).toEqual(await everything(before));
  expect(after.planted).toEqual(before.planted);

  // The sync in progress finishes on the new simulator as it would have on the old one: the imports appear.
  for (const s of [before, after]) s.clock.advance(60_000);
  expect(await everything(after)).toEqual(await everything(before));
  const serials = (await all(after, READS[0] ?? '')).items.map((i) => (i as { serialNumber: string }).serialNumber);
  expect(serials).toContain('5CG3460DEF');
});

test('a snapshot of a generated tenant beyond the limit is refused, not written half', async () => {
  const big = await sim({ name: 'big', generate: { devices: SNAPSHOT_MAX_OBJECTS + 1, seed: 1 } });
  expect(() => big.snapshot()).toThrow(SnapshotTooLargeError);
});
