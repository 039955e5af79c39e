/**
 * Query options ($select, $top, $skiptoken, $count, $filter) and server-driven paging.
 * nextLink is always a full absolute URL carrying an opaque $skiptoken, as Graph sends it;
 * a token from another query (or a tampered one) is refused with 400.
 */
import { createHash } from 'node:crypto';
import type { GraphRequest } from '../http/context.js';
import { GraphError } from '../http/errors.js';
import { propsFor, type ResourceKind } from '../model/resources.js';
import { compileFilter, type CompiledFilter, type FilterSpec } from './compile.js';

export interface ListLimits {
  defaultTop: number;
  maxTop: number;
  /** Intune silently caps a large $top; the directory refuses it. */
  overMax: 'cap' | 'error';
}

const SUPPORTED_LIST = new Set(['$select', '$filter', '$top', '$skiptoken', '$count']);
const SUPPORTED_ENTITY = new Set(['$select']);

/** Refuse OData options we do not implement, instead of silently ignoring them. */
export function checkOptions(req: GraphRequest, extra: readonly string[] = [], entity = false): void {
  const allowed = entity ? SUPPORTED_ENTITY : SUPPORTED_LIST;
  for (const k of req.query.keys()) {
    const lk = k.toLowerCase();
    if (lk.startsWith('$') && !allowed.has(lk) && !extra.includes(lk)) {
      throw new GraphError(
        400,
        'BadRequest',
        `Query option '${k}' is not supported by this resource in the simulator.`,
      );
    }
  }
}

export function param(req: GraphRequest, name: string): string | null {
  for (const [k, v] of req.query) if (k.toLowerCase() === name) return v;
  return null;
}

/** Validate $select against the properties the version has; returns canonical names. */
export function parseSelect(req: GraphRequest, kind: ResourceKind): string[] | null {
  const raw = param(req, '$select');
  if (raw === null || raw.trim() === '') return null;
  return selectedNames(raw, propsFor(kind, req.version), typeName(kind));
}

/** $select over a union of types: a name is valid if any of them has it. */
export function parseSelectUnion(req: GraphRequest, kinds: readonly ResourceKind[]): string[] | null {
  const raw = param(req, '$select');
  if (raw === null || raw.trim() === '') return null;
  return selectedNames(raw, [...new Set(kinds.flatMap((k) => propsFor(k, req.version)))], 'directoryObject');
}

/** The $select names as the type spells them (matched case-insensitively); an unknown one is Graph's 400. */
function selectedNames(raw: string, known: readonly string[], type: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => {
      const hit = known.find((p) => p.toLowerCase() === name.toLowerCase());
      if (!hit)
        throw new GraphError(
          400,
          'BadRequest',
          `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`,
        );
      return hit;
    });
}

const TYPE_NAMES: Record<ResourceKind, string> = {
  identity: 'windowsAutopilotDeviceIdentity',
  event: 'deviceManagementAutopilotEvent',
  settings: 'windowsAutopilotSettings',
  group: 'group',
  device: 'device',
  servicePrincipal: 'servicePrincipal',
  user: 'user',
  managedDevice: 'managedDevice',
  exportJob: 'deviceManagementExportJob',
  imported: 'importedWindowsAutopilotDeviceIdentity',
};
export const typeName = (kind: ResourceKind): string => TYPE_NAMES[kind];

export function parseTop(req: GraphRequest, limits: ListLimits): number {
  const raw = param(req, '$top');
  if (raw === null) return limits.defaultTop;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new GraphError(400, 'BadRequest', `Invalid value '${raw}' for $top.`);
  if (n > limits.maxTop) {
    if (limits.overMax === 'error') {
      throw new GraphError(
        400,
        'Request_BadRequest',
        `Invalid page size specified: '${n}'. Must be between 1 and ${limits.maxTop} inclusive.`,
      );
    }
    return limits.maxTop;
  }
  return n;
}

export function parseFilterParam(req: GraphRequest, spec: FilterSpec): CompiledFilter | null {
  const raw = param(req, '$filter');
  return raw === null || raw.trim() === '' ? null : compileFilter(raw, spec);
}

/** What a skiptoken is bound to: the same list, filter, select and order. */
function fingerprint(req: GraphRequest): string {
  const parts = [req.version, req.path.toLowerCase()];
  for (const k of ['$filter', '$select', '$orderby', '$top']) parts.push(param(req, k) ?? '');
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 10);
}

export function encodeToken(req: GraphRequest, cursor: number): string {
  return Buffer.from(`${cursor}.${fingerprint(req)}`).toString('base64url');
}

/** Cursor carried by $skiptoken, or 0 for the first page. */
export function decodeToken(req: GraphRequest): number {
  const raw = param(req, '$skiptoken');
  if (raw === null) return 0;
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const m = /^(\d+)\.(.+)$/.exec(text);
  if (!m || m[2] !== fingerprint(req))
    throw new GraphError(400, 'BadRequest', 'The $skiptoken is invalid or belongs to a different query.');
  return Number(m[1]);
}

/** Absolute URL of the same list with a different $skiptoken; `$` stays literal like Graph's links. */
export function listLink(req: GraphRequest, token: string): string {
  const parts: string[] = [];
  for (const [k, v] of req.query) {
    if (k.toLowerCase() === '$skiptoken') continue;
    parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  parts.push(`$skiptoken=${token}`);
  return `${req.baseUrl}/${req.version}${req.path}?${parts.join('&')}`;
}

export function contextUrl(
  req: GraphRequest,
  entitySet: string,
  select: readonly string[] | null,
  entity = false,
): string {
  const sel = select ? `(${select.join(',')})` : '';
  return `${req.baseUrl}/${req.version}/$metadata#${entitySet}${sel}${entity ? '/$entity' : ''}`;
}
