import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadProgress } from '../../../shared/ports/index.js';
import { PermissionError, TruncatedReadError } from '../../../shared/ports/index.js';
import { INTUNE_PROVISIONING_CLIENT_APP_ID, type Simulator, startSimulator } from '../../../sim/index.js';
import { adaptersFor, drain, quickSleep, wire } from './sim-harness.js';

// One generated 2,500-device tenant shared by the read tests; faults are added and cleared per test.
const DP_GROUP = '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5';
const DP_POLICY = 'Contoso Windows 11 device preparation';
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({
    scenario: { name: 'graph-reads', generate: { devices: 2500, seed: 11 } },
    token: 'reads-token',
  });
});
afterAll(async () => {
  await sim.stop();
});

const IDENTITIES = /^\/deviceManagement\/windowsAutopilotDeviceIdentities$/;

describe('paging over a 2,500-device tenant', () => {
  it('follows every page of every collection', async () => {
    const progress: ReadProgress[] = [];
    const graph = adaptersFor(sim, {}, { onProgress: (p) => progress.push(p) });
    sim.clearRequests();

    const identities = await drain(graph.autopilot.listDeviceIdentities());
    expect(identities.items).toHaveLength(2500);
    expect(new Set(identities.items.map((d) => d.id)).size).toBe(2500);
    expect(identities.pages).toBe(3); // Intune caps pages at 1,000
    expect(wire(sim, IDENTITIES, 'GET')).toHaveLength(3);

    const entra = await drain(graph.directory.listAutopilotEntraDevices());
    expect(entra.items.length).toBe(
      sim.tenant.state.devices.values().filter((d) => d.physicalIds.some((p) => p.toUpperCase().startsWith('[ZTDID]')))
        .length,
    );
    expect(entra.items.every((d) => d.isAutopilotRegistered)).toBe(true);
    expect(entra.pages).toBeGreaterThanOrEqual(3); // 999 per directory page

    const managed = await drain(graph.directory.listManagedDevices());
    expect(managed.items).toHaveLength(sim.tenant.state.managedDevices.count());

    const events = await drain(graph.autopilot.listEvents());
    expect(events.items).toHaveLength(sim.tenant.state.events.count());
    expect(events.pages).toBe(Math.ceil(events.items.length / 50));

    const last = progress.filter((p) => p.collection === 'windowsAutopilotDeviceIdentities').at(-1);
    expect(last).toEqual({ collection: 'windowsAutopilotDeviceIdentities', pages: 3, items: 2500 });
  });

  it('filters events server-side by eventDateTime', async () => {
    const graph = adaptersFor(sim);
    const all = (await drain(graph.autopilot.listEvents())).items;
    const times = all.map((e) => e.eventAt ?? 0).sort((a, b) => a - b);
    const since = times[Math.floor(times.length / 2)] ?? 0;
    const recent = (await drain(graph.autopilot.listEvents({ since }))).items;
    expect(recent.length).toBe(all.filter((e) => (e.eventAt ?? 0) >= Math.floor(since / 1000) * 1000).length);
    expect(wire(sim, /autopilotEvents$/).at(-1)?.query.$filter).toMatch(/^eventDateTime ge \d{4}-\d\d-\d\dT[\d:]+Z$/);
  });
});

describe('failures abort the read', () => {
  it('waits out a 429 Retry-After before retrying', async () => {
    sim.faults.clear();
    sim.faults.add({
      method: 'GET',
      path: 'windowsAutopilotDeviceIdentities$',
      status: 429,
      retryAfterSeconds: 1,
      after: 1,
      times: 1,
    });
    sim.clearRequests();
    const { items } = await drain(adaptersFor(sim).autopilot.listDeviceIdentities());
    sim.faults.clear();
    expect(items).toHaveLength(2500);
    const log = wire(sim, IDENTITIES, 'GET');
    expect(log.map((e) => e.status)).toEqual([200, 429, 200, 200]);
    const [, throttled, retried] = log;
    expect(retried!.realMs - throttled!.realMs).toBeGreaterThanOrEqual(1000);
    expect(retried!.query.$skiptoken).toBe(throttled!.query.$skiptoken);
  });

  // A stuck cursor repeats its own nextLink; a rotating one serves the same page under a new link every time.
  it.each([
    ['a stuck cursor', { stuckCursor: true }, /nextLink that was already followed/],
    [
      'a rotating cursor (the same page under a new nextLink), at the first repeat, not at GRAPH_MAX_PAGES',
      { rotatingCursor: true },
      /repeats a page already read/,
    ],
  ] as const)('aborts %s with TruncatedReadError', async (_name, fault, message) => {
    sim.faults.clear();
    sim.faults.add({ method: 'GET', path: 'windowsAutopilotDeviceIdentities$', ...fault });
    sim.clearRequests();
    const err = await drain(adaptersFor(sim).autopilot.listDeviceIdentities()).catch((e: unknown) => e);
    sim.faults.clear();
    expect(err).toBeInstanceOf(TruncatedReadError);
    expect(err).toMatchObject({ collection: 'windowsAutopilotDeviceIdentities' });
    expect((err as Error).message).toMatch(message);
    expect(wire(sim, IDENTITIES, 'GET').length).toBeLessThanOrEqual(3);
  });

  it.each(['badJson', 'valueNotArray'] as const)(
    'aborts a malformed page (%s) with TruncatedReadError',
    async (malformed) => {
      sim.faults.clear();
      sim.faults.add({ method: 'GET', path: 'windowsAutopilotDeviceIdentities$', malformed, after: 1, times: 1 });
      const err = await drain(adaptersFor(sim).autopilot.listDeviceIdentities()).catch((e: unknown) => e);
      sim.faults.clear();
      expect(err).toBeInstanceOf(TruncatedReadError);
      expect(err).toMatchObject({ pagesRead: 1 });
    },
  );

  it('turns a page that keeps failing into TruncatedReadError, never a partial list', async () => {
    sim.faults.clear();
    sim.faults.add({ method: 'GET', path: 'windowsAutopilotDeviceIdentities$', status: 503, after: 1 });
    const err = await drain(
      adaptersFor(sim, { maxRetries: 2 }, { sleep: quickSleep }).autopilot.listDeviceIdentities(),
    ).catch((e: unknown) => e);
    sim.faults.clear();
    expect(err).toBeInstanceOf(TruncatedReadError);
  });

  it('aborts on 403 with PermissionError (first page or later)', async () => {
    sim.tenant.deny({ path: 'windowsAutopilotDeviceIdentities' });
    const first = await drain(adaptersFor(sim).autopilot.listDeviceIdentities()).catch((e: unknown) => e);
    sim.tenant.clearDenials();
    expect(first).toBeInstanceOf(PermissionError);
    expect(first).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });

    sim.faults.clear();
    sim.faults.add({ method: 'GET', path: 'windowsAutopilotDeviceIdentities$', status: 403, after: 2 });
    const later = await drain(adaptersFor(sim).autopilot.listDeviceIdentities()).catch((e: unknown) => e);
    sim.faults.clear();
    expect(later).toBeInstanceOf(PermissionError);
  });

  it('reports a wrong token as PermissionError (401), not as an empty tenant', async () => {
    const graph = adaptersFor({ ...sim, token: 'wrong' });
    await expect(graph.autopilot.getSettings()).rejects.toBeInstanceOf(PermissionError);
  });
});

describe('mapping the wire', () => {
  it('tolerates unknownFutureValue and enum members added after we shipped', async () => {
    const [first, second] = sim.tenant.state.identities.values();
    sim.tenant.setIdentity(first!.id, {
      userlessEnrollmentStatus: 'unknownFutureValue',
      remediationState: 'unknownFutureValue',
    });
    // The simulator validates its own enums, so a member Graph might add tomorrow is written into its store directly.
    sim.tenant.state.identities.replace({
      ...second!,
      enrollmentState: 'quarantined',
      deploymentProfileAssignmentStatus: 'assignedToAnotherTenant',
    } as unknown as typeof second & object);
    const graph = adaptersFor(sim);
    const a = await graph.autopilot.getDeviceIdentity(first!.id);
    expect(a).toMatchObject({ id: first!.id, userlessEnrollmentStatus: 'unknown', remediationState: 'unknown' });
    const b = await graph.autopilot.getDeviceIdentity(second!.id);
    expect(b).toMatchObject({ enrollmentState: 'unknown', profileAssignmentStatus: 'unknown' });
    const { items } = await drain(graph.autopilot.listDeviceIdentities());
    expect(items).toHaveLength(2500);
    sim.tenant.state.identities.replace(second!);
  });

  it('reads identities, filters and absence', async () => {
    const graph = adaptersFor(sim);
    const sample = sim.tenant.state.identities.values()[42]!;
    expect(await graph.autopilot.getDeviceIdentity('00000000-0000-0000-0000-00000000dead')).toBeNull();
    const bySerial = await drain(graph.autopilot.listDeviceIdentities({ serialNumber: sample.serialNumber ?? '' }));
    expect(bySerial.items.map((d) => d.id)).toEqual([sample.id]);
    expect(bySerial.items[0]?.azureAdDeviceId).toBe(sample.azureAdDeviceId);
    const blocked = await drain(graph.autopilot.listDeviceIdentities({ blockedOnly: true }));
    expect(blocked.items.length).toBe(
      sim.tenant.state.identities
        .values()
        .filter((i) => i.enrollmentState === 'blocked' || i.userlessEnrollmentStatus === 'blocked').length,
    );
    const settings = await graph.autopilot.getSettings();
    expect(settings.syncStatus).toBe(sim.tenant.settings().syncStatus);
  });

  it('reads the device-preparation group, its owners, members and candidates', async () => {
    const graph = adaptersFor(sim);
    expect(await graph.directory.getGroup(DP_GROUP)).toMatchObject({
      id: DP_GROUP,
      isDynamic: false,
      securityEnabled: true,
    });
    expect(await graph.directory.getGroup('6f1c0000-0000-0000-0000-000000000000')).toBeNull();

    const owners = await graph.directory.listGroupOwners(DP_GROUP);
    expect(owners.find((o) => o.appId === INTUNE_PROVISIONING_CLIENT_APP_ID)?.type).toBe('servicePrincipal');
    const sp = await graph.directory.findServicePrincipalByAppId(INTUNE_PROVISIONING_CLIENT_APP_ID);
    expect(sp?.appId).toBe(INTUNE_PROVISIONING_CLIENT_APP_ID);
    expect(owners.map((o) => o.id)).toContain(sp?.objectId);

    const members = (await drain(graph.directory.listGroupMemberIds(DP_GROUP))).items;
    expect(members.sort()).toEqual(sim.tenant.groupMembers(DP_GROUP).sort());
    const candidates = (await drain(graph.directory.listDevicesByEnrollmentProfile(DP_POLICY))).items;
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates.every((d) => d.enrollmentProfileName === DP_POLICY)).toBe(true);

    // A poll's counts agree with the lists: the devices of the policy, and how many of those are members.
    const counts = await graph.directory.countProfileDevices(DP_GROUP, DP_POLICY);
    const memberSet = new Set(members.map((m) => m.toLowerCase()));
    expect(counts).toEqual({
      candidates: candidates.length,
      members: candidates.filter((c) => memberSet.has(c.objectId.toLowerCase())).length,
    });
    const registered = (await drain(graph.directory.listRegisteredDevicesByEnrollmentProfile(DP_POLICY))).items;
    expect(registered.map((d) => d.objectId).sort()).toEqual(
      candidates
        .filter((c) => c.isAutopilotRegistered)
        .map((c) => c.objectId)
        .sort(),
    );

    const probe = [members[0]!, candidates.find((c) => !members.includes(c.objectId))?.objectId ?? 'no-such'];
    expect(await graph.directory.filterMembers(DP_GROUP, probe)).toEqual(new Set([members[0]]));

    // Several devices by object id: `$filter=id in (…)`, at most 15 values a request (Graph's default cap), no
    // advanced query (strongly consistent); unknown ids and non-GUIDs are simply absent.
    const wanted = candidates.slice(0, 17).map((c) => c.objectId);
    sim.clearRequests();
    const found = await graph.directory.getDevices([...wanted, wanted[0]!.toUpperCase(), 'not-a-guid', DP_GROUP]);
    expect([...found.keys()].sort()).toEqual(wanted.map((w) => w.toLowerCase()).sort());
    expect(found.get(wanted[3]!.toLowerCase())?.enrollmentProfileName).toBe(DP_POLICY);
    const byId = wire(sim, /^\/devices$/, 'GET');
    expect(byId).toHaveLength(2);
    expect(byId.map((e) => (e.query['$filter'] ?? '').split(',').length).sort()).toEqual([15, 3]);
    expect(byId.every((e) => e.query['$count'] === undefined)).toBe(true);
    expect(await graph.directory.getDevices([])).toEqual(new Map());

    const device = await graph.directory.getDeviceByDeviceId(candidates[0]!.deviceId);
    expect(device?.objectId).toBe(candidates[0]!.objectId);
    expect(await graph.directory.getDeviceByDeviceId('not-a-guid')).toBeNull();
  });

  it('exports device-preparation deployments (job, poll, unauthenticated download, unzip)', async () => {
    sim.clearRequests();
    const rows = await adaptersFor(sim, {}, { sleep: quickSleep }).autopilot.exportDevicePrepDeployments();
    expect(rows).toHaveLength(sim.tenant.state.reportRows.length);
    // PolicyName is no longer requested (issue 14 item 13: only the columns the product reads are selected).
    expect(rows.every((r) => r.status !== 'unknown' && r.enrolledAt !== null && r.serialNumber !== null)).toBe(true);
    expect(wire(sim, /exportJobs$/, 'POST')).toHaveLength(1);
    expect(wire(sim, /exportJobs\/.+/, 'GET').length).toBeGreaterThanOrEqual(2);
  });

  it('probes health: reachable, no roles in a static token', async () => {
    expect(await adaptersFor(sim).probe.check()).toMatchObject({ reachable: true, grantedPermissions: [] });
    const down = await adaptersFor({ ...sim, url: `http://127.0.0.1:${await closedPort()}` }).probe.check();
    expect(down.reachable).toBe(false);
  });
});

/** A loopback port nothing listens on: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
