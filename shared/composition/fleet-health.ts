import { checkHealth } from '../app/health/check-health.js';
import { worstStatus, type HealthCheck, type HealthReport, type HealthStatus } from '../app/health/types.js';
import { eachTenant } from '../app/tenants/each-tenant.js';
import type { TenantProfile } from '../config/index.js';
import type { Fleet } from './fleet.js';
import { healthInputs } from './health.js';

// The health of a many-tenant deployment: the same checks as one tenant's (credential and consent, storage, Graph,
// permissions per tier, endpoints, groups, schedules), run for each tenant with its own container, at most
// TENANT_CONCURRENCY at once. A tenant whose container cannot even be built (its tables unreachable) is failing with
// that reason; it never hides the others' results. The deployment is as healthy as its worst tenant: a probe that
// watches GET /api/health must go red when any customer is not being looked after.

export interface TenantHealth {
  readonly tenant: string;
  readonly name: string;
  readonly status: HealthStatus;
  readonly checkedAt: string;
  readonly checks: readonly HealthCheck[];
}

export interface FleetHealthReport {
  /** The worst tenant's status. */
  readonly status: HealthStatus;
  readonly checkedAt: string;
  readonly tenants: readonly TenantHealth[];
}

const MAX_ERROR = 300;

/** Check `tenants` (all of the fleet's, or the one `?tenant=` names); `now` = the time the answer states. */
export async function checkFleetHealth(
  fleet: Fleet,
  tenants: readonly TenantProfile[],
  now: () => number,
): Promise<FleetHealthReport> {
  const items = tenants.map((t) => ({ tenant: t.key, profile: t }));
  const results = await eachTenant(items, fleet.deployment.concurrency, async ({ profile }): Promise<HealthReport> => {
    const container = await fleet.container(profile);
    const { deps, options } = healthInputs(container, now());
    return checkHealth(deps, options);
  });
  const out = items.map(({ profile }, i): TenantHealth => {
    const r = results[i];
    if (r?.ok === true) return { tenant: profile.key, name: profile.name, ...r.value };
    const error = r === undefined ? 'not checked' : r.error;
    const detail = `the tenant's container could not be built: ${error.length > MAX_ERROR ? `${error.slice(0, MAX_ERROR)}…` : error}`;
    return {
      tenant: profile.key,
      name: profile.name,
      status: 'failing',
      checkedAt: new Date(now()).toISOString(),
      checks: [{ name: 'startup', status: 'failing', detail }],
    };
  });
  return { status: worstStatus(out), checkedAt: new Date(now()).toISOString(), tenants: out };
}
