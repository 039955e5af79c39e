// Measurement helpers for the benchmark worker: peak RSS of THIS process, CPU time, and the simulator's
// request log (read over its control endpoint, because the simulator runs in another process).

import { readFileSync, writeFileSync } from 'node:fs';
import { GCProfiler } from 'node:v8';

import type { Stores } from '../shared/ports/index.js';
import type { RequestLogEntry } from '../sim/index.js';

// ---------------------------------------------------------------- memory

/**
 * Peak RSS. Linux keeps the high-water mark in /proc/self/status (VmHWM) and resets it when "5" is written to
 * /proc/self/clear_refs, so each run's peak is exact and does not carry over from the run before. Elsewhere a
 * 50 ms sampler of process.memoryUsage().rss stands in (it can miss a short spike).
 */
export class PeakRss {
  private samples: { t: number; rss: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly kernel: boolean;

  constructor() {
    this.kernel = readHwm() !== null;
  }

  get source(): string {
    return this.kernel ? 'VmHWM (kernel high-water mark, reset per run)' : 'sampled every 50 ms';
  }

  /**
   * The sampler running now, if any. Its timer fires only when the event loop turns, and after the reads a sweep's
   * phases run on the in-memory stores' promises without a turn, so timedStores also samples on each store call.
   */
  static current: PeakRss | null = null;

  /** Takes a sample now (at most one a millisecond). */
  sample(): void {
    const t = Date.now();
    if (t === this.samples[this.samples.length - 1]?.t) return;
    this.samples.push({ t, rss: process.memoryUsage.rss() });
  }

  start(): void {
    PeakRss.current = this;
    if (this.kernel) {
      try {
        writeFileSync('/proc/self/clear_refs', '5');
      } catch {
        // Not allowed here: the peak then covers the process so far (each size runs in a fresh process anyway).
      }
    }
    this.samples = [{ t: Date.now(), rss: process.memoryUsage().rss }];
    this.timer = setInterval(() => this.samples.push({ t: Date.now(), rss: process.memoryUsage().rss }), 50);
    this.timer.unref();
  }

  /** Peak RSS in bytes since start(). */
  stop(): number {
    if (PeakRss.current === this) PeakRss.current = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.samples.push({ t: Date.now(), rss: process.memoryUsage().rss });
    const hwm = this.kernel ? readHwm() : null;
    return Math.max(hwm ?? 0, ...this.samples.map((s) => s.rss));
  }

  /** Highest sampled RSS up to time `t` (epoch ms), `slackMs` after it included. */
  peakUntil(t: number, slackMs = 50): number {
    return this.samples.filter((s) => s.t <= t + slackMs).reduce((max, s) => Math.max(max, s.rss), 0);
  }
}

/** One full (mark-compact) collection: the heap V8 let grow before it, and what was still live after it. */
export interface FullCollection {
  readonly heapBeforeBytes: number;
  readonly liveAfterBytes: number;
  /** Memory outside the heap (typed arrays' bytes among it) before the collection: freed only by one like it. */
  readonly externalBeforeBytes: number;
}

/**
 * The full collections of a run, from V8's own statistics (v8.GCProfiler). Peak RSS follows when V8 collects, not
 * only what is live: after a full collection it lets the old generation grow to a multiple of what survived before
 * the next one, so the gap between `heapBeforeBytes` and the previous `liveAfterBytes` is garbage waiting.
 */
export class FullCollections {
  private readonly profiler = new GCProfiler();

  start(): void {
    this.profiler.start();
  }

  stop(): { readonly collections: FullCollection[]; readonly heapLimitBytes: number } {
    const stats = this.profiler.stop().statistics;
    const full = stats.filter((g) => g.gcType === 'MarkSweepCompact');
    return {
      collections: full.map((g) => ({
        heapBeforeBytes: g.beforeGC.heapStatistics.usedHeapSize,
        liveAfterBytes: g.afterGC.heapStatistics.usedHeapSize,
        externalBeforeBytes: g.beforeGC.heapStatistics.externalMemory,
      })),
      heapLimitBytes: stats[0]?.beforeGC.heapStatistics.heapSizeLimit ?? 0,
    };
  }
}

function readHwm(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m?.[1] ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU (user + system) in ms spent by this process while `fn` ran. */
export async function cpuOf<T>(fn: () => Promise<T> | T): Promise<{ value: T; cpuMs: number; wallMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const d = process.cpuUsage(cpu0);
  return { value, cpuMs: (d.user + d.system) / 1000, wallMs };
}

/**
 * CPU time (ms) another process has used so far: /proc/PID/schedstat (ns on CPU), else /proc/PID/stat
 * utime + stime at the usual 100 ticks per second. null when neither can be read.
 */
export function processCpuMs(pid: number): number | null {
  try {
    const ns = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    if (Number.isFinite(ns)) return ns / 1e6;
  } catch {
    // fall through
  }
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * How long (ms, so far) a process's main thread — a Node process's JavaScript thread — was ready to run but waiting
 * for a core: the second field of /proc/PID/schedstat (ns). On cores shared with other processes this is the time
 * the machine, not the code, cost. null where it cannot be read.
 */
export function runQueueWaitMs(pid: number | 'self'): number | null {
  try {
    const ns = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) every process on the machine has used so far (all cores): /proc/stat's busy ticks (user, nice,
 * system, irq, softirq, steal) at 100 per second. A run's share left after the app's and the simulator's is what
 * other processes took from the cores the bench shares with them. null where /proc/stat cannot be read.
 */
export function machineCpuMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((a, b) => a + (b ?? 0), 0);
    return Number.isFinite(busy) && line.startsWith('cpu ') ? busy * 10 : null;
  } catch {
    return null;
  }
}

/**
 * A fetch that remembers when the last response body was read (the end of a run's Graph phase). The body is
 * not copied: the response's own text()/arrayBuffer() are wrapped, so the app reads it exactly as before.
 */
export function timedFetch(): { fetch: typeof fetch; lastResponseAt: () => number } {
  let last = 0;
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const res = await fetch(input, init);
    last = Date.now();
    const text = res.text.bind(res);
    const arrayBuffer = res.arrayBuffer.bind(res);
    Object.defineProperty(res, 'text', {
      value: async () => {
        const t = await text();
        last = Date.now();
        return t;
      },
    });
    Object.defineProperty(res, 'arrayBuffer', {
      value: async () => {
        const b = await arrayBuffer();
        last = Date.now();
        return b;
      },
    });
    return res;
  };
  return { fetch: wrapped, lastResponseAt: () => last };
}

/**
 * Time spent inside the stores. The in-memory stores do their work synchronously before returning a promise,
 * so the synchronous part of each call is the CPU they cost the run (it blocks the event loop like any CPU).
 */
export function timedStores(inner: Stores): { stores: Stores; spentMs: () => number } {
  let spent = 0;
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const v: unknown = Reflect.get(t, prop, receiver);
        if (typeof v !== 'function') return v;
        const fn = v as (...args: unknown[]) => unknown;
        return (...args: unknown[]): unknown => {
          PeakRss.current?.sample();
          const t0 = performance.now();
          try {
            return fn.apply(t, args);
          } finally {
            spent += performance.now() - t0;
          }
        };
      },
    });
  const stores: Stores = {
    history: wrap(inner.history),
    findings: wrap(inner.findings),
    claims: wrap(inner.claims),
    governor: wrap(inner.governor),
    watermarks: wrap(inner.watermarks),
    alerts: wrap(inner.alerts),
    approvals: wrap(inner.approvals),
    reports: wrap(inner.reports),
    runs: wrap(inner.runs),
    runOutcomes: wrap(inner.runOutcomes),
  };
  return { stores, spentMs: () => spent };
}

// ---------------------------------------------------------------- the simulator, over its control endpoints

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);

/** fetch's error when the connection was closed under the request (undici's UND_ERR_SOCKET). */
function closedBeforeAnswer(e: unknown): boolean {
  const cause = e instanceof Error ? (e.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'UND_ERR_SOCKET';
}

export class SimControl {
  constructor(readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const send = (): Promise<Response> =>
      fetch(`${this.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let res: Response;
    try {
      res = await send();
    } catch (e) {
      // A run's phases after its reads can keep the event loop busy for longer than the simulator keeps an idle
      // connection (5 s): undici's timer that would drop the connection cannot fire, so the next request goes out
      // on a socket the simulator has already closed ("other side closed"). The simulator never saw that request;
      // an idempotent one is sent again, once, on a new connection.
      if (!IDEMPOTENT.has(method) || !closedBeforeAnswer(e)) throw e;
      res = await send();
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  /** One tenant's request log (`tenant`: its id; default the simulator's first tenant). */
  async requests(sinceSeq = 0, tenant?: string): Promise<RequestLogEntry[]> {
    const which = tenant === undefined ? '' : `&tenant=${encodeURIComponent(tenant)}`;
    return (await this.call<{ value: RequestLogEntry[] }>('GET', `/_sim/requests?since=${sinceSeq}${which}`)).value;
  }

  /** Requests that carried no hosted tenant's token (no token, an unknown one: the 401s). */
  async unauthenticated(sinceSeq = 0): Promise<RequestLogEntry[]> {
    return (await this.call<{ value: RequestLogEntry[] }>('GET', `/_sim/unauthenticated-requests?since=${sinceSeq}`))
      .value;
  }

  async lastSeq(): Promise<number> {
    return (await this.requests()).reduce((max, r) => Math.max(max, r.seq), 0);
  }

  async clearRequests(tenant?: string): Promise<void> {
    await this.call('DELETE', `/_sim/requests${tenant === undefined ? '' : `?tenant=${encodeURIComponent(tenant)}`}`);
  }

  state(): Promise<{ counts: Record<string, number>; options: Record<string, unknown> }> {
    return this.call('GET', '/_sim/state');
  }

  planted(tenant?: string): Promise<{
    counts: Record<string, number>;
    items: Record<string, { serialNumber: string | null; identityId?: string }[]>;
  }> {
    return this.call('GET', `/_sim/planted${tenant === undefined ? '' : `?tenant=${encodeURIComponent(tenant)}`}`);
  }

  async patch(patch: Record<string, unknown>): Promise<void> {
    await this.call('POST', '/_sim/scenario', { mode: 'patch', ...patch });
  }

  /** Replace the tenant (and its faults), applying the scenario's options. */
  async loadScenario(scenario: unknown): Promise<void> {
    await this.call('POST', '/_sim/scenario', { scenario });
  }

  async options(o: Record<string, unknown>): Promise<void> {
    await this.call('POST', '/_sim/options', o);
  }
}

// ---------------------------------------------------------------- request-log analysis

/** Graph requests on the wire: $batch items are logged again on their own (marked `batch`); those are left out. */
export function wire(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((e) => e.batch === undefined && e.version !== null);
}

/** The logical Graph calls: every unbatched request plus every $batch item (the envelopes left out). */
export function logical(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter(
    (e) => e.version !== null && !(e.batchItems !== undefined && e.path.toLowerCase() === '/$batch'),
  );
}

/** Which collection a request belongs to, by path (ids replaced, so all pages of one list count together). */
export function collectionOf(e: RequestLogEntry): string {
  const p = e.path.replace(/\?.*$/, '');
  if (/\/\$batch$/i.test(p)) return '$batch';
  if (/\/windowsAutopilotDeviceIdentities\/[^/]+\/allowNextEnrollment$/.test(p)) return 'allowNextEnrollment';
  if (/\/windowsAutopilotDeviceIdentities\/[^/]+$/.test(p)) return 'identity (by id)';
  if (/\/windowsAutopilotDeviceIdentities$/.test(p)) {
    const f = e.query['$filter'] ?? '';
    if (/serialNumber/.test(f)) return 'identities (by serial)';
    return /blocked/i.test(f) ? 'identities (blocked)' : 'identities';
  }
  if (/\/importedWindowsAutopilotDeviceIdentities/.test(p)) return 'imports';
  if (/\/windowsAutopilotSettings\/sync$/.test(p)) return 'sync';
  if (/\/windowsAutopilotSettings$/.test(p)) return 'settings';
  if (/\/autopilotEvents/.test(p)) return 'events';
  if (/\/managedDevices/.test(p)) return 'managedDevices';
  if (/\/reports\/exportJobs/.test(p)) return e.method === 'POST' ? 'export (create)' : 'export (poll)';
  if (/^\/groups\/[^/]+\/members\/\$ref$/.test(p) || (/^\/groups\/[^/]+$/.test(p) && e.method === 'PATCH'))
    return 'group member writes';
  if (/^\/groups\/[^/]+\/owners\/\$ref$/.test(p)) return 'group owner writes';
  // A poll's counts ask for one item with `$count=true` (directory-reader.ts countProfileDevices).
  const counting = e.query['$top'] === '1' && (e.query['$count'] ?? '').toLowerCase() === 'true';
  if (/^\/groups\/[^/]+\/members/.test(p)) return counting ? 'group counts' : 'group members';
  if (/^\/groups\/[^/]+\/owners/.test(p)) return 'group owners';
  if (/^\/groups\/[^/]+$/.test(p)) return 'group';
  if (/^\/devices$/.test(p)) {
    const f = e.query['$filter'] ?? '';
    if (/ZTDID/.test(f) && /enrollmentProfileName/.test(f)) return 'entraDevices (device-prep, registered)';
    if (/ZTDID/.test(f)) return 'entraDevices (ZTDID)';
    if (/enrollmentProfileName/.test(f)) return counting ? 'group counts' : 'entraDevices (device-prep candidates)';
    if (/^\s*id in /i.test(f)) return 'devices (id)';
    return 'entraDevices (other)';
  }
  if (/^\/devices\/[^/]+$/.test(p)) return 'devices (id)';
  if (/\/retrieveEnrollmentTimeDeviceMembershipTarget$/.test(p)) return 'policy target';
  if (/^\/servicePrincipals/.test(p)) return 'servicePrincipals';
  return `other ${e.method} ${p}`;
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) out[key(it)] = (out[key(it)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface RequestSummary {
  /** Graph requests on the wire (what the service and its throttling see). */
  readonly wire: number;
  readonly wireReads: number;
  readonly wireWrites: number;
  /** $batch envelopes among `wire`, and the calls they carried. */
  readonly batches: number;
  readonly batchedCalls: number;
  /** Logical calls (unbatched requests + $batch items) per collection. */
  readonly byCollection: Record<string, number>;
  /** Non-2xx answers by status (wire requests and batch items). */
  readonly errors: Record<string, number>;
  readonly throttled429: number;
}

export function summarize(entries: readonly RequestLogEntry[]): RequestSummary {
  const w = wire(entries);
  const l = logical(entries);
  const batches = w.filter((e) => e.batchItems !== undefined && e.path.toLowerCase() === '/$batch');
  const failed = l.filter((e) => e.status >= 300);
  return {
    wire: w.length,
    wireReads: w.filter((e) => e.kind === 'read').length,
    wireWrites: w.filter((e) => e.kind === 'write').length,
    batches: batches.length,
    batchedCalls: batches.reduce((n, b) => n + (b.batchItems?.length ?? 0), 0),
    byCollection: countBy(l, collectionOf),
    errors: countBy(failed, (e) => String(e.status)),
    throttled429: l.filter((e) => e.status === 429).length,
  };
}

/** Writes as the service counts them: every write request and every write item of a $batch, with its arrival time. */
export function writeTimes(entries: readonly RequestLogEntry[]): number[] {
  return logical(entries)
    .filter((e) => e.kind === 'write')
    .map((e) => e.realMs)
    .sort((a, b) => a - b);
}

/** The most writes inside any window of `windowMs` (sliding), and the counts per consecutive window from `t0`. */
export function writeWindows(
  times: readonly number[],
  windowMs: number,
  t0: number,
): { maxSliding: number; perWindow: number[] } {
  let maxSliding = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] ?? 0) - (times[lo] ?? 0) >= windowMs) lo++;
    maxSliding = Math.max(maxSliding, hi - lo + 1);
  }
  const perWindow: number[] = [];
  for (const t of times) {
    const i = Math.max(0, Math.floor((t - t0) / windowMs));
    while (perWindow.length <= i) perWindow.push(0);
    perWindow[i] = (perWindow[i] ?? 0) + 1;
  }
  return { maxSliding, perWindow };
}
