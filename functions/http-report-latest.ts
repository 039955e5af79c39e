import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import type { Fleet } from '../shared/composition/fleet.js';
import { getHostFleet } from '../shared/composition/host.js';
import { badRequest, json, NO_REPORT_YET, readQuery, startupFailureResponse } from './http-common.js';
import { containerScoper, fleetScoper, refusedJson, TENANT_PARAM, type Scoper } from './request-tenant.js';

// GET /api/report/latest: the newest stored compliance report, exactly as the sweep stored it (the body is
// already JSON, so it is passed through rather than parsed and re-serialised). 404 until the first sweep.

export function makeReportLatestHandler(getContainer: () => Promise<Container>) {
  return reportLatestHandler(containerScoper(getContainer));
}

/** The host's handler: the one tenant as before, or on a many-tenant deployment the one `?tenant=` names. */
export function makeReportLatestFleetHandler(getFleet: () => Promise<Fleet>) {
  return reportLatestHandler(fleetScoper(getFleet));
}

function reportLatestHandler(scoper: Scoper) {
  return async function reportLatest(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const scoping = await scoper(context);
    if (!scoping.ok) return startupFailureResponse(scoping.failure);
    const query = readQuery(request, scoping.scope.params);
    if (!query.ok) return badRequest(query.problems);
    const selected = scoping.scope.select(query.values[TENANT_PARAM]);
    if (!selected.ok) return refusedJson(selected);
    const opened = await selected.open(context);
    if ('failure' in opened) return startupFailureResponse(opened.failure);
    const record = await opened.container.stores.reports.latest();
    if (!record) return json(404, { error: 'not-found', message: NO_REPORT_YET });
    return {
      status: 200,
      body: record.body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // Header values must be printable ASCII; our ids are, but a header-splitting character must never pass.
        'x-report-id': record.id.replace(/[^\x20-\x7e]/g, ''),
        'last-modified': new Date(record.at).toUTCString(),
      },
    };
  };
}

app.http(FUNCTION_NAMES.reportLatest, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'report/latest',
  handler: makeReportLatestFleetHandler(getHostFleet),
});
