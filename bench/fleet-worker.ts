// One run of the many-tenants case (issue 21) in its own process (started by bench/fleet-case.ts), so the peak RSS
// and CPU are this run's alone:
//
//   node --expose-gc dist/bench/fleet-worker.js --sim URL --sim-pid PID --tenants FILE --concurrency N --out FILE
//        [--only TENANT_ID]
//
// The deployment is built as the Functions host builds it: loadDeployment over an environment whose TENANTS lists
// the tenants (each with its own GRAPH_TOKEN), buildFleet (a container and stores per tenant), then the timer's
// in-process fan-out, `fanOut(fleet, 'compliance', …)`, TENANT_CONCURRENCY at a time (Service Bus is not available
// here). With --only, TENANTS lists that one tenant: the same code path, alone, as the baseline.
//
// The job is 'compliance', the daily full sweep: the fan-out's 'poll' job is always incremental, so the full read
// of every device is the compliance job (a full poll plus its report). REMEDIATION_MODE stays at its default
// ('plan'): the bench measures the poll cycle's reads, not remediation writes (the burst case does those).
// Stores: one set of in-memory stores per tenant, the reads case's choice, so Table Storage latency does not
// pollute the Graph figures.

import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { fanOut } from '../functions/tenant-jobs.js';
import { createMemoryStores } from '../shared/adapters/inprocess/memory-stores.js';
import { buildFleet, type Fleet } from '../shared/composition/fleet.js';
import { loadDeployment, type TenantProfile } from '../shared/config/index.js';
import type { Logger, LogFields, Stores } from '../shared/ports/index.js';
import { tenantsSetting, type BenchTenant } from './fleet-tenants.js';
import type { FleetRun, TenantRequests, TenantTiming } from './fleet-types.js';
import { cpuOf, machineCpuMs, PeakRss, processCpuMs, runQueueWaitMs, SimControl, summarize } from './measure.js';
import { DEVICEPREP_GROUP_ID, DEVICEPREP_POLICY, DEVICEPREP_POLICY_ID } from './scenarios.js';
import { tenantData } from './tenant-data.js';
import { parseArgs } from './args.js';

/** The deployment's app settings: the reads case's, minus its enforce mode, plus TENANTS and the concurrency. */
function deploymentEnv(
  simUrl: string,
  tenants: readonly BenchTenant[],
  concurrency: number | null,
): Record<string, string> {
  return {
    GRAPH_BASE_URL: simUrl,
    GRAPH_AUTH: 'static-token',
    TENANTS: tenantsSetting(tenants),
    ...(concurrency === null ? {} : { TENANT_CONCURRENCY: String(concurrency) }),
    // Every generated tenant has its device-preparation group at the generator's fixed id.
    DEVICE_PREP_GROUPS: JSON.stringify([
      { groupId: DEVICEPREP_GROUP_ID, policyName: DEVICEPREP_POLICY, policyId: DEVICEPREP_POLICY_ID },
    ]),
    LOG_LEVEL: 'warn',
  };
}

/** Records each tenant's job summary (its end) and counts warnings and errors; prints nothing. */
function recordingLogger(): Logger & {
  ends: Map<string, { at: number; fields: LogFields }>;
  counts: Record<string, number>;
} {
  const ends = new Map<string, { at: number; fields: LogFields }>();
  const counts: Record<string, number> = {};
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (event: string, fields?: LogFields) => {
    const tenant = fields?.['tenant'];
    if (event.endsWith('.summary') && typeof tenant === 'string')
      ends.set(tenant, { at: performance.now(), fields: fields ?? {} });
    if (level === 'warn' || level === 'error') counts[event] = (counts[event] ?? 0) + 1;
  };
  return { ends, counts, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * The fleet, noting when fan-out asks for each tenant's container to run it: the moment that tenant's turn came.
 * fanOut asks twice per tenant: first, all at once, to read the size it weighs (tenant-jobs.ts, tenantWeights), then
 * when its turn comes; the second ask is the one noted.
 */
function timedFleet(fleet: Fleet, starts: Map<string, number>): Fleet {
  const asked = new Map<string, number>();
  return {
    ...fleet,
    container: (tenant) => {
      const n = (asked.get(tenant.key) ?? 0) + 1;
      asked.set(tenant.key, n);
      if (n === 2) starts.set(tenant.key, performance.now());
      return fleet.container(tenant);
    },
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

async function tenantRequests(sim: SimControl, id: string): Promise<TenantRequests> {
  const log = await sim.requests(0, id);
  const s = summarize(log);
  return {
    tenant: id,
    wire: s.wire,
    reads: s.wireReads,
    writes: s.wireWrites,
    calls: Object.values(s.byCollection).reduce((a, b) => a + b, 0),
    byCollection: s.byCollection,
    errors: Object.values(s.errors).reduce((a, b) => a + b, 0),
    throttled429: s.throttled429,
    foreign: log.filter((e) => e.tenant?.toLowerCase() !== id.toLowerCase()).length,
  };
}

async function main(): Promise<void> {
  const raw = parseArgs(process.argv.slice(2));
  const simUrl = raw['sim'];
  const out = raw['out'];
  const file = raw['tenants'];
  // 'default': TENANT_CONCURRENCY unset, so the run shows what the deployment's default does.
  const concurrency = raw['concurrency'] === 'default' ? null : Number(raw['concurrency']);
  if (!simUrl || !out || !file || (concurrency !== null && !Number.isInteger(concurrency))) {
    throw new Error(
      'usage: fleet-worker --sim URL --tenants FILE --concurrency N|default --out FILE [--sim-pid PID] [--only TENANT_ID]',
    );
  }
  const simPid = raw['sim-pid'] ? Number(raw['sim-pid']) : null;
  const all = JSON.parse(readFileSync(file, 'utf8')) as BenchTenant[];
  const only = raw['only'];
  const selected = only === undefined ? all : all.filter((t) => t.id === only);
  if (selected.length === 0) throw new Error('--only names no tenant of the tenants file');

  const sim = new SimControl(simUrl);
  const logger = recordingLogger();
  const deployment = loadDeployment(deploymentEnv(simUrl, selected, concurrency));
  // Each tenant's own stores, kept to check afterwards whose data it read.
  const storesOf = new Map<string, Stores>();
  const storesFor = (t: TenantProfile | null): Stores => {
    const stores = createMemoryStores();
    if (t !== null) storesOf.set(t.key, stores);
    return stores;
  };
  const fleet = await buildFleet(deployment, { logger, storesFor, tenantRuns: null });
  const starts = new Map<string, number>();

  // The first cycle after a deployment: no tenant has been swept, so each weighs an eighth of TENANT_DEVICE_BUDGET and
  // they run eight at a time. Its wall is reported; the cycle measured is the next one, the steady state every later
  // timer sees (each tenant weighs the devices it counted).
  const firstSlot = `bench-first-${Date.now()}`;
  const firstStart = performance.now();
  await fanOut(fleet, 'compliance', firstSlot, `${firstSlot}:fleet`, recordingLogger());
  const firstCycleWallMs = performance.now() - firstStart;

  // Every hosted tenant's log is emptied, so afterwards each log holds exactly this run's requests.
  for (const t of all) await sim.clearRequests(t.id);
  const unauth0 = (await sim.unauthenticated()).reduce((max, e) => Math.max(max, e.seq), 0);

  global.gc?.();
  const rss = new PeakRss();
  const sim0 = simPid === null ? null : processCpuMs(simPid);
  const machine0 = machineCpuMs();
  const wait0 = { app: runQueueWaitMs('self'), sim: simPid === null ? null : runQueueWaitMs(simPid) };
  const elu0 = performance.eventLoopUtilization();
  rss.start();
  const t0 = performance.now();
  const slot = `bench-${Date.now()}`;
  const {
    value: { figures },
    cpuMs,
    wallMs,
  } = await cpuOf(() => fanOut(timedFleet(fleet, starts), 'compliance', slot, `${slot}:fleet`, logger));
  const peakRssBytes = rss.stop();
  const elu = performance.eventLoopUtilization(elu0);
  const sim1 = simPid === null ? null : processCpuMs(simPid);
  const machine1 = machineCpuMs();
  const wait1 = { app: runQueueWaitMs('self'), sim: simPid === null ? null : runQueueWaitMs(simPid) };
  const waited = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);
  const simCpuMs = sim0 === null || sim1 === null ? null : sim1 - sim0;

  const timings: TenantTiming[] = selected.map((t) => {
    const start = starts.get(t.id) ?? t0;
    const end = logger.ends.get(t.id);
    return {
      tenant: t.id,
      startOffsetMs: start - t0,
      runMs: (end?.at ?? t0 + wallMs) - start,
      devices: num(end?.fields['devices']),
      findings: num(end?.fields['findings']),
    };
  });
  const requests: TenantRequests[] = [];
  let quietOthers = 0;
  for (const t of all) {
    const r = await tenantRequests(sim, t.id);
    if (selected.includes(t) || r.wire > 0 || r.foreign > 0) requests.push(r);
    else quietOthers++;
  }
  const unauthenticated = (await sim.unauthenticated(unauth0)).length;
  const data = await tenantData(
    sim,
    all.map((t) => t.id),
    storesOf,
  );
  await fleet.dispose();

  const result: FleetRun = {
    mode: only === undefined ? 'fleet' : 'alone',
    concurrency: deployment.concurrency,
    concurrencyIsDefault: concurrency === null,
    tenants: selected.map((t) => t.id),
    wallMs,
    firstCycleWallMs,
    cpuMs,
    peakRssBytes,
    rssSource: rss.source,
    eventLoopUtilization: elu.utilization,
    simCpuMs,
    otherCpuMs:
      machine0 === null || machine1 === null || simCpuMs === null
        ? null
        : Math.max(0, machine1 - machine0 - cpuMs - simCpuMs),
    appRunQueueWaitMs: waited(wait0.app, wait1.app),
    simRunQueueWaitMs: waited(wait0.sim, wait1.sim),
    figures,
    timings,
    requests,
    quietOthers,
    data,
    unauthenticated,
    logEvents: logger.counts,
  };
  writeFileSync(out, JSON.stringify(result, null, 2));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
