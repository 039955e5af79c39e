/**
 * Programmatic entry: start a Graph-compatible simulator on 127.0.0.1 and get handles to its clock,
 * request log, faults, plants and tenant state. See sim/README.md for the scenario format.
 */
import type { AddressInfo } from 'node:net';
import { SIM_TENANT_ID } from './auth/app-roles.js';
import { SimClock } from './clock.js';
import { defaultTenantId, hostTenant, type SimTenant, type TenantOptions } from './hosted.js';
import { Router } from './http/router.js';
import { createSimServer } from './http/server.js';
import { TenantDirectory } from './http/tenants.js';
import { RequestLog, type RequestLogEntry } from './limits/requestlog.js';
import { ALL_ROUTES } from './routes/index.js';

export interface SimulatorOptions extends TenantOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Start the simulator clock at this time (default: real now). The clock is shared by every tenant. */
  now?: Date;
  /**
   * Several tenants on one server, each reachable with its own token (the first one is the default tenant of
   * `Simulator`'s own members and of the control endpoints). With `tenants`, the tenant keys above (`scenario`,
   * `token`, …) are not allowed at the top level: they belong to a tenant.
   */
  tenants?: readonly TenantOptions[];
}

/** The simulator. Its tenant members (`token`, `tenant`, `requests`, `faults`, …) are those of the first tenant. */
export interface Simulator extends SimTenant {
  /** `http://127.0.0.1:PORT`; Graph lives under `${url}/v1.0` and `${url}/beta`. */
  url: string;
  port: number;
  clock: SimClock;
  /** Every tenant, in the order configured (one when `tenants` was not given). */
  readonly tenants: readonly SimTenant[];
  /** The tenant with this id (case-insensitive); throws for an id no tenant has. */
  tenantById(tenantId: string): SimTenant;
  /**
   * Requests that carried no tenant's token (none, unknown, revoked: the 401s), each with `tenant: null`. With a
   * single tenant these are also in its own log, as they always were.
   */
  unauthenticatedRequests(sinceSeq?: number): RequestLogEntry[];
  stop(): Promise<void>;
}

const TENANT_KEYS = [
  'tenantId',
  'scenario',
  'token',
  'roles',
  'latencyMs',
  'writeLimit',
  'syncDurationMs',
  'exportJob',
  'faults',
  'denials',
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenants to host, with their ids; throws one error listing every problem. */
function tenantsOf(opts: SimulatorOptions): { spec: TenantOptions; id: string; token: string }[] {
  const problems: string[] = [];
  let specs: readonly TenantOptions[] = [opts];
  if (opts.tenants !== undefined) {
    const clash = TENANT_KEYS.filter((k) => opts[k] !== undefined);
    if (clash.length) problems.push(`with "tenants", set ${clash.join(', ')} per tenant, not at the top level`);
    if (opts.tenants.length === 0) problems.push('"tenants" is empty: give at least one tenant');
    specs = opts.tenants;
  }
  const seen = new Map<string, number>();
  const out = specs.map((spec, i) => {
    const id = spec.tenantId ?? defaultTenantId(i, SIM_TENANT_ID);
    // Quoted as JSON: an id that is not a GUID may hold anything, and the message can reach a terminal.
    if (!GUID.test(id))
      problems.push(`tenants[${i}].tenantId ${JSON.stringify(id)} is not a GUID (Entra tenant ids are)`);
    const before = seen.get(id.toLowerCase());
    if (before !== undefined)
      problems.push(`tenants[${i}].tenantId ${JSON.stringify(id)} is also tenants[${before}]'s`);
    seen.set(id.toLowerCase(), i);
    return { spec, id, token: i === 0 ? 'sim-token' : `sim-token-${id}` };
  });
  if (problems.length) throw new Error(`invalid simulator options:\n- ${problems.join('\n- ')}`);
  return out;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const clock = new SimClock(opts.now);
  const built: { directory?: TenantDirectory } = {};
  const dir = (): TenantDirectory => {
    if (!built.directory) throw new Error('simulator tenants are still being built');
    return built.directory;
  };
  const hostings = tenantsOf(opts).map((t) => hostTenant(t.spec, t.id, t.token, clock, dir));
  const first = hostings[0]!;
  // One tenant: its own log also takes the 401s, as it always did. Several: those have a log of their own.
  const unauthenticated = opts.tenants === undefined ? first.hosted.env.log : new RequestLog();
  const directory = new TenantDirectory(
    hostings.map((h) => h.hosted),
    unauthenticated,
  );
  built.directory = directory;
  const handles = hostings.map((h) => h.handle);
  const main = first.handle;

  const server = createSimServer(directory, new Router(ALL_ROUTES));
  // A connection is kept as long as Node's default (5 s). At 1 s the `Keep-Alive: timeout=1` hint left undici's
  // fetch, which takes a second off a server's hint for timing slack, a keep-alive of 0: every request opened a new
  // connection (~400 in a 100,000-device sweep), which Graph's clients do not pay. stop() closes them all.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    clock,
    tenants: handles,
    tenantById: (id) => {
      const i = hostings.findIndex((h) => h.hosted.id.toLowerCase() === id.toLowerCase());
      if (i < 0) throw new Error(`no simulated tenant ${JSON.stringify(id)}`);
      return handles[i]!;
    },
    unauthenticatedRequests: (since) => unauthenticated.list(since).filter((e) => e.tenant === null),
    tenantId: main.tenantId,
    get token() {
      return main.token;
    },
    get roles() {
      return main.roles;
    },
    revokeRole: (r) => main.revokeRole(r),
    setRoles: (r) => main.setRoles(r),
    requests: (since) => main.requests(since),
    clearRequests: () => main.clearRequests(),
    faults: main.faults,
    get planted() {
      return main.planted;
    },
    tenant: main.tenant,
    setLatency: (ms) => main.setLatency(ms),
    setWriteLimit: (l) => main.setWriteLimit(l),
    snapshot: () => main.snapshot(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

export type { Planted, PlantedItem } from './generate/spec.js';
export type { FaultRuleInput } from './limits/faults.js';
export type { WriteLimit } from './limits/limiter.js';
export type { RequestLogEntry } from './limits/requestlog.js';
export type { ScenarioObject } from './scenario/schema.js';
export type { TenantApi } from './tenant/api.js';
export type { SimTenant, TenantOptions } from './hosted.js';
export { SimClock } from './clock.js';
export { SNAPSHOT_MAX_OBJECTS, SnapshotTooLargeError } from './scenario/snapshot.js';
export { INTUNE_PROVISIONING_CLIENT_APP_ID } from './generate/context.js';
