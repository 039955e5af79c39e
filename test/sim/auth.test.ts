/** Bearer-token auth, configurable token, 403 permission denials, and token-free control endpoints. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { call, errorCode, get, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({
    token: 'secret-123',
    scenario: {
      name: 'auth',
      denials: [
        { method: 'POST', path: '/groups/[^/]+/members/\\$ref$' },
        { path: '/deviceManagement/managedDevices', version: 'beta' },
      ],
    },
  });
});
afterAll(async () => {
  await sim.stop();
});

test('missing Authorization → 401 InvalidAuthenticationToken', async () => {
  const r = await fetch(`${sim.url}/v1.0/devices`);
  expect(r.status).toBe(401);
  const body = (await r.json()) as { error: { code: string } };
  expect(body.error.code).toBe('InvalidAuthenticationToken');
  expect(r.headers.get('request-id')).toBeTruthy();
});

test('wrong token → 401; the configured token works', async () => {
  expect((await get(sim, '/v1.0/devices', { Authorization: 'Bearer sim-token' })).status).toBe(401);
  expect(sim.token).toBe('secret-123');
  expect((await get(sim, '/v1.0/devices')).status).toBe(200);
});

test('denied paths answer 403 Authorization_RequestDenied, matched by method, path and version', async () => {
  const add = await call(sim, 'POST', '/v1.0/groups/11111111-2222-3333-4444-555555555555/members/$ref', {
    '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/11111111-2222-3333-4444-555555555555',
  });
  expect(add.status).toBe(403);
  expect(errorCode(add)).toBe('Authorization_RequestDenied');
  expect((await get(sim, '/beta/deviceManagement/managedDevices')).status).toBe(403);
  expect((await get(sim, '/v1.0/deviceManagement/managedDevices')).status).toBe(200);
});

test('denials can be added at run time', async () => {
  sim.tenant.deny({ path: '^/v1\\.0/servicePrincipals' });
  expect((await get(sim, '/v1.0/servicePrincipals')).status).toBe(403);
  sim.tenant.clearDenials();
  expect((await get(sim, '/v1.0/servicePrincipals')).status).toBe(200);
});

test('control endpoints need no token', async () => {
  const r = await fetch(`${sim.url}/_sim/state`);
  expect(r.status).toBe(200);
});
