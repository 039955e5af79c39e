import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { checkHealth, startupFailureHealth, type HealthReport, type TokenKind } from '../shared/app/health/check-health.js';
import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostContainer, invocationLogger } from '../shared/composition/host.js';
import type { AppConfig } from '../shared/config/index.js';
import type { ActionName } from '../shared/core/model/index.js';
import { badRequest, json, openContainer, readQuery } from './http-common.js';

// GET /api/health: configuration, storage, Graph and the token's permissions. 200 while the app can work
// (ok or degraded), 503 when it cannot (failing), so a load balancer or availability test can watch it.

export function makeHealthHandler(getContainer: () => Promise<Container>) {
  return async function health(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const query = readQuery(request, []);
    if (!query.ok) return badRequest(query.problems);
    const opened = await openContainer(getContainer, context);
    if ('failure' in opened) {
      const f = opened.failure;
      return respond(startupFailureHealth(f.kind === 'config' ? { problems: f.problems } : { detail: f.detail }, Date.now()));
    }
    const { container } = opened;
    const result = await checkHealth(
      { watermarks: container.stores.watermarks, probe: container.graph.probe, clock: container.clock },
      { tenant: container.config.tenant, tokenKind: tokenKindOf(container.config), enforcedActions: enforcedActions(container.config) },
    );
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

function tokenKindOf(config: AppConfig): TokenKind {
  const kind = config.graph.auth.kind;
  return kind === 'static-token' ? 'static' : kind === 'azure-cli' ? 'delegated' : 'application';
}

function enforcedActions(config: AppConfig): ActionName[] {
  return Object.entries(config.policy.actionModes)
    .filter(([, mode]) => mode === 'enforce')
    .map(([action]) => action as ActionName);
}

app.http(FUNCTION_NAMES.health, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'health',
  handler: makeHealthHandler(getHostContainer),
});
