/**
 * Directory-object helpers shared by the group routes: rendering heterogeneous member/owner lists
 * and parsing `@odata.id` references the way Graph accepts them.
 */
import { directoryNotFound, GraphError } from '../http/errors.js';
import { propsFor, render, RESOURCES, type ApiVersion, type ResourceKind } from '../model/resources.js';
import type { DirectoryObject, Tenant } from '../tenant/tenant.js';

export const DIRECTORY_KINDS: readonly ResourceKind[] = ['device', 'servicePrincipal', 'user', 'group'];

const CASTS: Record<string, DirectoryObject['kind']> = {
  'microsoft.graph.device': 'device',
  'microsoft.graph.serviceprincipal': 'servicePrincipal',
  'microsoft.graph.user': 'user',
  'microsoft.graph.group': 'group',
};

/** `/members/microsoft.graph.device` → 'device'. */
export function castKind(cast: string): DirectoryObject['kind'] {
  const kind = CASTS[cast.toLowerCase()];
  if (!kind) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${cast}'.`);
  return kind;
}

/** A member or owner always carries @odata.type, since the list mixes types. */
export function renderDirectoryObject(
  o: DirectoryObject,
  version: ApiVersion,
  select: readonly string[] | null,
): Record<string, unknown> {
  const own = propsFor(o.kind, version);
  const fields = select ? select.filter((s) => own.includes(s)) : null;
  return render(o.kind, o.obj, version, fields, true);
}

export type DirectoryRef = { kind: DirectoryObject['kind']; id: string };

/**
 * The listed ids that are directory objects (of `only`'s kind, when given), in order — from the id maps, so listing
 * a 100,000-device group computes no device: a page renders only its own rows (renderListed).
 */
export function refsOf(tenant: Tenant, ids: readonly string[], only: DirectoryObject['kind'] | null): DirectoryRef[] {
  const out: DirectoryRef[] = [];
  for (const id of ids) {
    const r = tenant.directoryRef(id);
    if (r && (!only || r.kind === only)) out.push(r);
  }
  return out;
}

/** One listed member or owner; a `$select` of nothing but `id` needs only the ref, anything else the object. */
export function renderListed(
  tenant: Tenant,
  r: DirectoryRef,
  version: ApiVersion,
  select: readonly string[] | null,
): Record<string, unknown> {
  const fields = select ? select.filter((s) => propsFor(r.kind, version).includes(s)) : null;
  if (fields && fields.every((f) => f === 'id')) {
    // What render() writes for these fields: the type first, then the id.
    const out: Record<string, unknown> = { '@odata.type': RESOURCES[r.kind].odataType };
    for (const f of fields) out[f] = r.id;
    return out;
  }
  const o = tenant.directoryObject(r.id);
  if (!o) throw directoryNotFound(r.id);
  return renderDirectoryObject(o, version, select);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REF =
  /^https:\/\/graph\.microsoft\.com\/(?:v1\.0|beta)\/(?:directoryObjects|devices|servicePrincipals|users|groups)\/([^/?#]+)$/i;

/** Object id from `https://graph.microsoft.com/{v1.0|beta}/directoryObjects/{id}`; anything else is a 400. */
export function parseReference(url: unknown): string {
  const m = typeof url === 'string' ? REF.exec(url.trim()) : null;
  const id = m?.[1] ?? '';
  if (!m || !GUID.test(id)) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      `Invalid object identifier '${typeof url === 'string' ? url : JSON.stringify(url)}'.`,
    );
  }
  return id;
}

export function requireRecord(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
  return body as Record<string, unknown>;
}
