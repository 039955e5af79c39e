import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { checkHealth, startupFailureHealth, type HealthReport } from '../shared/app/health/check-health.js';
import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { healthInputs } from '../shared/composition/health.js';
import type { Fleet } from '../shared/composition/fleet.js';
import { checkFleetHealth } from '../shared/composition/fleet-health.js';
import { getHostFleet, invocationLogger } from '../shared/composition/host.js';
import { contextLogger } from '../shared/composition/index.js';
import { badRequest, json, readQuery } from './http-common.js';
import {
  containerScoper,
  fleetScoper,
  refusedJson,
  selectTenant,
  TENANT_PARAM,
  type Scoper,
} from './request-tenant.js';

// GET /api/health: the same checks as `autopilot-medic health` (configuration, credential and tenant, storage,
// Graph, permissions per tier, one read per endpoint, each device-preparation group, schedules). 200 while the app can work
// (ok or degraded), 503 when it cannot (failing), so a load balancer or availability test can watch it.

export function makeHealthHandler(getContainer: () => Promise<Container>) {
  return healthHandler(containerScoper(getContainer));
}

/**
 * The host's handler: one tenant as before; a many-tenant deployment answers for every tenant (or the one
 * `?tenant=` names) in one body, `{status (the worst), checkedAt, tenants: [{tenant, name, status, checks}]}`.
 */
export function makeHealthFleetHandler(getFleet: () => Promise<Fleet>) {
  return healthHandler(fleetScoper(getFleet));
}

function healthHandler(scoper: Scoper) {
  return async function health(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const scoping = await scoper(context);
    if (!scoping.ok) {
      const f = scoping.failure;
      return respond(
        startupFailureHealth(f.kind === 'config' ? { problems: f.problems } : { detail: f.detail }, Date.now()),
      );
    }
    const query = readQuery(request, scoping.scope.params);
    if (!query.ok) return badRequest(query.problems);
    const fleet = scoping.scope.fleet;
    if (fleet !== null) return fleetHealth(fleet, query.values[TENANT_PARAM], context);
    const selected = scoping.scope.select(undefined);
    if (!selected.ok) return refusedJson(selected);
    const opened = await selected.open(context);
    if ('failure' in opened) {
      const f = opened.failure;
      return respond(
        startupFailureHealth(f.kind === 'config' ? { problems: f.problems } : { detail: f.detail }, Date.now()),
      );
    }
    const { container } = opened;
    const { deps, options } = healthInputs(container, Date.now());
    const result = await checkHealth(deps, options);
    const logger = invocationLogger(context, container);
    const failed = result.checks.filter((c) => c.status !== 'ok').map((c) => `${c.name}=${c.status}`);
    const fields = { status: result.status, problems: failed.join(',') || null };
    if (result.status === 'ok') logger.info('health.checked', fields);
    else logger.warn('health.checked', fields);
    return respond(result);
  };
}

async function fleetHealth(
  fleet: Fleet,
  tenantParam: string | undefined,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  let tenants = fleet.tenants;
  if (tenantParam !== undefined) {
    const one = selectTenant(fleet, tenantParam);
    if (!one.ok) return refusedJson(one);
    tenants = [one.tenant];
  }
  const result = await checkFleetHealth(fleet, tenants, () => Date.now());
  const failed = result.tenants.filter((t) => t.status !== 'ok').map((t) => `${t.tenant}=${t.status}`);
  const fields = { status: result.status, tenants: result.tenants.length, problems: failed.join(',') || null };
  const logger = contextLogger(context, fleet.deployment.base.env.LOG_LEVEL);
  if (result.status === 'ok') logger.info('health.checked', fields);
  else logger.warn('health.checked', fields);
  return json(result.status === 'failing' ? 503 : 200, result);
}

function respond(report: HealthReport): HttpResponseInit {
  return json(report.status === 'failing' ? 503 : 200, report);
}

app.http(FUNCTION_NAMES.health, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'health',
  handler: makeHealthFleetHandler(getHostFleet),
});
