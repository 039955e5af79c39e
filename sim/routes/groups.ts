/**
 * Groups: read, members and owners lists, and the member/owner writes with Graph's refusals —
 * 400 when the reference already exists (also for a whole PATCH if any one does), 404 for an
 * unknown group or object, 400 for member writes on a dynamic group or more than 20 binds.
 */
import { noContent, type GraphRequest } from '../http/context.js';
import type { SimEnv } from '../http/env.js';
import { directoryNotFound, GraphError } from '../http/errors.js';
import type { Route } from '../http/router.js';
import type { Group } from '../model/schemas.js';
import type { FilterSpec } from '../odata/compile.js';
import { entityResponse, listResponse } from '../odata/list.js';
import { DEVICE_SPEC } from './devices.js';
import {
  castKind,
  DIRECTORY_KINDS,
  parseReference,
  refsOf,
  renderListed,
  requireRecord,
  type DirectoryRef,
} from './directory.js';

const LIMITS = { defaultTop: 100, maxTop: 999, overMax: 'error' } as const;
const SPEC: FilterSpec = {
  typeName: 'group',
  errorCode: 'Request_UnsupportedQuery',
  fields: {
    id: { type: 'string', ops: ['eq', 'in'] },
    displayName: { type: 'string', ops: ['eq', 'ne', 'in', 'startswith'] },
    securityEnabled: { type: 'bool', ops: ['eq', 'ne'] },
    mailEnabled: { type: 'bool', ops: ['eq', 'ne'] },
  },
};

const alreadyExists = (prop: 'members' | 'owners'): GraphError =>
  new GraphError(
    400,
    'Request_BadRequest',
    `One or more added object references already exist for the following modified properties: '${prop}'.`,
  );

function group(env: SimEnv, id: string): Group {
  const g = env.tenant.groups.get(id);
  if (!g) throw directoryNotFound(id);
  return g;
}

function assertStatic(g: Group): void {
  if (g.groupTypes.some((t) => t.toLowerCase() === 'dynamicmembership')) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      'Members of a group with a dynamic membership rule cannot be added or removed manually.',
    );
  }
}

function memberList(req: GraphRequest, env: SimEnv, gid: string, which: 'members' | 'owners', cast: string | null) {
  group(env, gid);
  const ids = which === 'members' ? env.tenant.membersOf(gid) : env.tenant.ownersOf(gid);
  const kind = cast ? castKind(cast) : null;
  const refs = refsOf(env.tenant, ids, kind);
  // Cast to devices, the list filters as /devices does (Graph answers such a filter as an advanced query: "List group
  // members", Optional query parameters, https://learn.microsoft.com/graph/api/group-list-members).
  const devices = kind === 'device';
  return listResponse({
    req,
    kind: 'device',
    entitySet: `directoryObjects`,
    limits: LIMITS,
    spec: devices ? DEVICE_SPEC : null,
    ...(devices ? { view: (r: DirectoryRef) => env.tenant.devices.get(r.id) ?? {} } : {}),
    source: refs,
    withType: true,
    selectFrom: DIRECTORY_KINDS,
    renderItem: (r, select) => renderListed(env.tenant, r, req.version, select),
  });
}

function addMember(env: SimEnv, gid: string, objectId: string): void {
  assertStatic(group(env, gid));
  if (!env.tenant.directoryObject(objectId)) throw directoryNotFound(objectId);
  if (env.tenant.isMember(gid, objectId)) throw alreadyExists('members');
  env.tenant.addMember(gid, objectId);
}

function addOwner(env: SimEnv, gid: string, objectId: string): void {
  group(env, gid);
  const o = env.tenant.directoryObject(objectId);
  if (!o) throw directoryNotFound(objectId);
  if (o.kind !== 'user' && o.kind !== 'servicePrincipal') {
    throw new GraphError(400, 'Request_BadRequest', 'Only users and service principals can be owners of a group.');
  }
  if (env.tenant.isOwner(gid, objectId)) throw alreadyExists('owners');
  env.tenant.addOwner(gid, objectId);
}

/** PATCH with members@odata.bind is all-or-nothing: every reference is checked before any is added. */
function patchGroup(req: GraphRequest, env: SimEnv, gid: string): void {
  const body = requireRecord(req.body);
  const unsupported = Object.keys(body).filter((k) => k !== 'members@odata.bind');
  if (unsupported.length) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      `The simulator only supports 'members@odata.bind' in PATCH /groups; got ${unsupported.join(', ')}.`,
    );
  }
  const binds = body['members@odata.bind'];
  if (!Array.isArray(binds))
    throw new GraphError(400, 'Request_BadRequest', "'members@odata.bind' must be an array of @odata.id URLs.");
  const g = group(env, gid);
  if (binds.length > 20) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      `A single request can add at most 20 members; ${binds.length} were given.`,
    );
  }
  assertStatic(g);
  const ids = binds.map(parseReference);
  for (const id of ids) if (!env.tenant.directoryObject(id)) throw directoryNotFound(id);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id.toLowerCase()) || env.tenant.isMember(gid, id)) throw alreadyExists('members');
    seen.add(id.toLowerCase());
  }
  for (const id of ids) env.tenant.addMember(gid, id);
}

function removeRef(env: SimEnv, gid: string, objectId: string, which: 'members' | 'owners'): void {
  const g = group(env, gid);
  if (which === 'members') assertStatic(g);
  const removed = which === 'members' ? env.tenant.removeMember(gid, objectId) : env.tenant.removeOwner(gid, objectId);
  if (!removed) throw directoryNotFound(objectId);
}

const ref = (req: GraphRequest): string => parseReference(requireRecord(req.body)['@odata.id']);

export const groupRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/groups',
    handler: (req, _p, env) =>
      listResponse({
        req,
        kind: 'group',
        entitySet: 'groups',
        limits: LIMITS,
        spec: SPEC,
        source: env.tenant.groups,
        withType: false,
      }),
  },
  {
    method: 'GET',
    pattern: '/groups/{id}',
    handler: (req, p, env) => entityResponse(req, 'group', 'groups', group(env, p['id'] ?? ''), false),
  },
  {
    method: 'PATCH',
    pattern: '/groups/{id}',
    handler: (req, p, env) => {
      patchGroup(req, env, p['id'] ?? '');
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: '/groups/{id}/members',
    handler: (req, p, env) => memberList(req, env, p['id'] ?? '', 'members', null),
  },
  {
    method: 'GET',
    pattern: '/groups/{id}/members/{cast}',
    handler: (req, p, env) => memberList(req, env, p['id'] ?? '', 'members', p['cast'] ?? ''),
  },
  {
    method: 'GET',
    pattern: '/groups/{id}/owners',
    handler: (req, p, env) => memberList(req, env, p['id'] ?? '', 'owners', null),
  },
  {
    method: 'GET',
    pattern: '/groups/{id}/owners/{cast}',
    handler: (req, p, env) => memberList(req, env, p['id'] ?? '', 'owners', p['cast'] ?? ''),
  },
  {
    method: 'POST',
    pattern: '/groups/{id}/members/$ref',
    handler: (req, p, env) => {
      addMember(env, p['id'] ?? '', ref(req));
      return noContent();
    },
  },
  {
    method: 'POST',
    pattern: '/groups/{id}/owners/$ref',
    handler: (req, p, env) => {
      addOwner(env, p['id'] ?? '', ref(req));
      return noContent();
    },
  },
  {
    method: 'DELETE',
    pattern: '/groups/{id}/members/{oid}/$ref',
    handler: (_r, p, env) => {
      removeRef(env, p['id'] ?? '', p['oid'] ?? '', 'members');
      return noContent();
    },
  },
  {
    method: 'DELETE',
    pattern: '/groups/{id}/owners/{oid}/$ref',
    handler: (_r, p, env) => {
      removeRef(env, p['id'] ?? '', p['oid'] ?? '', 'owners');
      return noContent();
    },
  },
];
