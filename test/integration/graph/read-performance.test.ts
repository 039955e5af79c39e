import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BLOCKED_FILTER } from '../../../shared/adapters/graph/autopilot-reader.js';
import { gatherSnapshot } from '../../../shared/app/poll/gather-snapshot.js';
import { MemoryWatermarkStore } from '../../../shared/adapters/inprocess/memory-stores.js';
import { startSimulator, type Simulator } from '../../../sim/index.js';
import { adaptersFor, drain, quickSleep, wire } from './sim-harness.js';

// Issue 10 (bench): the read-path changes behind the quiet-poll and sweep targets — the server-side blocked
// filter (and its fallback), page prefetching, and opt-in $batch folding of reads — read exactly what the
// plain path reads.

const DP_GROUP = '0d9e3a5c-5d1e-4c0b-9a61-d0e1a2b3c4d5';
const POLICY = 'Contoso Windows 11 device preparation';

describe('read path for large tenants', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      scenario: {
        name: 'reads-perf',
        generate: {
          devices: 2500,
          seed: 3,
          deviceprep: { devices: 1200 },
          plant: { blocked: 7, blockedFixPending: 2, deviceprepMissingFromGroup: 5 },
        },
      },
    });
  });
  afterAll(async () => {
    await sim.stop();
  });

  const blockedInTenant = () =>
    sim.tenant.state.identities
      .values()
      .filter((i) => i.enrollmentState === 'blocked' || i.userlessEnrollmentStatus === 'blocked')
      .map((i) => i.id)
      .sort();

  it('asks the service for blocked identities only: one page, not every identity', async () => {
    sim.clearRequests();
    const { items } = await drain(adaptersFor(sim).autopilot.listDeviceIdentities({ blockedOnly: true }));
    expect(items.map((d) => d.id).sort()).toEqual(blockedInTenant());
    const reads = wire(sim, /windowsAutopilotDeviceIdentities$/);
    expect(reads).toHaveLength(1);
    expect(reads[0]?.query['$filter']).toBe(BLOCKED_FILTER);
  });

  it('falls back to reading everything and filtering here when the service refuses the filter (400)', async () => {
    sim.clearRequests();
    const fault = sim.faults.add({
      path: 'windowsAutopilotDeviceIdentities$',
      status: 400,
      code: 'BadRequest',
      times: 1,
    });
    try {
      const { items } = await drain(adaptersFor(sim).autopilot.listDeviceIdentities({ blockedOnly: true }));
      expect(items.map((d) => d.id).sort()).toEqual(blockedInTenant());
      const reads = wire(sim, /windowsAutopilotDeviceIdentities$/);
      expect(reads.map((r) => r.status)).toEqual([400, 200, 200, 200]);
      expect(reads.slice(1).every((r) => r.query['$filter'] === undefined)).toBe(true);
    } finally {
      sim.faults.remove(fault);
    }
  });

  it('does not fall back on other failures (a 403 is loud)', async () => {
    const fault = sim.faults.add({ path: 'windowsAutopilotDeviceIdentities$', status: 403, times: 1 });
    try {
      await expect(drain(adaptersFor(sim).autopilot.listDeviceIdentities({ blockedOnly: true }))).rejects.toMatchObject(
        { name: 'PermissionError' },
      );
    } finally {
      sim.faults.remove(fault);
    }
  });

  it('prefetches pages of whole-list reads without extra requests, and still reports a failed later page', async () => {
    sim.clearRequests();
    const { items, pages } = await drain(adaptersFor(sim).autopilot.listDeviceIdentities());
    expect(items).toHaveLength(2500);
    expect(pages).toBe(3);
    expect(wire(sim, /windowsAutopilotDeviceIdentities$/)).toHaveLength(3);

    const fault = sim.faults.add({ path: 'windowsAutopilotDeviceIdentities$', status: 400, after: 1, times: 1 });
    try {
      await expect(drain(adaptersFor(sim).autopilot.listDeviceIdentities())).rejects.toMatchObject({
        name: 'TruncatedReadError',
        pagesRead: 1,
      });
    } finally {
      sim.faults.remove(fault);
    }
  });

  it('with batchReads, an incremental gather reads the same snapshot in fewer requests', async () => {
    const gather = async (batchReads: boolean) => {
      sim.clearRequests();
      const g = adaptersFor(sim, {}, { batchReads });
      const out = await gatherSnapshot(
        { autopilot: g.autopilot, directory: g.directory, watermarks: new MemoryWatermarkStore() },
        {
          kind: 'incremental',
          tenant: 't',
          now: sim.clock.nowMs(),
          overlapMs: 5 * 3_600_000,
          devicePrepGroups: [{ groupId: DP_GROUP, policyName: POLICY }],
        },
      );
      const requests = sim.requests().filter((e) => e.batch === undefined && e.version !== null);
      return { snapshot: out.snapshot, requests };
    };
    const plain = await gather(false);
    const batched = await gather(true);
    const view = (s: typeof plain.snapshot) => ({
      identities: Array.from(s.identities, (d) => d.id).sort(),
      events: s.events.map((e) => e.id).sort(),
      settings: s.settings,
      imports: s.imports.length,
      groups: s.devicePrepGroups.map((g) => ({
        ...g,
        memberObjectIds: [...g.memberObjectIds].sort(),
        candidates: g.candidates.map((c) => c.objectId).sort(),
      })),
    });
    expect(view(batched.snapshot)).toEqual(view(plain.snapshot));
    expect(plain.requests.some((r) => r.path === '/$batch')).toBe(false);
    // settings, events ×2 pages (first read: 30 days), blocked identities, imports, group, owners, the two counts and
    // the registered devices of the policy, then (the counts differ) members ×2 pages, candidates ×2 pages
    expect(plain.requests).toHaveLength(14);
    // One beta and one v1.0 envelope for the first reads; then the second pages: the lone beta one (events) as
    // itself, the first pages of the lists (members, candidates) in an envelope, and their second pages in another.
    expect(batched.requests.map((r) => `${r.method} /${r.version}${r.path}`).sort()).toEqual([
      'GET /beta/deviceManagement/autopilotEvents',
      'POST /beta/$batch',
      'POST /v1.0/$batch',
      'POST /v1.0/$batch',
      'POST /v1.0/$batch',
    ]);
    expect(batched.requests.every((r) => r.kind === 'read' && r.status === 200)).toBe(true);
  });

  it('with batchReads, a throttled item is retried on its own and a missing group still reads as null', async () => {
    const fault = sim.faults.add({ path: 'windowsAutopilotSettings$', status: 429, retryAfterSeconds: 0, times: 1 });
    try {
      sim.clearRequests();
      const g = adaptersFor(sim, {}, { batchReads: true, sleep: quickSleep });
      const [settings, , group, missing] = await Promise.all([
        g.autopilot.getSettings(),
        g.autopilot.getDeviceIdentity('00000000-0000-4000-8000-00000000dead'),
        g.directory.getGroup(DP_GROUP),
        g.directory.getGroup('6f1c0000-0000-4000-8000-000000000000'),
      ]);
      expect(settings.syncStatus).toBe(sim.tenant.settings().syncStatus);
      expect(group?.id).toBe(DP_GROUP);
      expect(missing).toBeNull();
      const settingsCalls = sim.requests().filter((e) => e.path === '/deviceManagement/windowsAutopilotSettings');
      expect(settingsCalls.map((e) => [e.status, e.batch === undefined ? 'alone' : 'batched'])).toEqual([
        [429, 'batched'],
        [200, 'alone'],
      ]);
    } finally {
      sim.faults.remove(fault);
    }
  });
});
