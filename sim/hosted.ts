/**
 * One simulated tenant inside a simulator: its scenario (data), token and roles, faults, denials, write limiter,
 * sync state, export jobs and request log, all its own; only the clock is shared (one simulator, one "now").
 * `startSimulator` hosts one of these per configured tenant and hands tests a `SimTenant` for each.
 */
import { FULL_GRANT, issuedToken } from './auth/app-roles.js';
import type { SimClock } from './clock.js';
import type { Planted } from './generate/spec.js';
import type { SimEnv, SimSettings } from './http/env.js';
import type { HostedTenant, TenantDirectory } from './http/tenants.js';
import { Faults, type FaultRule, type FaultRuleInput } from './limits/faults.js';
import { WriteLimiter, type WriteLimit } from './limits/limiter.js';
import { RequestLog, type RequestLogEntry } from './limits/requestlog.js';
import { ExportJobs } from './reports/jobs.js';
import { buildTenant } from './scenario/build.js';
import { parseScenario } from './scenario/load.js';
import { snapshotScenario } from './scenario/snapshot.js';
import { optionsSchema, type ScenarioObject, type ScenarioOptions } from './scenario/schema.js';
import { TenantApi } from './tenant/api.js';
import type { Denial } from './tenant/tenant.js';

/** What one simulated tenant is made of. Every key is optional. */
export interface TenantOptions {
  /**
   * The tenant id (a GUID): the `tid` of its tokens and the name control endpoints use (`?tenant=`). Default: the
   * simulator's fixed id for the first tenant, `5e1a7000-0000-4000-8000-0000000000NN` (NN = position) for the others.
   */
  tenantId?: string;
  /** A scenario object, a bundled scenario name (`demo`) or a path to a scenario JSON file. */
  scenario?: ScenarioObject | string;
  /**
   * The secret the tenant's bearer token carries (default `sim-token` for the first tenant, `sim-token-<tenantId>`
   * for the others). With roles managed the token is a JWT naming the tenant, so tenants may share a secret (one app
   * consented in several tenants); opaque tokens must differ.
   */
  token?: string;
  /**
   * Application roles the issued token carries and Graph enforces (403 Authorization_RequestDenied without one):
   * absent/null = not managed (an opaque token that may do everything); 'full' = every permission autopilot-medic documents.
   */
  roles?: readonly string[] | 'full' | null;
  /** Fixed latency added to every Graph request for this tenant. */
  latencyMs?: number;
  /** Write limiter, e.g. `{max: 100, windowMs: 20000}`; null/absent = off. */
  writeLimit?: WriteLimit | null;
  /** How long a started Autopilot sync stays `inProgress` (sim time, default 30 s). */
  syncDurationMs?: number;
  /** Export job progress: polls before `completed` (default 2) and minimum sim time (default 0). */
  exportJob?: { pollsUntilComplete?: number; minDurationMs?: number };
  /** Fault rules added after the scenario's own. */
  faults?: readonly FaultRuleInput[];
  /** Permission denials (403) added after the scenario's own. */
  denials?: readonly Denial[];
}

/** A test's handle on one simulated tenant. */
export interface SimTenant {
  readonly tenantId: string;
  /** The bearer token to use: the configured secret, or a JWT carrying the granted roles when roles are managed. */
  readonly token: string;
  /** Granted application roles, or null when roles are not managed. */
  readonly roles: readonly string[] | null;
  /** Take a role out of the grant (roles become managed, from the full grant, if they were not): the token changes. */
  revokeRole(role: string): void;
  /** Replace the grant; null = stop managing roles. */
  setRoles(roles: readonly string[] | 'full' | null): void;
  /** What this tenant answered, in order (every entry's `tenant` is this tenant's id). */
  requests(sinceSeq?: number): RequestLogEntry[];
  clearRequests(): void;
  faults: {
    add(rule: FaultRuleInput): string;
    remove(id: string): boolean;
    clear(): void;
    /** The rules, with how many requests each has matched (`seen`) and been applied to (`applied`). */
    list(): (FaultRule & { seen: number; applied: number })[];
  };
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
}

const EMPTY: ScenarioObject = { name: 'empty' };

/** Default id of the tenant at `index` (0-based) when the test names none. */
export function defaultTenantId(index: number, first: string): string {
  return index === 0 ? first : `5e1a7000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export interface Hosting {
  hosted: HostedTenant;
  handle: SimTenant;
}

/**
 * Build one tenant. `directory` is read lazily: token and role changes go through it so a token always names
 * exactly one tenant, and it exists only once every tenant is built.
 */
export function hostTenant(
  opts: TenantOptions,
  tenantId: string,
  defaultToken: string,
  clock: SimClock,
  directory: () => TenantDirectory,
): Hosting {
  const scenario = parseScenario(opts.scenario ?? EMPTY, clock.nowMs());
  const so = scenario.options;
  let scenarioName = scenario.name;
  const settings: SimSettings = {
    token: opts.token ?? so.token ?? defaultToken,
    roles: rolesOf(opts.roles !== undefined ? opts.roles : (so.roles ?? null)),
    latencyMs: opts.latencyMs ?? so.latencyMs ?? 0,
    syncDurationMs: opts.syncDurationMs ?? so.syncDurationMs ?? 30_000,
    exportJob: {
      pollsUntilComplete: opts.exportJob?.pollsUntilComplete ?? so.exportJob?.pollsUntilComplete ?? 2,
      minDurationMs: opts.exportJob?.minDurationMs ?? so.exportJob?.minDurationMs ?? 0,
    },
  };
  if (so.revokeRoles) for (const r of so.revokeRoles) settings.roles = without(settings.roles, r);
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
  for (const f of opts.faults ?? []) faults.add(f);
  for (const d of opts.denials ?? []) env.tenant.denials.push({ ...d });

  const setAuth = (secret: string, roles: string[] | null): void => directory().setAuth(hosted, secret, roles);
  /** Token and role changes first: refused when the token would be another tenant's, before anything else changes. */
  const applyAuth = (o: ScenarioOptions): void => {
    if (o.token === undefined && o.roles === undefined && o.revokeRoles === undefined) return;
    let roles = o.roles !== undefined ? rolesOf(o.roles) : settings.roles;
    for (const r of o.revokeRoles ?? []) roles = without(roles, r);
    setAuth(o.token ?? settings.token, roles);
  };
  /** Runtime option changes (POST /_sim/options, or the options of a replacement scenario). */
  const applyOptions = (raw: unknown): void => {
    const o = optionsSchema.parse(raw);
    applyAuth(o);
    applyRest(o);
  };
  const applyRest = (o: ScenarioOptions): void => {
    if (o.latencyMs !== undefined) settings.latencyMs = o.latencyMs;
    if (o.writeLimit !== undefined) env.limiter.set(o.writeLimit);
    if (o.syncDurationMs !== undefined) settings.syncDurationMs = env.tenant.sync.durationMs = o.syncDurationMs;
    if (o.syncOutcome !== undefined) env.tenant.sync.nextOutcome = o.syncOutcome;
    if (o.exportJob !== undefined) settings.exportJob = o.exportJob;
  };
  const load = (s: ScenarioObject | string): void => {
    const next = parseScenario(s, clock.nowMs());
    applyAuth(next.options);
    scenarioName = next.name;
    env.tenant = buildTenant(next, clock.nowMs(), settings.syncDurationMs);
    faults.clear();
    for (const f of next.faults) faults.add(f);
    applyRest(next.options);
  };
  const tenant = new TenantApi(env, load);
  const hosted: HostedTenant = {
    id: tenantId,
    env,
    control: {
      name: () => scenarioName,
      planted: () => env.tenant.planted,
      state: () => stateSummary(tenantId, env),
      loadScenario: load,
      patchScenario: (p) => tenant.applyPatch(p),
      setOptions: applyOptions,
    },
  };
  const handle: SimTenant = {
    tenantId,
    get token() {
      return issuedToken(settings.token, settings.roles, tenantId);
    },
    get roles() {
      return settings.roles;
    },
    revokeRole: (role) => setAuth(settings.token, without(settings.roles, role)),
    setRoles: (r) => setAuth(settings.token, rolesOf(r)),
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
  };
  return { hosted, handle };
}

function rolesOf(r: readonly string[] | 'full' | null): string[] | null {
  return r === null ? null : r === 'full' ? [...FULL_GRANT] : [...r];
}

/** The grant without `role` (managing roles from the full grant if they were not managed). */
function without(roles: readonly string[] | null, role: string): string[] {
  return (roles ?? [...FULL_GRANT]).filter((r) => r.toLowerCase() !== role.toLowerCase());
}

function stateSummary(tenantId: string, env: SimEnv): Record<string, unknown> {
  const t = env.tenant;
  return {
    tenantId,
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
