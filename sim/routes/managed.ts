/**
 * Intune managed devices (both versions; `autopilotEnrolled` is beta-only). Pages of 1000. DELETE removes the
 * Intune record (tenant/deletions.ts has what that changes on the Autopilot record).
 */
import { noContent } from '../http/context.js';
import { intuneNotFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import * as E from '../model/enums.js';
import type { FieldSpec, FilterSpec } from '../odata/compile.js';
import { entityResponse, listResponse } from '../odata/list.js';
import { deleteManagedDevice } from '../tenant/deletions.js';

const SET = 'deviceManagement/managedDevices';
const key: FieldSpec = { type: 'string', ops: ['eq', 'ne', 'in'] };
const str: FieldSpec = { type: 'string', ops: ['eq', 'ne', 'in', 'contains', 'startswith'] };

const SPEC: FilterSpec = {
  typeName: 'managedDevice',
  errorCode: 'BadRequest',
  fields: {
    id: key,
    serialNumber: str,
    azureADDeviceId: key,
    deviceName: str,
    enrollmentProfileName: str,
    operatingSystem: str,
    complianceState: { type: 'enum', ops: ['eq', 'ne'], values: E.COMPLIANCE_STATES },
    managedDeviceOwnerType: { type: 'enum', ops: ['eq', 'ne'], values: E.OWNER_TYPES },
    lastSyncDateTime: { type: 'datetime', ops: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] },
    enrolledDateTime: { type: 'datetime', ops: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] },
  },
};

export const managedRoutes: Route[] = [
  {
    method: 'GET',
    pattern: `/${SET}`,
    handler: (req, _p, env) =>
      listResponse({
        req,
        kind: 'managedDevice',
        entitySet: SET,
        limits: { defaultTop: 1000, maxTop: 1000, overMax: 'cap' },
        spec: SPEC,
        source: env.tenant.managedDevices,
        withType: true,
      }),
  },
  {
    method: 'GET',
    pattern: `/${SET}/{id}`,
    handler: (req, p, env) => {
      const id = p['id'] ?? '';
      const d = env.tenant.managedDevices.get(id);
      if (!d) throw intuneNotFound('managedDevice', id);
      return entityResponse(req, 'managedDevice', SET, d, true);
    },
  },
  {
    method: 'DELETE',
    pattern: `/${SET}/{id}`,
    handler: (_req, p, env) => {
      const id = p['id'] ?? '';
      if (!deleteManagedDevice(env.tenant, id)) throw intuneNotFound('managedDevice', id);
      return noContent();
    },
  },
];
