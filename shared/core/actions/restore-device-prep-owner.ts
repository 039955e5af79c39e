import { groupGate } from './group-gate.js';
import { DEVICE_LIMITS, GROUP_SHAPE, POLICY_TARGET } from './rule-text.js';
import { guidProblem, idKey } from './target-checks.js';
import { oneCommandPerTarget } from './one-per-target.js';
import type { ActionModule } from './types.js';

// Make the Intune Provisioning Client an owner of a device-preparation group again (POST groups/{g}/owners/$ref).
// One command per group.

export const restoreDevicePrepOwner: ActionModule<'restore-device-prep-owner'> = {
  name: 'restore-device-prep-owner',
  enabledByDefault: true,
  subjectKind: 'group',
  fleet: 'device-preparation',
  rule: {
    call: '`POST /v1.0/groups/{g}/owners/$ref`',
    gates: [
      GROUP_SHAPE,
      POLICY_TARGET,
      'the Intune Provisioning Client service principal (appId `f1346770-5b25-470b-88bd-d5744ab7952c`, matched by appId) exists in the tenant; otherwise a person must add it',
    ],
    caps: [DEVICE_LIMITS],
  },
  describe: (r) => `restore the Intune Provisioning Client as owner of group ${r.groupId}`,
  blastTarget: (r) => `group|${r.groupId.toLowerCase()}`,
  safetyGate: (_finding, remedy, flags, ctx) => groupGate(remedy.groupId, flags, ctx.allowedGroupIds),
  commands: (acting, ctx) =>
    oneCommandPerTarget(
      acting,
      ctx,
      (r) => r.groupId,
      (r) => ({ action: r.action, groupId: r.groupId, servicePrincipalId: r.servicePrincipalId }),
    ),
  subjectKeys: (t) => [idKey(t.groupId)],
  targetProblems: (t) => [
    ...guidProblem('target.groupId', t.groupId),
    ...guidProblem('target.servicePrincipalId', t.servicePrincipalId),
  ],
};
