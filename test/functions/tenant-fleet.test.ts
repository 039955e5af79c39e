import { InvocationContext, type Timer } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { makeFleetRemediateHandler } from '../../functions/remediate.js';
import { makeFleetTimerHandler } from '../../functions/tenant-jobs.js';
import { makeTenantRunHandler } from '../../functions/tenant-run.js';
import { createMemoryStores } from '../../shared/adapters/inprocess/memory-stores.js';
import { tenantRunMessage } from '../../shared/adapters/servicebus/tenant-run-queue.js';
import { buildFleet, type Fleet } from '../../shared/composition/fleet.js';
import { loadDeployment } from '../../shared/config/index.js';
import type { RemediationCommand, TenantRunRequest } from '../../shared/core/model/index.js';
import type { HistoryRecord, Stores, TenantRunQueue } from '../../shared/ports/index.js';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { captureLogger, devicePrepGroupsOf } from '../support/harness.js';
import { DEMO } from '../integration/poll/expected.js';
import { unblockFinding } from '../unit/app/remediation/support.js';

// The many-tenant triggers with REAL InvocationContexts against a three-tenant simulator (memory stores: the table
// side is covered by test/integration/tenants): the timers' fan-out onto the tenant-run queue, the tenant-run
// trigger (one tenant's run; forged and stale requests refused, recorded and completed), and the remediation
// trigger routing each command to the worker of the tenant it names — never to another's.

const A = '0a0a0a0a-1111-4111-8111-00000000000a';
const B = '0b0b0b0b-2222-4222-8222-00000000000b';
const C = '0c0c0c0c-3333-4333-8333-00000000000c';

let sim: Simulator;
let fleet: Fleet;
let stores: Map<string, Stores>;
const sent: TenantRunRequest[] = [];

function ctx(name: string, id: string, messageId?: string): InvocationContext {
  return new InvocationContext({
    invocationId: id,
    functionName: name,
    ...(messageId ? { triggerMetadata: { messageId, deliveryCount: 1 } } : {}),
    logHandler: () => undefined,
  });
}

const runRow: HistoryRecord = {
  subjectKey: 'tenant',
  at: 0,
  id: 'run',
  runId: 'run',
  type: 'run',
  action: null,
  code: null,
  idempotencyKey: null,
  mode: null,
  status: 'completed',
  reason: '',
  attempt: 0,
  graphRequestId: null,
  before: null,
  after: null,
};

function timer(): Timer {
  const now = sim.clock.nowMs();
  return {
    isPastDue: false,
    schedule: { adjustForDST: true },
    scheduleStatus: { last: new Date(now).toISOString(), next: new Date(now).toISOString(), lastUpdated: '' },
  };
}

async function history(key: string | null): Promise<HistoryRecord[]> {
  const s = stores.get(key ?? 'deployment');
  if (!s) throw new Error(`no stores for ${key}`);
  return [...(await s.history.query({ limit: 1000 })).items];
}

beforeAll(async () => {
  sim = await startSimulator({
    now: new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 1_000),
    tenants: [
      { tenantId: A, scenario: 'demo' },
      { tenantId: B, scenario: 'demo' },
      { tenantId: C, scenario: 'healthy' },
    ],
  });
});
afterAll(async () => {
  await sim.stop();
});

beforeEach(async () => {
  await fleet?.dispose();
  for (const t of sim.tenants) t.clearRequests();
  sent.length = 0;
  stores = new Map();
  const tenantRuns: TenantRunQueue = { send: (requests) => Promise.resolve(void sent.push(...requests)) };
  const settings = (id: string) => ({
    GRAPH_TOKEN: sim.tenantById(id).token,
    ...(id === C ? {} : { DEVICE_PREP_GROUPS: devicePrepGroupsOf('demo') }),
  });
  fleet = await buildFleet(
    loadDeployment({
      GRAPH_BASE_URL: sim.url,
      GRAPH_AUTH: 'static-token',
      REMEDIATION_MODE: 'enforce',
      TENANTS: JSON.stringify([A, B, C].map((id, i) => ({ id, name: `Tenant ${i}`, settings: settings(id) }))),
    }),
    {
      logger: captureLogger(),
      clock: { now: () => sim.clock.nowMs() },
      storesFor: (tenant) => {
        const s = createMemoryStores();
        stores.set(tenant?.key ?? 'deployment', s);
        return s;
      },
      tenantRuns,
    },
  );
});

describe('the timers fan out, one request per tenant', () => {
  it('one invocation sends one request per configured tenant and reads no tenant itself', async () => {
    // A year-old row of the deployment's own history: the daily run ages it out, as a tenant's sweep does its own.
    const deployment = await fleet.deploymentContainer();
    const old = sim.clock.nowMs() - 400 * 86_400_000;
    await deployment.stores.history.append([{ ...runRow, at: old, id: 'old-run', runId: 'old-run' }]);
    await makeFleetTimerHandler('compliance', () => Promise.resolve(fleet))(timer(), ctx('complianceSweep', 'i-1'));
    expect(sent.map((r) => r.tenant)).toEqual([A, B, C]);
    expect(new Set(sent.map((r) => r.job))).toEqual(new Set(['compliance']));
    expect(new Set(sent.map((r) => r.slot)).size).toBe(1);
    // One message id per tenant: Service Bus duplicate detection drops a second timer's copy, not another tenant.
    expect(new Set(sent.map((r) => tenantRunMessage(r).messageId)).size).toBe(3);
    for (const t of sim.tenants) expect(t.requests()).toEqual([]);
    const own = await history(null);
    expect(own.map((r) => r.runId)).not.toContain('old-run');
    expect(own.filter((r) => r.type === 'run')).toHaveLength(1);
    // The same slot fired again (a second instance): nothing is sent twice.
    await makeFleetTimerHandler('compliance', () => Promise.resolve(fleet))(timer(), ctx('complianceSweep', 'i-2'));
    expect(sent).toHaveLength(3);
  });
});

describe('the tenant-run trigger', () => {
  const run = (body: unknown, id: string) =>
    makeTenantRunHandler(() => Promise.resolve(fleet))(body, ctx('tenantRun', id, `m-${id}`));

  it("runs the named tenant's job with its own token, once per slot", async () => {
    await makeFleetTimerHandler('poll', () => Promise.resolve(fleet))(timer(), ctx('poll', 'i-3'));
    const forB = sent.find((r) => r.tenant === B);
    await run(forB, 'd-1');
    expect(sim.tenantById(B).requests().length).toBeGreaterThan(0);
    expect(sim.tenantById(A).requests()).toEqual([]);
    expect((await history(B)).filter((r) => r.type === 'run').map((r) => r.status)).toEqual(['completed']);
    // B was remediated by its own worker (in-process here: no Service Bus for commands in this test).
    const writes = sim
      .tenantById(B)
      .requests()
      .filter((r) => r.kind === 'write' && r.path !== '/$batch');
    expect(writes.map((w) => w.path)).toContain(
      `/deviceManagement/windowsAutopilotDeviceIdentities/${DEMO.blocked.identityId}/allowNextEnrollment`,
    );
    // Redelivered: the tenant's own run lock has the slot, so nothing runs again.
    const before = sim.tenantById(B).requests().length;
    await run(forB, 'd-2');
    expect(sim.tenantById(B).requests().length).toBe(before);
  });

  it('a request delivered as a JSON string or as bytes is run like the object the timers send', async () => {
    await makeFleetTimerHandler('poll', () => Promise.resolve(fleet))(timer(), ctx('poll', 'i-4'));
    const forC = sent.find((r) => r.tenant === C);
    await run(JSON.stringify(forC), 'd-3');
    await run(new TextEncoder().encode(JSON.stringify({ ...forC, slot: `${forC?.slot ?? ''}x` })), 'd-4');
    expect(sim.tenantById(C).requests().length).toBeGreaterThan(0);
    expect((await history(C)).filter((r) => r.type === 'run').map((r) => r.status)).toEqual(['completed', 'completed']);
    expect((await history(null)).filter((r) => r.type === 'invalid-message')).toEqual([]);
  });

  it('a forged or stale request is refused, recorded in the deployment history and completed, never run', async () => {
    const slot = 'poll:2026-12-04T10:00:00.000Z';
    const bodies: unknown[] = [
      { schemaVersion: 1, tenant: '99999999-9999-4999-8999-999999999999', job: 'poll', slot, runId: 'r' },
      { schemaVersion: 1, tenant: A, job: 'delete-everything', slot, runId: 'r' },
      { schemaVersion: 1, tenant: A, job: 'poll', slot: 'poll:\u001b[31m', runId: 'r' },
      'not an object',
    ];
    for (const [i, body] of bodies.entries()) await expect(run(body, `f-${i}`)).resolves.toBeUndefined();
    const refused = (await history(null)).filter((r) => r.type === 'invalid-message');
    expect(refused).toHaveLength(bodies.length);
    expect(refused.map((r) => r.reason)).toContain(
      'the tenant run names a tenant this deployment is not configured with',
    );
    for (const t of sim.tenants) expect(t.requests()).toEqual([]);
  });
});

describe('the remediation trigger routes each command to its tenant', () => {
  const unblock = (tenant: string): RemediationCommand => ({
    schemaVersion: 1,
    idempotencyKey: `${tenant}:allow-next-enrollment:${DEMO.blocked.identityId}:b1`,
    runId: 'run-1',
    tenant,
    action: 'allow-next-enrollment',
    mode: 'enforce',
    target: {
      action: 'allow-next-enrollment',
      autopilotId: DEMO.blocked.identityId,
      serialNumber: DEMO.blocked.serial,
    },
    reasons: [],
    createdAt: new Date(sim.clock.nowMs()).toISOString(),
  });
  const deliver = (body: unknown, id: string) =>
    makeFleetRemediateHandler(() => Promise.resolve(fleet))(body, ctx('remediate', id, `m-${id}`));

  it("a command for A is run by A's worker against A's tenant; B, with the same ids, is not touched", async () => {
    // A's poll recorded the device's 0x80180014 failure (the worker re-checks the unblock against it).
    await fleet.container(fleet.find(A)!);
    await stores
      .get(A)!
      .findings.upsertMany([
        unblockFinding(DEMO.blocked.serial, sim.clock.nowMs() - 10 * 60_000, {}, DEMO.blocked.identityId),
      ]);
    await deliver(unblock(A), 'r-1');
    const aWrites = sim
      .tenantById(A)
      .requests()
      .filter((r) => r.kind === 'write');
    expect(aWrites.map((r) => r.path)).toEqual([
      `/deviceManagement/windowsAutopilotDeviceIdentities/${DEMO.blocked.identityId}/allowNextEnrollment`,
    ]);
    expect(sim.tenantById(B).requests()).toEqual([]);
    expect((await history(A)).filter((r) => r.type === 'attempt')).toHaveLength(1);
    expect(stores.has(B)).toBe(false); // B's worker was never even built
  });

  it('a command delivered as a JSON string or as bytes (a dead-lettered message resubmitted) is run by its tenant', async () => {
    const asText = unblock(B);
    await deliver(JSON.stringify(asText), 'r-4');
    const asBytes = { ...unblock(B), idempotencyKey: `${B}:allow-next-enrollment:${DEMO.blocked.identityId}:b2` };
    await deliver(new TextEncoder().encode(JSON.stringify(asBytes)), 'r-5');
    const own = await history(B);
    expect(own.filter((r) => r.type === 'invalid-message')).toEqual([]);
    // Run by B's worker: each has its outcome in B's history (written, or found already clear: B's own sweep in an
    // earlier test may have unblocked the device), none is refused in the deployment's.
    expect(own.filter((r) => r.type === 'outcome').map((r) => r.idempotencyKey)).toEqual(
      expect.arrayContaining([asText.idempotencyKey, asBytes.idempotencyKey]),
    );
    expect(stores.has('deployment') ? await history(null) : []).toEqual([]);
    expect(sim.tenantById(A).requests()).toEqual([]);
  });

  it('a command naming a tenant this deployment does not serve is refused and recorded, never run', async () => {
    await deliver(unblock('11111111-2222-4333-8444-555555555555'), 'r-2');
    await deliver({ ...unblock(C), tenant: undefined }, 'r-3');
    const refused = (await history(null)).filter((r) => r.type === 'invalid-message');
    expect(refused).toHaveLength(2);
    for (const t of sim.tenants) expect(t.requests()).toEqual([]);
  });
});

describe('in-process fan-out (no Service Bus): one tenant losing its storage', () => {
  it('the others run; the invocation fails after all had their turn, naming that tenant', async () => {
    const outage = new Error('storage unreachable (ECONNREFUSED)');
    const ownStores = new Map<string, Stores>();
    const local = await buildFleet(
      loadDeployment({
        GRAPH_BASE_URL: sim.url,
        GRAPH_AUTH: 'static-token',
        REMEDIATION_MODE: 'plan',
        TENANTS: JSON.stringify(
          [A, B, C].map((id, i) => ({ id, name: `Tenant ${i}`, settings: { GRAPH_TOKEN: sim.tenantById(id).token } })),
        ),
      }),
      {
        logger: captureLogger(),
        clock: { now: () => sim.clock.nowMs() },
        tenantRuns: null,
        storesFor: (tenant) => {
          const s = createMemoryStores();
          ownStores.set(tenant?.key ?? 'deployment', s);
          if (tenant?.key !== B) return s;
          // B's tables answer nothing: every write fails the way an unreachable account does.
          const down = () => Promise.reject(outage);
          return { ...s, runs: { tryStartRun: down }, history: { ...s.history, append: down } };
        },
      },
    );
    try {
      const run = makeFleetTimerHandler('poll', () => Promise.resolve(local))(timer(), ctx('poll', 'i-out'));
      await expect(run).rejects.toThrow(`poll: 1 of 3 tenants failed (${B})`);
      for (const ok of [A, C]) {
        const rows = [...(await ownStores.get(ok)!.history.query({ limit: 100 })).items].filter(
          (r) => r.type === 'run',
        );
        expect(
          rows.map((r) => r.status),
          ok,
        ).toEqual(['completed']);
      }
      expect(sim.tenantById(B).requests()).toEqual([]); // B never started: its slot could not be taken
    } finally {
      await local.dispose();
    }
  });
});

describe('in-process fan-out within TENANT_DEVICE_BUDGET', () => {
  it('two tenants whose last sweeps counted 900 devices each take turns under a 1,000-device budget', async () => {
    const local = await buildFleet(
      loadDeployment({
        GRAPH_BASE_URL: sim.url,
        GRAPH_AUTH: 'static-token',
        TENANT_DEVICE_BUDGET: '1000',
        TENANTS: JSON.stringify(
          [A, B].map((id, i) => ({ id, name: `Tenant ${i}`, settings: { GRAPH_TOKEN: sim.tenantById(id).token } })),
        ),
      }),
      {
        logger: captureLogger(),
        clock: { now: () => sim.clock.nowMs() },
        tenantRuns: null,
        storesFor: () => createMemoryStores(),
      },
    );
    try {
      for (const id of [A, B]) {
        const profile = local.find(id);
        if (profile === null) throw new Error(id);
        // What the poll remembers of a tenant's last full sweep (run-poll.ts, the fleetSize watermark).
        await (
          await local.container(profile)
        ).stores.watermarks.put(id, { stream: 'fleetSize', value: 900, seenIds: [] });
      }
      await makeFleetTimerHandler('poll', () => Promise.resolve(local))(timer(), ctx('poll', 'i-budget'));
      const times = (id: string) =>
        sim
          .tenantById(id)
          .requests()
          .map((r) => r.realMs);
      const [a, b] = [times(A), times(B)];
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      const [first, second] = Math.min(...a) < Math.min(...b) ? [a, b] : [b, a];
      expect(Math.min(...second)).toBeGreaterThanOrEqual(Math.max(...first)); // one after the other, never together
    } finally {
      await local.dispose();
    }
  });
});
