import { describe, expect, it } from 'vitest';
import { catalogEntry } from '../../../../shared/core/catalog/catalog.js';
import { defaultDetectorRules, detectAll } from '../../../../shared/core/detect/index.js';
import { REMEDIATION_STATES, type RemediationState } from '../../../../shared/core/model/index.js';
import {
  NOW,
  PROVISIONING_CLIENT,
  devicePrepGroup,
  entraDevice,
  event,
  identity,
  snapshot,
} from '../../../support/builders.js';
import { ALL_CASES } from './cases/index.js';

const rules = { ...defaultDetectorRules, devicePrepGroups: [{ groupId: 'grp-1', policyName: 'DP Policy' }] };

describe('remedies', () => {
  it('every remedy matches its catalog remediation, and only remediable codes carry one', () => {
    for (const c of ALL_CASES) {
      for (const f of detectAll(c.snapshot, NOW, { ...rules, ...c.rules }).findings) {
        if (f.remedy) expect(f.remedy.action).toBe(catalogEntry(f.code)!.remediation);
      }
    }
  });

  // "Windows Autopilot: What's new" › How to unblock devices: Unblock does not work in Fix pending; Attention required needs deregister + re-register.
  const blockCombos = REMEDIATION_STATES.flatMap((rs) =>
    (['enrollmentState', 'userlessEnrollmentStatus'] as const).map((field) => [rs, field] as const),
  );
  it.each(blockCombos)('blocked with remediationState %s (via %s)', (rs: RemediationState, field) => {
    const i = identity(
      field === 'enrollmentState'
        ? { enrollmentState: 'blocked', remediationState: rs }
        : { userlessEnrollmentStatus: 'blocked', remediationState: rs },
    );
    const { findings } = detectAll(snapshot({ identities: [i] }), NOW, rules);
    const unblock = findings.filter((f) => f.remedy?.action === 'allow-next-enrollment');
    if (rs === 'automaticRemediationRequired' || rs === 'manualRemediationRequired') {
      expect(unblock).toEqual([]);
      expect(findings.map((f) => f.code)).toContain('AP_USERLESS_BLOCKED_HW_CHANGE');
    } else {
      expect(unblock.map((f) => f.remedy)).toEqual([
        { action: 'allow-next-enrollment', autopilotId: 'ap-1', serialNumber: 'SN-1' },
      ]);
    }
  });

  it("a blocked finding carries the device's latest deployment as structured evidence (issue 14 item 4)", () => {
    const blocked = identity({ userlessEnrollmentStatus: 'blocked' });
    const failure = event({
      enrollmentType: 'azureADJoinedWithWhiteGlove',
      deploymentState: 'failure',
      failureDetails: '-2145910764',
    });
    const withEvent = detectAll(snapshot({ identities: [blocked], events: [failure] }), NOW, rules).findings;
    const without = detectAll(snapshot({ identities: [blocked] }), NOW, rules).findings;
    expect(withEvent.find((f) => f.code === 'AP_USERLESS_BLOCKED')!.evidence).toMatchObject({
      lastDeploymentEventId: 'ev-1',
      lastDeploymentState: 'failure',
      lastDeploymentEnrollmentType: 'azureADJoinedWithWhiteGlove',
      lastDeploymentFailureCode: '0x80180014',
    });
    expect(without.find((f) => f.code === 'AP_USERLESS_BLOCKED')!.evidence['lastDeploymentState']).toBeUndefined();
  });

  it('membership is added by Entra OBJECT id, never by the deviceId GUID', () => {
    const d = entraDevice({
      objectId: 'obj-9',
      deviceId: 'aad-9',
      enrollmentProfileName: 'DP Policy',
      isAutopilotRegistered: false,
    });
    // A member list holding the deviceId GUID is not membership: the object id is what groups store.
    const s = snapshot({
      devicePrepGroups: [devicePrepGroup({ candidates: [d], memberObjectIds: ['aad-9'] })],
      provisioningClient: PROVISIONING_CLIENT,
    });
    const f = detectAll(s, NOW, rules).findings.find((x) => x.code === 'DP_DEVICE_NOT_IN_GROUP')!;
    expect(f.remedy).toEqual({
      action: 'add-to-device-prep-group',
      groupId: 'grp-1',
      objectId: 'obj-9',
      serialNumber: null,
    });
    expect(JSON.stringify(f.remedy)).not.toContain('aad-9');
  });

  it('the owner is restored with the service principal object id, or not at all when it is missing', () => {
    const g = devicePrepGroup({ owners: [] });
    const present = detectAll(
      snapshot({ devicePrepGroups: [g], provisioningClient: PROVISIONING_CLIENT }),
      NOW,
      rules,
    ).findings;
    const missing = detectAll(snapshot({ devicePrepGroups: [g], provisioningClient: null }), NOW, rules).findings;
    expect(present.find((f) => f.code === 'DP_GROUP_OWNER_MISSING')!.remedy).toEqual({
      action: 'restore-device-prep-owner',
      groupId: 'grp-1',
      servicePrincipalId: PROVISIONING_CLIENT.objectId,
    });
    expect(missing.find((f) => f.code === 'DP_GROUP_OWNER_MISSING')!.remedy).toBeNull();
    expect(missing.map((f) => f.code)).toContain('DP_PROVISIONING_CLIENT_MISSING');
  });

  it('groups outside DEVICE_PREP_GROUPS are never written (no findings, no remedies)', () => {
    const s = snapshot({
      devicePrepGroups: [devicePrepGroup({ groupId: 'grp-other', owners: [] })],
      provisioningClient: PROVISIONING_CLIENT,
    });
    expect(detectAll(s, NOW, rules).findings).toEqual([]);
  });
});
