import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { getHostContainer } from '../shared/composition/host.js';
import { badRequest, json, NO_REPORT_YET, openContainer, readQuery, startupFailureResponse } from './http-common.js';

// GET /api/report/latest: the newest stored compliance report, exactly as the sweep stored it (the body is
// already JSON, so it is passed through rather than parsed and re-serialised). 404 until the first sweep.

export function makeReportLatestHandler(getContainer: () => Promise<Container>) {
  return async function reportLatest(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const query = readQuery(request, []);
    if (!query.ok) return badRequest(query.problems);
    const opened = await openContainer(getContainer, context);
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
  handler: makeReportLatestHandler(getHostContainer),
});
