import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, PermanentError } from '../../../shared/ports/index.js';
import { INTUNE_PROVISIONING_CLIENT_APP_ID, type Simulator, startSimulator } from '../../../sim/index.js';
import { adaptersFor, wire } from './sim-harness.js';

const DP_GROUP = '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5';
let sim: Simulator;

beforeEach(async () => {
  sim = await startSimulator({
    scenario: {
      name: 'graph-writes',
      generate: {
        devices: 300,
        seed: 5,
        deviceprep: { devices: 60, ownerHasSp: false },
        plant: { deviceprepMissingFromGroup: 45, blocked: 30 },
      },
    },
  });
});
afterEach(async () => {
  await sim.stop();
});

describe('triggerAutopilotSync', () => {
  it('starts a sync with one request', async () => {
    await expect(adaptersFor(sim).actions.triggerAutopilotSync()).resolves.toMatchObject({ kind: 'started' });
    expect(wire(sim, /windowsAutopilotSettings\/sync$/, 'POST')).toHaveLength(1);
  });

  it('returns 409 as in-progress with no retry', async () => {
    // The simulator's syncs run 30 s (sim time); this one started 5 s ago.
    sim.tenant.setSettings({ syncStatus: 'inProgress', lastManualSyncTriggerDateTime: 'now-5s' });
    const result = await adaptersFor(sim).actions.triggerAutopilotSync();
    expect(result).toMatchObject({ kind: 'in-progress' });
    expect(result.requestId).toBeTruthy();
    expect(wire(sim, /windowsAutopilotSettings\/sync$/, 'POST').map((e) => e.status)).toEqual([409]);
  });

  it('returns 429 as too-soon with Retry-After and no retry', async () => {
    sim.tenant.setSettings({ syncStatus: 'completed', lastManualSyncTriggerDateTime: 'now-4m' });
    const result = await adaptersFor(sim, { maxRetries: 5 }).actions.triggerAutopilotSync();
    expect(result.kind).toBe('too-soon');
    const retryAfterMs = result.kind === 'too-soon' ? result.retryAfterMs : null;
    expect(retryAfterMs).toBeGreaterThan(5 * 60_000);
    expect(retryAfterMs).toBeLessThanOrEqual(6 * 60_000);
    expect(wire(sim, /windowsAutopilotSettings\/sync$/, 'POST').map((e) => e.status)).toEqual([429]);
  });
});

describe('addGroupMembers', () => {
  const missing = (): string[] => sim.planted.items.deviceprepMissingFromGroup!.map((p) => p.entraObjectId!);

  it('binds ≤ 20 per PATCH and reports each object', async () => {
    const ids = missing();
    expect(ids).toHaveLength(45);
    const results = await adaptersFor(sim).actions.addGroupMembers(DP_GROUP, ids);
    expect([...results.keys()].sort()).toEqual([...ids].sort());
    expect([...results.values()].every((r) => !r.alreadyDone && r.error === undefined && r.requestId)).toBe(true);
    const patches = wire(sim, new RegExp(`^/groups/${DP_GROUP}$`), 'PATCH');
    const sizes = patches.map((p) => ((p.body as Record<string, unknown[]>)['members@odata.bind'] ?? []).length);
    expect(sizes).toEqual([20, 20, 5]);
    const bind = (patches[0]!.body as Record<string, string[]>)['members@odata.bind']![0];
    expect(bind).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/directoryObjects\/[0-9a-f-]{36}$/);
    for (const id of ids) expect(sim.tenant.groupMembers(DP_GROUP)).toContain(id);
  });

  it('treats already-a-member as done, and a missing object does not lose the others', async () => {
    const [a, b, c] = missing();
    sim.tenant.addGroupMember(DP_GROUP, a!);
    const ghost = '7e57dead-0000-4000-8000-000000000000';
    const results = await adaptersFor(sim).actions.addGroupMembers(DP_GROUP, [a!, b!, ghost, c!]);

    expect(results.get(a!)).toMatchObject({ alreadyDone: true });
    expect(results.get(a!)?.error).toBeUndefined();
    expect(results.get(b!)).toMatchObject({ alreadyDone: false });
    expect(results.get(b!)?.error).toBeUndefined();
    expect(results.get(c!)?.error).toBeUndefined();
    expect(results.get(ghost)?.error).toBeInstanceOf(NotFoundError);
    expect(sim.tenant.groupMembers(DP_GROUP)).toEqual(expect.arrayContaining([a, b, c]));
    // One refused PATCH (the unknown object is reported first), then one POST $ref per object.
    expect(wire(sim, new RegExp(`^/groups/${DP_GROUP}$`), 'PATCH').map((e) => e.status)).toEqual([404]);
    expect(wire(sim, /\/members\/\$ref$/, 'POST').map((e) => e.status)).toEqual([400, 204, 404, 204]);

    const again = await adaptersFor(sim).actions.addGroupMembers(DP_GROUP, [b!, c!]);
    expect([...again.values()].every((r) => r.alreadyDone)).toBe(true);
    expect(await adaptersFor(sim).directory.filterMembers(DP_GROUP, [a!, b!, c!, ghost])).toEqual(new Set([a, b, c]));
  });

  it('stays idempotent when a throttled PATCH had in fact applied', async () => {
    const ids = missing().slice(0, 5);
    sim.faults.add({
      method: 'PATCH',
      path: `/groups/${DP_GROUP}$`,
      status: 429,
      retryAfterSeconds: 0,
      afterApply: true,
      times: 1,
    });
    const results = await adaptersFor(sim).actions.addGroupMembers(DP_GROUP, ids);
    expect([...results.values()].every((r) => r.alreadyDone && r.error === undefined)).toBe(true);
    expect(wire(sim, new RegExp(`^/groups/${DP_GROUP}$`), 'PATCH').map((e) => e.status)).toEqual([429, 400]);
    expect(sim.tenant.groupMembers(DP_GROUP)).toEqual(expect.arrayContaining(ids));
  });

  it('reports a dynamic group refusal per object (400), not as success', async () => {
    sim.tenant.setGroup(DP_GROUP, {
      groupTypes: ['DynamicMembership'],
      membershipRule: '(device.enrollmentProfileName -eq "x")',
    });
    const [a] = missing();
    const results = await adaptersFor(sim).actions.addGroupMembers(DP_GROUP, [a!]);
    expect(results.get(a!)?.error).toBeInstanceOf(PermanentError);
    expect(results.get(a!)?.alreadyDone).toBe(false);
  });
});

describe('owners and unblock', () => {
  it('adds the Intune Provisioning Client as owner; already-owner is done', async () => {
    const graph = adaptersFor(sim);
    const sp = await graph.directory.findServicePrincipalByAppId(INTUNE_PROVISIONING_CLIENT_APP_ID);
    expect(sp).not.toBeNull();
    await expect(graph.actions.addGroupOwner(DP_GROUP, sp!.objectId)).resolves.toMatchObject({ alreadyDone: false });
    await expect(graph.actions.addGroupOwner(DP_GROUP, sp!.objectId)).resolves.toMatchObject({ alreadyDone: true });
    expect(sim.tenant.groupOwners(DP_GROUP)).toContain(sp!.objectId);
    await expect(graph.actions.addGroupOwner(DP_GROUP, '7e57dead-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('unblocks a blocked device', async () => {
    const id = sim.planted.items.blocked![0]!.identityId!;
    const graph = adaptersFor(sim);
    await expect(graph.actions.allowNextEnrollment(id)).resolves.toMatchObject({ alreadyDone: false });
    expect(await graph.autopilot.getDeviceIdentity(id)).toMatchObject({ userlessEnrollmentStatus: 'allowed' });
    await expect(graph.actions.allowNextEnrollment('00000000-0000-0000-0000-00000000beef')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('write budget', () => {
  it('spreads 30 writes under a 10 / 1 s budget over ≥ 2 s, so the service never throttles', async () => {
    // The simulator enforces the same limit: any write over it would come back 429.
    sim.setWriteLimit({ max: 10, windowMs: 1000, mode: 'sliding' });
    const ids = sim.planted.items.blocked!.map((p) => p.identityId!);
    expect(ids).toHaveLength(30);
    const graph = adaptersFor(sim, { writeBudget: { max: 10, windowMs: 1000 }, maxRetries: 0 });
    sim.clearRequests();
    const started = Date.now();
    await Promise.all(ids.map((id) => graph.actions.allowNextEnrollment(id)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const writes = sim.requests().filter((e) => e.kind === 'write');
    expect(writes).toHaveLength(30);
    expect(writes.every((e) => e.status === 204)).toBe(true);
  });
});
