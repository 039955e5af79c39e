// Tables of the many-tenants case: one row for the baseline (every tenant alone, median and slowest) and one per
// fan-out, with what explains a fan-out's wall time: how busy the app's event loop was (1 = CPU-bound), the
// simulator's CPU, how long each tenant's own run took inside the fan-out and when the last tenant's turn came.

import { slowestAlone, slowestLessWaits, type FleetCaseResult } from './fleet-case.js';
import type { FleetRun } from './fleet-types.js';

const MB = 1024 * 1024;
const s = (ms: number): string => (ms / 1000).toFixed(2);
const mb = (b: number): string => String(Math.round(b / MB));

function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
const max = (xs: readonly number[]): number => Math.max(...xs);
/** "median / max" of a figure over runs or tenants. */
const mm = (xs: readonly number[], f: (n: number) => string): string => `${f(median(xs))} / ${f(max(xs))}`;

export const FLEET_HEAD = [
  'run',
  'tenants',
  'TENANT_CONCURRENCY',
  'wall s',
  '× slowest alone',
  'peak RSS MB',
  'app CPU s',
  'app event loop busy',
  'sim CPU s',
  "others' CPU s",
  'app / sim waited for a core s',
  '× slowest alone, less app waits',
  'tenant run s (median / max)',
  'last turn at s',
  'requests per tenant',
  '429s',
];

const range = (xs: readonly number[]): string =>
  Math.min(...xs) === max(xs) ? String(max(xs)) : `${Math.min(...xs)}–${max(xs)}`;

/**
 * The tenants' own requests on the wire and the Graph calls they carried (which reads share a $batch depends on
 * timing; the calls do not). Tenants outside the run are checked by the targets, not shown.
 */
function ownRequests(runs: readonly FleetRun[]): string {
  const own = runs.flatMap((r) => r.requests.filter((q) => r.tenants.includes(q.tenant)));
  return `${range(own.map((q) => q.wire))} (${range(own.map((q) => q.calls))} calls)`;
}

export function fleetRows(res: FleetCaseResult): string[][] {
  const slowest = slowestAlone(res.alone).wallMs;
  const a = res.alone;
  const rows: string[][] = [
    [
      `each tenant alone (median / slowest of ${a.length})`,
      '1',
      '',
      mm(
        a.map((r) => r.wallMs),
        s,
      ),
      '1.00',
      mm(
        a.map((r) => r.peakRssBytes),
        mb,
      ),
      mm(
        a.map((r) => r.cpuMs),
        s,
      ),
      mm(
        a.map((r) => r.eventLoopUtilization),
        (x) => `${Math.round(x * 100)} %`,
      ),
      mm(
        a.map((r) => r.simCpuMs ?? 0),
        s,
      ),
      mm(
        a.map((r) => r.otherCpuMs ?? 0),
        s,
      ),
      `${mm(
        a.map((r) => r.appRunQueueWaitMs ?? 0),
        s,
      )} app`,
      '1.00',
      mm(
        a.flatMap((r) => r.timings.map((t) => t.runMs)),
        s,
      ),
      '',
      ownRequests(a),
      String(a.reduce((n, r) => n + r.requests.reduce((m, q) => m + q.throttled429, 0), 0)),
    ],
  ];
  const lessWaits = slowestLessWaits(res.alone);
  for (const f of res.fleet) {
    rows.push([
      'all through one fan-out',
      String(f.tenants.length),
      `${f.concurrency}${f.concurrencyIsDefault ? ' (default)' : ''}`,
      s(f.wallMs),
      (f.wallMs / slowest).toFixed(2),
      mb(f.peakRssBytes),
      s(f.cpuMs),
      `${Math.round(f.eventLoopUtilization * 100)} %`,
      f.simCpuMs === null ? '' : s(f.simCpuMs),
      f.otherCpuMs === null || f.otherCpuMs === undefined ? '' : s(f.otherCpuMs),
      `${s(f.appRunQueueWaitMs ?? 0)} / ${s(f.simRunQueueWaitMs ?? 0)}`,
      lessWaits === null ? '' : ((f.wallMs - (f.appRunQueueWaitMs ?? 0)) / lessWaits).toFixed(2),
      mm(
        f.timings.map((t) => t.runMs),
        s,
      ),
      s(max(f.timings.map((t) => t.startOffsetMs))),
      ownRequests([f]),
      String(f.requests.reduce((n, q) => n + q.throttled429, 0)),
    ]);
  }
  return rows;
}

export function fleetIntro(res: FleetCaseResult, machine: string): string {
  const st = res.settings;
  return (
    `Last run ${res.finishedAt.slice(0, 16).replace('T', ' ')} UTC on ${machine}; ${st.tenants} generated tenants × ` +
    `${st.devicesPerTenant.toLocaleString('en-US')} devices (each its own id, data seed and token) in one simulator ` +
    `process (generated in ${s(res.simStartMs)} s), ${st.latencyMs} ms per Graph request and ${st.writeLimit.max} writes ` +
    `per ${st.writeLimit.windowMs / 1000} s on each tenant. The job is the timer's '${st.job}' (the full sweep: every ` +
    `device read, then the report), REMEDIATION_MODE at its default (plan), in-memory stores per tenant. Every run is ` +
    `its own process: each of ${st.baselineTenants} tenants alone (after one unmeasured warm-up run), then all ` +
    `${st.tenants} through fanOut (in-process; Service Bus is not used here). Each process runs two cycles and ` +
    `measures the second: the first after a deployment knows no tenant's size, so each weighs an eighth of ` +
    `TENANT_DEVICE_BUDGET and they go eight at a time (its wall is in the target line); from the second on, each ` +
    `weighs the devices it counted, as every later timer sees it. "tenant run" is a tenant's own job ` +
    `inside the run; "last turn at" is when the fan-out started its last tenant; "others' CPU" is what the ` +
    `machine's other processes used meanwhile (the bench shares the machine's cores); "waited for a core" is how long ` +
    `the app's JavaScript thread (and the simulator's) was ready to run but had no core (/proc/PID/schedstat), and ` +
    `the last column takes the app's wait out of both walls: an estimate of the ratio on cores of its own.`
  );
}
