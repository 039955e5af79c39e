// The many-tenants case (issue 21: "a 50-tenant bench case (1,000 devices each) runs a full poll cycle of all
// tenants within 2 × the slowest single tenant's time and reports memory"). One simulator process hosts every
// tenant (its --tenants file), with the other cases' latency and write limit on each. Then, each in its own worker
// process (bench/fleet-worker.ts): every tenant alone (the baseline: the slowest of these is the yardstick), and
// all tenants through one in-process fan-out at each TENANT_CONCURRENCY asked for.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runWorker, startSim, stopSim } from './children.js';
import { benchTenants, simTenantsFile, type BenchTenant } from './fleet-tenants.js';
import type { FleetRun } from './fleet-types.js';
import { WRITE_LIMIT, type Target } from './types.js';

export interface FleetCaseOptions {
  readonly tenants: number;
  readonly devices: number;
  readonly latencyMs: number;
  /** TENANT_CONCURRENCY of each fleet run; 'default' leaves the setting unset. */
  readonly concurrencies: readonly (number | 'default')[];
  /** How many tenants run alone for the baseline (spread over the list); all of them unless asked otherwise. */
  readonly baseline: number;
}

export interface FleetCaseResult {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly settings: {
    readonly tenants: number;
    readonly devicesPerTenant: number;
    readonly latencyMs: number;
    readonly writeLimit: typeof WRITE_LIMIT;
    readonly job: 'compliance';
    readonly stores: 'memory';
    readonly baselineTenants: number;
  };
  /** How long the simulator took to generate every tenant and listen. */
  readonly simStartMs: number;
  /** An unmeasured first run (the simulator's routes are cold on its first requests). */
  readonly warmup: FleetRun;
  readonly alone: FleetRun[];
  readonly fleet: FleetRun[];
  readonly targets: Target[];
}

/** `count` tenants spread evenly over the list (all of them when count ≥ the list). */
function spread(tenants: readonly BenchTenant[], count: number): BenchTenant[] {
  if (count >= tenants.length) return [...tenants];
  return Array.from({ length: count }, (_, i) => tenants[Math.floor((i * tenants.length) / count)]!);
}

export async function runFleetCase(o: FleetCaseOptions): Promise<FleetCaseResult> {
  const startedAt = new Date().toISOString();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autopilot-medic-bench-fleet-'));
  try {
    const tenants = benchTenants(o.tenants);
    // The tokens are in these two files only (a temporary folder, removed afterwards), never on a command line.
    const simFile = path.join(dir, 'sim-tenants.json');
    const appFile = path.join(dir, 'tenants.json');
    writeFileSync(simFile, JSON.stringify(simTenantsFile(tenants, o.devices, o.latencyMs)));
    writeFileSync(appFile, JSON.stringify(tenants));
    process.stderr.write(
      `bench: tenants, ${o.tenants} × ${o.devices.toLocaleString('en-US')} devices: starting the simulator …\n`,
    );
    const t0 = Date.now();
    const sim = await startSim(['--tenants', simFile]);
    const simStartMs = Date.now() - t0;
    let n = 0;
    const run = async (label: string, concurrency: number | 'default', only?: string): Promise<FleetRun> => {
      const out = path.join(dir, `run-${++n}.json`);
      process.stderr.write(`bench: tenants, ${label} …\n`);
      await runWorker('fleet-worker.js', [
        '--sim',
        sim.url,
        '--sim-pid',
        String(sim.child.pid ?? 0),
        '--tenants',
        appFile,
        '--concurrency',
        String(concurrency),
        '--out',
        out,
        ...(only === undefined ? [] : ['--only', only]),
      ]);
      return JSON.parse(readFileSync(out, 'utf8')) as FleetRun;
    };
    try {
      const warmup = await run('warm-up (not counted)', 'default', tenants[0]!.id);
      const alone: FleetRun[] = [];
      const chosen = spread(tenants, o.baseline);
      for (const [i, t] of chosen.entries()) alone.push(await run(`alone ${i + 1}/${chosen.length}`, 'default', t.id));
      const fleet: FleetRun[] = [];
      for (const c of o.concurrencies) fleet.push(await run(`all ${o.tenants}, TENANT_CONCURRENCY ${c}`, c));
      return {
        startedAt,
        finishedAt: new Date().toISOString(),
        settings: {
          tenants: o.tenants,
          devicesPerTenant: o.devices,
          latencyMs: o.latencyMs,
          writeLimit: WRITE_LIMIT,
          job: 'compliance',
          stores: 'memory',
          baselineTenants: chosen.length,
        },
        simStartMs,
        warmup,
        alone,
        fleet,
        targets: fleetTargets(alone, fleet, o.devices, o.tenants),
      };
    } finally {
      await stopSim(sim.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- targets

const MB = 1024 * 1024;
const s = (ms: number): string => (ms / 1000).toFixed(2);

export function slowestAlone(alone: readonly FleetRun[]): FleetRun {
  return alone.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
}

/**
 * The slowest tenant alone once the time its JavaScript thread waited for a core is taken out (null when the wait
 * was not measured): the yardstick of the estimate for a machine whose cores the bench does not share.
 */
export function slowestLessWaits(alone: readonly FleetRun[]): number | null {
  if (alone.some((a) => a.appRunQueueWaitMs === null || a.appRunQueueWaitMs === undefined)) return null;
  return Math.max(...alone.map((a) => a.wallMs - (a.appRunQueueWaitMs ?? 0)));
}

/**
 * What each tenant's log must show after a run: its own requests only, and in a fan-out the same Graph calls, by
 * collection, as when it ran alone (a token crossed would add one tenant's calls to another's log).
 */
/**
 * A tenant's calls by collection, as compared between its run alone and in the fan-out. The Autopilot settings are
 * left out: they are read again when a run plans a sync, and whether it does depends on when the run falls in the
 * tenant's sync window (one run of 50 alone read them twice). Every other collection must match exactly; a crossed
 * token would add a whole second tenant's reads, and the findings check below catches it too.
 */
function callsCompared(byCollection: Readonly<Record<string, number>>): string {
  // Keys are in a fixed order (countBy sorts them), so the JSON text compares the whole breakdown.
  return JSON.stringify(Object.entries(byCollection).filter(([k]) => k !== 'settings'));
}

function isolation(run: FleetRun, aloneCalls: ReadonlyMap<string, string>, devices: number, hosted: number): string[] {
  const problems: string[] = [];
  const inRun = new Set(run.tenants);
  for (const r of run.requests) {
    if (r.foreign > 0) problems.push(`${r.tenant}: ${r.foreign} requests of another tenant in its log`);
    if (!inRun.has(r.tenant) && r.wire > 0) problems.push(`${r.tenant}: not in this run, yet ${r.wire} requests`);
    if (inRun.has(r.tenant) && r.wire === 0) problems.push(`${r.tenant}: in this run, yet no request`);
    const want = aloneCalls.get(r.tenant);
    if (inRun.has(r.tenant) && want !== undefined && run.mode === 'fleet' && callsCompared(r.byCollection) !== want)
      problems.push(`${r.tenant}: ${r.calls} Graph calls, not the same as alone`);
  }
  for (const d of run.data)
    if (d.ownPlants === 0 || d.mostOtherPlants >= d.ownPlants)
      problems.push(
        `${d.tenant}: ${d.ownPlants} of ${d.deviceFindings} devices with findings are its own plants, ${d.mostOtherPlants} another tenant's`,
      );
  for (const t of run.timings)
    if (t.devices !== devices) problems.push(`${t.tenant}: report of ${t.devices ?? 'no'} devices, not ${devices}`);
  const others = run.requests.filter((r) => !inRun.has(r.tenant)).length + (run.quietOthers ?? 0);
  if (run.tenants.length + others !== hosted) problems.push(`${run.tenants.length + others} of ${hosted} logs read`);
  if (run.unauthenticated > 0) problems.push(`${run.unauthenticated} requests with no hosted tenant's token`);
  if (run.figures['failed'] !== 0) problems.push(`${String(run.figures['failed'])} tenants failed`);
  return problems;
}

export function fleetTargets(
  alone: readonly FleetRun[],
  fleet: readonly FleetRun[],
  devices: number,
  hosted: number,
): Target[] {
  if (alone.length === 0) return [];
  const slowest = slowestAlone(alone);
  const aloneCalls = new Map(
    alone.map((a) => [a.tenants[0]!, callsCompared(a.requests.find((r) => r.tenant === a.tenants[0])!.byCollection)]),
  );
  const lessWaits = slowestLessWaits(alone);
  const out: Target[] = [];
  for (const f of fleet) {
    const ratio = f.wallMs / slowest.wallMs;
    // Results from before the wait was measured have no such field.
    const wait = f.appRunQueueWaitMs ?? null;
    out.push({
      target: `${f.tenants.length} tenants × ${devices.toLocaleString('en-US')} devices, TENANT_CONCURRENCY ${f.concurrency}${f.concurrencyIsDefault ? ' (default)' : ''}: full poll cycle ≤ 2 × the slowest tenant alone`,
      measured:
        `${s(f.wallMs)} s / ${s(slowest.wallMs)} s = ${ratio.toFixed(2)}×` +
        (f.firstCycleWallMs === undefined
          ? ''
          : ` (the cycle before it, the first after deployment with no tenant's size known yet: ` +
            `${s(f.firstCycleWallMs)} s = ${(f.firstCycleWallMs / slowest.wallMs).toFixed(2)}×)`) +
        `; peak RSS ${Math.round(f.peakRssBytes / MB)} MB, ` +
        `app CPU ${s(f.cpuMs)} s, simulator CPU ${f.simCpuMs === null ? '?' : s(f.simCpuMs)} s` +
        (lessWaits === null || wait === null
          ? ''
          : `; the app's JavaScript thread waited ${s(wait)} s for a core (taken by the simulator, the app's own ` +
            `helper threads and ${f.otherCpuMs === null ? '?' : s(f.otherCpuMs)} s of other processes' CPU): ` +
            `without that wait in either wall ` +
            `${((f.wallMs - wait) / lessWaits).toFixed(2)}×`),
      met: ratio <= 2,
    });
  }
  const runs = [...alone, ...fleet];
  const problems = runs.flatMap((r) =>
    isolation(r, aloneCalls, devices, hosted).map((p) => `${r.mode} ${r.concurrency}: ${p}`),
  );
  out.push({
    target:
      'Each tenant read with its own token, nothing crossed (the simulator logs each request under the tenant its token names)',
    measured:
      problems.length === 0
        ? `every run: each tenant's log holds only its own requests and its findings are on its own planted devices; tenants outside a run had none; no request without a hosted tenant's token; in each fan-out every tenant made the same Graph calls as alone and reported ${devices.toLocaleString('en-US')} devices`
        : `${problems.length} problems: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ' …' : ''}`,
    met: problems.length === 0,
  });
  return out;
}
