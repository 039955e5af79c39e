/**
 * Device preparation policies (settings-catalog configurationPolicies, beta): the read action that returns the
 * policy's enrollment-time device membership target with the service's validation of it.
 *
 * POST /beta/deviceManagement/configurationPolicies/{id}/retrieveEnrollmentTimeDeviceMembershipTarget answers an
 * enrollmentTimeDeviceMembershipTargetResult: `validationSucceeded` and one status per target (`targetId`,
 * `targetValidationErrorCode`). The service validates that each target exists, is a security group, is static, and
 * is owned by the Intune provisioning first-party app ("enrollmentTimeDeviceMembershipTargetResult resource type",
 * https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptargetresult?view=graph-rest-beta).
 * The validation is computed from the live tenant on every call, so a group changed after the policy was saved is
 * reported as it is now. A target without an error carries the enum's default, "unknown" (the published members
 * are all errors; see sim/README.md). An unknown policy is a 404 ResourceNotFound. Beta only.
 */
import { json } from '../http/context.js';
import type { SimEnv } from '../http/env.js';
import { intuneNotFound } from '../http/errors.js';
import type { Route } from '../http/router.js';

const INTUNE_PROVISIONING_CLIENT_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';

function validationError(env: SimEnv, groupId: string): string | null {
  const g = env.tenant.groups.get(groupId);
  if (!g) return 'securityGroupNotFound';
  if (g.securityEnabled !== true) return 'notSecurityGroup';
  if (g.groupTypes.some((t) => t.toLowerCase() === 'dynamicmembership')) return 'notStaticSecurityGroup';
  const owned = env.tenant.ownersOf(groupId).some((id) => {
    const o = env.tenant.directoryObject(id);
    return o?.kind === 'servicePrincipal' && o.obj.appId?.toLowerCase() === INTUNE_PROVISIONING_CLIENT_APP_ID;
  });
  return owned ? null : 'firstPartyAppNotAnOwner';
}

export const policyRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/deviceManagement/configurationPolicies/{id}/retrieveEnrollmentTimeDeviceMembershipTarget',
    versions: ['beta'],
    handler: (req, p, env) => {
      const id = p.id ?? '';
      const policy = env.tenant.configurationPolicies.get(id);
      if (!policy) throw intuneNotFound('deviceManagementConfigurationPolicy', id);
      const statuses = policy.enrollmentTimeDeviceMembershipTargets.map((t) => ({
        targetId: t.targetId,
        targetValidationErrorCode: validationError(env, t.targetId) ?? 'unknown',
      }));
      return json({
        '@odata.context': `${req.baseUrl}/beta/$metadata#microsoft.graph.enrollmentTimeDeviceMembershipTargetResult`,
        validationSucceeded: statuses.every((s) => s.targetValidationErrorCode === 'unknown'),
        enrollmentTimeDeviceMembershipTargetValidationStatuses: statuses,
      });
    },
  },
];
