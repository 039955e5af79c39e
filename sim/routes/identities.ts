/**
 * windowsAutopilotDeviceIdentities: list/get/delete on both versions, allowNextEnrollment (beta only).
 * Unblock mirrors the documented behaviour: it answers 204 even while the device is in Fix pending
 * (remediationState automaticRemediationRequired), but then changes nothing.
 */
import { noContent } from '../http/context.js';
import { intuneNotFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { deleteIdentity } from '../tenant/deletions.js';
import * as E from '../model/enums.js';
import type { ApiVersion } from '../model/resources.js';
import type { AutopilotIdentity } from '../model/schemas.js';
import type { FieldSpec, FilterSpec } from '../odata/compile.js';
import { entityResponse, listResponse } from '../odata/list.js';

const SET = 'deviceManagement/windowsAutopilotDeviceIdentities';
const str: FieldSpec = { type: 'string', ops: ['eq', 'ne', 'in', 'contains', 'startswith', 'endswith'] };
const key: FieldSpec = { type: 'string', ops: ['eq', 'ne', 'in'] };
const en = (values: readonly string[]): FieldSpec => ({ type: 'enum', ops: ['eq', 'ne'], values });

function spec(version: ApiVersion): FilterSpec {
  const fields: Record<string, FieldSpec> = {
    id: key,
    serialNumber: str,
    azureActiveDirectoryDeviceId: key,
    managedDeviceId: key,
    groupTag: str,
    manufacturer: str,
    model: str,
    displayName: str,
    userPrincipalName: str,
    purchaseOrderIdentifier: str,
    enrollmentState: en(version === 'beta' ? E.ENROLLMENT_STATES_BETA : E.ENROLLMENT_STATES_V1),
    lastContactedDateTime: { type: 'datetime', ops: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] },
  };
  if (version === 'beta') {
    Object.assign(fields, {
      azureAdDeviceId: key,
      userlessEnrollmentStatus: en(E.USERLESS_STATUSES),
      deploymentProfileAssignmentStatus: en(E.PROFILE_ASSIGNMENT_STATUSES),
      remediationState: en(E.REMEDIATION_STATES),
    });
  }
  return { typeName: 'windowsAutopilotDeviceIdentity', fields, errorCode: 'BadRequest' };
}

/** v1.0 has no `blocked` member; the service reports such devices as `unknown` there. */
const v1View = (i: AutopilotIdentity): Record<string, unknown> =>
  i.enrollmentState === 'blocked' ? { ...i, enrollmentState: 'unknown' } : i;

export const identityRoutes: Route[] = [
  {
    method: 'GET',
    pattern: `/${SET}`,
    handler: (req, _p, env) =>
      listResponse({
        req,
        kind: 'identity',
        entitySet: SET,
        limits: { defaultTop: 1000, maxTop: 1000, overMax: 'cap' },
        spec: spec(req.version),
        source: env.tenant.identities,
        withType: true,
        ...(req.version === 'v1.0' ? { view: v1View } : {}),
      }),
  },
  {
    method: 'GET',
    pattern: `/${SET}/{id}`,
    handler: (req, p, env) => {
      const id = p['id'] ?? '';
      const identity = env.tenant.identities.get(id);
      if (!identity) throw intuneNotFound('windowsAutopilotDeviceIdentity', id);
      return entityResponse(req, 'identity', SET, identity, true);
    },
  },
  {
    // Deregister (tenant/deletions.ts): 204, or 404 ResourceNotFound for an id the tenant does not have.
    method: 'DELETE',
    pattern: `/${SET}/{id}`,
    handler: (_req, p, env) => {
      const id = p['id'] ?? '';
      if (!deleteIdentity(env.tenant, id)) throw intuneNotFound('windowsAutopilotDeviceIdentity', id);
      return noContent();
    },
  },
  {
    method: 'POST',
    pattern: `/${SET}/{id}/allowNextEnrollment`,
    versions: ['beta'],
    handler: (_req, p, env) => {
      const id = p['id'] ?? '';
      const identity = env.tenant.identities.get(id);
      if (!identity) throw intuneNotFound('windowsAutopilotDeviceIdentity', id);
      // Documented: Unblock does not work while the device is in Fix pending; the call still succeeds.
      if (identity.remediationState === 'automaticRemediationRequired') return noContent();
      env.tenant.identities.patch(id, {
        userlessEnrollmentStatus: 'allowed',
        enrollmentState: identity.enrollmentState === 'blocked' ? 'notContacted' : identity.enrollmentState,
      });
      return noContent();
    },
  },
];
