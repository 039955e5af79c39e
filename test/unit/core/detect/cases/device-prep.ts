import { CODES } from '../../../../../shared/core/catalog/codes.js';
import type { DetectorRules } from '../../../../../shared/core/detect/index.js';
import type { DevicePrepGroupSnapshot, TenantSnapshot } from '../../../../../shared/core/model/index.js';
import {
  HOUR,
  NOW,
  PROVISIONING_CLIENT,
  devicePrepDeployment,
  devicePrepGroup,
  entraDevice,
  event,
  group,
  identity,
  owner,
  snapshot,
} from '../../../../support/builders.js';
import type { Case } from './types.js';

const C = CODES;
export const DP_RULES: Partial<DetectorRules> = { devicePrepGroups: [{ groupId: 'grp-1', policyName: 'DP Policy' }] };

/** A device that deployed through the policy and is not Autopilot-registered. */
export const dpDevice = entraDevice({
  objectId: 'obj-9',
  deviceId: 'aad-9',
  enrollmentProfileName: 'DP Policy',
  isAutopilotRegistered: false,
});

const withGroup = (g: Partial<DevicePrepGroupSnapshot>, o: Partial<TenantSnapshot> = {}): TenantSnapshot =>
  snapshot({ devicePrepGroups: [devicePrepGroup(g)], provisioningClient: PROVISIONING_CLIENT, ...o });

const dp = (c: Omit<Case, 'rules'>): Case => ({ ...c, rules: DP_RULES });

export const DEVICE_PREP_CASES: readonly Case[] = [
  dp({
    code: C.DP_GROUP_MISSING,
    name: 'group returns 404',
    expect: 'present',
    snapshot: withGroup({ group: null }),
    subjectKey: 'grp-1',
  }),
  dp({ code: C.DP_GROUP_MISSING, name: 'healthy group', expect: 'absent', snapshot: withGroup({}) }),
  dp({
    code: C.DP_GROUP_DYNAMIC,
    name: 'dynamic membership',
    expect: 'present',
    snapshot: withGroup({ group: group({ isDynamic: true }) }),
  }),
  dp({ code: C.DP_GROUP_DYNAMIC, name: 'assigned membership', expect: 'absent', snapshot: withGroup({}) }),
  dp({
    code: C.DP_GROUP_ROLE_ASSIGNABLE,
    name: 'role-assignable',
    expect: 'present',
    snapshot: withGroup({ group: group({ isAssignableToRole: true }) }),
  }),
  dp({
    code: C.DP_GROUP_ROLE_ASSIGNABLE,
    name: 'not role-assignable',
    expect: 'absent',
    snapshot: withGroup({}),
  }),
  dp({
    code: C.DP_GROUP_NOT_SECURITY,
    name: 'not security-enabled',
    expect: 'present',
    snapshot: withGroup({ group: group({ securityEnabled: false }) }),
  }),
  dp({ code: C.DP_GROUP_NOT_SECURITY, name: 'security group', expect: 'absent', snapshot: withGroup({}) }),
  dp({
    code: C.DP_GROUP_OWNER_MISSING,
    name: 'no owners',
    expect: 'present',
    snapshot: withGroup({ owners: [] }),
  }),
  dp({
    code: C.DP_GROUP_OWNER_MISSING,
    name: 'owner NAMED Intune Provisioning Client with another appId does not count',
    expect: 'present',
    snapshot: withGroup({ owners: [owner({ id: 'sp-fake', appId: '00000000-1111-2222-3333-444444444444' })] }),
  }),
  dp({
    code: C.DP_GROUP_OWNER_MISSING,
    name: 'owned by the right appId under the name "Intune Autopilot ConfidentialClient"',
    expect: 'absent',
    snapshot: withGroup({ owners: [owner({ appId: PROVISIONING_CLIENT.appId.toUpperCase() })] }),
  }),
  // The policy's own enrollment-time device group (retrieveEnrollmentTimeDeviceMembershipTarget): Microsoft Learn
  // "Windows Autopilot device preparation troubleshooting FAQ" (verify the correct device group is specified in the
  // policy; a policy can be created without selecting a device group),
  // https://learn.microsoft.com/autopilot/device-preparation/troubleshooting-faq
  dp({
    code: C.DP_POLICY_TARGET_MISMATCH,
    name: 'the policy writes to another group',
    expect: 'present',
    snapshot: withGroup({
      policyTarget: {
        kind: 'read',
        policyId: 'pol-1',
        validationSucceeded: true,
        targets: [{ targetId: 'grp-other', error: null }],
      },
    }),
    subjectKey: 'grp-1',
  }),
  dp({
    code: C.DP_POLICY_TARGET_MISMATCH,
    name: 'the policy writes to the configured group',
    expect: 'absent',
    snapshot: withGroup({}),
  }),
  dp({
    code: C.DP_POLICY_TARGET_UNVERIFIED,
    name: 'no policyId configured',
    expect: 'present',
    snapshot: withGroup({ policyTarget: { kind: 'not-configured' } }),
    subjectKey: 'grp-1',
  }),
  dp({
    code: C.DP_POLICY_TARGET_UNVERIFIED,
    name: 'target read and proven',
    expect: 'absent',
    snapshot: withGroup({}),
  }),
  dp({
    code: C.DP_PROVISIONING_CLIENT_MISSING,
    name: 'owner missing and no such service principal in the tenant',
    expect: 'present',
    snapshot: withGroup({ owners: [] }, { provisioningClient: null }),
    subjectKey: 'tenant',
  }),
  dp({
    code: C.DP_PROVISIONING_CLIENT_MISSING,
    name: 'owner missing, service principal exists',
    expect: 'absent',
    snapshot: withGroup({ owners: [] }),
  }),
  {
    code: C.DP_PROVISIONING_CLIENT_MISSING,
    name: 'a group that is not configured is never checked',
    expect: 'absent',
    snapshot: withGroup({ owners: [] }, { provisioningClient: null }),
  },
  dp({
    code: C.DP_DEVICE_NOT_IN_GROUP,
    name: 'candidate not a member',
    expect: 'present',
    snapshot: withGroup({ candidates: [dpDevice] }),
    subjectKey: 'obj-9',
  }),
  dp({
    code: C.DP_DEVICE_NOT_IN_GROUP,
    name: 'candidate is a member',
    expect: 'absent',
    snapshot: withGroup({ candidates: [dpDevice], memberObjectIds: ['OBJ-9'] }),
  }),
  dp({
    code: C.DP_DEVICE_NOT_IN_GROUP,
    name: 'dynamic group: the group finding covers it',
    expect: 'absent',
    snapshot: withGroup({ candidates: [dpDevice], group: group({ isDynamic: true }) }),
  }),
  dp({
    code: C.DP_DEVICE_NOT_IN_GROUP,
    name: 'profile name only starts with the policy name',
    expect: 'absent',
    snapshot: withGroup({ candidates: [entraDevice({ ...dpDevice, enrollmentProfileName: 'DP Policy (old)' })] }),
  }),
  dp({
    code: C.DP_TARGET_AUTOPILOT_REGISTERED,
    name: 'device-prep device carries a ZTDID',
    expect: 'present',
    snapshot: withGroup({
      candidates: [entraDevice({ ...dpDevice, isAutopilotRegistered: true })],
      memberObjectIds: ['obj-9'],
    }),
  }),
  dp({
    code: C.DP_TARGET_AUTOPILOT_REGISTERED,
    name: 'device-prep report row for a serial with an Autopilot record',
    expect: 'present',
    snapshot: snapshot({ identities: [identity()], devicePrepDeployments: [devicePrepDeployment()] }),
  }),
  dp({
    code: C.DP_TARGET_AUTOPILOT_REGISTERED,
    name: 'not registered',
    expect: 'absent',
    snapshot: withGroup({ candidates: [dpDevice], memberObjectIds: ['obj-9'] }),
  }),
  dp({
    code: C.DP_TARGET_AUTOPILOT_REGISTERED,
    name: 'a classic deployment newer than the device-prep row: moved to classic on purpose',
    expect: 'absent',
    snapshot: snapshot({
      identities: [identity()],
      devicePrepDeployments: [devicePrepDeployment()],
      events: [event({ deploymentStartAt: NOW - HOUR })],
    }),
  }),
  dp({
    code: C.DP_DEPLOYMENT_FAILED,
    name: 'latest row failed',
    expect: 'present',
    snapshot: snapshot({
      devicePrepDeployments: [devicePrepDeployment({ status: 'failed', phase: 'Apps', resultCode: '-2147023436' })],
    }),
  }),
  dp({
    code: C.DP_DEPLOYMENT_FAILED,
    name: 'a later successful attempt supersedes',
    expect: 'absent',
    snapshot: snapshot({
      devicePrepDeployments: [
        devicePrepDeployment({ status: 'failed', enrolledAt: NOW - 9 * HOUR }),
        devicePrepDeployment({ status: 'succeeded', enrolledAt: NOW - 2 * HOUR }),
      ],
    }),
  }),
  dp({
    code: C.DP_DEPLOYMENT_FAILED,
    name: 'unknown status',
    expect: 'absent',
    snapshot: snapshot({ devicePrepDeployments: [devicePrepDeployment({ status: 'unknown' })] }),
  }),
];
