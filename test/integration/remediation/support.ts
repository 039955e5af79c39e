// Integration harness for the remediation use cases: the tenant simulator over real HTTP (loopback only) as
// Graph, the real Graph adapters, and stores from Azurite (real Table API, ETags) or memory.
import { afterAll, beforeAll } from 'vitest';

import { createGraphAdapters } from '../../../shared/adapters/graph/index.js';
import { createMemoryStores } from '../../../shared/adapters/inprocess/memory-stores.js';
import { InProcessQueue } from '../../../shared/adapters/inprocess/queue.js';
import { createTableStores } from '../../../shared/adapters/tables/table-stores.js';
import { executeRemediation, type RemediationDeps } from '../../../shared/app/remediation/index.js';
import type { Evidence, RemediationCommand } from '../../../shared/core/model/index.js';
import type { Clock, Stores } from '../../../shared/ports/index.js';
import { startSimulator, type Simulator } from '../../../sim/index.js';
import { withAzurite } from '../../support/azurite.js';
import {
  apId,
  CapturingAlertSink,
  captureLogger,
  ENFORCE_POLICY,
  POLICY_ID,
  POLICY_NAME,
  unblockFinding,
} from '../../unit/app/remediation/support.js';

export const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
export const MIN = 60_000;
export const GROUP = '11111111-1111-4111-8111-111111111111';
export { apId, POLICY_ID, POLICY_NAME };
export const objectId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A simulator whose device preparation policy POLICY_ID puts devices in GROUP at enrollment. */
export async function startSim(): Promise<Simulator> {
  const sim = await startSimulator({ now: new Date(T0) });
  sim.tenant.addConfigurationPolicy({
    id: POLICY_ID,
    name: POLICY_NAME,
    enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: GROUP }],
  });
  return sim;
}

/** One simulator (startSim) for the calling test file: started before its tests, handed to `use`, stopped after. */
export function simForFile(use: (sim: Simulator) => void): void {
  let sim: Simulator | undefined;
  beforeAll(async () => {
    sim = await startSim();
    use(sim);
  });
  afterAll(async () => {
    await sim?.stop();
  });
}

/** Azurite and a simulator (startSim) for the calling test file: started before its tests, handed to `use`, stopped after. */
export function azuriteAndSimForFile(use: (azurite: Azurite, sim: Simulator) => void): void {
  let azurite: Azurite | undefined;
  let sim: Simulator | undefined;
  beforeAll(async () => {
    azurite = await withAzurite();
    sim = await startSim();
    use(azurite, sim);
  });
  afterAll(async () => {
    await sim?.stop();
    await azurite?.stop();
  });
}

type Azurite = Awaited<ReturnType<typeof withAzurite>>;

/** A tenant sync command as the poll sends it (tenant contoso, enforce), made at `createdAt` (epoch ms). */
export function syncCommand(
  key: string,
  reasons: readonly string[],
  runId: string,
  createdAt: number,
): RemediationCommand {
  return {
    schemaVersion: 1,
    idempotencyKey: key,
    action: 'autopilot-sync',
    tenant: 'contoso',
    mode: 'enforce',
    target: { action: 'autopilot-sync' },
    reasons,
    runId,
    createdAt: new Date(createdAt).toISOString(),
  };
}

export function simClock(sim: Simulator): Clock {
  return { now: () => sim.clock.nowMs() };
}

/** Graph writes the simulator actually received on the wire (batch items excluded). */
export function writes(sim: Simulator, pathPattern?: RegExp): { method: string; path: string; status: number }[] {
  return sim
    .requests()
    .filter(
      (r) => r.kind === 'write' && r.batch === undefined && (pathPattern === undefined || pathPattern.test(r.path)),
    )
    .map((r) => ({ method: r.method, path: r.path, status: r.status }));
}

export function syncCalls(sim: Simulator): { status: number }[] {
  return writes(sim, /windowsAutopilotSettings\/sync$/).map((w) => ({ status: w.status }));
}

let prefixCounter = 0;

/** Azurite-backed stores with fresh tables per call (the claim and governor ETags are the real thing). */
export async function tableStores(azurite: Awaited<ReturnType<typeof withAzurite>>, tag: string): Promise<Stores> {
  prefixCounter += 1;
  return createTableStores(
    { connectionString: azurite.connectionString },
    `${tag}${prefixCounter}${Date.now() % 100000}`,
  );
}

export function memoryStores(): Stores {
  return createMemoryStores();
}

export interface SimHarness {
  readonly alerts: CapturingAlertSink;
  readonly logger: ReturnType<typeof captureLogger>;
  readonly queue: InProcessQueue;
  deps(owner: string, over?: Partial<RemediationDeps>): RemediationDeps;
}

/**
 * Deps wired to the simulator. The in-process queue's timer advances the SIMULATOR clock, so waiting for a
 * scheduled message (e.g. the sync window) takes no real time and the service sees the same time we do.
 */
export function simHarness(sim: Simulator, stores: Stores): SimHarness {
  const clock = simClock(sim);
  const graph = createGraphAdapters(
    { baseUrl: sim.url, auth: { kind: 'static-token', token: sim.token }, isMicrosoftGraph: false, maxRetries: 0 },
    { now: clock.now, sleep: () => Promise.resolve() },
  );
  const alerts = new CapturingAlertSink();
  const logger = captureLogger();
  const queue = new InProcessQueue({
    clock,
    timer: { sleep: (ms) => Promise.resolve(sim.clock.advance(Math.max(0, ms))) },
  });
  const deps = (owner: string, over: Partial<RemediationDeps> = {}): RemediationDeps => ({
    tenant: 'contoso',
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
    logger,
    claimTtlMs: 10 * MIN,
    policy: ENFORCE_POLICY,
    devicePrepGroups: [{ groupId: GROUP, policyName: POLICY_NAME, policyId: POLICY_ID }],
    ...over,
  });
  queue.setHandler(async (command) => {
    await executeRemediation(command, deps('queue-worker'));
  });
  return { alerts, logger, queue, deps };
}

export { withAzurite };

/**
 * A device the poll would unblock: blocked for userless re-enrollment in the simulator, with the open
 * AP_USERLESS_BLOCKED finding the poll records for it (unblockFinding: refused with 0x80180014 at `failedAt`).
 */
export async function blockedAfterFailure(
  sim: Simulator,
  stores: Stores,
  serial: string,
  failedAt: number,
  evidence: Evidence = {},
): Promise<void> {
  sim.tenant.setIdentity(apId(serial), {
    serialNumber: serial,
    enrollmentState: 'blocked',
    userlessEnrollmentStatus: 'blocked',
  });
  // A finding the poll already had keeps its attempts, as the poll keeps them.
  const had = await stores.findings.get(serial.toUpperCase(), 'AP_USERLESS_BLOCKED');
  const attempts = { attempts: had?.attempts ?? 0, lastAttemptAt: had?.lastAttemptAt ?? null };
  await stores.findings.upsertMany([{ ...unblockFinding(serial, failedAt, evidence), ...attempts }]);
}

/** The unblock write's path, for `writes(sim, UNBLOCK_WRITE)`. */
export const UNBLOCK_WRITE = /allowNextEnrollment$/;

/**
 * The worker given an unblock of `serial` under `key` now, with the cooldown off: a test of the unblock gate alone,
 * which a cooldown since the earlier unblock would otherwise answer first.
 */
export function unblockAgain(sim: Simulator, h: SimHarness, serial: string, key: string) {
  return executeRemediation(
    unblockCommand(serial, key, sim.clock.nowMs()),
    h.deps('w', { policy: { ...ENFORCE_POLICY, cooldownMs: 0 } }),
  );
}

/**
 * An enforce-mode unblock message as any queue sender could write it, under its own key; by default for the record
 * the simulator keeps for that serial, or for another record's id (a forged pairing).
 */
export function unblockCommand(
  serial: string,
  key: string,
  at: number,
  autopilotId = apId(serial),
): RemediationCommand {
  return {
    schemaVersion: 1,
    idempotencyKey: key,
    action: 'allow-next-enrollment',
    tenant: 'contoso',
    mode: 'enforce',
    target: { action: 'allow-next-enrollment', autopilotId, serialNumber: serial },
    reasons: [`fp-${serial}`],
    runId: 'elsewhere',
    createdAt: new Date(at).toISOString(),
  };
}
