/** Graph wire format: collections, absolute nextLinks followed to the end, error bodies, ids, routing. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { all, call, errorCode, get, obj, start, values } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ scenario: { generate: { devices: 2345, seed: 5, deviceprep: { devices: 230 } } } });
});
afterAll(async () => {
  await sim.stop();
});

const IDS = '/beta/deviceManagement/windowsAutopilotDeviceIdentities';

describe('collections and paging', () => {
  test('a page has @odata.context, value and an absolute nextLink with an opaque $skiptoken', async () => {
    const r = await get(sim, `${IDS}?$top=10`);
    expect(r.status).toBe(200);
    const body = obj(r.body);
    expect(body['@odata.context']).toBe(`${sim.url}/beta/$metadata#deviceManagement/windowsAutopilotDeviceIdentities`);
    expect(values(r)).toHaveLength(10);
    const next = String(body['@odata.nextLink']);
    expect(next.startsWith(`${sim.url}/beta/deviceManagement/windowsAutopilotDeviceIdentities?`)).toBe(true);
    expect(next).toMatch(/[?&]\$skiptoken=[A-Za-z0-9_-]+/);
    expect(next).toContain('$top=10');
  });

  test('default page is 1000; following nextLink to the end returns every identity exactly once', async () => {
    const { items, pages } = await all(sim, IDS);
    expect(pages).toBe(3);
    expect(items).toHaveLength(2345);
    expect(new Set(items.map((i) => i['id'])).size).toBe(2345);
  });

  test('$top above 1000 is capped for Intune lists', async () => {
    const r = await get(sim, `${IDS}?$top=5000`);
    expect(values(r)).toHaveLength(1000);
  });

  test('directory lists page at 100 by default and refuse $top > 999', async () => {
    const first = await get(sim, '/v1.0/devices');
    expect(values(first)).toHaveLength(100);
    const { items } = await all(sim, '/v1.0/devices?$top=999');
    expect(items).toHaveLength(2345 + 230);
    const big = await get(sim, '/v1.0/devices?$top=1000');
    expect(big.status).toBe(400);
  });

  test('group members page at 100 and follow to the end', async () => {
    const gid = '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5';
    const { items, pages } = await all(sim, `/v1.0/groups/${gid}/members`);
    expect(items).toHaveLength(230);
    expect(pages).toBe(3);
    expect(items.every((i) => i['@odata.type'] === '#microsoft.graph.device')).toBe(true);
  });

  test('a filtered list pages over matching items only, with the filter kept in nextLink', async () => {
    const r = await all(sim, `${IDS}?$top=7&$filter=${encodeURIComponent("startswith(serialNumber,'5CG')")}`);
    expect(r.items.length).toBeGreaterThan(7);
    expect(r.items.every((i) => String(i['serialNumber']).startsWith('5CG'))).toBe(true);
    expect(r.links.every((l) => l.includes('$filter='))).toBe(true);
  });

  test('$count=true adds @odata.count to the first page only (the app reads it there; later pages would re-walk the fleet)', async () => {
    const r = await get(sim, '/v1.0/devices?$count=true&$top=1');
    expect(obj(r.body)['@odata.count']).toBe(2345 + 230);
    const next = String(obj(r.body)['@odata.nextLink']);
    const second = await get(sim, next.slice(next.indexOf('/v1.0/')));
    expect(second.status).toBe(200);
    expect(obj(second.body)['@odata.count']).toBeUndefined();
  });

  test('a tampered or foreign $skiptoken is a 400', async () => {
    const r = await get(sim, `${IDS}?$skiptoken=bm9wZQ`);
    expect(r.status).toBe(400);
    const first = await get(sim, `${IDS}?$top=5`);
    const token = new URL(String(obj(first.body)['@odata.nextLink'])).searchParams.get('$skiptoken');
    const other = await get(sim, `${IDS}?$top=6&$skiptoken=${token}`);
    expect(other.status).toBe(400);
  });

  test('$select returns only the selected properties (plus @odata.type) and names them in the context', async () => {
    const r = await get(sim, `${IDS}?$select=id,serialNumber&$top=2`);
    expect(obj(r.body)['@odata.context']).toContain('windowsAutopilotDeviceIdentities(id,serialNumber)');
    for (const item of values(r)) expect(Object.keys(item).sort()).toEqual(['@odata.type', 'id', 'serialNumber']);
    const bad = await get(sim, `${IDS}?$select=nope`);
    expect(bad.status).toBe(400);
  });
});

describe('entities, errors and routing', () => {
  test('GET by id has an $entity context; OData key syntax works too', async () => {
    const first = values(await get(sim, `${IDS}?$top=1`))[0] ?? {};
    const id = String(first['id']);
    const a = await get(sim, `${IDS}/${id}`);
    expect(obj(a.body)['@odata.context']).toBe(
      `${sim.url}/beta/$metadata#deviceManagement/windowsAutopilotDeviceIdentities/$entity`,
    );
    const b = await get(sim, `${IDS}('${id}')?$select=serialNumber`);
    expect(obj(b.body)['serialNumber']).toBe(first['serialNumber']);
  });

  test("errors use Graph's body and every response carries request-id / client-request-id", async () => {
    const r = await get(sim, `${IDS}/00000000-0000-0000-0000-000000000000`, {
      'client-request-id': 'my-correlation-id',
    });
    expect(r.status).toBe(404);
    const err = obj(obj(r.body)['error']);
    expect(err['code']).toBe('ResourceNotFound');
    expect(typeof err['message']).toBe('string');
    const inner = obj(err['innerError']);
    expect(inner['client-request-id']).toBe('my-correlation-id');
    expect(inner['request-id']).toBe(r.headers.get('request-id'));
    expect(Number.isNaN(Date.parse(String(inner['date'])))).toBe(false);
    expect(r.headers.get('client-request-id')).toBe('my-correlation-id');
    const ok = await get(sim, `${IDS}?$top=1`);
    expect(ok.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('directory 404s use Request_ResourceNotFound', async () => {
    const r = await get(sim, '/v1.0/groups/11111111-2222-3333-4444-555555555555');
    expect(r.status).toBe(404);
    expect(errorCode(r)).toBe('Request_ResourceNotFound');
  });

  test('unknown segments are 400 "Resource not found for the segment"; wrong method is 405; bad version 400', async () => {
    const r = await get(sim, '/v1.0/deviceManagement/windowsAutopilotThings');
    expect(r.status).toBe(400);
    expect(String(obj(obj(r.body)['error'])['message'])).toContain("'windowsAutopilotThings'");
    expect((await call(sim, 'DELETE', IDS)).status).toBe(405);
    expect((await get(sim, '/v2.0/groups')).status).toBe(400);
  });

  test('unsupported OData options are refused rather than silently ignored', async () => {
    const r = await get(sim, `${IDS}?$expand=deploymentProfile`);
    expect(r.status).toBe(400);
  });

  test('invalid JSON in a write is a 400', async () => {
    const res = await fetch(`${sim.url}/v1.0/groups/0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5/members/$ref`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': 'application/json' },
      body: '{"@odata.id":',
    });
    expect(res.status).toBe(400);
  });
});
