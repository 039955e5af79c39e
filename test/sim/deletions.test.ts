/** The two destructive Intune calls: DELETE managedDevices/{id} and DELETE windowsAutopilotDeviceIdentities/{id}. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { call, errorCode, get, obj, start } from './helpers.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await start({ scenario: 'demo' });
});
afterEach(async () => {
  await sim.stop();
});

const IDENTITIES = '/deviceManagement/windowsAutopilotDeviceIdentities';
const MANAGED = '/deviceManagement/managedDevices';
// 9TQ4L83: blocked for userless re-enrollment, enrolled as Intune device ed…08.
const BLOCKED = 'ad000000-0000-4000-8000-000000000008';
const BLOCKED_MANAGED = 'ed000000-0000-4000-8000-000000000008';
// PF4ZR7KD: Attention required.
const ATTENTION = 'ad000000-0000-4000-8000-00000000000e';
const UNKNOWN = '0f000000-0000-4000-8000-0000000000ff';

describe('DELETE managedDevices/{id}', () => {
  test('204 with no body; the record is gone; the Autopilot record stays, unlinked and no longer blocked', async () => {
    const r = await call(sim, 'DELETE', `/v1.0${MANAGED}/${BLOCKED_MANAGED}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    const gone = await get(sim, `/v1.0${MANAGED}/${BLOCKED_MANAGED}`);
    expect(gone.status).toBe(404);
    expect(errorCode(gone)).toBe('ResourceNotFound');
    const identity = obj((await get(sim, `/beta${IDENTITIES}/${BLOCKED}`)).body);
    expect(identity).toMatchObject({
      managedDeviceId: '00000000-0000-0000-0000-000000000000',
      userlessEnrollmentStatus: 'allowed',
      enrollmentState: 'notContacted',
    });
  });

  test('404 ResourceNotFound for an unknown id, and for a second delete of the same record', async () => {
    const unknown = await call(sim, 'DELETE', `/v1.0${MANAGED}/${UNKNOWN}`);
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown)).toBe('ResourceNotFound');
    expect((await call(sim, 'DELETE', `/beta${MANAGED}/${BLOCKED_MANAGED}`)).status).toBe(204);
    expect((await call(sim, 'DELETE', `/beta${MANAGED}/${BLOCKED_MANAGED}`)).status).toBe(404);
  });

  test('is a write: logged as one, and refused without DeviceManagementManagedDevices.ReadWrite.All', async () => {
    await sim.stop();
    sim = await start({ scenario: 'demo', roles: ['DeviceManagementManagedDevices.Read.All'] });
    const denied = await call(sim, 'DELETE', `/v1.0${MANAGED}/${BLOCKED_MANAGED}`);
    expect(denied.status).toBe(403);
    expect(sim.tenant.state.managedDevices.has(BLOCKED_MANAGED)).toBe(true);
  });
});

describe('DELETE windowsAutopilotDeviceIdentities/{id}', () => {
  test('204 on both versions; the identity is gone from reads, the Intune record stays', async () => {
    const r = await call(sim, 'DELETE', `/v1.0${IDENTITIES}/${ATTENTION}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await get(sim, `/beta${IDENTITIES}/${ATTENTION}`)).status).toBe(404);
    const list = obj((await get(sim, `/beta${IDENTITIES}?$filter=serialNumber eq 'PF4ZR7KD'`)).body);
    expect(list['value']).toEqual([]);
    expect((await get(sim, `/v1.0${MANAGED}/ed000000-0000-4000-8000-00000000000e`)).status).toBe(200);
    expect((await call(sim, 'DELETE', `/beta${IDENTITIES}/${BLOCKED}`)).status).toBe(204);
  });

  test('404 ResourceNotFound for an unknown id and for a second delete', async () => {
    const unknown = await call(sim, 'DELETE', `/v1.0${IDENTITIES}/${UNKNOWN}`);
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown)).toBe('ResourceNotFound');
    expect((await call(sim, 'DELETE', `/v1.0${IDENTITIES}/${ATTENTION}`)).status).toBe(204);
    expect((await call(sim, 'DELETE', `/v1.0${IDENTITIES}/${ATTENTION}`)).status).toBe(404);
  });

  test('a deregistered device can be imported again and shows up after the next sync', async () => {
    const before = sim.tenant.identity(ATTENTION);
    expect(before).toBeDefined();
    expect((await call(sim, 'DELETE', `/v1.0${IDENTITIES}/${ATTENTION}`)).status).toBe(204);
    // Re-registration with the same hardware (same ZTDID) is accepted now that the old record is gone.
    sim.tenant.addPendingImport({
      importedDateTime: 'now-1m',
      identity: { id: ATTENTION, serialNumber: 'PF4ZR7KD', manufacturer: 'LENOVO', enrollmentState: 'notContacted' },
    });
    expect((await call(sim, 'POST', '/beta/deviceManagement/windowsAutopilotSettings/sync')).status).toBe(204);
    sim.clock.advance(10 * 60_000);
    const back = await get(sim, `/beta${IDENTITIES}/${ATTENTION}`);
    expect(back.status).toBe(200);
    expect(obj(back.body)).toMatchObject({ serialNumber: 'PF4ZR7KD', remediationState: 'noRemediationRequired' });
  });

  test('refused without DeviceManagementServiceConfig.ReadWrite.All, on v1.0 as on beta', async () => {
    await sim.stop();
    sim = await start({ scenario: 'demo', roles: ['DeviceManagementServiceConfig.Read.All'] });
    expect((await call(sim, 'DELETE', `/v1.0${IDENTITIES}/${ATTENTION}`)).status).toBe(403);
    expect((await call(sim, 'DELETE', `/beta${IDENTITIES}/${ATTENTION}`)).status).toBe(403);
    expect(sim.tenant.identity(ATTENTION)).toBeDefined();
  });
});
