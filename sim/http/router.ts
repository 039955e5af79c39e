/**
 * Route table matching. Graph path segments are matched case-insensitively, and OData key syntax
 * (`windowsAutopilotDeviceIdentities('id')`) is accepted as well as `/id`. A path that exists only
 * in beta answers 400 "Resource not found for the segment" on v1.0, as Graph does.
 */
import type { ApiVersion } from '../model/resources.js';
import type { GraphRequest, GraphResponse } from './context.js';
import type { SimEnv } from './env.js';
import { GraphError } from './errors.js';

export type Handler = (
  req: GraphRequest,
  params: Record<string, string>,
  env: SimEnv,
) => GraphResponse | Promise<GraphResponse>;

export interface Route {
  method: string;
  /** e.g. `/groups/{id}/members/$ref`; `{name}` captures one segment. */
  pattern: string;
  versions?: readonly ApiVersion[];
  handler: Handler;
}

interface Compiled extends Route {
  parts: string[];
}

/** Split a path into decoded segments, expanding `name('key')` into `name`, `key`. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    const seg = safeDecode(raw);
    const key = /^([^()]+)\((?:'((?:[^']|'')*)'|([^)]*))\)$/.exec(seg);
    if (key) out.push(key[1] ?? '', (key[2] ?? key[3] ?? '').replace(/''/g, "'"));
    else out.push(seg);
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class Router {
  private readonly routes: Compiled[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((r) => ({ ...r, parts: splitPath(r.pattern) }));
  }

  resolve(
    method: string,
    version: ApiVersion,
    segments: readonly string[],
  ): { route: Route; params: Record<string, string> } {
    const pathHits: { route: Compiled; params: Record<string, string> }[] = [];
    let depth = 0;
    for (const route of this.routes) {
      const [matched, params] = match(route.parts, segments);
      depth = Math.max(depth, matched);
      if (params) pathHits.push({ route, params });
    }
    const inVersion = pathHits.filter((h) => !h.route.versions || h.route.versions.includes(version));
    if (inVersion.length === 0) {
      const missing =
        pathHits.length > 0
          ? lastLiteral(pathHits[0]?.route.parts ?? [])
          : (segments[depth] ?? segments[segments.length - 1] ?? '');
      throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${missing}'.`);
    }
    const hit = inVersion.find((h) => h.route.method === method.toUpperCase());
    if (!hit)
      throw new GraphError(405, 'BadRequest', `The HTTP method '${method}' is not supported for this resource.`);
    return { route: hit.route, params: hit.params };
  }
}

/** How many leading segments matched, and the params when the whole path matched. */
function match(parts: readonly string[], segs: readonly string[]): [number, Record<string, string> | null] {
  const params: Record<string, string> = {};
  let i = 0;
  for (; i < Math.min(parts.length, segs.length); i++) {
    const p = parts[i] ?? '';
    const s = segs[i] ?? '';
    if (p.startsWith('{') && p.endsWith('}')) params[p.slice(1, -1)] = s;
    else if (p.toLowerCase() !== s.toLowerCase()) return [i, null];
  }
  return [i, parts.length === segs.length ? params : null];
}

function lastLiteral(parts: readonly string[]): string {
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i] ?? '';
    if (!p.startsWith('{')) return p;
  }
  return '';
}
