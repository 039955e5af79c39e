import { afterEach, describe, expect, it, vi } from 'vitest';

import { makeHealthHandler } from '../../functions/http-health.js';
import { makeSweepHandler } from '../../functions/http-sweep.js';
import { createMemoryStores } from '../../shared/adapters/inprocess/memory-stores.js';
import { checkHealth, type TokenKind } from '../../shared/app/health/check-health.js';
import { getHostContainer, setHostContainerForTests } from '../../shared/composition/host.js';
import type { ActionName } from '../../shared/core/model/index.js';
import type { GraphHealth, GraphProbe, WatermarkStore } from '../../shared/ports/index.js';
import { httpRequest, invocation, jsonOf, startHarness, type Harness } from './http-harness.js';

// GET /api/health through the real host container: simulator as Graph, memory stores.

let h: Harness | null = null;
afterEach(async () => {
  vi.unstubAllEnvs();
  await h?.stop();
  h = null;
  setHostContainerForTests(null);
});

const health = makeHealthHandler(getHostContainer);
type Check = { name: string; status: string; detail: string; data?: Record<string, unknown> };
const checksOf = (body: Record<string, unknown>) => body.checks as Check[];
const check = (body: Record<string, unknown>, name: string) => checksOf(body).find((c) => c.name === name);

/** An unsigned JWT with a `roles` claim: the simulator accepts any token it was started with. */
function jwtWithRoles(roles: readonly string[]): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: 'https://graph.microsoft.com', roles })}.sig`;
}

const READ = [
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementManagedDevices.Read.All',
  'Device.Read.All',
  'GroupMember.Read.All',
  'Application.Read.All',
];

describe('GET /api/health', () => {
  it('against the demo tenant: every section, and the one problem the demo plants (the group lacks its owner)', async () => {
    h = await startHarness();
    const res = await health(httpRequest('GET', 'health'), invocation('health').ctx);
    expect(res.status).toBe(200);
    const body = jsonOf(res);
    expect(body.status).toBe('degraded');
    expect(checksOf(body).map((c) => [c.name, c.status])).toEqual([
      ['config', 'ok'],
      ['credential', 'ok'],
      ['storage', 'ok'],
      ['graph', 'ok'],
      ['permissions', 'ok'],
      ['endpoints', 'ok'],
      ['device-prep-groups', 'degraded'],
      ['schedules', 'ok'],
    ]);
    expect(check(body, 'credential')?.detail).toBe(
      'a static bearer token (GRAPH_TOKEN); token for tenant unknown (the token names none)',
    );
    expect(check(body, 'permissions')?.detail).toBe(
      'permissions not verifiable with a static token (it carries no roles claim)',
    );
    expect(check(body, 'permissions')?.data).toEqual({ verifiable: false });
    const groups = (
      check(body, 'device-prep-groups')?.data as { groups: { items: { check: string; status: string }[] }[] }
    ).groups;
    expect(groups[0]?.items.map((i) => [i.check, i.status])).toEqual([
      ['exists', 'ok'],
      ['static security group', 'ok'],
      ['policy targets it', 'ok'],
      ['Provisioning Client owner', 'degraded'],
    ]);
    const endpoints = (check(body, 'endpoints')?.data as { endpoints: { call: string; outcome: string }[] }).endpoints;
    expect(endpoints.length).toBeGreaterThanOrEqual(7);
    expect(endpoints.every((e) => e.outcome === 'ok' && e.call.startsWith('GET '))).toBe(true);
    // Nothing written to the tenant by a health check.
    expect(h.sim.requests().filter((r) => r.kind === 'write')).toEqual([]);
  });

  it('a broken configuration is a 503 listing every bad key, with no secret value and no stack trace', async () => {
    setHostContainerForTests(null);
    vi.stubEnv('GRAPH_BASE_URL', 'not a url');
    vi.stubEnv('REMEDIATION_MODE', 'sometimes');
    vi.stubEnv('WEBHOOK_URL', 'http://hooks.example.com/in?sig=TOPSECRET-SIG');
    vi.stubEnv('WEBHOOK_SECRET', 'SECRET-123');
    const { ctx, logs } = invocation('health');
    const res = await health(httpRequest('GET', 'health'), ctx);
    expect(res.status).toBe(503);
    const body = jsonOf(res);
    expect(body.status).toBe('failing');
    const config = check(body, 'config');
    const problems = (config?.data?.problems ?? []) as { key: string; message: string }[];
    expect(problems.map((p) => p.key).sort()).toEqual([
      'GRAPH_BASE_URL',
      'REMEDIATION_MODE',
      'WEBHOOK_SECRET',
      'WEBHOOK_URL',
    ]);
    expect(config?.detail).toMatch(/^invalid configuration: .*GRAPH_BASE_URL/);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/TOPSECRET|SECRET-123/);
    expect(text).not.toMatch(/\bat \S+:\d+:\d+/); // no stack frames
    expect(JSON.stringify(logs)).not.toMatch(/TOPSECRET|SECRET-123/);
  });

  it('the same config error reaches the other endpoints as a 503 with the keys', async () => {
    vi.stubEnv('REMEDIATION_MODE', 'sometimes');
    const res = await makeSweepHandler(getHostContainer)(httpRequest('POST', 'sweep'), invocation('sweep').ctx);
    expect(res.status).toBe(503);
    expect(jsonOf(res)).toMatchObject({ error: 'configuration-invalid', problems: [{ key: 'REMEDIATION_MODE' }] });
  });

  it('no storage configured (Functions refuse the in-memory fallback) is a 503 naming the storage keys', async () => {
    vi.stubEnv('GRAPH_BASE_URL', 'http://127.0.0.1:9');
    vi.stubEnv('GRAPH_TOKEN', 'x');
    vi.stubEnv('STORAGE_CONNECTION_STRING', '');
    vi.stubEnv('STORAGE_TABLE_ENDPOINT', '');
    const res = await health(httpRequest('GET', 'health'), invocation('health').ctx);
    expect(res.status).toBe(503);
    const problems = (check(jsonOf(res), 'config')?.data?.problems ?? []) as { key: string }[];
    expect(problems.map((p) => p.key)).toEqual(['STORAGE_CONNECTION_STRING', 'STORAGE_TABLE_ENDPOINT']);
  });

  it('a token with roles is checked against the permission list, grouped by tier', async () => {
    const token = jwtWithRoles(READ);
    h = await startHarness({ GRAPH_TOKEN: token, REMEDIATION_MODE: 'enforce' }, { sim: { token } });
    const res = await health(httpRequest('GET', 'health'), invocation('health').ctx);
    expect(res.status).toBe(200);
    const body = jsonOf(res);
    expect(body.status).toBe('degraded');
    const perms = check(body, 'permissions');
    const missing = perms?.data?.missing as Record<string, { permission: string }[]>;
    expect(missing.read).toEqual([]);
    expect(missing.report?.map((p) => p.permission)).toEqual(['DeviceManagementManagedDevices.ReadWrite.All']);
    expect(missing.remediate?.map((p) => p.permission)).toEqual([
      'DeviceManagementServiceConfig.ReadWrite.All',
      'GroupMember.ReadWrite.All',
      'Device.ReadWrite.All',
      'Group.ReadWrite.All',
      'DeviceManagementConfiguration.Read.All',
    ]);
    expect(perms?.detail).toMatch(
      /enforced remediations .* may fail: missing DeviceManagementServiceConfig\.ReadWrite\.All/,
    );
  });

  it('missing read permissions mean polls abort: failing, 503', async () => {
    const token = jwtWithRoles(['Application.Read.All']);
    h = await startHarness({ GRAPH_TOKEN: token }, { sim: { token } });
    const res = await health(httpRequest('GET', 'health'), invocation('health').ctx);
    expect(res.status).toBe(503);
    expect(check(jsonOf(res), 'permissions')).toMatchObject({
      status: 'failing',
      detail: expect.stringMatching(
        /^polls and sweeps abort: missing read permissions DeviceManagementServiceConfig\.Read\.All/,
      ) as unknown,
    });
  });

  it('Graph answering with an error is degraded; Graph not answering at all is failing', async () => {
    h = await startHarness();
    h.sim.faults.add({ path: 'windowsAutopilotSettings$', status: 503 });
    const degraded = jsonOf(await health(httpRequest('GET', 'health'), invocation('health').ctx));
    expect(degraded.status).toBe('degraded');
    expect(check(degraded, 'graph')).toMatchObject({ status: 'degraded', data: { reachable: true } });
    await h.stopSim(); // connection refused from now on
    const res = await health(httpRequest('GET', 'health'), invocation('health').ctx);
    expect(res.status).toBe(503);
    expect(check(jsonOf(res), 'graph')).toMatchObject({ status: 'failing', data: { reachable: false } });
  });

  it('a storage read that fails is failing, 503', async () => {
    const stores = createMemoryStores();
    const broken: WatermarkStore = {
      get: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:10002')),
      put: () => Promise.resolve(),
    };
    h = await startHarness({}, { stores: { ...stores, watermarks: broken } });
    const res = await health(httpRequest('GET', 'health'), invocation('health').ctx);
    expect(res.status).toBe(503);
    expect(check(jsonOf(res), 'storage')).toMatchObject({
      status: 'failing',
      detail: 'table storage read failed: Error: connect ECONNREFUSED 127.0.0.1:10002',
    });
  });

  it('refuses query parameters it does not take (the function key is fine)', async () => {
    h = await startHarness();
    expect((await health(httpRequest('GET', 'health', 'code=abc'), invocation('health').ctx)).status).toBe(200);
    const res = await health(httpRequest('GET', 'health', 'verbose=1'), invocation('health').ctx);
    expect(res.status).toBe(400);
    expect(jsonOf(res).message).toBe('verbose: unknown parameter; this endpoint takes no parameters');
  });
});

describe('checkHealth (use case)', () => {
  const probe = (health: GraphHealth): GraphProbe => ({
    check: () => Promise.resolve(health),
    endpoints: () => Promise.resolve([]),
  });
  const watermarks = { get: () => Promise.resolve(null) };
  const clock = { now: () => Date.UTC(2026, 10, 22) };
  // No device-preparation groups are configured here, so the group readers are never called.
  const unused = () => Promise.reject(new Error('not called'));
  const directory = { getGroup: unused, listGroupOwners: unused, findServicePrincipalByAppId: unused };
  const autopilot = { getEnrollmentTimeTarget: unused };
  const run = (
    p: GraphProbe,
    tokenKind: TokenKind,
    enforcedActions: ActionName[] = [],
    timeoutMs?: number,
    store = watermarks,
  ) =>
    checkHealth(
      { watermarks: store, probe: p, clock, directory, autopilot },
      {
        tenant: 't',
        tokenKind,
        enforcedActions,
        credential: { description: 'test', configuredTenantId: null },
        devicePrepGroups: [],
        schedules: [],
        ...(timeoutMs ? { timeoutMs } : {}),
      },
    );

  it('an application token without roles really has no permissions: every tier missing, failing', async () => {
    const r = await run(probe({ grantedPermissions: [], reachable: true, detail: 'ok' }), 'application');
    expect(r.status).toBe('failing');
    expect(r.checks.find((c) => c.name === 'permissions')?.data?.verifiable).toBe(true);
  });

  it('a delegated (Azure CLI) token is not verifiable, and says why', async () => {
    const r = await run(probe({ grantedPermissions: [], reachable: true, detail: 'ok' }), 'delegated');
    expect(r.checks.find((c) => c.name === 'permissions')).toMatchObject({ status: 'ok', data: { verifiable: false } });
    expect(r.checks.find((c) => c.name === 'permissions')?.detail).toMatch(/delegated/);
  });

  it('remediate permissions missing while nothing is enforced is ok, with a note', async () => {
    const granted = [...READ, 'DeviceManagementManagedDevices.ReadWrite.All'];
    const r = await run(probe({ grantedPermissions: granted, reachable: true, detail: 'ok' }), 'application');
    expect(r.status).toBe('ok');
    expect(r.checks.find((c) => c.name === 'permissions')?.detail).toMatch(
      /^no action is enforced; grant DeviceManagementServiceConfig\.ReadWrite\.All/,
    );
  });

  it('ReadWrite roles cover their Read twins', async () => {
    const granted = [
      'DeviceManagementServiceConfig.ReadWrite.All',
      'DeviceManagementManagedDevices.ReadWrite.All',
      'Device.ReadWrite.All',
      'Group.ReadWrite.All',
      'Application.Read.All',
      'DeviceManagementConfiguration.Read.All',
    ];
    const r = await run(probe({ grantedPermissions: granted, reachable: true, detail: 'ok' }), 'application', [
      'autopilot-sync',
    ]);
    expect(r.checks.find((c) => c.name === 'permissions')).toMatchObject({
      status: 'ok',
      detail: 'every required permission is granted',
    });
  });

  it('a probe or a storage read that hangs times out instead of hanging the endpoint', async () => {
    const hang: GraphProbe = {
      check: () => new Promise<GraphHealth>(() => undefined),
      endpoints: () => new Promise(() => undefined),
    };
    const slowStore = { get: () => new Promise<null>(() => undefined) };
    const r = await run(hang, 'application', [], 30, slowStore);
    expect(r.status).toBe('failing');
    expect(r.checks.find((c) => c.name === 'graph')?.detail).toBe(
      'Graph probe failed: TimeoutError: no answer within 30 ms',
    );
    expect(r.checks.find((c) => c.name === 'storage')?.detail).toBe(
      'table storage read failed: TimeoutError: no answer within 30 ms',
    );
    expect(r.checks.find((c) => c.name === 'permissions')?.status).toBe('degraded');
  });
});
