/** Autopilot sync: 204 / 409 while running / 429 + Retry-After inside 10 minutes, and pending imports. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { call, errorCode, get, obj, start, values } from './helpers.js';

let sim: Simulator;
const SETTINGS = '/beta/deviceManagement/windowsAutopilotSettings';
const SYNC = `${SETTINGS}/sync`;
const PENDING = ['5CG3460DEF', 'PF5A01QX'];

beforeAll(async () => {
  sim = await start({ scenario: 'demo' });
});
afterAll(async () => {
  await sim.stop();
});

const settings = async (): Promise<Record<string, unknown>> => obj((await get(sim, SETTINGS)).body);
const serials = async (): Promise<string[]> =>
  values(await get(sim, '/beta/deviceManagement/windowsAutopilotDeviceIdentities?$select=serialNumber')).map((i) =>
    String(i['serialNumber']),
  );

test("settings have Graph's shape and the scenario's last manual sync (1 h ago)", async () => {
  const s = await settings();
  expect(s['@odata.type']).toBe('#microsoft.graph.windowsAutopilotSettings');
  expect(s['syncStatus']).toBe('completed');
  const ago = Date.now() - Date.parse(String(s['lastManualSyncTriggerDateTime']));
  expect(ago).toBeGreaterThan(59 * 60_000);
  expect(ago).toBeLessThan(61 * 60_000);
});

test('pending imports stay invisible until a sync triggered after their import completes', async () => {
  expect(await serials()).not.toContain(PENDING[0]);
  sim.clock.advance(5 * 60_000);
  expect(await serials()).not.toContain(PENDING[0]);

  const first = await call(sim, 'POST', SYNC);
  expect(first.status).toBe(204);
  expect(first.text).toBe('');
  const running = await settings();
  expect(running['syncStatus']).toBe('inProgress');
  expect(Math.abs(Date.parse(String(running['lastManualSyncTriggerDateTime'])) - sim.clock.nowMs())).toBeLessThan(
    5_000,
  );

  const conflict = await call(sim, 'POST', SYNC);
  expect(conflict.status).toBe(409);
  expect(await serials()).not.toContain(PENDING[0]);

  sim.clock.advance(30_000);
  const done = await settings();
  expect(done['syncStatus']).toBe('completed');
  expect(Date.parse(String(done['lastSyncDateTime']))).toBeGreaterThan(
    Date.parse(String(running['lastManualSyncTriggerDateTime'])),
  );
  const now = await serials();
  for (const s of PENDING) expect(now).toContain(s);
  // Their Entra device objects appear with them (registration creates them).
  const dev = await get(
    sim,
    `/v1.0/devices?$filter=${encodeURIComponent("deviceId eq 'de000000-0000-4000-8000-0000000000c9'")}`,
  );
  expect(values(dev)).toHaveLength(1);
});

test('inside the 10-minute window the sync is refused with 429 and Retry-After = seconds until it opens', async () => {
  const s = await settings();
  const opensAt = Date.parse(String(s['lastManualSyncTriggerDateTime'])) + 10 * 60_000;
  const r = await call(sim, 'POST', SYNC);
  expect(r.status).toBe(429);
  expect(errorCode(r)).toBe('TooManyRequests');
  const retry = Number(r.headers.get('retry-after'));
  expect(Math.abs(retry - (opensAt - sim.clock.nowMs()) / 1000)).toBeLessThanOrEqual(2);
  sim.clock.advance(retry * 1000);
  expect((await call(sim, 'POST', SYNC)).status).toBe(204);
});

test('an import made after the sync was triggered needs the next sync', async () => {
  sim.tenant.addPendingImport({
    importedDateTime: new Date(sim.clock.nowMs() + 1000).toISOString(),
    identity: { id: 'ad000000-0000-4000-8000-0000000001f0', serialNumber: 'LATE-IMPORT' },
  });
  sim.clock.advance(60_000);
  expect((await settings())['syncStatus']).toBe('completed');
  expect(await serials()).not.toContain('LATE-IMPORT');
  sim.clock.advance(10 * 60_000);
  expect((await call(sim, 'POST', SYNC)).status).toBe(204);
  sim.clock.advance(30_000);
  expect(await serials()).toContain('LATE-IMPORT');
});

test('a scenario can make syncs fail, and can start in failed state', async () => {
  sim.tenant.setSyncOutcome('failed');
  sim.clock.advance(11 * 60_000);
  const before = String((await settings())['lastSyncDateTime']);
  expect((await call(sim, 'POST', SYNC)).status).toBe(204);
  sim.clock.advance(30_000);
  const after = await settings();
  expect(after['syncStatus']).toBe('failed');
  expect(after['lastSyncDateTime']).toBe(before);
  sim.tenant.setSettings({ syncStatus: 'failed', lastManualSyncTriggerDateTime: 'now-3h' });
  expect((await settings())['syncStatus']).toBe('failed');
});
