import type { EnrollmentTimeTargetError, PolicyTargetRead } from '../model/index.js';

// "Does the device preparation policy itself put devices in this group?" — the one rule, shared by the detector,
// the poll's decision and the worker's fresh re-check before a group write. DEVICE_PREP_GROUPS is only what an
// operator typed; the policy's enrollment-time device membership target is what the service writes to. Writing to
// a group the policy does not name would put devices where the service never would.
//
// Sources (Microsoft Learn):
// - "Windows Autopilot device preparation troubleshooting FAQ", questions "Device isn't being added to the device
//   group specified in the Windows Autopilot device preparation policy" (verify the correct device group is
//   specified) and "Windows Autopilot device preparation experience never launches during the out-of-box experience
//   (OOBE)" (a policy can be created without selecting a device group):
//   https://learn.microsoft.com/autopilot/device-preparation/troubleshooting-faq
// - "enrollmentTimeDeviceMembershipTargetResult resource type" (Graph beta): the retrieve action validates the
//   targets — that they exist, are of the proper type, and that the Intune provisioning first-party app owns them:
//   https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptargetresult?view=graph-rest-beta
// - "enrollmentTimeDeviceMembershipTarget resource type": the only supported target is a static security group:
//   https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptarget?view=graph-rest-beta

export type PolicyTargetVerdict =
  /** The policy names the configured group. `errors`: what the service's validation says about it (signals). */
  | {
      readonly kind: 'proven';
      readonly errors: readonly EnrollmentTimeTargetError[];
      readonly targetIds: readonly string[];
    }
  /** The policy writes elsewhere (another group, no group, or the policy is gone). */
  | {
      readonly kind: 'mismatch';
      readonly reason: 'other-group' | 'no-group' | 'policy-missing';
      readonly targetIds: readonly string[];
      readonly problem: string;
    }
  /** Nothing proves what the policy writes to. */
  | {
      readonly kind: 'unverified';
      readonly reason: 'not-configured' | 'unreadable' | 'not-in-scope' | 'unrecognised';
      readonly targetIds: readonly string[];
      readonly problem: string;
    };

const norm = (s: string): string => s.trim().toLowerCase();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A target id as the service sent it goes into reasons and alerts: a GUID as is, anything else quoted and cut short. */
const shown = (id: string): string =>
  GUID.test(id) ? id : JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id);

/** Validation codes that make the group unusable for device preparation: never written while reported. */
const BLOCKING: ReadonlySet<EnrollmentTimeTargetError> = new Set([
  'securityGroupNotFound',
  'notSecurityGroup',
  'notStaticSecurityGroup',
]);

export function policyTargetVerdict(groupId: string, read: PolicyTargetRead): PolicyTargetVerdict {
  switch (read.kind) {
    case 'not-configured':
      return {
        kind: 'unverified',
        reason: 'not-configured',
        targetIds: [],
        problem: `DEVICE_PREP_GROUPS gives no policyId for group ${groupId}, so the device preparation policy's device group cannot be checked`,
      };
    case 'unreadable':
      return {
        kind: 'unverified',
        reason: 'unreadable',
        targetIds: [],
        problem: `the device preparation policy's device group could not be read (${read.reason})`,
      };
    case 'policy-missing':
      return {
        kind: 'mismatch',
        reason: 'policy-missing',
        targetIds: [],
        problem: `device preparation policy ${read.policyId} does not exist`,
      };
    case 'read':
      break;
  }
  const targetIds = read.targets.map((t) => t.targetId?.trim() ?? '').filter((id) => id !== '');
  const mine = read.targets.filter((t) => t.targetId !== null && norm(t.targetId) === norm(groupId));
  if (targetIds.length === 0) {
    return {
      kind: 'mismatch',
      reason: 'no-group',
      targetIds,
      problem: `device preparation policy ${read.policyId} has no device group selected`,
    };
  }
  if (mine.length === 0) {
    return {
      kind: 'mismatch',
      reason: 'other-group',
      targetIds,
      problem: `device preparation policy ${read.policyId} puts devices in ${targetIds.slice(0, 5).map(shown).join(', ')}, not in group ${groupId}`,
    };
  }
  const errors = [...new Set(mine.flatMap((t) => (t.error === null ? [] : [t.error])))];
  if (errors.includes('securityGroupNotInCallerScope')) {
    return {
      kind: 'unverified',
      reason: 'not-in-scope',
      targetIds,
      problem: `the service reports group ${groupId} as outside this app's scope (securityGroupNotInCallerScope)`,
    };
  }
  if (errors.includes('unrecognised')) {
    return {
      kind: 'unverified',
      reason: 'unrecognised',
      targetIds,
      problem: `the service reports a validation error for group ${groupId} that this version does not know`,
    };
  }
  return {
    kind: 'proven',
    errors: errors.filter((e): e is EnrollmentTimeTargetError => e !== 'unrecognised'),
    targetIds,
  };
}

/**
 * Why writing to the group is forbidden by what the policy says, or null when it may be written. A proven target
 * whose service validation says the group is missing, not a security group, or not static is not written either;
 * a missing owner (firstPartyAppNotAnOwner) is what the owner remediation fixes, so it does not block.
 */
export function policyTargetProblem(groupId: string, read: PolicyTargetRead): string | null {
  const v = policyTargetVerdict(groupId, read);
  if (v.kind !== 'proven') return v.problem;
  const blocking = v.errors.filter((e) => BLOCKING.has(e));
  return blocking.length === 0
    ? null
    : `the device preparation policy's validation of group ${groupId} reports ${blocking.join(', ')}`;
}
