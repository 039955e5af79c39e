/**
 * The per-request pipeline shared by direct requests and $batch items:
 * faults → route → permission denials (rules, and app roles the token lacks) → write limiter → handler → response-shaping faults.
 * Errors never escape: they become Graph error responses here.
 */
import { lacksRole } from '../auth/app-roles.js';
import type { FaultRule } from '../limits/faults.js';
import { isWrite, type GraphRequest, type GraphResponse } from './context.js';
import type { SimEnv } from './env.js';
import { defaultCodeFor, defaultMessageFor, errorBody, GraphError } from './errors.js';
import type { Router } from './router.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function errorResponse(e: GraphError, req: GraphRequest, now: Date): GraphResponse {
  return {
    status: e.status,
    headers: e.headers,
    body: errorBody(e.code, e.message, {
      requestId: req.requestId,
      clientRequestId: req.clientRequestId,
      date: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }),
  };
}

function faultError(rule: FaultRule): GraphError {
  const status = rule.status ?? 500;
  const headers: Record<string, string> =
    rule.retryAfterSeconds !== undefined ? { 'Retry-After': String(rule.retryAfterSeconds) } : {};
  return new GraphError(
    status,
    rule.code ?? defaultCodeFor(status),
    rule.message ?? defaultMessageFor(status),
    headers,
  );
}

function denied(req: GraphRequest, env: SimEnv): boolean {
  const target = `/${req.version}${req.path}`;
  return env.tenant.denials.some(
    (d) =>
      (!d.method || d.method.toUpperCase() === req.method) &&
      (!d.version || d.version === req.version) &&
      new RegExp(d.path, 'i').test(target),
  );
}

export async function dispatch(req: GraphRequest, env: SimEnv, router: Router): Promise<GraphResponse> {
  try {
    const fx = env.faults.match(req.method, req.version, req.path);
    if (fx.latencyMs > 0) await sleep(fx.latencyMs);
    if (fx.error && !fx.error.afterApply) throw faultError(fx.error);
    const { route, params } = router.resolve(req.method, req.version, req.segments);
    if (denied(req, env) || lacksRole(req, env.settings.roles))
      throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    if (isWrite(req.method, req.path)) {
      const slot = env.limiter.acquire(env.clock.nowMs());
      if (!slot.ok) {
        throw new GraphError(
          429,
          'TooManyRequests',
          'Too many requests: the write limit for this application in this tenant was reached.',
          { 'Retry-After': String(slot.retryAfterSeconds) },
        );
      }
    }
    const res = await route.handler(req, params, env);
    if (fx.error) throw faultError(fx.error);
    return shape(res, fx.malformed, fx.stuckCursor, fx.rotation);
  } catch (e) {
    if (e instanceof GraphError) return errorResponse(e, req, env.clock.now());
    const message = e instanceof Error ? e.message : String(e);
    return errorResponse(
      new GraphError(500, 'InternalServerError', `Simulator error: ${message}`),
      req,
      env.clock.now(),
    );
  }
}

/** Apply the response-shaping faults: a cursor that never advances, or a page clients cannot use. */
function shape(
  res: GraphResponse,
  malformed: 'badJson' | 'valueNotArray' | null,
  stuck: boolean,
  rotation: number,
): GraphResponse {
  let body = res.body;
  if (stuck && res.paging && isRecord(body)) body = { ...body, '@odata.nextLink': res.paging.link(res.paging.start) };
  // A non-$ parameter Graph ignores, so the page is the same while the link is new every time.
  if (rotation > 0 && res.paging && isRecord(body))
    body = { ...body, '@odata.nextLink': `${res.paging.link(res.paging.start)}&rotation=${rotation}` };
  if (malformed === 'valueNotArray' && isRecord(body) && Array.isArray(body['value'])) {
    body = { ...body, value: Object.fromEntries((body['value'] as unknown[]).map((v, i) => [String(i), v])) };
  }
  if (malformed === 'badJson') {
    const text = JSON.stringify(body ?? {});
    return {
      status: res.status,
      headers: res.headers ?? {},
      raw: { contentType: 'application/json', data: text.slice(0, Math.max(1, Math.floor(text.length / 2))) },
    };
  }
  return { ...res, body };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
