/** Fault injection: every kind, `after`/`times` counting, batch items, scenario-file and HTTP control. */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { call, errorCode, get, obj, start, values } from './helpers.js';

let sim: Simulator;
const IDS = '/beta/deviceManagement/windowsAutopilotDeviceIdentities';
beforeAll(async () => {
  sim = await start({
    scenario: {
      generate: { devices: 120, seed: 9 },
      faults: [
        { id: 'from-file', method: 'GET', path: '/servicePrincipals$', times: 1, status: 503, retryAfterSeconds: 7 },
      ],
    },
  });
});
afterEach(() => sim.faults.clear());
afterAll(async () => {
  await sim.stop();
});

test('a scenario file can carry faults', async () => {
  const r = await get(sim, '/v1.0/servicePrincipals');
  expect(r.status).toBe(503);
  expect(r.headers.get('retry-after')).toBe('7');
  expect(errorCode(r)).toBe('ServiceUnavailable');
  expect((await get(sim, '/v1.0/servicePrincipals')).status).toBe(200);
});

test('429 with and without Retry-After, honouring after and times', async () => {
  sim.faults.add({ path: 'windowsAutopilotDeviceIdentities$', after: 1, times: 2, status: 429, retryAfterSeconds: 3 });
  const statuses: (number | string | null)[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await get(sim, `${IDS}?$top=1`);
    statuses.push(r.status, r.headers.get('retry-after'));
  }
  expect(statuses).toEqual([200, null, 429, '3', 429, '3', 200, null]);
  sim.faults.clear();
  sim.faults.add({ path: 'autopilotEvents', times: 1, status: 429 });
  const bare = await get(sim, '/beta/deviceManagement/autopilotEvents');
  expect(bare.status).toBe(429);
  expect(bare.headers.get('retry-after')).toBeNull();
  expect(errorCode(bare)).toBe('TooManyRequests');
});

test.each([500, 502, 503, 504, 401, 403])('status %i with Graph error body', async (status) => {
  sim.faults.add({ method: 'GET', path: '^/v1\\.0/devices$', times: 1, status });
  const r = await get(sim, '/v1.0/devices');
  expect(r.status).toBe(status);
  expect(obj(obj(r.body)['error'])['innerError']).toBeDefined();
  if (status === 401) expect(errorCode(r)).toBe('InvalidAuthenticationToken');
  if (status === 403) expect(errorCode(r)).toBe('Authorization_RequestDenied');
});

test('extra latency', async () => {
  sim.faults.add({ path: 'managedDevices', latencyMs: 150 });
  const t = Date.now();
  expect((await get(sim, '/v1.0/deviceManagement/managedDevices?$top=1')).status).toBe(200);
  expect(Date.now() - t).toBeGreaterThanOrEqual(140);
});

test('malformed pages: broken JSON, and value that is not an array', async () => {
  sim.faults.add({ path: 'windowsAutopilotDeviceIdentities$', times: 1, malformed: 'badJson' });
  const broken = await get(sim, `${IDS}?$top=5`);
  expect(broken.status).toBe(200);
  expect(() => {
    JSON.parse(broken.text);
  }).toThrow();
  sim.faults.add({ path: 'windowsAutopilotDeviceIdentities$', times: 1, malformed: 'valueNotArray' });
  const notArray = await get(sim, `${IDS}?$top=5`);
  expect(Array.isArray(obj(notArray.body)['value'])).toBe(false);
  expect(typeof obj(notArray.body)['value']).toBe('object');
});

test('a stuck cursor returns the same page and the same skiptoken forever', async () => {
  sim.faults.add({ path: 'windowsAutopilotDeviceIdentities$', stuckCursor: true });
  const first = await get(sim, `${IDS}?$top=50`);
  const link1 = String(obj(first.body)['@odata.nextLink']);
  const second = await get(sim, link1);
  const link2 = String(obj(second.body)['@odata.nextLink']);
  const third = await get(sim, link2);
  expect(link2).toBe(link1);
  expect(String(obj(third.body)['@odata.nextLink'])).toBe(link1);
  expect(values(second).map((v) => v['id'])).toEqual(values(first).map((v) => v['id']));
  sim.faults.clear();
  const one = await get(sim, `${IDS}?$top=500`);
  expect(obj(one.body)['@odata.nextLink']).toBeUndefined();
  sim.faults.add({ path: 'windowsAutopilotDeviceIdentities$', stuckCursor: true });
  const stuckLast = await get(sim, `${IDS}?$top=500`);
  expect(obj(stuckLast.body)['@odata.nextLink']).toBeDefined();
});

test('a rotating cursor returns the same page under a new nextLink every time', async () => {
  sim.faults.add({ path: 'windowsAutopilotDeviceIdentities$', rotatingCursor: true });
  const first = await get(sim, `${IDS}?$top=50`);
  const links = [String(obj(first.body)['@odata.nextLink'])];
  let page = first;
  for (let i = 0; i < 3; i++) {
    page = await get(sim, links.at(-1)!);
    links.push(String(obj(page.body)['@odata.nextLink']));
  }
  expect(new Set(links).size).toBe(4);
  expect(values(page).map((v) => v['id'])).toEqual(values(first).map((v) => v['id']));
  sim.faults.clear();
  expect(obj((await get(sim, `${IDS}?$top=500`)).body)['@odata.nextLink']).toBeUndefined();
});

test('afterApply: the write happens, the client still sees the error (retries must be idempotent)', async () => {
  const gid = '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5';
  sim.tenant.removeGroupMember(gid, 'd0000009-0000-4000-8000-000000000078');
  sim.faults.add({
    method: 'POST',
    path: '/members/\\$ref$',
    times: 1,
    status: 429,
    retryAfterSeconds: 1,
    afterApply: true,
  });
  const r = await call(sim, 'POST', `/v1.0/groups/${gid}/members/$ref`, {
    '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/d0000009-0000-4000-8000-000000000078',
  });
  expect(r.status).toBe(429);
  expect(sim.tenant.groupMembers(gid)).toContain('d0000009-0000-4000-8000-000000000078');
  const retry = await call(sim, 'POST', `/v1.0/groups/${gid}/members/$ref`, {
    '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/d0000009-0000-4000-8000-000000000078',
  });
  expect(retry.status).toBe(400);
});

test('faults apply to $batch items individually, and rules are counted', async () => {
  const id = sim.faults.add({ method: 'GET', path: '^/v1\\.0/devices$', times: 1, status: 429, retryAfterSeconds: 2 });
  const r = await call(sim, 'POST', '/v1.0/$batch', {
    requests: [
      { id: '1', method: 'GET', url: '/devices?$top=1' },
      { id: '2', method: 'GET', url: '/devices?$top=1' },
    ],
  });
  const responses = obj(r.body)['responses'] as { id: string; status: number; headers: Record<string, string> }[];
  const byId = new Map(responses.map((x) => [x.id, x]));
  expect(byId.get('1')?.status).toBe(429);
  expect(byId.get('1')?.headers['Retry-After']).toBe('2');
  expect(byId.get('2')?.status).toBe(200);
  expect(sim.faults.list().find((f) => f.id === id)).toMatchObject({ seen: 2, applied: 1 });
});

test('faults can be managed over HTTP', async () => {
  const add = await fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    body: JSON.stringify({ path: 'servicePrincipals', status: 502, times: 1 }),
  });
  expect(add.status).toBe(201);
  expect((await get(sim, '/v1.0/servicePrincipals')).status).toBe(502);
  const list = (await (await fetch(`${sim.url}/_sim/faults`)).json()) as { value: unknown[] };
  expect(list.value).toHaveLength(1);
  expect((await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' })).status).toBe(204);
  const bad = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ path: 'x' }) });
  expect(bad.status).toBe(400);
});
