// One full cycle of the product against the tenant simulator (real HTTP on 127.0.0.1) and Azurite (real Table
// API): the simulator with a scenario, the container built from config exactly as the Functions host builds
// it, the app clock driven by the SIMULATOR clock (so sync windows, ages and thresholds agree on both sides),
// and an in-process queue whose waits advance that same clock. Shared by the integration, functions, CLI e2e
// and benchmark suites.
//
//   const h = await startHarness({ scenario: 'demo', mode: 'enforce', azurite });  // azurite: optional, shared
//   const poll = await h.runPoll();            // incremental; runPoll('full') / runCompliance() for the sweep
//   await h.drainQueue();                      // executeRemediation for every due command
//   wireWrites(h.sim);                         // what reached "Graph"
//   await h.stop();                            // container, simulator (and a private Azurite)
import { InProcessQueue, type DrainReport } from '../../shared/adapters/inprocess/queue.js';
import type { GraphAdapterOptions } from '../../shared/adapters/graph/index.js';
import { runComplianceSweep, type ComplianceResult } from '../../shared/app/compliance/run-compliance-sweep.js';
import { runPoll, type PollResult } from '../../shared/app/poll/run-poll.js';
import { executeRemediation } from '../../shared/app/remediation/index.js';
import { buildContainer, type Container } from '../../shared/composition/container.js';
import { loadConfig, type AppConfig } from '../../shared/config/config.js';
import type { Mode } from '../../shared/core/model/index.js';
import type { Clock, HistoryEventType, HistoryRecord, LogFields, Logger, Stores } from '../../shared/ports/index.js';
import { generateSchema } from '../../sim/generate/spec.js';
import { readScenarioFile } from '../../sim/scenario/load.js';
import {
  startSimulator,
  type RequestLogEntry,
  type ScenarioObject,
  type Simulator,
  type SimulatorOptions,
} from '../../sim/index.js';
import { withAzurite } from './azurite.js';

export type Azurite = Awaited<ReturnType<typeof withAzurite>>;

export interface DevicePrepGroupConfig {
  readonly groupId: string;
  readonly policyName: string;
  /** The policy's configurationPolicies id (the scenario's `configurationPolicies`). */
  readonly policyId?: string;
}

/**
 * The device-preparation groups of the bundled hand-written scenarios, as their documentation states them
 * (sim/README.md, each file's `expectations`): group id → the device-preparation policy whose devices belong.
 * Generated scenarios carry theirs in `generate.deviceprep`.
 */
export const BUNDLED_DEVICE_PREP_GROUPS: Readonly<Record<string, readonly DevicePrepGroupConfig[]>> = {
  demo: [
    {
      groupId: '9a000000-0000-4000-8000-000000000001',
      policyName: 'Contoso Win11 device preparation',
      policyId: '7a000000-0000-4000-8000-000000000001',
    },
  ],
  'deviceprep-broken': [
    {
      groupId: '9c000000-0000-4000-8000-000000000001',
      policyName: 'Contoso DP - Sales',
      policyId: '7c000000-0000-4000-8000-000000000001',
    },
    {
      groupId: '9c000000-0000-4000-8000-000000000002',
      policyName: 'Contoso DP - Finance',
      policyId: '7c000000-0000-4000-8000-000000000002',
    },
    {
      groupId: '9c000000-0000-4000-8000-000000000003',
      policyName: 'Contoso DP - Engineering',
      policyId: '7c000000-0000-4000-8000-000000000003',
    },
    {
      groupId: '9c000000-0000-4000-8000-000000000004',
      policyName: 'Contoso DP - Warehouse',
      policyId: '7c000000-0000-4000-8000-000000000004',
    },
    {
      groupId: '9c000000-0000-4000-8000-000000000005',
      policyName: 'Contoso DP - Legal',
      policyId: '7c000000-0000-4000-8000-000000000005',
    },
  ],
};

/** DEVICE_PREP_GROUPS for a scenario: the documented table for hand-written ones, else `generate.deviceprep`. */
export function devicePrepGroupsOf(scenario: ScenarioObject | string): DevicePrepGroupConfig[] {
  const object = typeof scenario === 'string' ? readScenarioFile(scenario) : scenario;
  const known = object.name !== undefined ? BUNDLED_DEVICE_PREP_GROUPS[object.name] : undefined;
  if (known) return [...known];
  if (object.generate === undefined) return [];
  const { deviceprep } = generateSchema.parse(object.generate);
  return [{ groupId: deviceprep.groupId, policyName: deviceprep.policyName, policyId: deviceprep.policyId }];
}

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly event: string;
  readonly fields: LogFields;
}

export function captureLogger(): Logger & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (event: string, fields: LogFields = {}) =>
      void entries.push({ level, event, fields });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface HarnessOptions {
  /** Scenario object, bundled name or file path (as startSimulator takes it). */
  readonly scenario: ScenarioObject | string;
  /** REMEDIATION_MODE (default plan: nothing is written to the tenant). */
  readonly mode?: Mode;
  /** DEVICE_PREP_GROUPS; default: devicePrepGroupsOf(scenario). */
  readonly devicePrepGroups?: readonly DevicePrepGroupConfig[];
  /** Further configuration keys (the same names as the app settings), applied last. */
  readonly env?: Readonly<Record<string, string>>;
  /** Simulator options other than the scenario and the port (always a free port). */
  readonly sim?: Omit<SimulatorOptions, 'scenario' | 'port'>;
  /** Share one Azurite between harnesses (it is then left running by stop()); default: a private one. */
  readonly azurite?: Azurite;
  /**
   * Graph adapter overrides. By default the adapters' waits (retry backoff, export-job polling) advance the
   * simulator clock instead of sleeping: the app and the service see the same time pass, in no real time.
   */
  readonly graph?: GraphAdapterOptions;
}

export interface Harness {
  readonly sim: Simulator;
  readonly container: Container;
  readonly config: AppConfig;
  /**
   * The in-process remediation queue (its waits advance the simulator clock). The harness passes it to
   * buildContainer as `queue`, so use this one: `container.inProcessQueue` is null here.
   */
  readonly queue: InProcessQueue;
  /** Everything the container and the use cases logged. */
  readonly logs: LogEntry[];
  /** The app clock (= the simulator clock, epoch ms). */
  readonly clock: Clock;
  readonly tablePrefix: string;
  runPoll(kind?: 'incremental' | 'full', opts?: { readonly forcePlan?: boolean }): Promise<PollResult>;
  runCompliance(opts?: { readonly forcePlan?: boolean }): Promise<ComplianceResult>;
  /** Runs every due command through executeRemediation with container.remediationDeps(). */
  drainQueue(opts?: { readonly waitForScheduled?: boolean }): Promise<DrainReport>;
  stop(): Promise<void>;
}

let harnessCount = 0;

/** TABLE_PREFIX: letters and digits, starts with a letter, ≤ 20 characters, unique per harness. */
export function uniqueTablePrefix(tag = ''): string {
  harnessCount += 1;
  const suffix = `${process.pid.toString(36)}${harnessCount.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
  return `t${tag.replace(/[^A-Za-z0-9]/g, '').slice(0, 6)}${suffix}`.slice(0, 20);
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const sim = await startSimulator({ ...opts.sim, scenario: opts.scenario, port: 0 });
  let ownAzurite: Azurite | null = null;
  try {
    const azurite = opts.azurite ?? (ownAzurite = await withAzurite());
    const tablePrefix = uniqueTablePrefix(
      typeof opts.scenario === 'string' ? (opts.scenario.split(/[/\\]/).pop() ?? '') : (opts.scenario.name ?? ''),
    );
    const config = loadConfig({
      GRAPH_BASE_URL: sim.url,
      GRAPH_TOKEN: sim.token,
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: tablePrefix,
      TENANT_NAME: 'contoso',
      DEVICE_PREP_GROUPS: JSON.stringify(opts.devicePrepGroups ?? devicePrepGroupsOf(opts.scenario)),
      REMEDIATION_MODE: opts.mode ?? 'plan',
      LOG_LEVEL: 'debug',
      ...opts.env,
    });
    const clock: Clock = { now: () => sim.clock.nowMs() };
    const queue = new InProcessQueue({
      clock,
      timer: { sleep: (ms) => Promise.resolve(sim.clock.advance(Math.max(0, ms))) },
    });
    const logger = captureLogger();
    const virtualSleep = (ms: number): Promise<void> => {
      sim.clock.advance(Math.max(0, ms));
      return new Promise((resolve) => setImmediate(resolve));
    };
    const container = await buildContainer(config, {
      logger,
      clock,
      queue,
      graph: { sleep: virtualSleep, ...opts.graph },
    });
    let runs = 0;
    return {
      sim,
      container,
      config,
      queue,
      logs: logger.entries,
      clock,
      tablePrefix,
      runPoll: (kind = 'incremental', o = {}) => {
        runs += 1;
        return runPoll(container.pollDeps(), container.pollOptions(kind, `test-${kind}-${runs}`, o.forcePlan ?? false));
      },
      runCompliance: (o = {}) => {
        runs += 1;
        return runComplianceSweep(
          container.complianceDeps(),
          container.complianceOptions(`test-compliance-${runs}`, { forcePlan: o.forcePlan ?? false }),
        );
      },
      drainQueue: (o = {}) => {
        const deps = container.remediationDeps();
        queue.setHandler((command) => executeRemediation(command, deps));
        return queue.drain(o.waitForScheduled ? { waitForScheduled: true } : {});
      },
      stop: async () => {
        await container.dispose();
        await sim.stop();
        if (ownAzurite) await ownAzurite.stop();
      },
    };
  } catch (err) {
    await sim.stop();
    if (ownAzurite) await ownAzurite.stop();
    throw err;
  }
}

/** Graph requests on the wire (a $batch's items are logged again on their own; those are left out). */
export function wireRequests(sim: Simulator, sinceSeq?: number): RequestLogEntry[] {
  // Graph calls, whether sent alone or inside a $batch: the envelope is dropped and its items (logged as
  // entries of their own) kept, so assertions hold with read batching on or off (GRAPH_BATCH_READS).
  return sim.requests(sinceSeq).filter((r) => r.version !== null && !r.path.endsWith('/$batch'));
}

/** Graph writes (POST/PATCH/PUT/DELETE), batched or not. */
export function wireWrites(sim: Simulator, sinceSeq?: number): RequestLogEntry[] {
  return wireRequests(sim, sinceSeq).filter((r) => r.kind === 'write');
}

/** Highest request-log sequence so far (pass to requests(since) to see only what came after). */
export function lastSeq(sim: Simulator): number {
  return sim.requests().reduce((max, r) => Math.max(max, r.seq), 0);
}

/** Every history record (optionally of one type, at or after `since`), following continuation tokens. */
export async function historyRecords(
  stores: Pick<Stores, 'history'>,
  q: { readonly type?: HistoryEventType; readonly since?: number } = {},
): Promise<HistoryRecord[]> {
  const out: HistoryRecord[] = [];
  let token: string | null = null;
  do {
    const page = await stores.history.query({
      limit: 1000,
      continuationToken: token,
      ...(q.type ? { type: q.type } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
    });
    out.push(...page.items);
    token = page.continuationToken;
  } while (token !== null);
  return out;
}
