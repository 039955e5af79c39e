import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { checkHealth, startupFailureHealth, type HealthReport } from '../shared/app/health/check-health.js';
import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { healthInputs } from '../shared/composition/health.js';
import { getHostContainer, invocationLogger } from '../shared/composition/host.js';
import { badRequest, json, openContainer, readQuery } from './http-common.js';

// GET /api/health: the same checks as `autopilot-medic health` (configuration, credential and tenant, storage,
// Graph, permissions per tier, one read per endpoint, each device-preparation group, schedules). 200 while the app can work
// (ok or degraded), 503 when it cannot (failing), so a load balancer or availability test can watch it.

export function makeHealthHandler(getContainer: () => Promise<Container>) {
  return async function health(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const query = readQuery(request, []);
    if (!query.ok) return badRequest(query.problems);
    const opened = await openContainer(getContainer, context);
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

function respond(report: HealthReport): HttpResponseInit {
  return json(report.status === 'failing' ? 503 : 200, report);
}

app.http(FUNCTION_NAMES.health, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'health',
  handler: makeHealthHandler(getHostContainer),
});
