import { createServiceBusQueue } from '../adapters/servicebus/sender.js';
import { createServiceBusTenantRunQueue } from '../adapters/servicebus/tenant-run-queue.js';
import type { Deployment, TenantProfile } from '../config/index.js';
import type { Logger, LogFields, RemediationQueue, Stores, TenantRunQueue } from '../ports/index.js';
import { buildContainer, type Container, type ContainerOverrides } from './container.js';

// The deployment as a set of tenants, each with a container of its own: its configuration (overrides applied), its
// Graph credential, its tables (`<prefix><tenant id>…`), its alert channels, governor, claims and write budget.
// Nothing but the Service Bus senders is shared, so no record, claim or alert can cross tenants by construction.
// With one tenant configured the old way, the fleet is that tenant's container and nothing else changes.

export interface FleetOverrides extends Omit<ContainerOverrides, 'stores' | 'tablePrefix' | 'remoteQueue'> {
  /** Tests: the stores of each tenant (null = the deployment's own), e.g. one set of memory stores each. */
  readonly storesFor?: (tenant: TenantProfile | null) => Stores;
  /** Tests: the fan-out queue (null = run tenants in this process even when Service Bus is configured). */
  readonly tenantRuns?: TenantRunQueue | null;
}

export interface Fleet {
  readonly deployment: Deployment;
  readonly multiTenant: boolean;
  readonly tenants: readonly TenantProfile[];
  /** The configured tenant with this key (ids compare case-insensitively), or null. */
  find(key: string): TenantProfile | null;
  container(tenant: TenantProfile): Promise<Container>;
  /**
   * The deployment's own container: its tables hold the timers' run slots and what names no configured tenant
   * (a forged or stale message). The single tenant's container when there is one tenant.
   */
  deploymentContainer(): Promise<Container>;
  /** Where the timers fan out (Service Bus), or null: run each tenant in this process. */
  readonly tenantRuns: TenantRunQueue | null;
  dispose(): Promise<void>;
}

export function buildFleet(deployment: Deployment, overrides: FleetOverrides): Promise<Fleet> {
  const { storesFor, tenantRuns: runsOverride, ...rest } = overrides;
  const disposers: (() => Promise<void>)[] = [];
  const base = deployment.base;
  const remote = base.queue.kind !== 'in-process' && !rest.queue && !rest.forceInProcessQueue ? base.queue : null;
  // One sender for every tenant's commands (they carry their tenant), and one for the fan-out.
  let remoteQueue: RemediationQueue | undefined;
  let tenantRuns: TenantRunQueue | null = null;
  if (remote !== null && deployment.multiTenant) {
    const sb = createServiceBusQueue(remote, rest.clock ? { clock: rest.clock } : {});
    disposers.push(sb.close);
    remoteQueue = sb.queue;
    if (runsOverride === undefined) {
      const runs = createServiceBusTenantRunQueue({ ...remote, queue: base.env.TENANT_RUN_QUEUE });
      disposers.push(runs.close);
      tenantRuns = runs.queue;
    }
  }
  if (runsOverride !== undefined) tenantRuns = runsOverride;

  const built = new Map<string, Promise<Container>>();
  const build = (key: string, make: () => Promise<Container>): Promise<Container> => {
    let c = built.get(key);
    if (c === undefined) {
      c = make().catch((err: unknown) => {
        built.delete(key); // a tenant whose tables were briefly unreachable is tried again next time
        throw err;
      });
      built.set(key, c);
    }
    return c;
  };
  const containerOf = (tenant: TenantProfile): Promise<Container> =>
    build(`tenant:${tenant.key}`, () =>
      buildContainer(tenant.config, {
        ...rest,
        logger: deployment.multiTenant ? withFields(rest.logger, { tenant: tenant.key }) : rest.logger,
        ...(deployment.multiTenant ? { tenantName: tenant.name } : {}),
        ...(storesFor ? { stores: storesFor(tenant) } : {}),
        ...(remoteQueue ? { remoteQueue } : {}),
        tablePrefix: tenant.tablePrefix,
      }),
    );
  const only = deployment.multiTenant ? null : (deployment.tenants[0] ?? null);
  const byKey = new Map(deployment.tenants.map((t) => [t.key.toLowerCase(), t]));
  return Promise.resolve({
    deployment,
    multiTenant: deployment.multiTenant,
    tenants: deployment.tenants,
    find: (key) => byKey.get(key.toLowerCase()) ?? null,
    container: containerOf,
    deploymentContainer: () =>
      only !== null
        ? containerOf(only)
        : build('deployment', () =>
            buildContainer(base, {
              ...rest,
              ...(storesFor ? { stores: storesFor(null) } : {}),
              ...(remoteQueue ? { remoteQueue } : {}),
              tablePrefix: base.env.TABLE_PREFIX,
            }),
          ),
    tenantRuns,
    dispose: async () => {
      const containers = await Promise.allSettled(built.values());
      for (const c of containers) if (c.status === 'fulfilled') await c.value.dispose();
      for (const d of disposers.reverse()) await d().catch(() => undefined);
    },
  });
}

/** A single-tenant fleet around a container built elsewhere (tests, and the host's test hook). */
export function fleetOf(container: Container): Fleet {
  const config = container.config;
  const tenant: TenantProfile = {
    key: config.tenant,
    id: null,
    name: config.tenant,
    tablePrefix: config.env.TABLE_PREFIX,
    config,
  };
  return {
    deployment: {
      multiTenant: false,
      base: config,
      tenants: [tenant],
      concurrency: config.env.TENANT_CONCURRENCY,
      deviceBudget: config.env.TENANT_DEVICE_BUDGET,
    },
    multiTenant: false,
    tenants: [tenant],
    find: (key) => (key.toLowerCase() === tenant.key.toLowerCase() ? tenant : null),
    container: () => Promise.resolve(container),
    deploymentContainer: () => Promise.resolve(container),
    tenantRuns: null,
    dispose: () => container.dispose(),
  };
}

/** Every line of this logger carries `fields` (a tenant's key), before the caller's own. */
export function withFields(logger: Logger, fields: LogFields): Logger {
  const add = (f?: LogFields): LogFields => ({ ...fields, ...f });
  return {
    debug: (e, f) => logger.debug(e, add(f)),
    info: (e, f) => logger.info(e, add(f)),
    warn: (e, f) => logger.warn(e, add(f)),
    error: (e, f) => logger.error(e, add(f)),
  };
}
