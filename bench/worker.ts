// One benchmark case in its own process (started by bench/run.ts), so peak RSS and CPU are this app's alone:
// the simulator runs in another child process and is reached over HTTP like Graph.
//
//   node dist/bench/worker.js --case reads|burst --size N --sim URL --out FILE
//
// reads: full compliance sweep → quiet incremental poll → incremental poll after 1 % of devices changed.
// burst: one incremental poll finds 1,000 device-prep devices missing from their group, then the remediation
//        commands run (2 at a time, host.json maxConcurrentCalls) under the 100 writes / 20 s limit; then the
//        same burst again on a fresh copy of the tenant with no write limit anywhere (the baseline).
//
// Stores are in memory (createMemoryStores) so Table Storage latency does not pollute the Graph figures.

import { writeFileSync } from 'node:fs';

import { createMemoryStores } from '../shared/adapters/inprocess/memory-stores.js';
import { InProcessQueue } from '../shared/adapters/inprocess/queue.js';
import { runComplianceSweep } from '../shared/app/compliance/run-compliance-sweep.js';
import { runPoll, type PollResult } from '../shared/app/poll/run-poll.js';
import { executeRemediation } from '../shared/app/remediation/index.js';
import { buildContainer, type Container } from '../shared/composition/container.js';
import { loadConfig } from '../shared/config/index.js';
import { detectAll } from '../shared/core/detect/index.js';
import type { Decision, RemediationCommand, TenantSnapshot } from '../shared/core/model/index.js';
import { decide, NO_HISTORY, planRun } from '../shared/core/policy/index.js';
import type { Logger, LogFields } from '../shared/ports/index.js';
import { minimumRequests } from './minimum.js';
import { cpuOf, PeakRss, SimControl, summarize, writeTimes, writeWindows, type RequestSummary } from './measure.js';
import { burstShape, DEVICEPREP_GROUP_ID, DEVICEPREP_POLICY, scenarioFor } from './scenarios.js';
import { WORKER_CONCURRENCY, WRITE_LIMIT, type RunResult, type WorkerOutput } from './types.js';

function args(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k?.startsWith('--') && v !== undefined) out[k.slice(2)] = v;
  }
  return out;
}

/** Counts log events (e.g. graph.retry) without printing them. */
function countingLogger(): Logger & { counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const at = (level: string) => (event: string, _fields?: LogFields) => {
    if (level === 'debug') return;
    counts[event] = (counts[event] ?? 0) + 1;
  };
  return { counts, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function benchEnv(simUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GRAPH_BASE_URL: simUrl,
    GRAPH_TOKEN: 'sim-token',
    TENANT_NAME: 'bench',
    DEVICE_PREP_GROUPS: JSON.stringify([{ groupId: DEVICEPREP_GROUP_ID, policyName: DEVICEPREP_POLICY }]),
    REMEDIATION_MODE: 'enforce',
    // A 1,000-device burst must be allowed to run (the defaults, 50 devices / 10 %, would drop it to plan).
    BLAST_RADIUS_MAX_DEVICES: '100000',
    BLAST_RADIUS_MAX_PERCENT: '100',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

async function container(simUrl: string, logger: Logger, extra: Record<string, string> = {}): Promise<{ c: Container; queue: InProcessQueue }> {
  const clock = { now: () => Date.now() };
  const queue = new InProcessQueue({ clock });
  const c = await buildContainer(loadConfig(benchEnv(simUrl, extra)), { logger, stores: createMemoryStores(), queue, clock });
  return { c, queue };
}

/** The pure core on a snapshot: detectAll, decide per finding (no history), planRun. */
function detectAndDecide(c: Container, snapshot: TenantSnapshot, now: number): { findings: number; commands: number } {
  const policy = c.config.policy;
  const detection = detectAll(snapshot, now, c.rules);
  const decisions: Decision[] = detection.findings.map((finding) =>
    decide(finding, { history: NO_HISTORY, now, policy, allowedGroupIds: c.rules.devicePrepGroups.map((g) => g.groupId) }),
  );
  const plan = planRun(decisions, snapshot.fleetSize, policy, c.config.tenant, 'bench', now);
  return { findings: detection.findings.length, commands: plan.commands.length };
}

interface Measured<T> {
  readonly value: T;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssBytes: number;
  readonly rssSource: string;
  readonly requests: RequestSummary;
  readonly writes: RunResult['writes'];
}

async function measured<T>(sim: SimControl, fn: () => Promise<T>): Promise<Measured<T>> {
  const since = await sim.lastSeq();
  const t0 = Date.now();
  const rss = new PeakRss();
  global.gc?.();
  rss.start();
  const { value, cpuMs, wallMs } = await cpuOf(fn);
  const peakRssBytes = rss.stop();
  const log = await sim.requests(since);
  const times = writeTimes(log);
  const windows = writeWindows(times, WRITE_LIMIT.windowMs, times[0] ?? t0);
  const requests = summarize(log);
  return {
    value,
    wallMs,
    cpuMs,
    peakRssBytes,
    rssSource: rss.source,
    requests,
    writes: { total: times.length, maxPerSliding20s: windows.maxSliding, per20sWindow: windows.perWindow, throttled429: requests.throttled429 },
  };
}

function readRun(name: RunResult['name'], m: Measured<PollResult>, latencyMs: number, detect: { cpuMs: number } | null, notes: string[] = []): RunResult {
  const min = minimumRequests(m.value.snapshot);
  return {
    name,
    requests: m.requests,
    minimum: min,
    latencyFloorMs: min.chain * latencyMs,
    wallMs: m.wallMs,
    peakRssBytes: m.peakRssBytes,
    rssSource: m.rssSource,
    cpuMs: m.cpuMs,
    detectDecideCpuMs: detect?.cpuMs ?? null,
    findings: m.value.findings.length,
    commands: m.value.plan.commands.length,
    writes: m.writes,
    notes,
  };
}

// ---------------------------------------------------------------- reads

/** 1 % of the devices changed: each has a new deployment event; one in ten failed and is now blocked. */
function changePatch(snapshot: TenantSnapshot, share: number, now: number): { patch: Record<string, unknown>; changed: number; blocked: number } {
  const healthy = snapshot.identities.filter((d) => d.enrollmentState === 'enrolled' && d.remediationState === 'noRemediationRequired');
  const want = Math.round(snapshot.identities.length * share);
  const step = Math.max(1, Math.floor(healthy.length / want));
  const events: Record<string, unknown>[] = [];
  const identities: Record<string, unknown>[] = [];
  for (let k = 0; k < want && k * step < healthy.length; k++) {
    const d = healthy[k * step];
    if (!d) break;
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
      enrollmentFailureDetails: failed ? '0x80180014: DeviceNotSupported - Enrollment blocked for AP device by SDM One Time Limit Check.' : null,
      deploymentStartDateTime: start,
      deploymentEndDateTime: end,
      eventDateTime: end,
      deploymentDuration: 'PT39M',
      deploymentTotalDuration: 'PT40M',
    });
    if (failed) identities.push({ id: d.id, enrollmentState: 'blocked', userlessEnrollmentStatus: 'blocked' });
  }
  return { patch: { autopilotEvents: events, windowsAutopilotDeviceIdentities: identities }, changed: events.length, blocked: identities.length };
}

async function reads(simUrl: string, size: number, latencyMs: number): Promise<WorkerOutput> {
  const sim = new SimControl(simUrl);
  const logger = countingLogger();
  const { c } = await container(simUrl, logger);
  const runs: RunResult[] = [];

  // 1. Full compliance sweep.
  const sweep = await measured(sim, () => runComplianceSweep(c.complianceDeps(), c.complianceOptions('bench-sweep')));
  let snapshot: TenantSnapshot | null = sweep.value.poll.snapshot;
  const dd = await cpuOf(() => detectAndDecide(c, snapshot as TenantSnapshot, Date.now()));
  runs.push(readRun('full sweep', { ...sweep, value: sweep.value.poll }, latencyMs, dd));
  const patch = changePatch(snapshot, 0.01, Date.now());
  snapshot = null;

  // 2. Quiet incremental poll: nothing changed since the sweep.
  const quiet = await measured(sim, () => runPoll(c.pollDeps(), c.pollOptions('incremental', 'bench-quiet')));
  const ddq = await cpuOf(() => detectAndDecide(c, quiet.value.snapshot, Date.now()));
  runs.push(readRun('quiet poll', quiet, latencyMs, ddq));

  // 3. 1 % of the devices changed.
  await sim.patch(patch.patch);
  const changed = await measured(sim, () => runPoll(c.pollDeps(), c.pollOptions('incremental', 'bench-changed')));
  const ddc = await cpuOf(() => detectAndDecide(c, changed.value.snapshot, Date.now()));
  runs.push(
    readRun('poll after 1 % changed', changed, latencyMs, ddc, [
      `${patch.changed} devices got a new deployment event; ${patch.blocked} of them failed with 0x80180014 and are now blocked`,
    ]),
  );
  await c.dispose();
  return { size, case: 'reads', latencyMs, runs, logEvents: logger.counts };
}

// ---------------------------------------------------------------- burst

/** Run the queued commands like the Functions host would: `concurrency` at a time, redelivering on a throw. */
async function runCommands(c: Container, commands: readonly RemediationCommand[], concurrency: number): Promise<Record<string, number>> {
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
  sim: SimControl,
  simUrl: string,
  name: 'remediation burst' | 'burst, no write limit',
  extraEnv: Record<string, string>,
  logger: Logger,
): Promise<RunResult> {
  const { c, queue } = await container(simUrl, logger, extraEnv);
  // Detection (not part of the burst figures): an incremental poll sees the missing members and enqueues.
  const poll = await runPoll(c.pollDeps(), c.pollOptions('incremental', `bench-${name}`));
  const commands = queue.sent.filter((m) => !m.duplicate && m.command.action === 'add-to-device-prep-group').map((m) => m.command);
  const missing = commands.reduce((n, cmd) => n + (cmd.target.action === 'add-to-device-prep-group' ? cmd.target.members.length : 0), 0);
  const m = await measured(sim, () => runCommands(c, commands, WORKER_CONCURRENCY));
  await c.dispose();
  const outcomes = Object.entries(m.value).map(([k, v]) => `${k} ${v}`).join(', ');
  return {
    name,
    requests: m.requests,
    minimum: { total: Math.ceil(missing / 20), byCollection: { 'group member writes': Math.ceil(missing / 20) }, chain: 1, chainCollection: 'group member writes' },
    latencyFloorMs: null,
    wallMs: m.wallMs,
    peakRssBytes: m.peakRssBytes,
    rssSource: m.rssSource,
    cpuMs: m.cpuMs,
    detectDecideCpuMs: null,
    findings: poll.findings.length,
    commands: commands.length,
    writes: m.writes,
    notes: [`${missing} missing members in ${commands.length} commands; outcomes: ${outcomes}`],
  };
}

async function burst(simUrl: string, size: number, latencyMs: number): Promise<WorkerOutput> {
  const sim = new SimControl(simUrl);
  const logger = countingLogger();
  const runs: RunResult[] = [];
  // With the limit: the simulator refuses the 101st write in any 20 s (started with --write-limit), and the app
  // paces itself with its default budget (GRAPH_WRITE_BUDGET 100/20).
  runs.push(await burstOnce(sim, simUrl, 'remediation burst', {}, logger));
  // Baseline: the same tenant again, no limit on either side.
  await sim.clearRequests();
  await sim.options({ writeLimit: null });
  await fetch(`${simUrl}/_sim/scenario`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: scenarioFor(`bench-burst-${size}`, burstShape(size)) }),
  }).then((r) => r.text());
  await sim.options({ writeLimit: null, latencyMs });
  runs.push(await burstOnce(sim, simUrl, 'burst, no write limit', { GRAPH_WRITE_BUDGET: '100000/1' }, logger));
  return { size, case: 'burst', latencyMs, runs, logEvents: logger.counts };
}

// ---------------------------------------------------------------- entry

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  const simUrl = a['sim'];
  const out = a['out'];
  const size = Number(a['size']);
  const latencyMs = Number(a['latency-ms'] ?? 50);
  if (!simUrl || !out || !Number.isFinite(size)) throw new Error('usage: worker --case reads|burst --size N --sim URL --out FILE [--latency-ms N]');
  const result = a['case'] === 'burst' ? await burst(simUrl, size, latencyMs) : await reads(simUrl, size, latencyMs);
  writeFileSync(out, JSON.stringify(result, null, 2));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
