import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';

import { createGraphAdapters } from '../../../shared/adapters/graph/index.js';
import { createMemoryStores } from '../../../shared/adapters/inprocess/memory-stores.js';
import { InProcessQueue } from '../../../shared/adapters/inprocess/queue.js';
import { runComplianceSweep } from '../../../shared/app/compliance/run-compliance-sweep.js';
import { gatherSnapshot } from '../../../shared/app/poll/gather-snapshot.js';
import { MemoryWatermarkStore } from '../../../shared/adapters/inprocess/memory-stores.js';
import { buildContainer } from '../../../shared/composition/container.js';
import { loadConfig } from '../../../shared/config/index.js';
import { type Logger, PermissionError } from '../../../shared/ports/index.js';
import { startSimulator, type Simulator } from '../../../sim/index.js';
import { adaptersFor, drain } from './sim-harness.js';
import { type Loopback, pause, startLoopback } from './loopback-server.js';

// Issue 13.12: an aborted full sweep left the report-export polling running for seconds. Every read of a run now
// shares one abort signal: the caller's stop, or the first read that fails, cancels the request in flight, the
// export job's waits and polls, a retry's wait and a list's prefetch — nothing more reaches the service.
// Real time here (the adapters' own timers), since what is measured is what happens after the abort.

const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';
const POLICY = 'Contoso Win11 device preparation';
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The demo tenant, with a device-preparation export job that never completes on its own. */
async function simulator(): Promise<Simulator> {
  const sim = await startSimulator({ scenario: 'demo', port: 0, exportJob: { pollsUntilComplete: 1_000 } });
  cleanups.push(() => sim.stop());
  return sim;
}

const exportPolls = (sim: Simulator, sinceSeq = 0) =>
  sim.requests(sinceSeq).filter((r) => r.method === 'GET' && /\/reports\/exportJobs\/./.test(r.path));
const lastSeq = (sim: Simulator): number => sim.requests().reduce((max, r) => Math.max(max, r.seq), 0);

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not reached');
    await pause(20);
  }
}

/** The outcome of `p` if it settles within `ms`, else 'still running'. */
async function within(p: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([
    p.then(
      () => 'resolved',
      (e: unknown) => e,
    ),
    pause(ms).then(() => 'still running'),
  ]);
}

describe('one abort signal for every read of a run', () => {
  it('the caller aborts a full sweep while the export job is polled: it ends at once and nothing more is sent', async () => {
    const sim = await simulator();
    const config = loadConfig({
      GRAPH_BASE_URL: sim.url,
      GRAPH_TOKEN: sim.token,
      TENANT_NAME: 'abort',
      DEVICE_PREP_GROUPS: JSON.stringify([
        { groupId: DEMO_GROUP, policyName: POLICY, policyId: '7a000000-0000-4000-8000-000000000001' },
      ]),
    });
    // A bounded export wait, so code that ignores the abort still ends (failing the assertions, not hanging).
    const container = await buildContainer(config, {
      logger: silent,
      stores: createMemoryStores(),
      queue: new InProcessQueue({ clock: { now: () => Date.now() } }),
      graph: { exportMaxWaitMs: 8_000 },
    });
    cleanups.push(() => container.dispose());
    const stop = new AbortController();
    const options = container.complianceOptions('abort-1');
    const sweep = runComplianceSweep(container.complianceDeps(), {
      ...options,
      poll: { ...options.poll, signal: stop.signal },
    });
    void sweep.catch(() => undefined);

    await until(() => exportPolls(sim).length >= 1);
    const reason = new Error('operator stopped the sweep');
    stop.abort(reason);
    expect(await within(sweep, 300)).toBe(reason);
    // A request already on the wire when the abort came (the second export job's first poll, under CI load) still
    // reaches the simulator; it was sent before the abort. Count from once those have landed.
    await pause(100);
    const seq = lastSeq(sim);
    // The next export poll was due 2 s after the first.
    await pause(2_500);
    expect(sim.requests(seq)).toEqual([]);
    await sweep.catch(() => undefined);
  });

  it('a sibling read fails during the export poll: the export stops polling at once', async () => {
    const sim = await simulator();
    // Managed devices answer 403 after 1.5 s: after the first export poll (1 s), before the second (3 s).
    sim.faults.add({ path: 'managedDevices$', status: 403, latencyMs: 1_500 });
    const g = adaptersFor(sim, {}, { batchReads: true, exportMaxWaitMs: 8_000 });
    const started = performance.now();
    const gather = gatherSnapshot(
      { autopilot: g.autopilot, directory: g.directory, watermarks: new MemoryWatermarkStore() },
      {
        kind: 'full',
        tenant: 't',
        now: sim.clock.nowMs(),
        overlapMs: 3_600_000,
        devicePrepGroups: [{ groupId: DEMO_GROUP, policyName: POLICY }],
      },
    );
    const err = await gather.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PermissionError);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(exportPolls(sim).length).toBeGreaterThanOrEqual(1);
    await pause(100);
    const seq = lastSeq(sim);
    await pause(3_000);
    expect(exportPolls(sim, seq)).toEqual([]);
    expect(sim.requests(seq)).toEqual([]);
  });
});

describe('an aborted read stops at once, wherever it is', () => {
  let server: Loopback | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });
  const adapters = (url: string, maxRetries = 1) =>
    createGraphAdapters({
      baseUrl: url,
      auth: { kind: 'static-token', token: 'abort-token' },
      isMicrosoftGraph: false,
      maxRetries,
    });

  it('in a retry wait (503 with Retry-After): rejects with the reason and never retries', async () => {
    server = await startLoopback(() => ({
      status: 503,
      headers: { 'retry-after': '3' },
      body: { error: { code: 'ServiceUnavailable', message: 'busy' } },
    }));
    const stop = new AbortController();
    const read = adapters(server.url).autopilot.getSettings({ signal: stop.signal });
    void read.catch(() => undefined);
    await until(() => server?.requests.length === 1);
    const reason = new Error('stop');
    stop.abort(reason);
    expect(await within(read, 300)).toBe(reason);
    await pause(3_500);
    expect(server.requests).toHaveLength(1);
  });

  it('with a request in flight: the request is cancelled and the read rejects with the reason', async () => {
    server = await startLoopback(() => ({ hang: true }));
    const stop = new AbortController();
    const read = adapters(server.url, 0).autopilot.getSettings({ signal: stop.signal });
    void read.catch(() => undefined);
    await until(() => server?.requests.length === 1);
    const reason = new Error('stop');
    stop.abort(reason);
    expect(await within(read, 300)).toBe(reason);
  });

  it('in the middle of a paged list with prefetch: no further page is requested', async () => {
    server = await startLoopback((_req, n, self) => ({
      delayMs: 150,
      body: {
        '@odata.nextLink': `${self.url}/beta/deviceManagement/managedDevices?$skiptoken=${n}`,
        value: [{ id: `md-${n}` }],
      },
    }));
    const stop = new AbortController();
    const read = drain(adapters(server.url, 0).directory.listManagedDevices({ signal: stop.signal }));
    void read.catch(() => undefined);
    await until(() => (server?.requests.length ?? 0) >= 3);
    const reason = new Error('stop');
    stop.abort(reason);
    const sent = server.requests.length;
    expect(await within(read, 300)).toBe(reason);
    await pause(600);
    expect(server.requests).toHaveLength(sent);
  });

  it('many reads waiting under one run signal add no listeners to it (no MaxListenersExceededWarning)', async () => {
    server = await startLoopback(() => ({
      status: 503,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'ServiceUnavailable', message: 'busy' } },
    }));
    const stop = new AbortController();
    const g = adapters(server.url);
    const reads = Array.from({ length: 12 }, (_, i) =>
      g.directory.getGroup(`6f1c0000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`, { signal: stop.signal }),
    );
    for (const r of reads) void r.catch(() => undefined);
    await until(() => server?.requests.length === 12);
    await pause(50);
    // All 12 are in their retry wait now.
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    stop.abort(new Error('stop'));
    for (const r of reads) expect(await within(r, 300)).toMatchObject({ message: 'stop' });
  });
});
