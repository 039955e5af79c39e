import { describe, expect, it } from 'vitest';
import { CODES } from '../../../../shared/core/catalog/codes.js';
import { detectDevicePrepGroups } from '../../../../shared/core/detect/device-prep-groups.js';
import type { EnrollmentTimeTargetError, PolicyTargetRead } from '../../../../shared/core/model/index.js';
import { decide, policyTargetProblem, policyTargetVerdict } from '../../../../shared/core/policy/index.js';
import { defaultDetectorRules } from '../../../../shared/core/detect/rules.js';
import { PROVISIONING_CLIENT, devicePrepGroup, entraDevice, group, snapshot } from '../../../support/builders.js';
import { ctx } from './fixtures.js';

// Item 11 of issue 14: nothing is written to a DEVICE_PREP_GROUPS group unless the device preparation policy itself
// names it as its enrollment-time device group. Sources:
// - Microsoft Learn "Windows Autopilot device preparation troubleshooting FAQ", questions "Device isn't being added to
//   the device group specified in the Windows Autopilot device preparation policy" (verify that the correct device
//   group is specified) and "Windows Autopilot device preparation experience never launches during the out-of-box
//   experience (OOBE)" (a policy can be created without selecting a device group):
//   https://learn.microsoft.com/autopilot/device-preparation/troubleshooting-faq
// - Microsoft Graph beta "enrollmentTimeDeviceMembershipTargetResult resource type" (validationSucceeded and one status
//   per target with its targetValidationErrorCode: securityGroupNotFound, notSecurityGroup, notStaticSecurityGroup,
//   firstPartyAppNotAnOwner, securityGroupNotInCallerScope):
//   https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmenttimedevicemembershiptargetresult?view=graph-rest-beta

const G = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const P = '44444444-4444-4444-8444-444444444444';

const read = (
  targets: { targetId: string | null; error: EnrollmentTimeTargetError | 'unrecognised' | null }[],
  validationSucceeded = targets.every((t) => t.error === null),
): PolicyTargetRead => ({
  kind: 'read',
  policyId: P,
  validationSucceeded,
  targets,
});

describe('policyTargetVerdict / policyTargetProblem', () => {
  it.each<[string, PolicyTargetRead, string, boolean]>([
    // name, read, verdict kind (+ reason), may write
    ['the policy names the configured group', read([{ targetId: G, error: null }]), 'proven', true],
    ['the same group in another case', read([{ targetId: G.toUpperCase(), error: null }]), 'proven', true],
    ['the policy names another group', read([{ targetId: OTHER, error: null }]), 'mismatch:other-group', false],
    ['no device group selected on the policy', read([], true), 'mismatch:no-group', false],
    [
      'a status without a target id is no group',
      read([{ targetId: null, error: null }], true),
      'mismatch:no-group',
      false,
    ],
    ['the policy no longer exists', { kind: 'policy-missing', policyId: P }, 'mismatch:policy-missing', false],
    ['no policyId configured', { kind: 'not-configured' }, 'unverified:not-configured', false],
    ['the read failed', { kind: 'unreadable', policyId: P, reason: 'HTTP 500' }, 'unverified:unreadable', false],
    ['validation: securityGroupNotFound', read([{ targetId: G, error: 'securityGroupNotFound' }]), 'proven', false],
    ['validation: notSecurityGroup', read([{ targetId: G, error: 'notSecurityGroup' }]), 'proven', false],
    [
      'validation: notStaticSecurityGroup (dynamic)',
      read([{ targetId: G, error: 'notStaticSecurityGroup' }]),
      'proven',
      false,
    ],
    // The owner is what restore-device-prep-owner puts back: the target is still proven and writable.
    [
      'validation: firstPartyAppNotAnOwner (owner missing)',
      read([{ targetId: G, error: 'firstPartyAppNotAnOwner' }]),
      'proven',
      true,
    ],
    [
      'validation: securityGroupNotInCallerScope',
      read([{ targetId: G, error: 'securityGroupNotInCallerScope' }]),
      'unverified:not-in-scope',
      false,
    ],
    [
      'validation: a code this version does not know',
      read([{ targetId: G, error: 'unrecognised' }]),
      'unverified:unrecognised',
      false,
    ],
    [
      'another target failed validation, ours did not',
      read(
        [
          { targetId: G, error: null },
          { targetId: OTHER, error: 'notSecurityGroup' },
        ],
        false,
      ),
      'proven',
      true,
    ],
  ])('%s', (_name, r, expected, writable) => {
    const v = policyTargetVerdict(G, r);
    expect(v.kind === 'proven' ? 'proven' : `${v.kind}:${v.reason}`).toBe(expected);
    expect(policyTargetProblem(G, r) === null).toBe(writable);
  });

  it('names the group the policy really uses', () => {
    expect(policyTargetProblem(G, read([{ targetId: OTHER, error: null }]))).toContain(OTHER);
  });
});

describe('detector and policy: a group the policy does not name is never planned', () => {
  const rules = { ...defaultDetectorRules, devicePrepGroups: [{ groupId: G, policyName: 'DP Policy', policyId: P }] };
  const missing = entraDevice({
    objectId: 'obj-9',
    deviceId: 'aad-9',
    enrollmentProfileName: 'DP Policy',
    isAutopilotRegistered: false,
  });
  const run = (policyTarget: PolicyTargetRead, o: Parameters<typeof devicePrepGroup>[0] = {}) =>
    detectDevicePrepGroups(
      snapshot({
        devicePrepGroups: [
          devicePrepGroup({ groupId: G, group: group({ id: G }), candidates: [missing], policyTarget, ...o }),
        ],
        provisioningClient: PROVISIONING_CLIENT,
      }),
      0,
      rules,
    );

  it.each<[string, PolicyTargetRead, string | null]>([
    ['another group', read([{ targetId: OTHER, error: null }]), CODES.DP_POLICY_TARGET_MISMATCH],
    ['no group', read([], true), CODES.DP_POLICY_TARGET_MISMATCH],
    ['policy gone', { kind: 'policy-missing', policyId: P }, CODES.DP_POLICY_TARGET_MISMATCH],
    ['not configured', { kind: 'not-configured' }, CODES.DP_POLICY_TARGET_UNVERIFIED],
    ['unreadable', { kind: 'unreadable', policyId: P, reason: 'HTTP 500' }, CODES.DP_POLICY_TARGET_UNVERIFIED],
  ])('%s: target finding, no membership finding, owner finding without remedy', (_name, target, code) => {
    const findings = run(target, { owners: [] });
    const f = findings.find((x) => x.code === code);
    expect(f?.severity).toBe(code === CODES.DP_POLICY_TARGET_MISMATCH ? 'critical' : 'warning');
    expect(findings.some((x) => x.code === CODES.DP_DEVICE_NOT_IN_GROUP)).toBe(false);
    const owner = findings.find((x) => x.code === CODES.DP_GROUP_OWNER_MISSING);
    expect(owner?.remedy).toBeNull();
    expect(owner?.evidence.policyTargetProven).toBe(false);
  });

  it('matching target: the missing device is planned for the group', () => {
    const findings = run(read([{ targetId: G, error: null }]));
    expect(findings.map((f) => f.code)).toEqual([CODES.DP_DEVICE_NOT_IN_GROUP]);
    expect(findings[0]?.remedy).toMatchObject({ action: 'add-to-device-prep-group', groupId: G.toLowerCase() });
  });

  it.each<[EnrollmentTimeTargetError, string, boolean]>([
    ['securityGroupNotFound', CODES.DP_GROUP_MISSING, false],
    ['notSecurityGroup', CODES.DP_GROUP_NOT_SECURITY, false],
    ['notStaticSecurityGroup', CODES.DP_GROUP_DYNAMIC, false],
    ['firstPartyAppNotAnOwner', CODES.DP_GROUP_OWNER_MISSING, true],
  ])(
    'the service says %s about a group our own read found healthy: %s, members written only if it does not block',
    (error, code, membersPlanned) => {
      const findings = run(read([{ targetId: G, error }]));
      const f = findings.find((x) => x.code === code);
      expect(f?.evidence.source).toBe('policy-validation');
      expect(f?.remedy ?? null).toBeNull();
      expect(findings.some((x) => x.code === CODES.DP_DEVICE_NOT_IN_GROUP)).toBe(membersPlanned);
    },
  );

  it('the decision refuses a group remedy whose evidence says the target is not proven', () => {
    const [owner] = run(read([{ targetId: OTHER, error: null }]), { owners: [] }).filter(
      (f) => f.code === CODES.DP_GROUP_OWNER_MISSING,
    );
    if (!owner) throw new Error('owner finding expected');
    // A remedy forged onto the finding (or left from an older run) is still refused by the policy.
    const forged = {
      ...owner,
      remedy: {
        action: 'restore-device-prep-owner' as const,
        groupId: G,
        servicePrincipalId: PROVISIONING_CLIENT.objectId,
      },
    };
    const d = decide(forged, ctx({ allowedGroupIds: [G] }));
    expect(d.kind).toBe('alert-only');
    expect(d.reason).toMatch(/does not provably put devices in group/);
  });
});

describe('tenant strings in the reason', () => {
  it('a target id that is not a GUID is quoted, escaped and cut short', () => {
    const hostile = `evil\u001b[2J\n${'x'.repeat(100)}`;
    const problem = policyTargetProblem(G, read([{ targetId: hostile, error: null }])) ?? '';
    expect(problem).not.toContain('\u001b');
    expect(problem).not.toContain('\n');
    expect(problem).toContain('"evil\\u001b[2J\\n');
    expect(problem.length).toBeLessThan(200);
  });
});
