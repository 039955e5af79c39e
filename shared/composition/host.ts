import { contextLogger, streamLogger, type ContextLike } from '../adapters/logging/loggers.js';
import type { Logger } from '../ports/index.js';
import type { Container } from './container.js';
import { buildFleet, fleetOf, type Fleet } from './fleet.js';
import { fleetSource, loadFromEnvironment } from './fleet-source.js';

// One fleet per Functions host (one container per tenant inside it), built lazily on the first invocation: a throw
// at module load happens while the host indexes functions and gives confusing symptoms, so config errors surface
// per invocation (and the next invocation tries again). With the tenants table, fleet-source.ts reads it again now
// and then.

let source: (() => Promise<Fleet>) | null = null;
let testFleet: Promise<Fleet> | null = null;

export function getHostFleet(): Promise<Fleet> {
  if (testFleet) return testFleet;
  source ??= fleetSource({
    load: () => loadFromEnvironment(process.env),
    build: (deployment) => buildFleet(deployment, { logger: streamLogger(deployment.base.env.LOG_LEVEL) }),
  });
  return source();
}

/**
 * The container of a single-tenant deployment (every HTTP function of one tenant). A many-tenant deployment's
 * functions choose the tenant's container from the fleet; here they get the deployment's own.
 */
export async function getHostContainer(): Promise<Container> {
  return (await getHostFleet()).deploymentContainer();
}

export function invocationLogger(ctx: ContextLike, container: Container): Logger {
  return contextLogger(ctx, container.config.env.LOG_LEVEL);
}

/** Tests swap in a container built with in-memory or Azurite stores and a simulator. */
export function setHostContainerForTests(container: Container | null): void {
  testFleet = container ? Promise.resolve(fleetOf(container)) : null;
}

/** Tests swap in a fleet of several tenants. */
export function setHostFleetForTests(fleet: Fleet | null): void {
  testFleet = fleet ? Promise.resolve(fleet) : null;
}
