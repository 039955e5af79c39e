/**
 * Several simulated tenants on one server, as graph.microsoft.com serves every tenant at one address: the bearer
 * token picks the tenant. Three tenants — A (demo), B (healthy), C (the demo's data again, but every request denied
 * 403) — prove that a token reaches only its own tenant's data, that writes, faults, limits, syncs, export jobs and
 * control endpoints stay in their tenant, and that each tenant's request log holds only what its token asked.
 * C carries the same object ids as A on purpose, so isolation is shown by state, not by ids that happen to differ.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { SIM_TENANT_ID } from '../../sim/auth/app-roles.js';
import { startSimulator, type SimTenant, type Simulator } from '../../sim/index.js';
import { obj, values, type Json, type Reply } from './helpers.js';

const A_ID = '0a0a0a0a-1111-4111-8111-00000000000a';
const B_ID = '0b0b0b0b-2222-4222-8222-00000000000b';
const C_ID = '0c0c0c0c-3333-4333-8333-00000000000c';
const BLOCKED = 'ad000000-0000-4000-8000-000000000008';
const DP_GROUP = '9a000000-0000-4000-8000-000000000001';
const IDENTITIES = '/deviceManagement/windowsAutopilotDeviceIdentities';

let sim: Simulator;
let A: SimTenant;
let B: SimTenant;
let C: SimTenant;

async function as(token: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(path.startsWith('http') ? path : `${sim.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined, text };
}

const control = async (method: string, path: string, body?: unknown): Promise<Reply> => as('', method, path, body);
const ids = (r: Reply): string[] => values(r).map((v) => String(v['id']));
const code = (r: Reply): string => String(obj(obj(r.body)['error'])['code']);

beforeAll(async () => {
  sim = await startSimulator({
    tenants: [
      { tenantId: A_ID, scenario: 'demo' },
      { tenantId: B_ID, scenario: 'healthy' },
      { tenantId: C_ID, scenario: 'demo', denials: [{ path: '.' }] },
    ],
  });
  [A, B, C] = [sim.tenantById(A_ID), sim.tenantById(B_ID), sim.tenantById(C_ID)];
});
afterAll(async () => {
  await sim.stop();
});
afterEach(() => {
  for (const t of sim.tenants) {
    t.faults.clear();
    t.clearRequests();
  }
});

describe('each token sees only its own tenant', () => {
  test('three tenants, three distinct tokens; the simulator’s own members are the first tenant’s', () => {
    expect(sim.tenants.map((t) => t.tenantId)).toEqual([A_ID, B_ID, C_ID]);
    expect(new Set([A.token, B.token, C.token]).size).toBe(3);
    expect(sim.token).toBe(A.token);
    expect(sim.tenant).toBe(A.tenant);
    expect(sim.tenantId).toBe(A_ID);
    expect(sim.tenantById(B_ID.toUpperCase())).toBe(B);
    expect(() => sim.tenantById('00000000-0000-4000-8000-000000000000')).toThrow(/no simulated tenant/);
  });

  test('each token lists its own tenant’s devices; C’s token is denied everything', async () => {
    const a = await as(A.token, 'GET', `/v1.0${IDENTITIES}`);
    const b = await as(B.token, 'GET', `/v1.0${IDENTITIES}`);
    const c = await as(C.token, 'GET', `/v1.0${IDENTITIES}`);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(ids(a).sort()).toEqual(
      A.tenant.state.identities
        .values()
        .map((i) => i.id)
        .sort(),
    );
    expect(ids(b).sort()).toEqual(
      B.tenant.state.identities
        .values()
        .map((i) => i.id)
        .sort(),
    );
    expect(ids(a)).toContain(BLOCKED);
    expect(ids(b)).not.toContain(BLOCKED);
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
    expect(c.status).toBe(403);
    expect(code(c)).toBe('Authorization_RequestDenied');
    // A's object read with B's token: B has no such device.
    expect((await as(B.token, 'GET', `/v1.0${IDENTITIES}/${BLOCKED}`)).status).toBe(404);
  });

  test('a token no tenant issued gets 401 InvalidAuthenticationToken and is logged for no tenant', async () => {
    const r = await as('not-a-tenant-token', 'GET', `/v1.0${IDENTITIES}`);
    expect(r.status).toBe(401);
    expect(code(r)).toBe('InvalidAuthenticationToken');
    const since = sim.unauthenticatedRequests().at(-1)?.seq ?? 0;
    expect((await fetch(`${sim.url}/v1.0/devices`)).status).toBe(401);
    expect(sim.unauthenticatedRequests(since)).toEqual([expect.objectContaining({ tenant: null, status: 401 })]);
    for (const t of sim.tenants) expect(t.requests()).toEqual([]);
  });
});

describe('writes, faults and limits stay in their tenant', () => {
  test('Unblock with A’s token changes A only; the same id in C and a sync in A leave B and C as they were', async () => {
    const cBefore = C.tenant.identity(BLOCKED);
    const bSettings = B.tenant.settings();
    expect((await as(A.token, 'POST', `/beta${IDENTITIES}/${BLOCKED}/allowNextEnrollment`)).status).toBe(204);
    expect(A.tenant.identity(BLOCKED)?.enrollmentState).toBe('notContacted');
    expect(C.tenant.identity(BLOCKED)).toEqual(cBefore);
    expect(cBefore?.enrollmentState).toBe('blocked');
    // B's token cannot reach A's device at all.
    expect((await as(B.token, 'POST', `/beta${IDENTITIES}/${BLOCKED}/allowNextEnrollment`)).status).toBe(404);

    sim.clock.advance(11 * 60_000);
    expect((await as(A.token, 'POST', '/beta/deviceManagement/windowsAutopilotSettings/sync')).status).toBe(204);
    expect(A.tenant.settings().syncStatus).toBe('inProgress');
    expect(B.tenant.settings()).toEqual(bSettings);
    expect(C.tenant.settings().syncStatus).not.toBe('inProgress');
  });

  test('a group write with A’s token adds the member in A, not in C (which holds the same group)', async () => {
    const device = A.tenant.state.devices.values().find((d) => !A.tenant.groupMembers(DP_GROUP).includes(d.id));
    expect(device).toBeDefined();
    const bind = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${device!.id}` };
    expect((await as(A.token, 'POST', `/v1.0/groups/${DP_GROUP}/members/$ref`, bind)).status).toBe(204);
    expect(A.tenant.groupMembers(DP_GROUP)).toContain(device!.id.toLowerCase());
    expect(C.tenant.groupMembers(DP_GROUP)).not.toContain(device!.id.toLowerCase());
  });

  test('a fault on C affects nothing of A or B', async () => {
    C.faults.add({ path: '.', status: 503 });
    const added = await control('POST', `/_sim/faults?tenant=${C_ID}`, { path: 'devices', status: 429 });
    expect(added.status).toBe(201);
    expect(C.faults.list()).toHaveLength(2);
    expect(A.faults.list()).toEqual([]);
    expect(B.faults.list()).toEqual([]);
    expect((await as(C.token, 'GET', '/v1.0/devices')).status).toBe(503);
    expect((await as(A.token, 'GET', '/v1.0/devices')).status).toBe(200);
    expect((await as(B.token, 'GET', '/v1.0/devices')).status).toBe(200);
    expect((await as(B.token, 'GET', `/v1.0${IDENTITIES}`)).status).toBe(200);
    // Faults are counted where they live: A's and B's requests never reached C's rules.
    expect(C.faults.list().map((f) => f.seen)).toEqual([1, 1]);
  });

  test('each tenant has its own write limit', async () => {
    A.setWriteLimit({ max: 1, windowMs: 60_000 });
    try {
      const first = A.tenant.state.devices.values().filter((d) => !A.tenant.groupMembers(DP_GROUP).includes(d.id));
      const bind = (id: string): Json => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
      expect((await as(A.token, 'POST', `/v1.0/groups/${DP_GROUP}/members/$ref`, bind(first[0]!.id))).status).toBe(204);
      expect((await as(A.token, 'POST', `/v1.0/groups/${DP_GROUP}/members/$ref`, bind(first[1]!.id))).status).toBe(429);
      const bGroup = B.tenant.state.groups.values()[0]!;
      const bDevice = B.tenant.state.devices.values().find((d) => !B.tenant.groupMembers(bGroup.id).includes(d.id));
      expect((await as(B.token, 'POST', `/v1.0/groups/${bGroup.id}/members/$ref`, bind(bDevice!.id))).status).toBe(204);
    } finally {
      A.setWriteLimit(null);
    }
  });

  test('an export job belongs to the tenant that created it', async () => {
    const made = await as(A.token, 'POST', '/beta/deviceManagement/reports/exportJobs', {
      reportName: 'AutopilotV2DeploymentStatus',
      format: 'json',
    });
    expect(made.status).toBe(201);
    const job = `/beta/deviceManagement/reports/exportJobs/${String(obj(made.body)['id'])}`;
    expect((await as(B.token, 'GET', job)).status).toBe(404);
    await as(A.token, 'GET', job);
    const done = obj((await as(A.token, 'GET', job)).body);
    expect(done['status']).toBe('completed');
    expect((await fetch(String(done['url']))).status).toBe(200);
  });
});

describe('request logs, control endpoints and snapshots per tenant', () => {
  test('every entry of a tenant’s log was asked with its token and says so', async () => {
    await as(A.token, 'GET', '/v1.0/devices');
    await as(B.token, 'GET', '/v1.0/devices');
    await as(B.token, 'GET', '/v1.0/groups');
    await as(C.token, 'GET', '/v1.0/devices');
    await as(B.token, 'POST', '/v1.0/$batch', {
      requests: [{ id: '1', method: 'GET', url: '/devices' }],
    });
    expect(A.requests().map((e) => [e.tenant, e.path])).toEqual([[A_ID, '/devices']]);
    expect(B.requests().map((e) => [e.tenant, e.path, e.batch?.id ?? null])).toEqual([
      [B_ID, '/devices', null],
      [B_ID, '/groups', null],
      [B_ID, '/$batch', null],
      [B_ID, '/devices', '1'],
    ]);
    expect(C.requests().map((e) => [e.tenant, e.status])).toEqual([[C_ID, 403]]);
    const viaControl = values(await control('GET', `/_sim/requests?tenant=${B_ID}`));
    expect(viaControl.map((e) => e['tenant'])).toEqual([B_ID, B_ID, B_ID, B_ID]);
    expect(values(await control('GET', '/_sim/requests')).map((e) => e['tenant'])).toEqual([A_ID]);
  });

  test('control endpoints name the tenant; an unknown one is a 404; the clock is shared', async () => {
    const listed = values(await control('GET', '/_sim/tenants'));
    expect(listed.map((t) => t['tenantId'])).toEqual([A_ID, B_ID, C_ID]);
    const stateB = obj((await control('GET', `/_sim/state?tenant=${B_ID}`)).body);
    expect(stateB['tenantId']).toBe(B_ID);
    expect(obj(stateB['counts'])['windowsAutopilotDeviceIdentities']).toBe(B.tenant.state.identities.count());
    expect(obj((await control('GET', '/_sim/state')).body)['tenantId']).toBe(A_ID);
    const unknown = await control('GET', '/_sim/state?tenant=11111111-1111-4111-8111-111111111111');
    expect(unknown.status).toBe(404);
    expect((await control('GET', '/_sim/nothing?tenant=nope')).status).toBe(404);

    // A scenario replaced in B leaves A and C alone.
    const aCount = A.tenant.state.identities.count();
    const r = await control('POST', `/_sim/scenario?tenant=${B_ID}`, { scenario: { name: 'empty-b' } });
    expect(r.status).toBe(200);
    expect(B.tenant.state.identities.count()).toBe(0);
    expect(A.tenant.state.identities.count()).toBe(aCount);
    expect(values(await control('GET', '/_sim/tenants'))[1]?.['scenario']).toBe('empty-b');
    await control('POST', `/_sim/scenario?tenant=${B_ID}`, { scenario: 'healthy' });

    // One clock: advancing it finishes a sync in whichever tenant started one.
    sim.clock.advance(11 * 60_000);
    expect((await as(B.token, 'POST', '/beta/deviceManagement/windowsAutopilotSettings/sync')).status).toBe(204);
    await control('POST', '/_sim/clock', { advanceMs: 60_000 });
    expect(B.tenant.settings().syncStatus).toBe('completed');
  });

  test('a snapshot is one tenant’s, and restarts as that tenant', async () => {
    const a = A.snapshot();
    const b = B.snapshot();
    const c = C.snapshot();
    const idsOf = (s: typeof a): string[] => (s.windowsAutopilotDeviceIdentities ?? []).map((i) => i.id).sort();
    expect(idsOf(a)).toEqual(
      A.tenant.state.identities
        .values()
        .map((i) => i.id)
        .sort(),
    );
    expect(idsOf(b)).toEqual(
      B.tenant.state.identities
        .values()
        .map((i) => i.id)
        .sort(),
    );
    expect(c.denials).toEqual([{ path: '.' }]);
    expect(a.denials).toEqual([]);
    const again = await startSimulator({ tenants: [{ scenario: b }, { scenario: a }] });
    try {
      const [first, second] = again.tenants;
      expect(ids(await as2(again, first!.token, `/v1.0${IDENTITIES}`)).sort()).toEqual(idsOf(b));
      expect(ids(await as2(again, second!.token, `/v1.0${IDENTITIES}`)).sort()).toEqual(idsOf(a));
    } finally {
      await again.stop();
    }
  });
});

async function as2(other: Simulator, token: string, path: string): Promise<Reply> {
  const res = await fetch(`${other.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as unknown, text };
}

describe('tokens with roles: one app, one secret, one token per tenant', () => {
  test('each token names its tenant in tid; revoking a role in one tenant changes only that tenant’s token', async () => {
    const s = await startSimulator({
      tenants: [
        { scenario: 'healthy', roles: 'full', token: 'app-secret' },
        { tenantId: B_ID, scenario: 'healthy', roles: 'full', token: 'app-secret' },
      ],
    });
    try {
      const [first, second] = s.tenants as [SimTenant, SimTenant];
      const tid = (t: string): unknown => obj(JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()))['tid'];
      expect(first.tenantId).toBe(SIM_TENANT_ID);
      expect(tid(first.token)).toBe(SIM_TENANT_ID);
      expect(tid(second.token)).toBe(B_ID);
      const before = second.token;
      const firstBefore = first.token;
      second.revokeRole('Device.Read.All');
      second.revokeRole('Device.ReadWrite.All');
      expect(second.token).not.toBe(before);
      expect(first.token).toBe(firstBefore);
      expect((await as2(s, before, '/v1.0/devices')).status).toBe(401);
      expect((await as2(s, second.token, '/v1.0/devices')).status).toBe(403);
      expect((await as2(s, first.token, '/v1.0/devices')).status).toBe(200);
      expect(first.requests().every((e) => e.tenant === SIM_TENANT_ID)).toBe(true);
      expect(second.requests().map((e) => [e.tenant, e.status])).toEqual([[B_ID, 403]]);
    } finally {
      await s.stop();
    }
  });
});

describe('options', () => {
  test('bad tenant lists are refused with every problem named', async () => {
    const err = await startSimulator({
      scenario: 'demo',
      token: 't',
      tenants: [
        { tenantId: 'contoso' },
        { tenantId: A_ID },
        { tenantId: A_ID.toUpperCase() },
        { tenantId: '\u001b[2J' },
      ],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain('set scenario, token per tenant');
    expect(message).toContain('tenants[0].tenantId "contoso" is not a GUID');
    expect(message).toContain(`tenants[2].tenantId "0A0A0A0A-1111-4111-8111-00000000000A" is also tenants[1]'s`);
    expect(message).toContain('tenants[3].tenantId "\\u001b[2J" is not a GUID');
    expect(message).not.toContain('\u001b');
    await expect(startSimulator({ tenants: [] })).rejects.toThrow(/"tenants" is empty/);
  });

  test('two tenants with the same opaque token are refused; a runtime change to another’s token too', async () => {
    await expect(startSimulator({ tenants: [{ token: 'same' }, { token: 'same' }] })).rejects.toThrow(
      /would carry the same token/,
    );
    const s = await startSimulator({ tenants: [{}, {}] });
    try {
      const [first, second] = s.tenants as [SimTenant, SimTenant];
      expect(first.token).toBe('sim-token');
      expect(second.token).toBe(`sim-token-${second.tenantId}`);
      const r = await fetch(`${s.url}/_sim/options?tenant=${second.tenantId}`, {
        method: 'POST',
        body: JSON.stringify({ token: 'sim-token' }),
      });
      expect(r.status).toBe(400);
      expect(second.token).toBe(`sim-token-${second.tenantId}`);
      // A replacement scenario whose options take the first tenant's token is refused before it replaces anything.
      second.tenant.addGroup({ id: '44444444-4444-4444-8444-444444444444', displayName: 'kept' });
      const replaced = await fetch(`${s.url}/_sim/scenario?tenant=${second.tenantId}`, {
        method: 'POST',
        body: JSON.stringify({ scenario: { name: 'thief', options: { token: 'sim-token' } } }),
      });
      expect(replaced.status).toBe(400);
      expect(second.tenant.state.groups.count()).toBe(1);
      expect(second.token).toBe(`sim-token-${second.tenantId}`);
    } finally {
      await s.stop();
    }
  });

  test('a single tenant keeps its old shape: 401s in its own log, entries naming its tenant', async () => {
    const s = await startSimulator({ scenario: 'healthy' });
    try {
      expect(s.tenants).toHaveLength(1);
      expect(s.tenantId).toBe(SIM_TENANT_ID);
      await fetch(`${s.url}/v1.0/devices`);
      await as2(s, s.token, '/v1.0/devices');
      expect(s.requests().map((e) => [e.tenant, e.status])).toEqual([
        [null, 401],
        [SIM_TENANT_ID, 200],
      ]);
      expect(s.unauthenticatedRequests().map((e) => e.status)).toEqual([401]);
      expect(values(await as2(s, '', '/_sim/unauthenticated-requests'))).toHaveLength(1);
    } finally {
      await s.stop();
    }
  });
});
