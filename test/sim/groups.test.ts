/** Group reads and writes: members/owners $ref, PATCH members@odata.bind, and Graph's refusals. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { all, call, errorCode, get, obj, start, values } from './helpers.js';

let sim: Simulator;
const DP = '9a000000-0000-4000-8000-000000000001';
const DYNAMIC = '9a000000-0000-4000-8000-000000000002';
const SP = '5b000000-0000-4000-8000-000000000001';
const MISSING = [
  '0b000000-0000-4000-8000-000000000068',
  '0b000000-0000-4000-8000-000000000069',
  '0b000000-0000-4000-8000-00000000006a',
];
const ref = (id: string, version = 'v1.0'): { '@odata.id': string } => ({
  '@odata.id': `https://graph.microsoft.com/${version}/directoryObjects/${id}`,
});
const ALREADY = "One or more added object references already exist for the following modified properties: 'members'.";

beforeAll(async () => {
  sim = await start({ scenario: 'demo' });
});
afterAll(async () => {
  await sim.stop();
});

describe('reads', () => {
  test('GET group with $select', async () => {
    const g = obj((await get(sim, `/v1.0/groups/${DP}`)).body);
    expect(g).toMatchObject({
      id: DP,
      displayName: 'DP-Windows11-Devices',
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
      isAssignableToRole: false,
      membershipRule: null,
    });
    const s = obj((await get(sim, `/v1.0/groups/${DP}?$select=groupTypes,isAssignableToRole`)).body);
    expect(Object.keys(s).filter((k) => !k.startsWith('@'))).toEqual(['groupTypes', 'isAssignableToRole']);
  });

  test('members and owners are typed directory objects; casts filter by type', async () => {
    const members = values(await get(sim, `/v1.0/groups/${DP}/members?$select=id,deviceId,displayName`));
    expect(members).toHaveLength(4);
    expect(Object.keys(members[0] ?? {})).toEqual(['@odata.type', 'id', 'deviceId', 'displayName']);
    expect(members[0]?.['@odata.type']).toBe('#microsoft.graph.device');
    const owners = values(await get(sim, `/v1.0/groups/${DP}/owners`));
    expect(owners.map((o) => o['@odata.type'])).toEqual(['#microsoft.graph.user']);
    expect(values(await get(sim, `/v1.0/groups/${DP}/owners/microsoft.graph.servicePrincipal`))).toHaveLength(0);
    expect(values(await get(sim, `/v1.0/groups/${DP}/members/microsoft.graph.device`))).toHaveLength(4);
  });
});

describe('member pages', () => {
  test('a $select=id page (rows from the id maps) is the full objects cut to @odata.type and id, page by page', async () => {
    const full = (await all(sim, `/v1.0/groups/${DP}/members?$top=3`)).items;
    const paged = await all(sim, `/v1.0/groups/${DP}/members?$select=id&$top=3`);
    const ids = paged.items;
    expect(paged.pages).toBeGreaterThan(1);
    expect(ids).toEqual(full.map((m) => ({ '@odata.type': m['@odata.type'], id: m['id'] })));
    // Owners mix kinds; the rows keep each one's type, and a cast still filters.
    const owners = values(await get(sim, `/v1.0/groups/${DP}/owners?$select=id`));
    expect(owners).toEqual(
      values(await get(sim, `/v1.0/groups/${DP}/owners`)).map((o) => ({
        '@odata.type': o['@odata.type'],
        id: o['id'],
      })),
    );
    expect(values(await get(sim, `/v1.0/groups/${DP}/members/microsoft.graph.user?$select=id`))).toEqual([]);
    // A $select naming a property of another kind only (appId is a servicePrincipal's) still shows just the id.
    const mixed = values(await get(sim, `/v1.0/groups/${DP}/members?$select=id,appId&$top=2`));
    expect(mixed).toEqual(ids.slice(0, 2));
  });
});

describe('members/$ref', () => {
  test('204 adds; adding again is 400 Request_BadRequest "already exist"', async () => {
    const first = await call(sim, 'POST', `/v1.0/groups/${DP}/members/$ref`, ref(MISSING[0] ?? ''));
    expect(first.status).toBe(204);
    expect(sim.tenant.groupMembers(DP)).toContain(MISSING[0]);
    const again = await call(sim, 'POST', `/v1.0/groups/${DP}/members/$ref`, ref(MISSING[0] ?? '', 'beta'));
    expect(again.status).toBe(400);
    expect(errorCode(again)).toBe('Request_BadRequest');
    expect(obj(obj(again.body)['error'])['message']).toBe(ALREADY);
  });

  test('404 Request_ResourceNotFound for an unknown object or group', async () => {
    const obj404 = await call(
      sim,
      'POST',
      `/v1.0/groups/${DP}/members/$ref`,
      ref('0b000000-0000-4000-8000-0000000009ff'),
    );
    expect(obj404.status).toBe(404);
    expect(errorCode(obj404)).toBe('Request_ResourceNotFound');
    const group404 = await call(
      sim,
      'POST',
      '/v1.0/groups/9a000000-0000-4000-8000-0000000000ff/members/$ref',
      ref(MISSING[1] ?? ''),
    );
    expect(group404.status).toBe(404);
  });

  test('the Entra deviceId is not an object id: 404', async () => {
    const r = await call(sim, 'POST', `/v1.0/groups/${DP}/members/$ref`, ref('de000000-0000-4000-8000-000000000068'));
    expect(r.status).toBe(404);
  });

  test('only graph.microsoft.com references ending in an object id are accepted', async () => {
    for (const bad of [
      { '@odata.id': `${sim.url}/v1.0/directoryObjects/${MISSING[1]}` },
      { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${MISSING[1]}/extra` },
      { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/not-a-guid' },
      { id: MISSING[1] },
    ]) {
      const r = await call(sim, 'POST', `/v1.0/groups/${DP}/members/$ref`, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
  });

  test('dynamic groups refuse member writes', async () => {
    const r = await call(sim, 'POST', `/v1.0/groups/${DYNAMIC}/members/$ref`, ref(MISSING[1] ?? ''));
    expect(r.status).toBe(400);
    const p = await call(sim, 'PATCH', `/v1.0/groups/${DYNAMIC}`, {
      'members@odata.bind': [ref(MISSING[1] ?? '')['@odata.id']],
    });
    expect(p.status).toBe(400);
  });

  test('DELETE members/{id}/$ref removes; 404 when not a member', async () => {
    expect((await call(sim, 'DELETE', `/v1.0/groups/${DP}/members/${MISSING[0]}/$ref`)).status).toBe(204);
    expect((await call(sim, 'DELETE', `/v1.0/groups/${DP}/members/${MISSING[0]}/$ref`)).status).toBe(404);
  });
});

describe('PATCH members@odata.bind', () => {
  const bind = (ids: string[]): Record<string, string[]> => ({
    'members@odata.bind': ids.map((i) => ref(i)['@odata.id']),
  });

  test('more than 20 references is a 400 and nothing is added', async () => {
    const ids = Array.from(
      { length: 21 },
      (_, i) => `0b000000-0000-4000-8000-${(0x300 + i).toString(16).padStart(12, '0')}`,
    );
    for (const id of ids) sim.tenant.addDevice({ id, deviceId: id.replace(/^0b/, 'de') });
    const r = await call(sim, 'PATCH', `/v1.0/groups/${DP}`, bind(ids));
    expect(r.status).toBe(400);
    expect(sim.tenant.groupMembers(DP)).not.toContain(ids[0]);
    const twenty = await call(sim, 'PATCH', `/v1.0/groups/${DP}`, bind(ids.slice(0, 20)));
    expect(twenty.status).toBe(204);
    expect(sim.tenant.groupMembers(DP)).toEqual(expect.arrayContaining(ids.slice(0, 20)));
  });

  test('if any reference is already a member the whole PATCH fails and adds nothing', async () => {
    const existing = sim.tenant.groupMembers(DP)[0] ?? '';
    const r = await call(sim, 'PATCH', `/v1.0/groups/${DP}`, bind([MISSING[1] ?? '', existing]));
    expect(r.status).toBe(400);
    expect(obj(obj(r.body)['error'])['message']).toBe(ALREADY);
    expect(sim.tenant.groupMembers(DP)).not.toContain(MISSING[1]);
  });

  test('the same reference twice in one PATCH is refused; after filtering it succeeds', async () => {
    const dup = await call(sim, 'PATCH', `/v1.0/groups/${DP}`, bind([MISSING[1] ?? '', MISSING[1] ?? '']));
    expect(dup.status).toBe(400);
    const ok = await call(sim, 'PATCH', `/v1.0/groups/${DP}`, bind([MISSING[1] ?? '', MISSING[2] ?? '']));
    expect(ok.status).toBe(204);
    const { items } = await all(sim, `/v1.0/groups/${DP}/members?$select=id`);
    expect(items.map((i) => i['id'])).toEqual(expect.arrayContaining([MISSING[1], MISSING[2]]));
  });

  test('an unknown object in a PATCH is a 404; other properties are refused', async () => {
    const r = await call(sim, 'PATCH', `/v1.0/groups/${DP}`, bind(['0b000000-0000-4000-8000-0000000009fe']));
    expect(r.status).toBe(404);
    const other = await call(sim, 'PATCH', `/v1.0/groups/${DP}`, { displayName: 'x' });
    expect(other.status).toBe(400);
  });
});

describe('owners/$ref', () => {
  test('adding the service principal as owner is 204, again is 400; devices cannot be owners', async () => {
    const r = await call(sim, 'POST', `/v1.0/groups/${DP}/owners/$ref`, ref(SP));
    expect(r.status).toBe(204);
    expect(sim.tenant.groupOwners(DP)).toContain(SP);
    const again = await call(sim, 'POST', `/v1.0/groups/${DP}/owners/$ref`, ref(SP));
    expect(again.status).toBe(400);
    expect(String(obj(obj(again.body)['error'])['message'])).toContain("'owners'");
    const device = await call(sim, 'POST', `/v1.0/groups/${DP}/owners/$ref`, ref(MISSING[2] ?? ''));
    expect(device.status).toBe(400);
    const owners = values(await get(sim, `/v1.0/groups/${DP}/owners`));
    expect(owners.find((o) => o['@odata.type'] === '#microsoft.graph.servicePrincipal')?.['appId']).toBe(
      'f1346770-5b25-470b-88bd-d5744ab7952c',
    );
  });

  test('a test can remove the owner again and delete the group', async () => {
    expect(sim.tenant.removeGroupOwner(DP, SP)).toBe(true);
    expect(sim.tenant.deleteGroup(DP)).toBe(true);
    expect((await get(sim, `/v1.0/groups/${DP}`)).status).toBe(404);
  });
});
