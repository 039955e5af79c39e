import { randomUUID } from 'node:crypto';

import {
  createGraphAdapters,
  graphAdapterConfig,
  type GraphAdapterOptions,
  type GraphAdapters,
} from '../adapters/graph/index.js';
import { InProcessQueue } from '../adapters/inprocess/queue.js';
import { createMemoryStores } from '../adapters/inprocess/memory-stores.js';
import { REMEDIATION_MESSAGE_TTL_MS } from '../adapters/servicebus/message.js';
import { createServiceBusQueue } from '../adapters/servicebus/sender.js';
import { createTableStores, type TableConnection } from '../adapters/tables/table-stores.js';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { AlertDispatcher } from '../app/alerting/index.js';
import type { ComplianceDeps, ComplianceOptions } from '../app/compliance/run-compliance-sweep.js';
import type { DecideDeps } from '../app/approvals/index.js';
import type { PollDeps, PollOptions } from '../app/poll/run-poll.js';
import { executeRemediation, type RemediationDeps } from '../app/remediation/index.js';
import type { AppConfig } from '../config/index.js';
import { catalogEntry } from '../core/catalog/index.js';
import { claimRetentionMs } from '../core/claims.js';
import { pacingSpanMs } from '../core/governor/index.js';
import { detectorRulesFromConfig, type DetectorRules } from '../core/detect/index.js';
import type { Outcome, RemediationCommand } from '../core/model/index.js';
import { storageFailureOf, type Clock, type Logger, type RemediationQueue, type Stores } from '../ports/index.js';
import { buildAlertChannels } from './alert-channels.js';

// The composition root: builds every adapter from config ONCE. Triggers and CLI commands ask it for deps;
// tests pass their own stores, queue or clock through `overrides`.

export type StorageChoice = 'config' | 'memory';

export interface ContainerOverrides {
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly stores?: Stores;
  /**
   * What to do when no storage is configured: Functions refuse; tests may ask for memory stores. (The CLI configures
   * its own: Azurite in its data folder.)
   */
  readonly storageFallback?: StorageChoice;
  readonly queue?: RemediationQueue;
  /**
   * A Service Bus queue built once for many tenants' containers (fleet.ts): treated like the container's own remote
   * queue (writes paced over the app-wide budget), closed by whoever built it.
   */
  readonly remoteQueue?: RemediationQueue;
  /** The tables' name prefix (default TABLE_PREFIX): each tenant of a many-tenant deployment has its own tables. */
  readonly tablePrefix?: string;
  /** The CLI always runs the worker in-process, whatever Service Bus settings the environment carries. */
  readonly forceInProcessQueue?: boolean;
  readonly graph?: GraphAdapterOptions;
  readonly owner?: string;
  /** The tenant's display name (many tenants): alerts carry it for the people reading them. */
  readonly tenantName?: string;
}

export interface Container {
  readonly config: AppConfig;
  readonly stores: Stores;
  readonly graph: GraphAdapters;
  readonly queue: RemediationQueue;
  /** Present when the queue is in-process (CLI, tests): drain it to run the worker in this process. */
  readonly inProcessQueue: InProcessQueue | null;
  readonly alerts: AlertDispatcher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rules: DetectorRules;
  remediationDeps(logger?: Logger): RemediationDeps;
  /**
   * Run the remediation worker in this process over the in-process queue (CLI, and a Functions host with no
   * Service Bus configured). Scheduled messages (a deferred sync) stay queued. Empty when the queue is remote.
   */
  drainLocally(opts?: { logger?: Logger; shouldStop?: () => boolean }): Promise<LocalAction[]>;
  pollDeps(logger?: Logger): PollDeps;
  pollOptions(kind: 'incremental' | 'full', runId: string, forcePlan?: boolean): PollOptions;
  complianceDeps(logger?: Logger): ComplianceDeps;
  /** What deciding an approval request needs (review page, CLI `approvals`). */
  approvalDeps(logger?: Logger): DecideDeps;
  complianceOptions(runId: string, opts?: { forcePlan?: boolean; reportUrl?: string | null }): ComplianceOptions;
  dispose(): Promise<void>;
}

export interface LocalAction {
  readonly command: RemediationCommand;
  readonly outcome: Outcome;
}

export class StorageNotConfiguredError extends Error {
  constructor() {
    super('No Table Storage configured: set STORAGE_CONNECTION_STRING or STORAGE_TABLE_ENDPOINT');
    this.name = 'StorageNotConfiguredError';
  }
}

const systemClock: Clock = { now: () => Date.now() };

export async function buildContainer(config: AppConfig, overrides: ContainerOverrides): Promise<Container> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger;
  const disposers: (() => Promise<void>)[] = [];
  const stores =
    overrides.stores ??
    (await buildStores(
      config,
      overrides.storageFallback ?? 'config',
      overrides.tablePrefix ?? config.env.TABLE_PREFIX,
    ));
  const graph = createGraphAdapters(graphAdapterConfig(config), {
    logger,
    now: () => clock.now(),
    batchReads: config.env.GRAPH_BATCH_READS,
    ...overrides.graph,
  });
  let inProcessQueue: InProcessQueue | null = null;
  let queue: RemediationQueue;
  if (overrides.queue) queue = overrides.queue;
  else if (overrides.remoteQueue && !overrides.forceInProcessQueue) queue = overrides.remoteQueue;
  else if (config.queue.kind === 'in-process' || overrides.forceInProcessQueue)
    queue = inProcessQueue = new InProcessQueue({ clock });
  else {
    const sb = createServiceBusQueue(config.queue, { clock });
    disposers.push(sb.close);
    queue = sb.queue;
  }
  // Commands sent to Service Bus run on as many instances as Flex Consumption scales the queue function to: the
  // poll spreads their writes over the app-wide budget. Drained here, this process's write limiter paces them.
  const writePacing =
    config.queue.kind !== 'in-process' && !overrides.queue && !overrides.forceInProcessQueue
      ? config.env.GRAPH_WRITE_BUDGET
      : null;
  const alerts = new AlertDispatcher({
    channels: buildAlertChannels(config, logger),
    alertState: stores.alerts,
    history: stores.history,
    clock,
    logger,
    cooldownMs: config.alerts.cooldownMs,
    ...(overrides.tenantName === undefined ? {} : { tenantName: overrides.tenantName }),
  });
  const rules = detectorRulesFromConfig({
    deploymentStuckHours: config.env.DEPLOYMENT_STUCK_HOURS,
    profileStuckHours: config.env.PROFILE_STUCK_HOURS,
    importVisibleMinutes: config.env.IMPORT_VISIBLE_MINUTES,
    fixPendingAlertHours: config.env.FIX_PENDING_ALERT_HOURS,
    staleRegistrationDays: config.env.STALE_REGISTRATION_DAYS,
    checkinStaleDays: config.env.CHECKIN_STALE_DAYS,
    devicePrepGroups: config.devicePrepGroups,
  });
  const owner = overrides.owner ?? `worker-${randomUUID()}`;
  // A tenant of a many-tenant deployment (it has a display name): its review links name it.
  const approvals =
    overrides.tenantName === undefined ? config.approvals : { ...config.approvals, tenant: config.tenant };
  const remediationDeps = (log: Logger = logger): RemediationDeps => ({
    tenant: config.tenant,
    owner,
    claims: stores.claims,
    governor: stores.governor,
    history: stores.history,
    findings: stores.findings,
    runOutcomes: stores.runOutcomes,
    queue,
    actions: graph.actions,
    autopilot: graph.autopilot,
    directory: graph.directory,
    alerts,
    clock,
    logger: log,
    claimTtlMs: config.env.CLAIM_TTL_SECONDS * 1000,
    // The worker re-checks every message against the configuration it runs with, not the one that planned it.
    policy: config.policy,
    devicePrepGroups: config.devicePrepGroups,
    approvals: stores.approvals,
    approvalExpiryMs: config.approvals.expiryMs,
    managedDevices: graph.lookup,
  });
  const pollDeps = (log: Logger = logger): PollDeps => ({
    autopilot: graph.autopilot,
    directory: graph.directory,
    stores,
    queue,
    alertSink: alerts,
    dispatchAlerts: (list, runId) => alerts.dispatch(list, { runId }),
    clock,
    logger: log,
    writePacing,
  });
  const pollOptions = (kind: 'incremental' | 'full', runId: string, forcePlan = false): PollOptions => ({
    kind,
    runId,
    tenant: config.tenant,
    policy: forcePlan ? forcePlanPolicy(config.policy) : config.policy,
    rules,
    overlapMs: config.env.EVENT_OVERLAP_MINUTES * 60_000,
    catalog: catalogEntry,
    portalUrl: config.alerts.portalUrl,
    digestThreshold: config.alerts.digestThreshold,
    approvals,
  });
  return {
    config,
    stores,
    graph,
    queue,
    inProcessQueue,
    alerts,
    clock,
    logger,
    rules,
    remediationDeps,
    drainLocally: async ({ logger: log = logger, shouldStop = () => false } = {}) => {
      if (!inProcessQueue) return [];
      const deps = remediationDeps(log);
      const actions: LocalAction[] = [];
      inProcessQueue.setHandler(async (command) => {
        // Stop requested: commands not yet started stay unstarted (no claim, no write, nothing half-written).
        if (shouldStop()) return null;
        const outcome = await executeRemediation(command, deps);
        actions.push({ command, outcome });
        return outcome;
      });
      // Storage gone: every further delivery would fail the same way (and burn its delivery count). Stop and
      // say so; the messages stay queued and the claims expire, so a later run re-checks them.
      await inProcessQueue.drain({ waitForScheduled: false, stopOn: (err) => storageFailureOf(err) !== null });
      return actions;
    },
    pollDeps,
    pollOptions,
    complianceDeps: (log = logger) => ({ poll: pollDeps(log), stores }),
    approvalDeps: (log = logger) => ({
      tenant: config.tenant,
      approvals: stores.approvals,
      claims: stores.claims,
      history: stores.history,
      queue,
      runOutcomes: stores.runOutcomes,
      clock,
      logger: log,
      policy: config.policy,
      settings: approvals,
    }),
    complianceOptions: (runId, o = {}) => ({
      poll: pollOptions('full', runId, o.forcePlan ?? false),
      periodDays: 30,
      staleDays: config.env.STALE_REGISTRATION_DAYS,
      checkinStaleDays: config.env.CHECKIN_STALE_DAYS,
      historyRetentionDays: config.env.HISTORY_RETENTION_DAYS,
      // A run writes to at most BLAST_RADIUS_MAX_DEVICES targets (more drops it to plan), paced by the write budget.
      claimRetentionMs: claimRetentionMs({
        messageTtlMs: REMEDIATION_MESSAGE_TTL_MS,
        pacingSpanMs: pacingSpanMs(config.env.BLAST_RADIUS_MAX_DEVICES, config.env.GRAPH_WRITE_BUDGET),
        claimTtlMs: config.env.CLAIM_TTL_SECONDS * 1000,
      }),
      reportRetentionDays: config.env.REPORT_RETENTION_DAYS,
      reportUrl: o.reportUrl ?? null,
    }),
    dispose: async () => {
      for (const d of disposers.reverse()) await d().catch(() => undefined);
    },
  };
}

/** --plan / ?plan=true: every enabled action in plan mode, nothing written to the tenant. */
export function forcePlanPolicy(policy: AppConfig['policy']): AppConfig['policy'] {
  const actionModes = Object.fromEntries(
    Object.entries(policy.actionModes).map(([a, m]) => [a, m === 'off' ? 'off' : 'plan']),
  ) as AppConfig['policy']['actionModes'];
  return { ...policy, defaultMode: 'plan', actionModes };
}

async function buildStores(config: AppConfig, fallback: StorageChoice, prefix: string): Promise<Stores> {
  const conn = tableConnectionOf(config);
  if (conn !== null) return createTableStores(conn, prefix);
  if (fallback === 'memory') return createMemoryStores();
  throw new StorageNotConfiguredError();
}

/** How the configuration reaches Table Storage (a connection string, or an endpoint and an identity), or null. */
export function tableConnectionOf(config: AppConfig): TableConnection | null {
  const s = config.storage;
  if (s.kind === 'connection-string') return { connectionString: s.connectionString };
  if (s.kind !== 'identity') return null;
  const credential = s.clientId
    ? new ManagedIdentityCredential({ clientId: s.clientId })
    : new DefaultAzureCredential();
  return { endpoint: s.tableEndpoint, credential };
}
