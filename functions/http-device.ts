import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { InvalidDeviceKeyError, lookupDevice } from '../shared/app/devices/lookup-device.js';
import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import { deviceLookupDeps } from '../shared/composition/device-lookup.js';
import type { Fleet } from '../shared/composition/fleet.js';
import { getHostFleet } from '../shared/composition/host.js';
import { GraphError, ThrottledError } from '../shared/ports/index.js';
import { renderDevicePage } from './device-page.js';
import { badRequest, clip, HTML_HEADERS, htmlPage, json, readQuery, startupFailureResponse } from './http-common.js';
import {
  containerScoper,
  fleetScoper,
  refusedJson,
  refusedPageText,
  TENANT_PARAM,
  tenantQuery,
  requestLogger,
  type Scoper,
} from './request-tenant.js';

// GET /api/devices/{key}: the technician's view of one device (shared/app/devices/lookup-device.ts). The key is a
// serial number, a device name or an id (Autopilot, Entra object, Entra deviceId, Intune). 200 with the view;
// 404 when no device has the key; 409 when several do (the candidates are listed: ask again by serial or id);
// 400 for a key no device can have; 502 when Graph could not answer. The body is JSON data, never markup — except
// with `?format=html`, the page the dashboard's device links open (functions/device-page.ts, escaped throughout).

export function makeDeviceHandler(getContainer: () => Promise<Container>) {
  return deviceHandler(containerScoper(getContainer));
}

/** The host's handler: the one tenant as before, or on a many-tenant deployment the one `?tenant=` names. */
export function makeDeviceFleetHandler(getFleet: () => Promise<Fleet>) {
  return deviceHandler(fleetScoper(getFleet));
}

function deviceHandler(scoper: Scoper) {
  return async function device(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const scoping = await scoper(context);
    if (!scoping.ok) return startupFailureResponse(scoping.failure);
    const query = readQuery(request, ['format', ...scoping.scope.params]);
    if (!query.ok) return badRequest(query.problems);
    const format = query.values.format ?? 'json';
    if (format !== 'json' && format !== 'html')
      return badRequest([
        { parameter: 'format', message: 'json (the default) or html (the page the dashboard links to)' },
      ]);
    const key = request.params['key'] ?? '';
    const selected = scoping.scope.select(query.values[TENANT_PARAM]);
    if (!selected.ok) {
      if (format === 'json') return refusedJson(selected);
      const text = refusedPageText(selected);
      return htmlPage(selected.status, text.title, text.message);
    }
    const opened = await selected.open(context);
    if ('failure' in opened) return startupFailureResponse(opened.failure);
    const { container } = opened;
    const logger = requestLogger(context, container, selected.tenant);
    try {
      const result = await lookupDevice(deviceLookupDeps(container), key);
      logger.info('device.lookup', { result: result.kind });
      if (format === 'html') {
        if (result.kind === 'found')
          return {
            status: 200,
            body: renderDevicePage(result.device, container.clock.now(), tenantQuery(selected.tenant, '?')),
            headers: HTML_HEADERS,
          };
        const candidates =
          result.kind === 'ambiguous'
            ? ` Candidates: ${result.candidates.map((c) => [c.serialNumber, ...c.names].filter(Boolean).join(' / ')).join('; ')}.`
            : '';
        return htmlPage(result.kind === 'not-found' ? 404 : 409, 'Device', `${result.message}${candidates}`);
      }
      switch (result.kind) {
        case 'found':
          return json(200, result.device);
        case 'not-found':
          return json(404, { error: 'device-not-found', message: result.message, key: result.key });
        case 'ambiguous':
          return json(409, {
            error: 'device-key-ambiguous',
            message: result.message,
            key: result.key,
            candidates: result.candidates,
          });
      }
    } catch (err) {
      if (err instanceof InvalidDeviceKeyError) return badRequest([{ parameter: 'key', message: err.reason }]);
      if (!(err instanceof GraphError)) throw err; // a bug or a storage failure: the host logs it and answers 500
      logger.error('device.lookup.graph-failed', {
        kind: err.kind,
        status: err.status,
        code: err.code,
        requestId: err.requestId,
        reason: err.message,
      });
      const retryAfter =
        err instanceof ThrottledError && err.retryAfterMs !== null
          ? { 'retry-after': String(Math.ceil(err.retryAfterMs / 1000)) }
          : undefined;
      return json(
        502,
        {
          error: 'graph-read-failed',
          message: `the device could not be looked up: ${clip(err.message, 300)}`,
          graph: { kind: err.kind, status: err.status, code: err.code, requestId: err.requestId },
        },
        retryAfter,
      );
    }
  };
}

app.http(FUNCTION_NAMES.device, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'devices/{key}',
  handler: makeDeviceFleetHandler(getHostFleet),
});
