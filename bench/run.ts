// `npm run bench`: performance of autopilot-medic on generated simulator tenants (issue 10). Not part of the
// test run. For each tenant size, in separate child processes: the simulator (node dist/sim/main.js, with a
// fixed latency per request and the Intune write limit) and the app (dist/bench/worker.js) — so the app's peak
// RSS and CPU are its own. Results go to the terminal, bench/results.json and bench/results.md; the README's
// "Benchmarks" section is refreshed between its bench markers.
//
//   npm run bench [-- --sizes 1000,10000,100000,300000] [--latency-ms 50] [--cases reads,burst] [--no-readme]
//
// `--cases tenants` (not in the default list: it runs ~50 worker processes, minutes on its own) is the
// many-tenants case, bench/fleet-case.ts: [--fleet-tenants 50] [--fleet-devices 1000]
// [--tenant-concurrency default[,N…]] [--fleet-baseline N (default: every tenant)]. Each case's results are merged
// into bench/results.json: a run keeps what it did not measure (the other cases' last results).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runWorker, startSim, stopChildren, stopSim } from './children.js';
import { fleetTargets, runFleetCase, type FleetCaseOptions, type FleetCaseResult } from './fleet-case.js';
import { FLEET_HEAD, fleetIntro, fleetRows } from './fleet-report.js';
import { burstReadsTarget } from './minimum.js';
import { burstShape, readShape, scenarioFor } from './scenarios.js';
import { WORKER_CONCURRENCY, WRITE_LIMIT, type RunResult, type Target, type WorkerOutput } from './types.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const README = path.join(ROOT, 'README.md');
const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

type CaseName = 'reads' | 'burst' | 'tenants';

interface Options {
  readonly sizes: number[];
  readonly latencyMs: number;
  readonly cases: CaseName[];
  readonly fleet: Omit<FleetCaseOptions, 'latencyMs'>;
  readonly readme: boolean;
  /** Re-render the tables from bench/results.json without running anything. */
  readonly reportOnly: boolean;
}

function options(argv: readonly string[]): Options {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (get('--sizes') ?? '1000,10000,100000,300000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 100))
    throw new Error('--sizes: comma-separated device counts ≥ 100');
  const cases = (get('--cases') ?? 'reads,burst').split(',') as CaseName[];
  if (cases.some((c) => !['reads', 'burst', 'tenants'].includes(c)))
    throw new Error('--cases: comma-separated reads, burst, tenants');
  const tenants = Number(get('--fleet-tenants') ?? 50);
  const concurrencies = (get('--tenant-concurrency') ?? 'default')
    .split(',')
    .map((c) => (c === 'default' ? ('default' as const) : Number(c)));
  if (concurrencies.some((c) => c !== 'default' && (!Number.isInteger(c) || c < 1 || c > 64)))
    throw new Error('--tenant-concurrency: comma-separated values 1–64 or "default"');
  return {
    sizes,
    latencyMs: Number(get('--latency-ms') ?? 50),
    cases,
    fleet: {
      tenants,
      devices: Number(get('--fleet-devices') ?? 1000),
      concurrencies,
      baseline: Number(get('--fleet-baseline') ?? tenants),
    },
    readme: !argv.includes('--no-readme'),
    reportOnly: argv.includes('--report-only'),
  };
}

async function runCase(kind: 'reads' | 'burst', size: number, o: Options, dir: string): Promise<WorkerOutput> {
  const shape = kind === 'burst' ? burstShape(size) : readShape(size);
  const file = path.join(dir, `${kind}-${size}.json`);
  writeFileSync(file, JSON.stringify(scenarioFor(`bench-${kind}-${size}`, shape)));
  const out = path.join(dir, `${kind}-${size}.result.json`);
  process.stderr.write(`bench: ${kind}, ${size.toLocaleString('en-US')} devices …\n`);
  const sim = await startSim([
    '--scenario',
    file,
    '--latency-ms',
    String(o.latencyMs),
    '--write-limit',
    `${WRITE_LIMIT.max}/${WRITE_LIMIT.windowMs}`,
  ]);
  try {
    const simPid = sim.child.pid ?? 0;
    await runWorker('worker.js', [
      '--case',
      kind,
      '--size',
      String(size),
      '--sim',
      sim.url,
      '--sim-pid',
      String(simPid),
      '--latency-ms',
      String(o.latencyMs),
      '--out',
      out,
    ]);
  } finally {
    await stopSim(sim.child);
  }
  return JSON.parse(readFileSync(out, 'utf8')) as WorkerOutput;
}

// ---------------------------------------------------------------- targets

const MB = 1024 * 1024;
const s = (ms: number): string => (ms / 1000).toFixed(2);

function run(outputs: readonly WorkerOutput[], size: number, name: RunResult['name']): RunResult | undefined {
  return outputs
    .filter((o) => o.size === size)
    .flatMap((o) => o.runs)
    .find((r) => r.name === name);
}

/** Logical Graph calls: wire requests with each $batch envelope replaced by the calls it carried. */
const calls = (r: RunResult): number => r.requests.wire - r.requests.batches + r.requests.batchedCalls;

/** Time the write limit allows for the burst: (windows it must wait) + the same burst with no limit at all. */
export function allowedBurstMs(writes: number, baselineMs: number): number {
  return Math.max(0, Math.ceil(writes / WRITE_LIMIT.max) - 1) * WRITE_LIMIT.windowMs + baselineMs;
}

/**
 * Issue 18's targets for a full sweep: at 100,000 devices peak RSS ≤ 300 MB, app CPU ≤ 6 s, wall ≤ 2 × the
 * latency floor and requests ≤ 1.1 × the minimum; at 300,000 (memory no longer grows with the fleet) peak RSS
 * ≤ 350 MB and wall ≤ 2 × the floor. Smaller sizes are shown, not judged (their floor is the export's waits).
 */
function sweepTargets(sweep: RunResult, size: number): Target[] {
  const out: Target[] = [];
  if (!sweep.minimum || sweep.latencyFloorMs === null || size < 100_000) return out;
  const n = size.toLocaleString('en-US');
  if (size < 300_000) {
    const ratio = sweep.requests.wire / sweep.minimum.total;
    out.push({
      target: `Full sweep ${n}: Graph requests ≤ 1.1 × minimum`,
      measured: `${sweep.requests.wire} / ${sweep.minimum.total} = ${ratio.toFixed(2)}× (calls inside $batch counted one by one: ${calls(sweep)} = ${(calls(sweep) / sweep.minimum.total).toFixed(2)}×)`,
      met: ratio <= 1.1,
    });
  }
  const wall = sweep.wallMs / sweep.latencyFloorMs;
  const reads = sweep.graphPhaseMs / sweep.latencyFloorMs;
  out.push({
    target: `Full sweep ${n}: wall time ≤ 2 × latency floor`,
    measured: `${s(sweep.wallMs)} s / ${s(sweep.latencyFloorMs)} s = ${wall.toFixed(1)}× (Graph phase ${s(sweep.graphPhaseMs)} s = ${reads.toFixed(1)}×)`,
    met: wall <= 2,
  });
  const rssLimit = size >= 300_000 ? 350 : 300;
  out.push({
    target: `Full sweep ${n}: peak RSS ≤ ${rssLimit} MB`,
    measured: `${Math.round(sweep.peakRssBytes / MB)} MB (Graph phase ${Math.round(sweep.graphPhasePeakRssBytes / MB)} MB)`,
    met: sweep.peakRssBytes <= rssLimit * MB,
  });
  if (size < 300_000) {
    out.push({
      target: `Full sweep ${n}: app CPU ≤ 6 s`,
      measured: `${s(sweep.cpuMs)} s (of which in-memory stores ${s(sweep.storeMs)} s)`,
      met: sweep.cpuMs <= 6000,
    });
    const dd = sweep.detectDecideCpuMs ?? Number.POSITIVE_INFINITY;
    out.push({ target: `Full sweep ${n}: detect + decide CPU ≤ 2 s`, measured: `${s(dd)} s`, met: dd <= 2000 });
  }
  return out;
}

function targets(outputs: readonly WorkerOutput[], sizes: readonly number[]): Target[] {
  const out: Target[] = [];
  for (const size of sizes) {
    const sweep = run(outputs, size, 'full sweep');
    if (sweep) out.push(...sweepTargets(sweep, size));
  }
  // The simulator stands in for Graph: it must never be what the run waits for.
  for (const o of outputs) {
    const slower = o.runs.filter((r) => r.simCpuMs !== null && r.simCpuMs > r.cpuMs);
    out.push({
      target: `Simulator CPU ≤ app CPU, ${o.size.toLocaleString('en-US')} ${o.case}`,
      measured:
        slower.length === 0
          ? `every run (${o.runs.map((r) => `${s(r.simCpuMs ?? 0)} ≤ ${s(r.cpuMs)}`).join(', ')})`
          : slower.map((r) => `${r.name}: ${s(r.simCpuMs ?? 0)} s > ${s(r.cpuMs)} s`).join('; '),
      met: slower.length === 0,
    });
  }
  for (const size of sizes) {
    const q = run(outputs, size, 'quiet poll');
    if (q)
      out.push({
        target: `Quiet poll ${size.toLocaleString('en-US')}: ≤ 6 Graph requests`,
        measured: `${q.requests.wire}`,
        met: q.requests.wire <= 6,
      });
  }
  for (const size of sizes) {
    const b = run(outputs, size, 'remediation burst');
    const base = run(outputs, size, 'burst, no write limit');
    if (!b || !base) continue;
    const writes = b.requests.wireWrites;
    const allowed = allowedBurstMs(writes, base.wallMs);
    const net = allowedBurstMs(writes, base.wallMs - base.storeMs);
    out.push({
      target: `Burst ${size.toLocaleString('en-US')}: ≤ 55 write requests, 0 × 429, done ≤ 1.2 × the time the limit allows`,
      measured:
        `${writes} writes (max ${b.writes.maxPerSliding20s} in any 20 s), ${b.writes.throttled429} × 429, ` +
        `${s(b.wallMs)} s / ${s(allowed)} s = ${(b.wallMs / allowed).toFixed(2)}× ` +
        `(without the in-memory stores' CPU: ${s(b.wallMs - b.storeMs)} s / ${s(net)} s = ${((b.wallMs - b.storeMs) / net).toFixed(2)}×)`,
      met: writes <= 55 && b.writes.throttled429 === 0 && b.wallMs <= 1.2 * allowed,
    });
    out.push(burstReadsTarget(b, size));
  }
  return out;
}

// ---------------------------------------------------------------- tables

const HEAD = [
  'devices',
  'run',
  'Graph requests',
  'min',
  'req/min',
  'wall s',
  'Graph phase s',
  'floor s',
  'peak RSS MB',
  'detect+decide ms',
  'app CPU s',
  'of which stores s',
  'sim CPU s',
  'writes / 20 s',
  '429s',
];

function rows(outputs: readonly WorkerOutput[]): string[][] {
  const out: string[][] = [];
  for (const o of outputs) {
    for (const r of o.runs) {
      const req = r.requests;
      const kinds =
        [`${req.wireReads} R`, `${req.wireWrites} W`].join(' + ') +
        (req.batches > 0 ? ` (${req.batches} $batch of ${req.batchedCalls})` : '');
      out.push([
        o.size.toLocaleString('en-US'),
        r.name,
        `${req.wire}: ${kinds}`,
        r.minimum ? String(r.minimum.total) : '',
        // The burst's minimum counts calls ($batch items one by one, as Graph throttles them), so its ratio does too.
        r.minimum ? ((r.name.includes('burst') ? calls(r) : req.wire) / r.minimum.total).toFixed(2) : '',
        s(r.wallMs),
        r.name.startsWith('burst') || r.name === 'remediation burst' ? '' : s(r.graphPhaseMs),
        r.latencyFloorMs === null ? '' : s(r.latencyFloorMs),
        String(Math.round(r.peakRssBytes / MB)),
        r.detectDecideCpuMs === null ? '' : String(Math.round(r.detectDecideCpuMs)),
        s(r.cpuMs),
        s(r.storeMs),
        r.simCpuMs === null ? '' : s(r.simCpuMs),
        r.writes.total > 0 ? `max ${r.writes.maxPerSliding20s} [${r.writes.per20sWindow.join(', ')}]` : '',
        String(r.writes.throttled429),
      ]);
    }
  }
  return out;
}

const PHASES = [
  ['readMs', 'reads'],
  ['detectMs', 'detect'],
  ['figuresMs', 'report figures'],
  ['recordMs', 'lifecycle rows'],
  ['decideMs', 'decide'],
  ['enqueueMs', 'queue'],
  ['proposeMs', 'approvals'],
  ['alertMs', 'alerts'],
  ['reportMs', 'report'],
  ['digestMs', 'digest'],
  ['retentionMs', 'retention'],
] as const;

/** The full sweeps' wall time by phase, as each sweep logged it (poll.finished, compliance.finished). */
function phaseRows(outputs: readonly WorkerOutput[]): string[][] {
  const out: string[][] = [];
  for (const o of outputs) {
    const sweep = o.runs.find((r) => r.name === 'full sweep');
    const p = sweep?.phasesMs;
    if (!sweep || !p) continue;
    out.push([
      o.size.toLocaleString('en-US'),
      ...PHASES.map(([k]) => (p[k] === undefined ? '' : s(p[k]))),
      s(sweep.wallMs),
    ]);
  }
  return out;
}

/** The full sweeps' highest RSS by the end of each phase, in MB (a phase's growth is its figure less the one before). */
function memoryRows(outputs: readonly WorkerOutput[]): string[][] {
  const out: string[][] = [];
  for (const o of outputs) {
    const sweep = o.runs.find((r) => r.name === 'full sweep');
    const p = sweep?.memory?.peakRssByPhaseBytes;
    if (!sweep || !p) continue;
    out.push([
      o.size.toLocaleString('en-US'),
      ...PHASES.map(([k]) => (p[k] === undefined ? '' : String(Math.round(p[k] / MB)))),
      String(Math.round(sweep.peakRssBytes / MB)),
    ]);
  }
  return out;
}

/**
 * What V8's full collections of each full sweep show: how far the heap grew before the largest one, against what was
 * live after the collection before it (the rest was garbage waiting), and the heap limit the growth is scaled by.
 */
function collectionLines(outputs: readonly WorkerOutput[]): string[] {
  const out: string[] = [];
  for (const o of outputs) {
    const m = o.runs.find((r) => r.name === 'full sweep')?.memory;
    if (!m || m.collections.length === 0) continue;
    let at = 0;
    m.collections.forEach((c, i) => {
      if (c.heapBeforeBytes > (m.collections[at]?.heapBeforeBytes ?? 0)) at = i;
    });
    const largest = m.collections[at];
    const before = m.collections[at - 1];
    if (largest === undefined) continue;
    const grown =
      before === undefined
        ? ''
        : `, ${Math.round(before.liveAfterBytes / MB)} MB live after the collection before it (${(largest.heapBeforeBytes / before.liveAfterBytes).toFixed(1)} ×)`;
    out.push(
      `- ${o.size.toLocaleString('en-US')} devices: ${m.collections.length} full collections; the heap reached ${Math.round(largest.heapBeforeBytes / MB)} MB before the largest${grown}, with ${Math.round(largest.externalBeforeBytes / MB)} MB outside the heap; ${Math.round(largest.liveAfterBytes / MB)} MB live after it; heap limit ${Math.round(m.heapLimitBytes / MB)} MB.`,
    );
  }
  return out;
}

function textTable(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function mdTable(head: string[], body: string[][]): string {
  const esc = (c: string): string => c.replaceAll('|', '\\|');
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...body.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

function markdown(
  outputs: readonly WorkerOutput[],
  t: readonly Target[],
  o: { readonly latencyMs: number },
  at: string,
  m: Record<string, string | number>,
): string {
  return [
    `Last run ${at} on ${m['cpu']}, ${m['memoryGb']} GB, ${m['os']}, Node ${m['node']}; ${o.latencyMs} ms per Graph request, write limit ${WRITE_LIMIT.max} per ${WRITE_LIMIT.windowMs / 1000} s (429 beyond), commands run ${WORKER_CONCURRENCY} at a time.`,
    '',
    mdTable(HEAD, rows(outputs)),
    '',
    'Where each full sweep spent its wall time, in seconds, from its own closing log lines:',
    '',
    mdTable(['devices', ...PHASES.map(([, label]) => label), 'wall'], phaseRows(outputs)),
    '',
    'Each full sweep’s highest RSS by the end of each phase, in MB (sampled every 50 ms, on each store call and when detection ends; the last column is the run’s peak), and what V8’s full collections in it show (`v8.GCProfiler`):',
    '',
    mdTable(['devices', ...PHASES.map(([, label]) => label), 'peak'], memoryRows(outputs)),
    '',
    ...collectionLines(outputs),
    '',
    mdTable(
      ['target', 'measured', 'met'],
      t.map((x) => [x.target, x.measured, x.met ? 'yes' : '**no**']),
    ),
  ].join('\n');
}

function refreshReadme(md: string): boolean {
  if (!existsSync(README)) return false;
  const text = readFileSync(README, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return false;
  writeFileSync(README, `${text.slice(0, a + BEGIN.length)}\n${md}\n${text.slice(b)}`);
  return true;
}

// ---------------------------------------------------------------- main

/** The reads and burst cases' part of bench/results.json (its top level, as before the many-tenants case). */
interface SizedResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: Record<string, string | number>;
  readonly settings: { latencyMs: number; writeLimit: typeof WRITE_LIMIT; workerConcurrency: number; sizes: number[] };
  readonly targets: Target[];
  readonly outputs: WorkerOutput[];
}

type TenantsResults = FleetCaseResult & { readonly machine: Record<string, string | number> };

interface Results extends SizedResults {
  /** The many-tenants case, kept from its last run when this run did not measure it. */
  readonly tenants?: TenantsResults;
}

const RESULTS = path.join(ROOT, 'bench', 'results.json');

async function measureAll(o: Options, cases: readonly ('reads' | 'burst')[]): Promise<SizedResults> {
  const startedAt = new Date().toISOString();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autopilot-medic-bench-'));
  const outputs: WorkerOutput[] = [];
  try {
    for (const size of o.sizes) for (const kind of cases) outputs.push(await runCase(kind, size, o, dir));
  } finally {
    stopChildren();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    settings: {
      latencyMs: o.latencyMs,
      writeLimit: WRITE_LIMIT,
      workerConcurrency: WORKER_CONCURRENCY,
      sizes: o.sizes,
    },
    targets: targets(outputs, o.sizes),
    outputs,
  };
}

async function measureTenants(o: Options): Promise<TenantsResults> {
  try {
    return { ...(await runFleetCase({ ...o.fleet, latencyMs: o.latencyMs })), machine: machine() };
  } finally {
    stopChildren();
  }
}

/** The reads and burst tables as results.md (and the README's Benchmarks section) show them. */
function sizedMarkdown(r: SizedResults): string {
  const o = { latencyMs: r.settings.latencyMs };
  return markdown(r.outputs, r.targets, o, r.finishedAt.slice(0, 16).replace('T', ' ') + ' UTC', r.machine);
}

const machineLine = (m: Record<string, string | number>): string =>
  `${m['cpu']}, ${m['memoryGb']} GB, ${m['os']}, Node ${m['node']}`;

function tenantsMarkdown(r: TenantsResults): string {
  return [
    '## Many tenants (issue 21)',
    '',
    fleetIntro(r, machineLine(r.machine)),
    '',
    mdTable(FLEET_HEAD, fleetRows(r)),
    '',
    mdTable(
      ['target', 'measured', 'met'],
      r.targets.map((x) => [x.target, x.measured, x.met ? 'yes' : '**no**']),
    ),
  ].join('\n');
}

function printTargets(t: readonly Target[]): void {
  process.stdout.write(
    `${textTable(
      ['target', 'measured', 'met'],
      t.map((x) => [x.target, x.measured, x.met ? 'yes' : 'NO']),
    )}\n\n`,
  );
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const prev = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Results) : null;
  if (o.reportOnly && prev === null) throw new Error('--report-only: no bench/results.json yet');
  const sizedCases = o.cases.filter((c): c is 'reads' | 'burst' => c !== 'tenants');
  const measureSized = !o.reportOnly && sizedCases.length > 0;
  const measureFleet = !o.reportOnly && o.cases.includes('tenants');

  // What this run does not measure is kept from the last results as it was; --report-only re-derives the targets
  // (so a changed target shows) from the stored measurements.
  let sized: SizedResults | null = null;
  if (measureSized) sized = await measureAll(o, sizedCases);
  else if (prev !== null) {
    const { tenants: _kept, ...rest } = prev;
    sized = o.reportOnly ? { ...rest, targets: targets(rest.outputs, rest.settings.sizes) } : rest;
  }
  let tenants: TenantsResults | undefined;
  if (measureFleet) tenants = await measureTenants(o);
  else if (prev?.tenants !== undefined) {
    const t = prev.tenants;
    tenants = o.reportOnly
      ? { ...t, targets: fleetTargets(t.alone, t.fleet, t.settings.devicesPerTenant, t.settings.tenants) }
      : t;
  }
  if (sized === null) throw new Error('no reads/burst results to keep: run those cases once first');

  const md = sizedMarkdown(sized);
  const results: Results = { ...sized, ...(tenants === undefined ? {} : { tenants }) };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  const all = tenants === undefined ? md : `${md}\n\n${tenantsMarkdown(tenants)}`;
  writeFileSync(path.join(ROOT, 'bench', 'results.md'), `${all}\n`);
  if (measureSized || o.reportOnly) {
    process.stdout.write(`\n${textTable(HEAD, rows(sized.outputs))}\n\n`);
    printTargets(sized.targets);
  }
  if (tenants !== undefined && (measureFleet || o.reportOnly)) {
    process.stdout.write(`\nMany tenants: ${fleetIntro(tenants, machineLine(tenants.machine))}\n\n`);
    process.stdout.write(`${textTable(FLEET_HEAD, fleetRows(tenants))}\n\n`);
    printTargets(tenants.targets);
  }
  // The README's Benchmarks section shows the reads and burst cases; the many-tenants text is written there by hand.
  const readme = o.readme && (measureSized || o.reportOnly) && refreshReadme(md);
  process.stdout.write(`results: bench/results.json, bench/results.md${readme ? ', README.md (Benchmarks)' : ''}\n`);
}

main().catch((e: unknown) => {
  stopChildren();
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
