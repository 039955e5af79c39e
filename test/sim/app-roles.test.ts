/** Managed application roles: a JWT-shaped token carrying `roles` and `tid`, 403 Authorization_RequestDenied without the role. */
import { afterEach, expect, test } from 'vitest';

import { GRAPH_PERMISSIONS } from '../../shared/core/permissions/index.js';
import { FULL_GRANT, SIM_TENANT_ID } from '../../sim/auth/app-roles.js';
import type { Simulator } from '../../sim/index.js';
import { call, errorCode, get, start } from './helpers.js';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.stop();
  sim = null;
});

const claims = (token: string): { roles: string[]; tid: string } =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles: string[]; tid: string };

test('the full grant is exactly the permission list the app asks for', () => {
  expect([...FULL_GRANT].sort()).toEqual(GRAPH_PERMISSIONS.map((p) => p.permission).sort());
});

test('roles not managed (the default): an opaque token that may do everything', async () => {
  sim = await start({ scenario: 'demo' });
  expect(sim.roles).toBeNull();
  expect(sim.token).toBe('sim-token');
  expect((await get(sim, '/v1.0/devices')).status).toBe(200);
});

test('full grant: the token carries the roles and the tenant; every read the app makes passes', async () => {
  sim = await start({ scenario: 'demo', roles: 'full' });
  expect(claims(sim.token)).toMatchObject({ tid: SIM_TENANT_ID, roles: [...FULL_GRANT] });
  for (const path of [
    '/v1.0/devices',
    '/beta/deviceManagement/windowsAutopilotDeviceIdentities',
    '/v1.0/deviceManagement/managedDevices',
    '/beta/deviceManagement/windowsAutopilotSettings',
  ]) {
    expect((await get(sim, path)).status, path).toBe(200);
  }
});

test('a revoked role: the token changes, the old one is refused, and the call that needs the role answers 403', async () => {
  sim = await start({ scenario: 'demo', roles: 'full' });
  const before = sim.token;
  sim.revokeRole('Application.Read.All');
  expect(sim.token).not.toBe(before);
  expect(claims(sim.token).roles).not.toContain('Application.Read.All');
  expect((await get(sim, '/v1.0/servicePrincipals', { Authorization: `Bearer ${before}` })).status).toBe(401);
  const denied = await get(sim, '/v1.0/servicePrincipals');
  expect(denied.status).toBe(403);
  expect(errorCode(denied)).toBe('Authorization_RequestDenied');
  expect((await get(sim, '/beta/deviceManagement/windowsAutopilotDeviceIdentities')).status).toBe(200);
  // As Graph does, a broader role still covers a narrower one: Device.ReadWrite.All reads devices.
  sim.revokeRole('Device.Read.All');
  expect((await get(sim, '/v1.0/devices')).status).toBe(200);
});

test('the device preparation policy read needs DeviceManagementConfiguration.Read.All', async () => {
  sim = await start({ scenario: 'demo', roles: 'full' });
  const path =
    '/beta/deviceManagement/configurationPolicies/7a000000-0000-4000-8000-000000000001/retrieveEnrollmentTimeDeviceMembershipTarget';
  expect((await call(sim, 'POST', path, {})).status).toBe(200);
  sim.revokeRole('DeviceManagementConfiguration.Read.All');
  expect((await call(sim, 'POST', path, {})).status).toBe(403);
});
