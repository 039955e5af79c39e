/**
 * Control endpoints outside the Graph prefixes (no token needed): request log, plants, clock, faults,
 * state, scenario replace/patch, runtime options — and the SAS-style blob download of export jobs.
 * Endpoints that act on a tenant take `?tenant=<id>` (default: the first tenant); the clock is shared.
 */
import type { GraphResponse } from './context.js';
import { GraphError } from './errors.js';
import type { TenantDirectory } from './tenants.js';

/** Control endpoints that act on one tenant's state (`?tenant=<id>`, default the first). */
const TENANT_ENDPOINTS: ReadonlySet<string> = new Set([
  'GET /_sim/requests',
  'DELETE /_sim/requests',
  'GET /_sim/planted',
  'GET /_sim/state',
  'GET /_sim/faults',
  'DELETE /_sim/faults',
  'POST /_sim/faults',
  'POST /_sim/scenario',
  'POST /_sim/options',
]);

const ok = (body: unknown, status = 200): GraphResponse => ({ status, body });

function parse(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new GraphError(400, 'BadRequest', 'control endpoint body is not valid JSON');
  }
}

function record(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new GraphError(400, 'BadRequest', 'expected a JSON object');
  return v as Record<string, unknown>;
}

export function handleControl(method: string, url: URL, raw: Buffer, tenants: TenantDirectory): GraphResponse {
  try {
    return route(method, url, raw, tenants);
  } catch (e) {
    const err =
      e instanceof GraphError ? e : new GraphError(400, 'BadRequest', e instanceof Error ? e.message : String(e));
    return { status: err.status, headers: err.headers, body: { error: { code: err.code, message: err.message } } };
  }
}

function route(method: string, url: URL, raw: Buffer, tenants: TenantDirectory): GraphResponse {
  const p = url.pathname.replace(/\/+$/, '');
  const blob = /^\/_blob\/exports\/([^/]+)\.zip$/.exec(p);
  if (blob && method === 'GET') {
    // A SAS link names no tenant: the job id (a fresh GUID) finds the tenant that created it.
    const id = decodeURIComponent(blob[1] ?? '');
    const env = (tenants.all.find((h) => h.env.exports.has(id)) ?? tenants.first).env;
    const data = env.exports.download(id, url.searchParams.get('sig'), env.clock.nowMs());
    return { status: 200, raw: { contentType: 'application/octet-stream', data } };
  }
  const key = `${method} ${p}`;
  switch (key) {
    case 'GET /_sim/health':
      return ok({ ok: true });
    case 'GET /_sim/tenants':
      return ok({ value: tenants.all.map((h) => ({ tenantId: h.id, scenario: h.control.name() })) });
    case 'GET /_sim/unauthenticated-requests':
      return ok({
        value: tenants.unauthenticated
          .list(Number(url.searchParams.get('since') ?? 0))
          .filter((e) => e.tenant === null),
      });
    case 'GET /_sim/clock':
      return ok({ now: tenants.first.env.clock.iso() });
    case 'POST /_sim/clock': {
      const clock = tenants.first.env.clock;
      const b = record(parse(raw));
      if (typeof b['advanceMs'] === 'number') clock.advance(b['advanceMs']);
      else if (typeof b['set'] === 'string') clock.set(new Date(b['set']));
      else throw new GraphError(400, 'BadRequest', 'POST /_sim/clock needs {"advanceMs": n} or {"set": "ISO date"}');
      for (const h of tenants.all) h.env.tenant.tick(clock.nowMs());
      return ok({ now: clock.iso() });
    }
  }
  if (!TENANT_ENDPOINTS.has(key)) throw new GraphError(404, 'NotFound', `no control endpoint ${method} ${p}`);
  const { env, control: target } = tenants.pick(url.searchParams.get('tenant'));
  switch (key) {
    case 'GET /_sim/requests':
      return ok({ value: env.log.list(Number(url.searchParams.get('since') ?? 0)) });
    case 'DELETE /_sim/requests':
      env.log.clear();
      return { status: 204 };
    case 'GET /_sim/planted':
      return ok(target.planted());
    case 'GET /_sim/state':
      return ok(target.state());
    case 'GET /_sim/faults':
      return ok({ value: env.faults.list() });
    case 'DELETE /_sim/faults':
      env.faults.clear();
      return { status: 204 };
    case 'POST /_sim/faults': {
      const b = parse(raw);
      if (!Array.isArray(b) && record(b)['clear'] === true) {
        env.faults.clear();
        return ok({ ids: [] });
      }
      const rules = Array.isArray(b) ? b : [b];
      return ok({ ids: rules.map((r) => env.faults.add(record(r))) }, 201);
    }
    case 'POST /_sim/scenario': {
      const b = record(parse(raw));
      if (b['mode'] === 'patch') target.patchScenario(b);
      else {
        const s = b['scenario'];
        if (typeof s !== 'string' && (typeof s !== 'object' || s === null))
          throw new GraphError(
            400,
            'BadRequest',
            'replace needs "scenario": a scenario object or a bundled scenario name',
          );
        target.loadScenario(s);
      }
      return ok(target.state());
    }
    case 'POST /_sim/options':
      target.setOptions(record(parse(raw)));
      return ok(target.state());
    default:
      throw new GraphError(404, 'NotFound', `no control endpoint ${method} ${p}`);
  }
}
