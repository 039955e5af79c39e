/** JSON $batch: limits, per-item statuses, dependsOn/424, per-item 429, and the request log. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { call, obj, start } from './helpers.js';

let sim: Simulator;
const DP = '9a000000-0000-4000-8000-000000000001';
const ref = (id: string): string => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;
const JSONH = { 'Content-Type': 'application/json' };

beforeAll(async () => {
  sim = await start({ scenario: 'demo' });
});
afterAll(async () => {
  await sim.stop();
});

interface ItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}
const batch = async (requests: unknown[], version = 'v1.0') => {
  const r = await call(sim, 'POST', `/${version}/$batch`, { requests });
  const responses = r.status === 200 ? (obj(r.body)['responses'] as ItemResponse[]) : [];
  const byId = new Map(responses.map((x) => [x.id, x]));
  return { r, responses, byId };
};

test('per-item statuses with a 200 envelope; bodies and headers per item; order is not request order', async () => {
  const { r, responses, byId } = await batch([
    { id: '1', method: 'GET', url: '/groups/9a000000-0000-4000-8000-000000000001?$select=displayName' },
    {
      id: '2',
      method: 'POST',
      url: `/groups/${DP}/members/$ref`,
      headers: JSONH,
      body: { '@odata.id': ref('0b000000-0000-4000-8000-000000000068') },
    },
    {
      id: '3',
      method: 'POST',
      url: `groups/${DP}/members/$ref`,
      headers: JSONH,
      body: { '@odata.id': ref('0b000000-0000-4000-8000-000000000065') },
    },
    { id: '4', method: 'GET', url: '/groups/9a000000-0000-4000-8000-0000000000ff' },
  ]);
  expect(r.status).toBe(200);
  expect(byId.get('1')?.status).toBe(200);
  expect(obj(byId.get('1')?.body)['displayName']).toBe('DP-Windows11-Devices');
  expect(byId.get('2')?.status).toBe(204);
  expect(byId.get('3')?.status).toBe(400);
  expect(byId.get('4')?.status).toBe(404);
  expect(responses.map((x) => x.id)).not.toEqual(['1', '2', '3', '4']);
});

test('more than 20 requests, duplicate ids, a body without Content-Type, unknown dependsOn: 400 for the batch', async () => {
  const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/groups' }));
  expect((await batch(many)).r.status).toBe(400);
  expect((await batch(many.slice(0, 20))).r.status).toBe(200);
  expect(
    (
      await batch([
        { id: 'a', method: 'GET', url: '/groups' },
        { id: 'a', method: 'GET', url: '/devices' },
      ])
    ).r.status,
  ).toBe(400);
  expect(
    (
      await batch([
        {
          id: 'a',
          method: 'POST',
          url: `/groups/${DP}/members/$ref`,
          body: { '@odata.id': ref('0b000000-0000-4000-8000-000000000069') },
        },
      ])
    ).r.status,
  ).toBe(400);
  expect((await batch([{ id: 'a', method: 'GET', url: '/groups', dependsOn: ['zz'] }])).r.status).toBe(400);
});

test('dependsOn runs in order and a failed dependency gives 424', async () => {
  const { byId } = await batch([
    {
      id: 'b',
      method: 'POST',
      url: `/groups/${DP}/owners/$ref`,
      headers: JSONH,
      body: { '@odata.id': ref('5b000000-0000-4000-8000-000000000001') },
      dependsOn: ['a'],
    },
    { id: 'a', method: 'GET', url: `/groups/${DP}` },
    { id: 'c', method: 'GET', url: '/groups/9a000000-0000-4000-8000-0000000000ff' },
    { id: 'd', method: 'GET', url: '/devices', dependsOn: ['c'] },
  ]);
  expect(byId.get('a')?.status).toBe(200);
  expect(byId.get('b')?.status).toBe(204);
  expect(byId.get('c')?.status).toBe(404);
  expect(byId.get('d')?.status).toBe(424);
});

test('absolute URLs and nested $batch are per-item 400s; beta items use the beta envelope', async () => {
  const { byId } = await batch(
    [
      { id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/groups' },
      { id: '2', method: 'POST', url: '/$batch', headers: JSONH, body: { requests: [] } },
      { id: '3', method: 'GET', url: '/deviceManagement/windowsAutopilotSettings' },
    ],
    'beta',
  );
  expect(byId.get('1')?.status).toBe(400);
  expect(byId.get('2')?.status).toBe(400);
  expect(byId.get('3')?.status).toBe(200);
});

test('the write limiter counts each batched write and answers per-item 429 with Retry-After', async () => {
  sim.setWriteLimit({ max: 3, windowMs: 20_000 });
  const ids = [
    '0b000000-0000-4000-8000-000000000069',
    '0b000000-0000-4000-8000-00000000006a',
    '0b000000-0000-4000-8000-000000000001',
    '0b000000-0000-4000-8000-000000000002',
    '0b000000-0000-4000-8000-000000000003',
  ];
  const { r, byId } = await batch(
    ids.map((id, i) => ({
      id: `w${i}`,
      method: 'POST',
      url: `/groups/${DP}/members/$ref`,
      headers: JSONH,
      body: { '@odata.id': ref(id) },
    })),
  );
  expect(r.status).toBe(200);
  expect([0, 1, 2].map((i) => byId.get(`w${i}`)?.status)).toEqual([204, 204, 204]);
  for (const i of [3, 4]) {
    expect(byId.get(`w${i}`)?.status).toBe(429);
    expect(Number(byId.get(`w${i}`)?.headers['Retry-After'])).toBeGreaterThan(0);
    expect(obj(obj(byId.get(`w${i}`)?.body)['error'])['code']).toBe('TooManyRequests');
  }
  expect(sim.tenant.groupMembers(DP)).not.toContain(ids[3]);
  sim.setWriteLimit(null);
});

test('the request log holds the envelope with batchItems and each item as its own entry', async () => {
  sim.clearRequests();
  await batch([
    { id: 'x', method: 'GET', url: '/devices?$top=1' },
    {
      id: 'y',
      method: 'POST',
      url: `/groups/${DP}/members/$ref`,
      headers: JSONH,
      body: { '@odata.id': ref('0b000000-0000-4000-8000-000000000004') },
    },
  ]);
  const log = sim.requests();
  const envelope = log.find((e) => e.path === '/$batch');
  expect(envelope?.kind).toBe('write');
  expect(envelope?.batchItems?.map((i) => [i.id, i.status])).toEqual([
    ['x', 200],
    ['y', 204],
  ]);
  const items = log.filter((e) => e.batch?.seq === envelope?.seq);
  expect(items.map((i) => [i.method, i.path, i.kind])).toEqual([
    ['GET', '/devices', 'read'],
    ['POST', `/groups/${DP}/members/$ref`, 'write'],
  ]);
  expect(items[1]?.body).toEqual({ '@odata.id': ref('0b000000-0000-4000-8000-000000000004') });
});
