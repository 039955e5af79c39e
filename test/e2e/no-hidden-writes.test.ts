import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTableStores } from '../../shared/adapters/tables/table-stores.js';
import type { HistoryRecord } from '../../shared/ports/index.js';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { withAzurite } from '../support/azurite.js';
import { endpointOf, startTcpProxy, throughProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { tenantWrites, unrecordedWrites, type TenantWrite } from '../support/tenant-writes.js';
import { runCli, type CliRun } from './cli-process.js';

// Issue 13.2, reproduced: the CLI as a process against the simulator (real HTTP) and Azurite behind a loopback
// TCP proxy that cuts Table Storage off after N requests. Whatever N is: no tenant write without an attempt row
// written before it, no success reported, a non-zero exit code and a message that names Table Storage. And a
// command that ends dead-lettered in the in-process queue fails the run (exit 1) and is printed.

const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let prefixes = 0;

beforeAll(async () => {
  azurite = await withAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

interface Observed {
  readonly run: CliRun;
  /** Storage requests that reached Azurite (the proxy lets `cutAfter` through). */
  readonly storageRequests: readonly string[];
  /** Tenant writes the simulator received, as `METHOD /version/path`, with the wall-clock time it received them. */
  readonly writes: readonly TenantWrite[];
  readonly attempts: readonly HistoryRecord[];
  readonly prefix: string;
}

async function sweep(
  opts: { cutAfter?: number; sim?: Simulator; prefix?: string; env?: Record<string, string> } = {},
): Promise<Observed & { sim: Simulator }> {
  const sim = opts.sim ?? (await startSimulator({ scenario: 'demo', port: 0 }));
  const prefix = opts.prefix ?? `nhw${(prefixes += 1)}${Date.now() % 10000}`;
  const proxy: TcpProxy = await startTcpProxy(
    endpointOf(azurite.connectionString),
    opts.cutAfter === undefined ? {} : { cutAfter: opts.cutAfter },
  );
  sim.clearRequests();
  try {
    const run = await runCli(['sweep', '--json'], {
      GRAPH_BASE_URL: sim.url,
      GRAPH_TOKEN: sim.token,
      STORAGE_CONNECTION_STRING: throughProxy(azurite.connectionString, proxy.port),
      TABLE_PREFIX: prefix,
      REMEDIATION_MODE: 'enforce',
      DEVICE_PREP_GROUPS: JSON.stringify([
        {
          groupId: DEMO_GROUP,
          policyName: 'Contoso Win11 device preparation',
          policyId: '7a000000-0000-4000-8000-000000000001',
        },
      ]),
      TENANT_NAME: 'e2e',
      ...opts.env,
    });
    // Read what storage kept straight from Azurite, past the (possibly cut) proxy.
    const stores = await createTableStores({ connectionString: azurite.connectionString }, prefix);
    const attempts = (await stores.history.query({ type: 'attempt', limit: 500 })).items;
    return { run, storageRequests: [...proxy.lines], writes: tenantWrites(sim), attempts, prefix, sim };
  } finally {
    await proxy.stop();
  }
}

const unrecorded = (o: Observed): string[] => unrecordedWrites(o.writes, o.attempts);

describe('Table Storage cut off mid-run (CLI process, simulator, Azurite behind a proxy)', () => {
  let baseline: Observed;
  let firstClaim: number;

  beforeAll(async () => {
    const b = await sweep();
    await b.sim.stop();
    baseline = b;
    firstClaim = b.storageRequests.findIndex((l) => l.includes(`${b.prefix}Claims`));
  }, 120_000);

  it('baseline: the uncut run succeeds, and every tenant write has its attempt row', () => {
    expect(baseline.run.code, baseline.run.stderr).toBe(0);
    // The demo's first run writes 3 times: a member add, an owner add and an unblock (its import asks for a sync only after IMPORT_VISIBLE_MINUTES).
    expect(baseline.writes.length).toBeGreaterThanOrEqual(3);
    expect(unrecorded(baseline)).toEqual([]);
    expect(new Set(baseline.attempts.map((a) => a.id)).size).toBe(baseline.writes.length);
    expect(firstClaim).toBeGreaterThan(0);
  });

  it('cut at points through the poll and the remediation phase: exit 1, no success reported, no write without its attempt row', async () => {
    const total = baseline.storageRequests.length;
    const span = total - firstClaim;
    // One cut in the middle of the poll, then six spread over the remediation phase (claims, attempt rows,
    // outcome rows, claim completions), the last one just before the run's final request.
    const cuts = [
      Math.floor(firstClaim / 2),
      ...Array.from({ length: 6 }, (_, i) => firstClaim + Math.floor((i * span) / 6)),
      total - 1,
    ];
    const results: string[] = [];
    for (const cutAfter of [...new Set(cuts)]) {
      const o = await sweep({ cutAfter });
      await o.sim.stop();
      results.push(
        `${cutAfter}/${total}: exit ${o.run.code}, ${o.writes.length} tenant writes, ${new Set(o.attempts.map((a) => a.id)).size} attempts recorded`,
      );
      expect(o.run.code, `cut after ${cutAfter}: ${o.run.stderr}`).toBe(1);
      expect(o.run.stderr).toMatch(/Run aborted: .*Table Storage is unreachable/);
      expect(o.run.stdout, 'no summary, no JSON: nothing reported as done').toBe('');
      expect(unrecorded(o), `cut after ${cutAfter}`).toEqual([]);
    }
    console.log(`storage cuts (request index / total):\n  ${results.join('\n  ')}`);
  }, 600_000);

  it('a recovery run after a cut mid-remediation repeats no tenant write and reports success', async () => {
    const cutAfter = firstClaim + Math.floor((baseline.storageRequests.length - firstClaim) / 2);
    const cut = await sweep({ cutAfter });
    try {
      expect(cut.run.code).toBe(1);
      const before = cut.writes.map((w) => w.call);
      expect(before.length).toBeGreaterThan(0);
      const recovery = await sweep({ sim: cut.sim, prefix: cut.prefix });
      expect(recovery.run.code, recovery.run.stderr).toBe(0);
      // Commands the cut left claimed are still protected by their claims (or find the work done): nothing twice.
      const again = recovery.writes.map((w) => w.call).filter((c) => before.includes(c));
      expect(again).toEqual([]);
      expect(unrecorded(recovery)).toEqual([]);
    } finally {
      await cut.sim.stop();
    }
  }, 120_000);

  it('fails fast: with storage refusing connections from the start, the CLI exits 1 within seconds and names storage', async () => {
    const started = Date.now();
    const o = await sweep({ cutAfter: 0 });
    await o.sim.stop();
    expect(o.run.code).toBe(1);
    expect(o.run.stderr).toMatch(/Table Storage is unreachable/);
    expect(o.run.stderr).not.toMatch(/^Run aborted: socket hang up/m);
    expect(o.writes).toEqual([]);
    // Before: "socket hang up" after the SDK's retries, and then the process lingered for its request timers (19 s here).
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});

describe('a command that ends dead-lettered fails the run', () => {
  it('exit 1, printed with its command and reason; every failed delivery left an attempt row', async () => {
    const sim = await startSimulator({ scenario: 'demo', port: 0 });
    try {
      sim.faults.add({
        method: 'POST',
        path: 'allowNextEnrollment$',
        status: 503,
        code: 'ServiceUnavailable',
        message: 'injected outage',
      });
      const o = await sweep({ sim, env: { GRAPH_MAX_RETRIES: '0' } });
      expect(o.run.code, o.run.stderr).toBe(1);
      expect(o.run.stderr).toMatch(
        /Remediation failed: allow-next-enrollment \S+ dead-lettered after 10 deliveries \(MaxDeliveryCountExceeded\): .*503/,
      );
      const view = JSON.parse(o.run.stdout) as {
        deadLettered: { action: string; reason: string; description: string; deliveryCount: number }[];
      };
      expect(view.deadLettered).toHaveLength(1);
      expect(view.deadLettered[0]).toMatchObject({
        action: 'allow-next-enrollment',
        reason: 'MaxDeliveryCountExceeded',
        deliveryCount: 10,
      });
      const unblocks = o.writes.filter((w) => w.call.endsWith('/allowNextEnrollment'));
      expect(unblocks).toHaveLength(10);
      expect(unrecorded(o)).toEqual([]);
    } finally {
      await sim.stop();
    }
  }, 120_000);

  it('text output lists the dead-lettered command and does not count it as done', async () => {
    const sim = await startSimulator({ scenario: 'demo', port: 0 });
    try {
      sim.faults.add({
        method: 'POST',
        path: 'owners/\\$ref$',
        status: 503,
        code: 'ServiceUnavailable',
        message: 'injected outage',
      });
      const prefix = `nhwtext${Date.now() % 10000}`;
      const proxy = await startTcpProxy(endpointOf(azurite.connectionString));
      try {
        const run = await runCli(['sweep'], {
          GRAPH_BASE_URL: sim.url,
          GRAPH_TOKEN: sim.token,
          GRAPH_MAX_RETRIES: '0',
          STORAGE_CONNECTION_STRING: throughProxy(azurite.connectionString, proxy.port),
          TABLE_PREFIX: prefix,
          REMEDIATION_MODE: 'enforce',
          DEVICE_PREP_GROUPS: JSON.stringify([
            {
              groupId: DEMO_GROUP,
              policyName: 'Contoso Win11 device preparation',
              policyId: '7a000000-0000-4000-8000-000000000001',
            },
          ]),
          TENANT_NAME: 'e2e',
        });
        expect(run.code).toBe(1);
        expect(run.stdout).toMatch(/FAILED — dead-lettered after every delivery failed \(1\)/);
        expect(run.stdout).toMatch(/restore-device-prep-owner/);
        expect(run.stdout).toMatch(/1 FAILED \(dead-lettered\)/);
      } finally {
        await proxy.stop();
      }
    } finally {
      await sim.stop();
    }
  }, 120_000);
});
