// One benchmark case in its own process (started by bench/run.ts), so peak RSS and CPU are this app's alone:
// the simulator runs in another child process and is reached over HTTP like Graph.
//
//   node --expose-gc dist/bench/worker.js --case reads|burst --size N --sim URL --sim-pid PID --out FILE [--latency-ms N]
//
// reads: full compliance sweep → quiet incremental poll → the same with $batch off → incremental poll after
//        1 % of the devices changed.
// burst: one incremental poll finds 1,000 device-prep devices missing from their group (not measured), then
//        the remediation commands run — 2 at a time, host.json's maxConcurrentCalls — under the simulator's
//        100 writes / 20 s limit; then the same burst again on a fresh copy of the tenant with no write limit
//        on either side (the baseline for "the time the write limit allows").
//
// The app is built by the composition root from config, as the Functions host builds it, with two bench
// choices: in-memory stores (createMemoryStores) so Table Storage latency does not pollute the Graph figures,
// and the Graph adapter's opt-in read batching (`batchReads`) except in the "$batch off" run.

import { writeFileSync } from 'node:fs';

import type { GraphAdapterOptions } from '../shared/adapters/graph/index.js';
import { createMemoryStores } from '../shared/adapters/inprocess/memory-stores.js';
import { InProcessQueue } from '../shared/adapters/inprocess/queue.js';
import { runComplianceSweep } from '../shared/app/compliance/run-compliance-sweep.js';
import { runPoll, type PollResult } from '../shared/app/poll/run-poll.js';
import { executeRemediation } from '../shared/app/remediation/index.js';
import { buildContainer, type Container } from '../shared/composition/container.js';
import { loadConfig } from '../shared/config/index.js';
import { detectAll } from '../shared/core/detect/index.js';
import { lookup } from '../shared/core/detect/lookup.js';
import type { Decision, RemediationCommand, TenantSnapshot } from '../shared/core/model/index.js';
import { decide, fleetOf, NO_HISTORY, planRun } from '../shared/core/policy/index.js';
import type { Logger, LogFields } from '../shared/ports/index.js';
import { burstMinimum, minimumRequests, type Minimum } from './minimum.js';
import {
  cpuOf,
  FullCollections,
  PeakRss,
  processCpuMs,
  SimControl,
  summarize,
  timedFetch,
  timedStores,
  writeTimes,
  writeWindows,
  type RequestSummary,
} from './measure.js';
import { benchEnv, burstShape, DEVICEPREP_GROUP_ID, scenarioFor } from './scenarios.js';
import { WORKER_CONCURRENCY, WRITE_LIMIT, type RunName, type RunResult, type WorkerOutput } from './types.js';
import { parseArgs } from './args.js';

interface Args {
  readonly simUrl: string;
  readonly simPid: number | null;
  readonly size: number;
  readonly latencyMs: number;
}

/** The phase timings a run logs when it finishes (poll.finished and compliance.finished). */
const PHASE_EVENTS = new Set(['poll.finished', 'compliance.finished']);

/** Counts log events (e.g. graph.retry) without printing them, and keeps the last run's phase timings. */
function countingLogger(): Logger & { counts: Record<string, number>; takePhases: () => Record<string, number> } {
  const counts: Record<string, number> = {};
  let phases: Record<string, number> = {};
  const at = (level: string) => (event: string, fields?: LogFields) => {
    if (level === 'debug') return;
    counts[event] = (counts[event] ?? 0) + 1;
    if (!PHASE_EVENTS.has(event) || !fields) return;
    for (const [k, v] of Object.entries(fields)) if (/^[a-z]+Ms$/.test(k) && typeof v === 'number') phases[k] = v;
  };
  const takePhases = (): Record<string, number> => {
    const out = phases;
    phases = {};
    return out;
  };
  return { counts, takePhases, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

type TimedStores = ReturnType<typeof timedStores>;

interface App {
  readonly c: Container;
  readonly queue: InProcessQueue;
  readonly lastResponseAt: () => number;
  readonly storeMs: () => number;
}

async function app(
  a: Args,
  logger: Logger,
  opts: { env?: Record<string, string>; stores?: TimedStores; graph?: GraphAdapterOptions } = {},
): Promise<App> {
  const clock = { now: () => Date.now() };
  const queue = new InProcessQueue({ clock });
  const timing = timedFetch();
  const stores = opts.stores ?? timedStores(createMemoryStores());
  const c = await buildContainer(loadConfig(benchEnv(a.simUrl, opts.env)), {
    logger,
    stores: stores.stores,
    queue,
    clock,
    graph: { batchReads: true, fetch: timing.fetch, ...opts.graph },
  });
  return { c, queue, lastResponseAt: timing.lastResponseAt, storeMs: stores.spentMs };
}

/** The pure core on a snapshot: detectAll, decide per finding (no history), planRun. */
function detectAndDecide(c: Container, snapshot: TenantSnapshot, now: number): { findings: number; commands: number } {
  const policy = c.config.policy;
  const detection = detectAll(snapshot, now, c.rules);
  const decisions: Decision[] = detection.findings.map((finding) =>
    decide(finding, {
      history: NO_HISTORY,
      now,
      policy,
      allowedGroupIds: c.rules.devicePrepGroups.map((g) => g.groupId),
    }),
  );
  const plan = planRun(
    decisions,
    fleetOf({
      autopilotIdentities: snapshot.fleetSize === null ? null : { count: snapshot.fleetSize, from: 'this-run' },
      devicePrepGroups: snapshot.devicePrepGroups,
    }),
    policy,
    c.config.tenant,
    'bench',
    now,
  );
  return { findings: detection.findings.length, commands: plan.commands.length };
}

interface Measured<T> {
  readonly value: T;
  readonly wallMs: number;
  readonly graphPhaseMs: number;
  readonly cpuMs: number;
  readonly storeMs: number;
  readonly simCpuMs: number | null;
  readonly peakRssBytes: number;
  readonly graphPhasePeakRssBytes: number;
  readonly rssSource: string;
  readonly requests: RequestSummary;
  readonly writes: RunResult['writes'];
  readonly startedAt: number;
  /** Highest RSS sampled up to a time (epoch ms) in this run. */
  readonly peakRssUntil: (t: number) => number;
  readonly fullCollections: ReturnType<FullCollections['stop']>;
}

async function measured<T>(a: Args, sim: SimControl, target: App, fn: () => Promise<T>): Promise<Measured<T>> {
  const since = await sim.lastSeq();
  global.gc?.();
  const rss = new PeakRss();
  const collections = new FullCollections();
  const sim0 = a.simPid === null ? null : processCpuMs(a.simPid);
  const t0 = Date.now();
  const store0 = target.storeMs();
  rss.start();
  collections.start();
  const { value, cpuMs, wallMs } = await cpuOf(fn);
  const storeMs = target.storeMs() - store0;
  const fullCollections = collections.stop();
  const peakRssBytes = rss.stop();
  const sim1 = a.simPid === null ? null : processCpuMs(a.simPid);
  const lastResponse = Math.max(t0, target.lastResponseAt());
  const log = await sim.requests(since);
  const times = writeTimes(log);
  const windows = writeWindows(times, WRITE_LIMIT.windowMs, times[0] ?? t0);
  const requests = summarize(log);
  return {
    value,
    wallMs,
    graphPhaseMs: lastResponse - t0,
    cpuMs,
    storeMs,
    simCpuMs: sim0 === null || sim1 === null ? null : sim1 - sim0,
    peakRssBytes,
    graphPhasePeakRssBytes: rss.peakUntil(lastResponse),
    rssSource: rss.source,
    requests,
    writes: {
      total: times.length,
      maxPerSliding20s: windows.maxSliding,
      per20sWindow: windows.perWindow,
      throttled429: requests.throttled429,
    },
    startedAt: t0,
    peakRssUntil: (t) => rss.peakUntil(t, 1),
    fullCollections,
  };
}

function result(name: RunName, m: Measured<unknown>, extra: Partial<RunResult>): RunResult {
  return {
    name,
    requests: m.requests,
    minimum: null,
    latencyFloorMs: null,
    wallMs: m.wallMs,
    graphPhaseMs: m.graphPhaseMs,
    peakRssBytes: m.peakRssBytes,
    graphPhasePeakRssBytes: m.graphPhasePeakRssBytes,
    rssSource: m.rssSource,
    cpuMs: m.cpuMs,
    storeMs: m.storeMs,
    simCpuMs: m.simCpuMs,
    detectDecideCpuMs: null,
    findings: null,
    commands: null,
    writes: m.writes,
    phasesMs: null,
    memory: null,
    notes: [],
    ...extra,
  };
}

function pollRun(
  name: RunName,
  m: Measured<PollResult>,
  min: Minimum,
  latencyMs: number,
  detectDecideCpuMs: number,
  phasesMs: Record<string, number>,
  notes: string[] = [],
  memory: RunResult['memory'] = null,
): RunResult {
  return result(name, m, {
    memory,
    minimum: min,
    latencyFloorMs: min.chain * latencyMs,
    detectDecideCpuMs,
    findings: m.value.findings.length,
    commands: m.value.plan.commands.length,
    phasesMs,
    notes,
  });
}

/**
 * Where a sweep's peak RSS was reached: the highest RSS sampled by the end of each phase (its phases follow one
 * another from the start of the run, in the order the closing log lines give them), and V8's full collections.
 */
function memoryByPhase(m: Measured<unknown>, phasesMs: Record<string, number>): RunResult['memory'] {
  const peakRssByPhaseBytes: Record<string, number> = {};
  let end = m.startedAt;
  for (const [phase, ms] of Object.entries(phasesMs)) {
    end += ms;
    peakRssByPhaseBytes[phase] = m.peakRssUntil(end);
  }
  return { peakRssByPhaseBytes, ...m.fullCollections };
}

// ---------------------------------------------------------------- reads

/** An incremental poll, measured, with its snapshot kept for the bench's own figures (polls read little). */
async function measuredPoll(
  a: Args,
  sim: SimControl,
  target: App,
  runId: string,
): Promise<{ m: Measured<PollResult>; snapshot: TenantSnapshot }> {
  let snapshot: TenantSnapshot | null = null;
  const m = await measured(a, sim, target, () =>
    runPoll(target.c.pollDeps(), {
      ...target.c.pollOptions('incremental', runId),
      afterDetection: (s) => (snapshot = s),
    }),
  );
  if (snapshot === null) throw new Error(`bench: ${runId} ended before its detection`);
  return { m, snapshot };
}

/** 1 % of the devices changed: each has a new deployment event; one in ten failed and is now blocked. */
function changePatch(
  snapshot: TenantSnapshot,
  share: number,
  now: number,
): { patch: Record<string, unknown>; changed: number; blocked: number } {
  // Rows of the detectors' identity table, not records: this runs inside the measured sweep, and a record for every
  // healthy device (most of the fleet, at once) would be the bench's own memory peak, not the app's.
  const t = lookup(snapshot).identities;
  const healthy: number[] = [];
  for (let row = 0; row < t.length; row++) {
    if (t.enrollmentState(row) === 'enrolled' && t.remediationState(row) === 'noRemediationRequired') healthy.push(row);
  }
  const want = Math.round(t.length * share);
  const step = Math.max(1, Math.floor(healthy.length / want));
  const events: Record<string, unknown>[] = [];
  const identities: Record<string, unknown>[] = [];
  for (let k = 0; k < want && k * step < healthy.length; k++) {
    const row = healthy[k * step];
    if (row === undefined) break;
    const d = t.at(row);
    const end = new Date(now - (1 + (k % 50)) * 60_000).toISOString();
    const start = new Date(now - (40 + (k % 50)) * 60_000).toISOString();
    const failed = k % 10 === 0;
    events.push({
      id: `bench-change-${k}`,
      deviceSerialNumber: d.serialNumber,
      deploymentState: failed ? 'failure' : 'success',
      deviceSetupStatus: failed ? 'failure' : 'success',
      accountSetupStatus: failed ? 'notAttempted' : 'success',
      enrollmentState: failed ? 'failed' : 'enrolled',
      enrollmentType: failed ? 'azureADJoinedWithWhiteGlove' : 'azureADJoinedWithAutopilotProfile',
      enrollmentFailureDetails: failed
        ? '0x80180014: DeviceNotSupported - Enrollment blocked for AP device by SDM One Time Limit Check.'
        : null,
      deploymentStartDateTime: start,
      deploymentEndDateTime: end,
      eventDateTime: end,
      deploymentDuration: 'PT39M',
      deploymentTotalDuration: 'PT40M',
    });
    if (failed) identities.push({ id: d.id, enrollmentState: 'blocked', userlessEnrollmentStatus: 'blocked' });
  }
  return {
    patch: { autopilotEvents: events, windowsAutopilotDeviceIdentities: identities },
    changed: events.length,
    blocked: identities.length,
  };
}

async function reads(a: Args): Promise<WorkerOutput> {
  const sim = new SimControl(a.simUrl);
  const logger = countingLogger();
  const stores = timedStores(createMemoryStores());
  const main = await app(a, logger, { stores });
  const { c } = main;
  const runs: RunResult[] = [];

  // 1. Full compliance sweep (the first one on this tenant: every finding is new). The sweep lets its snapshot go once
  // detection is done, so what the bench needs from it (the minimum requests, the devices to change in step 3) is
  // taken there, a few milliseconds inside the measured run; its detect + decide time is the run's own.
  let sweepMin: Minimum | null = null;
  let patch: ReturnType<typeof changePatch> | null = null;
  const sweepOptions = c.complianceOptions('bench-sweep');
  const sweep = await measured(a, sim, main, () =>
    runComplianceSweep(c.complianceDeps(), {
      ...sweepOptions,
      poll: {
        ...sweepOptions.poll,
        afterDetection: (snapshot) => {
          PeakRss.current?.sample(); // detection makes no store call and yields no turn: its end, sampled here
          sweepMin = minimumRequests(snapshot);
          patch = changePatch(snapshot, 0.01, Date.now());
        },
      },
    }),
  );
  const sweepPhases = logger.takePhases();
  if (sweepMin === null || patch === null) throw new Error('bench: the sweep ended before its detection');
  const changes: ReturnType<typeof changePatch> = patch;
  runs.push(
    pollRun(
      'full sweep',
      { ...sweep, value: sweep.value.poll },
      sweepMin,
      a.latencyMs,
      (sweepPhases.detectMs ?? 0) + (sweepPhases.decideMs ?? 0),
      sweepPhases,
      ['detect + decide: the sweep’s own detectMs + decideMs (in the run, with its history)'],
      memoryByPhase(sweep, sweepPhases),
    ),
  );

  // 2. Quiet incremental poll: nothing changed since the sweep.
  const quiet = await measuredPoll(a, sim, main, 'bench-quiet');
  const quietPhases = logger.takePhases();
  const ddq = await cpuOf(() => detectAndDecide(c, quiet.snapshot, Date.now()));
  runs.push(pollRun('quiet poll', quiet.m, minimumRequests(quiet.snapshot), a.latencyMs, ddq.cpuMs, quietPhases));

  // 2b. The same with the adapter's defaults ($batch off), on the same stores (so still quiet).
  const plain = await app(a, logger, { stores, graph: { batchReads: false } });
  const quietPlain = await measuredPoll(a, sim, plain, 'bench-quiet-plain');
  const plainPhases = logger.takePhases();
  const ddp = await cpuOf(() => detectAndDecide(plain.c, quietPlain.snapshot, Date.now()));
  runs.push(
    pollRun(
      'quiet poll, $batch off',
      quietPlain.m,
      minimumRequests(quietPlain.snapshot),
      a.latencyMs,
      ddp.cpuMs,
      plainPhases,
    ),
  );
  await plain.c.dispose();

  // 3. 1 % of the devices changed.
  await sim.patch(changes.patch);
  const changed = await measuredPoll(a, sim, main, 'bench-changed');
  const changedPhases = logger.takePhases();
  const ddc = await cpuOf(() => detectAndDecide(c, changed.snapshot, Date.now()));
  runs.push(
    pollRun(
      'poll after 1 % changed',
      changed.m,
      minimumRequests(changed.snapshot),
      a.latencyMs,
      ddc.cpuMs,
      changedPhases,
      [
        `${changes.changed} devices got a new deployment event; ${changes.blocked} of them failed with 0x80180014 and are now blocked`,
      ],
    ),
  );
  await c.dispose();
  return { size: a.size, case: 'reads', latencyMs: a.latencyMs, runs, logEvents: logger.counts };
}

// ---------------------------------------------------------------- burst

/** Run the queued commands as the Functions host would: `concurrency` at a time, redelivering on a throw. */
async function runCommands(
  c: Container,
  commands: readonly RemediationCommand[],
  concurrency: number,
): Promise<Record<string, number>> {
  const deps = c.remediationDeps();
  const outcomes: Record<string, number> = {};
  const todo = [...commands];
  const worker = async (): Promise<void> => {
    for (let cmd = todo.shift(); cmd !== undefined; cmd = todo.shift()) {
      for (let delivery = 1; ; delivery++) {
        try {
          const o = await executeRemediation(cmd, deps);
          outcomes[o.status] = (outcomes[o.status] ?? 0) + 1;
          break;
        } catch (err) {
          if (delivery >= 10) {
            outcomes['dead-lettered'] = (outcomes['dead-lettered'] ?? 0) + 1;
            break;
          }
          outcomes['redelivered'] = (outcomes['redelivered'] ?? 0) + 1;
          const retryAt = (err as { retryAt?: unknown }).retryAt;
          const wait = typeof retryAt === 'number' ? Math.max(0, retryAt - Date.now()) : 0;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

async function burstOnce(
  a: Args,
  sim: SimControl,
  name: RunName,
  env: Record<string, string>,
  logger: Logger,
): Promise<RunResult> {
  const target = await app(a, logger, { env });
  const { c, queue } = target;
  // Detection (not part of the burst figures): an incremental poll sees the missing members and enqueues.
  let membersBefore = 0;
  const poll = await runPoll(c.pollDeps(), {
    ...c.pollOptions('incremental', `bench-${name}`),
    // The group's members when the burst starts, as the poll read them: the minimum's member pages grow from here.
    afterDetection: (snapshot) => {
      membersBefore =
        snapshot.devicePrepGroups.find((g) => g.groupId.toLowerCase() === DEVICEPREP_GROUP_ID.toLowerCase())
          ?.memberObjectIds.length ?? 0;
    },
  });
  const commands = queue.sent
    .filter((m) => !m.duplicate && m.command.action === 'add-to-device-prep-group')
    .map((m) => m.command);
  const missing = commands.reduce(
    (n, cmd) => n + (cmd.target.action === 'add-to-device-prep-group' ? cmd.target.members.length : 0),
    0,
  );
  const sizes = commands.map((cmd) =>
    cmd.target.action === 'add-to-device-prep-group' ? cmd.target.members.length : 0,
  );
  const m = await measured(a, sim, target, () => runCommands(c, commands, WORKER_CONCURRENCY));
  await c.dispose();
  const outcomes = Object.entries(m.value)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const min = burstMinimum(sizes, membersBefore);
  return result(name, m, {
    minimum: min,
    findings: poll.findings.length,
    commands: commands.length,
    notes: [
      `${missing} missing members in ${commands.length} commands, ${WORKER_CONCURRENCY} at a time; outcomes: ${outcomes}`,
      `minimum re-check reads ${min.reads} (${membersBefore} members before the burst): ${Object.entries(
        min.byCollection,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    ],
  });
}

async function burst(a: Args): Promise<WorkerOutput> {
  const sim = new SimControl(a.simUrl);
  const logger = countingLogger();
  const runs: RunResult[] = [];
  // With the limit: the simulator refuses the 101st write in any 20 s (it was started with --write-limit), and
  // the app paces itself with its default budget (GRAPH_WRITE_BUDGET 100/20).
  runs.push(await burstOnce(a, sim, 'remediation burst', {}, logger));
  // Baseline: the same tenant again, fresh, and no limit on either side.
  await sim.loadScenario(scenarioFor(`bench-burst-${a.size}`, burstShape(a.size)));
  await sim.options({ writeLimit: null, latencyMs: a.latencyMs });
  runs.push(await burstOnce(a, sim, 'burst, no write limit', { GRAPH_WRITE_BUDGET: '100000/1' }, logger));
  return { size: a.size, case: 'burst', latencyMs: a.latencyMs, runs, logEvents: logger.counts };
}

// ---------------------------------------------------------------- entry

async function main(): Promise<void> {
  const raw = parseArgs(process.argv.slice(2));
  const simUrl = raw['sim'];
  const out = raw['out'];
  const size = Number(raw['size']);
  if (!simUrl || !out || !Number.isFinite(size)) {
    throw new Error('usage: worker --case reads|burst --size N --sim URL --out FILE [--sim-pid PID] [--latency-ms N]');
  }
  const a: Args = {
    simUrl,
    size,
    latencyMs: Number(raw['latency-ms'] ?? 50),
    simPid: raw['sim-pid'] ? Number(raw['sim-pid']) : null,
  };
  const output = raw['case'] === 'burst' ? await burst(a) : await reads(a);
  writeFileSync(out, JSON.stringify(output, null, 2));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
