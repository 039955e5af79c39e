/**
 * Entra devices and service principals (directory, both versions). `deviceId` is the GUID Autopilot
 * calls azureActiveDirectoryDeviceId; `id` is the directory object id that group membership needs.
 */
import { directoryNotFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import type { FieldSpec, FilterSpec } from '../odata/compile.js';
import { entityResponse, listResponse } from '../odata/list.js';

const LIMITS = { defaultTop: 100, maxTop: 999, overMax: 'error' } as const;
const key: FieldSpec = { type: 'string', ops: ['eq', 'ne', 'in'] };
const str: FieldSpec = { type: 'string', ops: ['eq', 'ne', 'in', 'startswith'] };

export const DEVICE_SPEC: FilterSpec = {
  typeName: 'device',
  errorCode: 'Request_UnsupportedQuery',
  fields: {
    id: key,
    deviceId: key,
    displayName: str,
    enrollmentProfileName: str,
    trustType: key,
    accountEnabled: { type: 'bool', ops: ['eq', 'ne'] },
    approximateLastSignInDateTime: { type: 'datetime', ops: ['ge', 'le', 'gt', 'lt', 'eq'] },
    registrationDateTime: { type: 'datetime', ops: ['ge', 'le', 'gt', 'lt', 'eq'] },
    physicalIds: { type: 'stringCollection', ops: ['any'] },
  },
};

const SP_SPEC: FilterSpec = {
  typeName: 'servicePrincipal',
  errorCode: 'Request_UnsupportedQuery',
  fields: { id: key, appId: key, displayName: str },
};

export const deviceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/devices',
    handler: (req, _p, env) =>
      listResponse({
        req,
        kind: 'device',
        entitySet: 'devices',
        limits: LIMITS,
        spec: DEVICE_SPEC,
        source: env.tenant.devices,
        withType: false,
      }),
  },
  {
    method: 'GET',
    pattern: '/devices/{id}',
    handler: (req, p, env) => {
      const id = p['id'] ?? '';
      const d = env.tenant.devices.get(id);
      if (!d) throw directoryNotFound(id);
      return entityResponse(req, 'device', 'devices', d, false);
    },
  },
  {
    method: 'GET',
    pattern: '/servicePrincipals',
    handler: (req, _p, env) =>
      listResponse({
        req,
        kind: 'servicePrincipal',
        entitySet: 'servicePrincipals',
        limits: LIMITS,
        spec: SP_SPEC,
        source: env.tenant.servicePrincipals,
        withType: false,
      }),
  },
  {
    method: 'GET',
    pattern: '/servicePrincipals/{id}',
    handler: (req, p, env) => {
      const id = p['id'] ?? '';
      const sp = env.tenant.servicePrincipals.get(id);
      if (!sp) throw directoryNotFound(id);
      return entityResponse(req, 'servicePrincipal', 'servicePrincipals', sp, false);
    },
  },
];
