/**
 * Programmatic entry: start a Graph-compatible simulator on 127.0.0.1 and get handles to its clock,
 * request log, faults, plants and tenant state. See sim/README.md for the scenario format.
 */
import type { AddressInfo } from 'node:net';
import { FULL_GRANT, issuedToken } from './auth/app-roles.js';
import { SimClock } from './clock.js';
import type { Planted } from './generate/spec.js';
import type { SimEnv, SimSettings } from './http/env.js';
import { Router } from './http/router.js';
import { createSimServer } from './http/server.js';
import { Faults, type FaultRule, type FaultRuleInput } from './limits/faults.js';
import { WriteLimiter, type WriteLimit } from './limits/limiter.js';
import { RequestLog, type RequestLogEntry } from './limits/requestlog.js';
import { ExportJobs } from './reports/jobs.js';
import { ALL_ROUTES } from './routes/index.js';
import { buildTenant } from './scenario/build.js';
import { parseScenario } from './scenario/load.js';
import { snapshotScenario } from './scenario/snapshot.js';
import { optionsSchema, type Scenario, type ScenarioObject } from './scenario/schema.js';
import { TenantApi } from './tenant/api.js';

export interface SimulatorOptions {
  /** A scenario object, a bundled scenario name (`demo`) or a path to a scenario JSON file. */
  scenario?: ScenarioObject | string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Bearer token every Graph request must carry (default `sim-token`). */
  token?: string;
  /**
   * Application roles the issued token carries and Graph enforces (403 Authorization_RequestDenied without one):
   * absent/null = not managed (an opaque token that may do everything); 'full' = every permission autopilot-medic documents.
   */
  roles?: readonly string[] | 'full' | null;
  /** Fixed latency added to every Graph request. */
  latencyMs?: number;
  /** Write limiter, e.g. `{max: 100, windowMs: 20000}`; null/absent = off. */
  writeLimit?: WriteLimit | null;
  /** How long a started Autopilot sync stays `inProgress` (sim time, default 30 s). */
  syncDurationMs?: number;
  /** Export job progress: polls before `completed` (default 2) and minimum sim time (default 0). */
  exportJob?: { pollsUntilComplete?: number; minDurationMs?: number };
  /** Start the simulator clock at this time (default: real now). */
  now?: Date;
}

export interface Simulator {
  /** `http://127.0.0.1:PORT`; Graph lives under `${url}/v1.0` and `${url}/beta`. */
  url: string;
  port: number;
  /** The bearer token to use: the configured secret, or a JWT carrying the granted roles when roles are managed. */
  token: string;
  clock: SimClock;
  /** Granted application roles, or null when roles are not managed. */
  readonly roles: readonly string[] | null;
  /** Take a role out of the grant (roles become managed, from the full grant, if they were not): the token changes. */
  revokeRole(role: string): void;
  /** Replace the grant; null = stop managing roles. */
  setRoles(roles: readonly string[] | 'full' | null): void;
  requests(sinceSeq?: number): RequestLogEntry[];
  clearRequests(): void;
  faults: { add(rule: FaultRuleInput): string; remove(id: string): boolean; clear(): void; list(): FaultRule[] };
  /** What the scenario planted (generator plants plus the scenario's declared `planted`). */
  readonly planted: Planted;
  tenant: TenantApi;
  /** Change latency / write limit while running. */
  setLatency(ms: number): void;
  setWriteLimit(limit: WriteLimit | null): void;
  /**
   * The tenant as it is now, as a scenario (absolute times): start a simulator with it to carry on where this one is.
   * Throws SnapshotTooLargeError for a tenant beyond SNAPSHOT_MAX_OBJECTS.
   */
  snapshot(): ScenarioObject;
  stop(): Promise<void>;
}

const EMPTY: ScenarioObject = { name: 'empty' };

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const clock = new SimClock(opts.now);
  const scenario: Scenario = parseScenario(opts.scenario ?? EMPTY, clock.nowMs());
  const so = scenario.options;
  let scenarioName = scenario.name;
  const settings: SimSettings = {
    token: opts.token ?? so.token ?? 'sim-token',
    roles: rolesOf(opts.roles !== undefined ? opts.roles : (so.roles ?? null)),
    latencyMs: opts.latencyMs ?? so.latencyMs ?? 0,
    syncDurationMs: opts.syncDurationMs ?? so.syncDurationMs ?? 30_000,
    exportJob: {
      pollsUntilComplete: opts.exportJob?.pollsUntilComplete ?? so.exportJob?.pollsUntilComplete ?? 2,
      minDurationMs: opts.exportJob?.minDurationMs ?? so.exportJob?.minDurationMs ?? 0,
    },
  };
  const faults = new Faults();
  const env: SimEnv = {
    tenant: buildTenant(scenario, clock.nowMs(), settings.syncDurationMs),
    clock,
    faults,
    settings,
    limiter: new WriteLimiter(opts.writeLimit !== undefined ? opts.writeLimit : (so.writeLimit ?? null)),
    log: new RequestLog(),
    exports: new ExportJobs(),
  };
  for (const f of scenario.faults) faults.add(f);

  /** Runtime option changes (POST /_sim/options, or the options of a replacement scenario). */
  const applyOptions = (raw: unknown): void => {
    const o = optionsSchema.parse(raw);
    if (o.token !== undefined) settings.token = o.token;
    if (o.roles !== undefined) settings.roles = rolesOf(o.roles);
    if (o.revokeRoles !== undefined) for (const r of o.revokeRoles) revoke(r);
    if (o.latencyMs !== undefined) settings.latencyMs = o.latencyMs;
    if (o.writeLimit !== undefined) env.limiter.set(o.writeLimit);
    if (o.syncDurationMs !== undefined) settings.syncDurationMs = env.tenant.sync.durationMs = o.syncDurationMs;
    if (o.syncOutcome !== undefined) env.tenant.sync.nextOutcome = o.syncOutcome;
    if (o.exportJob !== undefined) settings.exportJob = o.exportJob;
  };
  const revoke = (role: string): void => {
    settings.roles = (settings.roles ?? [...FULL_GRANT]).filter((r) => r.toLowerCase() !== role.toLowerCase());
  };
  if (so.revokeRoles) for (const r of so.revokeRoles) revoke(r);
  const load = (s: ScenarioObject | string): void => {
    const next = parseScenario(s, clock.nowMs());
    scenarioName = next.name;
    env.tenant = buildTenant(next, clock.nowMs(), settings.syncDurationMs);
    faults.clear();
    for (const f of next.faults) faults.add(f);
    applyOptions(next.options);
  };
  const tenant = new TenantApi(env, load);
  const server = createSimServer(env, new Router(ALL_ROUTES), {
    planted: () => env.tenant.planted,
    state: () => stateSummary(env),
    loadScenario: load,
    patchScenario: (p) => tenant.applyPatch(p),
    setOptions: applyOptions,
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get token() {
      return issuedToken(settings.token, settings.roles);
    },
    get roles() {
      return settings.roles;
    },
    revokeRole: revoke,
    setRoles: (r) => {
      settings.roles = rolesOf(r);
    },
    clock,
    requests: (since) => env.log.list(since),
    clearRequests: () => env.log.clear(),
    faults: {
      add: (r) => faults.add(r),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    get planted() {
      return env.tenant.planted;
    },
    tenant,
    setLatency: (ms) => {
      settings.latencyMs = ms;
    },
    setWriteLimit: (l) => env.limiter.set(l),
    snapshot: () => snapshotScenario(env, scenarioName),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

function rolesOf(r: readonly string[] | 'full' | null): string[] | null {
  return r === null ? null : r === 'full' ? [...FULL_GRANT] : [...r];
}

function stateSummary(env: SimEnv): Record<string, unknown> {
  const t = env.tenant;
  return {
    now: env.clock.iso(),
    settings: t.sync.settings,
    counts: {
      windowsAutopilotDeviceIdentities: t.identities.count(),
      autopilotEvents: t.events.count(),
      groups: t.groups.count(),
      devices: t.devices.count(),
      users: t.users.count(),
      servicePrincipals: t.servicePrincipals.count(),
      managedDevices: t.managedDevices.count(),
      deviceprepReport: t.reportRows.length,
      deviceprepAppReport: t.reportAppRows.length,
      deviceprepScriptReport: t.reportScriptRows.length,
      pendingImports: t.pendingImports.length,
      importedWindowsAutopilotDeviceIdentities: t.importedDevices.count(),
    },
    options: {
      latencyMs: env.settings.latencyMs,
      writeLimit: env.limiter.current,
      syncDurationMs: env.settings.syncDurationMs,
      roles: env.settings.roles,
    },
    faults: env.faults.list().length,
    denials: t.denials,
  };
}

export type { Planted, PlantedItem } from './generate/spec.js';
export type { FaultRuleInput } from './limits/faults.js';
export type { WriteLimit } from './limits/limiter.js';
export type { RequestLogEntry } from './limits/requestlog.js';
export type { ScenarioObject } from './scenario/schema.js';
export type { TenantApi } from './tenant/api.js';
export { SimClock } from './clock.js';
export { SNAPSHOT_MAX_OBJECTS, SnapshotTooLargeError } from './scenario/snapshot.js';
export { INTUNE_PROVISIONING_CLIENT_APP_ID } from './generate/context.js';
