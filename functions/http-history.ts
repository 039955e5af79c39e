import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';

import {
  HISTORY_EVENT_TYPES,
  HISTORY_LIMITS,
  InvalidHistoryQueryError,
  OUTCOME_STATUSES,
  queryHistory,
  type HistoryFilter,
} from '../shared/app/history/query-history.js';
import { FUNCTION_NAMES } from '../shared/composition/bindings.js';
import type { Container } from '../shared/composition/container.js';
import type { Fleet } from '../shared/composition/fleet.js';
import { getHostFleet } from '../shared/composition/host.js';
import { ACTIONS } from '../shared/core/model/index.js';
import { MAX_SERIAL_CHARS } from '../shared/core/tenant-text.js';
import type { HistoryRecord } from '../shared/ports/index.js';
import { badRequest, iso, json, readQuery, startupFailureResponse, type ParamProblem } from './http-common.js';
import { containerScoper, fleetScoper, refusedJson, TENANT_PARAM, type Scoper } from './request-tenant.js';

// GET /api/history: the audit trail, paged, newest first. The query string is checked here (syntax: dates,
// known actions, ranges, no unknown parameters); what the filters mean is the use case's (shared/app/history).

const oneOf = (values: readonly string[]) => `expected one of ${values.join(', ')}`;
/** A member of one of the model's value lists, typed as that union. */
const member = <T extends string>(values: readonly T[]) =>
  z.custom<T>((v) => typeof v === 'string' && (values as readonly string[]).includes(v), { message: oneOf(values) });
const instant = z
  .string()
  .refine((v) => z.iso.datetime({ offset: true }).safeParse(v).success || z.iso.date().safeParse(v).success, {
    message:
      'expected an ISO 8601 date-time with a time zone (e.g. 2026-11-01T00:00:00Z) or a date (e.g. 2026-11-01, UTC midnight)',
  })
  .transform((v) => Date.parse(v));
const LIMIT = `expected a whole number from ${HISTORY_LIMITS.min} to ${HISTORY_LIMITS.max}`;

const querySchema = z.object({
  serial: z
    .string()
    .trim()
    .min(1, 'expected a device serial number, a group or Entra object id, or "tenant"')
    .max(MAX_SERIAL_CHARS, `expected at most ${MAX_SERIAL_CHARS} characters`)
    .optional(),
  action: member(ACTIONS).optional(),
  outcome: member(OUTCOME_STATUSES).optional(),
  type: member(HISTORY_EVENT_TYPES).optional(),
  since: instant.optional(),
  until: instant.optional(),
  limit: z
    .string()
    .regex(/^\d{1,6}$/, LIMIT)
    .transform(Number)
    .refine((n) => n >= HISTORY_LIMITS.min && n <= HISTORY_LIMITS.max, LIMIT)
    .optional(),
  continuationToken: z
    .string()
    .min(1, 'expected the continuationToken of a previous page')
    .max(4096, 'expected the continuationToken of a previous page')
    .optional(),
});

const PARAMS = Object.keys(querySchema.shape);

export function makeHistoryHandler(getContainer: () => Promise<Container>) {
  return historyHandler(containerScoper(getContainer));
}

/** The host's handler: the one tenant as before, or on a many-tenant deployment the one `?tenant=` names. */
export function makeHistoryFleetHandler(getFleet: () => Promise<Fleet>) {
  return historyHandler(fleetScoper(getFleet));
}

function historyHandler(scoper: Scoper) {
  return async function history(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const scoping = await scoper(context);
    if (!scoping.ok) return startupFailureResponse(scoping.failure);
    const filter = parseHistoryQuery(request, scoping.scope.params);
    if (!filter.ok) return badRequest(filter.problems);
    const selected = scoping.scope.select(filter.tenant);
    if (!selected.ok) return refusedJson(selected);
    const opened = await selected.open(context);
    if ('failure' in opened) return startupFailureResponse(opened.failure);
    try {
      const page = await queryHistory(opened.container.stores.history, filter.value, opened.container.stores.findings);
      return json(200, {
        items: page.items.map(view),
        continuationToken: page.continuationToken,
        next: page.continuationToken === null ? null : nextLink(request, page.continuationToken),
        order: page.order,
      });
    } catch (err) {
      if (err instanceof InvalidHistoryQueryError)
        return badRequest([{ parameter: err.parameter, message: err.reason }]);
      throw err;
    }
  };
}

function parseHistoryQuery(
  request: HttpRequest,
  scopeParams: readonly string[],
): { ok: true; value: HistoryFilter; tenant: string | undefined } | { ok: false; problems: ParamProblem[] } {
  const query = readQuery(request, [...PARAMS, ...scopeParams]);
  if (!query.ok) return query;
  const { [TENANT_PARAM]: tenant, ...filters } = query.values;
  const parsed = querySchema.safeParse(filters);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ parameter: String(i.path[0] ?? '(query)'), message: i.message })),
    };
  }
  return { ok: true, value: parsed.data, tenant };
}

function view(r: HistoryRecord) {
  return { ...r, at: iso(r.at) };
}

/** Same path and filters with the new token, without the function key (the caller adds its own). */
function nextLink(request: HttpRequest, token: string): string | null {
  if (!URL.canParse(request.url)) return null;
  const url = new URL(request.url);
  url.searchParams.delete('code');
  url.searchParams.set('continuationToken', token);
  return `${url.pathname}?${url.searchParams.toString()}`;
}

app.http(FUNCTION_NAMES.history, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'history',
  handler: makeHistoryFleetHandler(getHostFleet),
});
