import { describe, expect, it } from 'vitest';
import { CODES } from '../../../../shared/core/catalog/codes.js';
import { defaultDetectorRules, detectAll, type DetectorRules } from '../../../../shared/core/detect/index.js';
import type { TenantSnapshot } from '../../../../shared/core/model/index.js';
import {
  devicePrepDeployment,
  devicePrepGroup,
  entraDevice,
  event,
  fullSnapshot,
  identity,
  importedDevice,
  NOW,
  settings,
  snapshot,
} from '../../../support/builders.js';

// covers(code, key) = "this run could have seen (code, key) if it were still there". The poll resolves an open
// finding only when it is absent AND covered (nothing is decided on a partial picture).

const rules: DetectorRules = {
  ...defaultDetectorRules,
  devicePrepGroups: [
    { groupId: 'grp-1', policyName: 'DP Policy' },
    { groupId: 'grp-2', policyName: 'Other' },
  ],
};
const covers = (s: TenantSnapshot) => detectAll(s, NOW, rules).covers;

type Row = readonly [name: string, snap: TenantSnapshot, code: string, key: string, expected: boolean];

const incremental = snapshot({
  identities: [identity({ serialNumber: 'SN-1' })],
  events: [event({ serialNumber: 'SN-2' })],
});
const blockedList = snapshot({ complete: { blockedIdentities: true } });
const bothGroups = snapshot({
  devicePrepGroups: [devicePrepGroup(), devicePrepGroup({ groupId: 'grp-2', policyName: 'Other' })],
});
const oneGroup = snapshot({
  devicePrepGroups: [
    devicePrepGroup({
      candidates: [entraDevice({ objectId: 'obj-9', deviceId: 'aad-9', enrollmentProfileName: 'DP Policy' })],
    }),
  ],
});

const ROWS: readonly Row[] = [
  ['identity state: the identity this poll read', incremental, CODES.AP_FIX_PENDING, 'SN-1', true],
  ['identity state: an identity this poll did not read', incremental, CODES.AP_FIX_PENDING, 'SN-9', false],
  [
    'identity state: full identity list',
    snapshot({ complete: { identities: true } }),
    CODES.AP_PROFILE_NOT_ASSIGNED,
    'SN-9',
    true,
  ],
  [
    'identity state: serial looked up one by one',
    snapshot({ identitySerialsQueried: ['sn-9'] }),
    CODES.AP_ATTENTION_REQUIRED,
    'SN-9',
    true,
  ],
  ['block: list of every blocked device covers all subjects', blockedList, CODES.AP_USERLESS_BLOCKED, 'SN-9', true],
  ['block: …and the hardware-change variant', blockedList, CODES.AP_USERLESS_BLOCKED_HW_CHANGE, 'SN-9', true],
  ['block list does not cover other identity state', blockedList, CODES.AP_FIX_PENDING, 'SN-9', false],
  ['event: the run saw a newer event for the device', incremental, CODES.AP_DEPLOYMENT_FAILED, 'SN-2', true],
  ['event: no event for the device in this run', incremental, CODES.AP_TPM_ATTESTATION_FAILED, 'SN-1', false],
  [
    'event: all 30 days of events read',
    snapshot({ complete: { events: true } }),
    CODES.AP_DEPLOYMENT_STUCK,
    'SN-1',
    true,
  ],
  [
    'event codes are not covered by identity reads',
    snapshot({ complete: { identities: true } }),
    CODES.AP_ONE_TIME_ENROLLMENT_BLOCK,
    'SN-1',
    false,
  ],
  [
    'sweep code on an incremental poll, even with full reads',
    snapshot({ complete: { identities: true, managedDevices: true, entraDevices: true } }),
    CODES.AP_MANAGED_CHECKIN_STALE,
    'SN-1',
    false,
  ],
  ['sweep code on a full sweep', fullSnapshot(), CODES.AP_MANAGED_CHECKIN_STALE, 'SN-1', true],
  [
    'sweep code on a full sweep missing the Entra read',
    fullSnapshot({ complete: { entraDevices: false } }),
    CODES.AP_ENTRA_OBJECT_MISSING,
    'SN-1',
    false,
  ],
  [
    'sweep code: duplicate serials need only identities',
    fullSnapshot({ complete: { managedDevices: false } }),
    CODES.AP_DUPLICATE_SERIAL,
    'SN-1',
    true,
  ],
  [
    'import errors: imports read in full',
    snapshot({ complete: { imports: true } }),
    CODES.AP_IMPORT_OTHER_TENANT,
    'SN-1',
    true,
  ],
  ['import errors: imports not read', snapshot(), CODES.AP_IMPORT_INVALID_HASH, 'SN-1', false],
  [
    'import visibility: device now visible',
    snapshot({ identities: [identity()] }),
    CODES.AP_IMPORT_NOT_VISIBLE,
    'SN-1',
    true,
  ],
  [
    'import visibility: import row read but absence unknown',
    snapshot({ imports: [importedDevice()] }),
    CODES.AP_IMPORT_NOT_VISIBLE,
    'SN-1',
    false,
  ],
  ['tenant sync: settings read', snapshot({ settings: settings() }), CODES.AP_SYNC_FAILED, 'tenant', true],
  ['tenant sync: settings not read', snapshot(), CODES.AP_SYNC_FAILED, 'tenant', false],
  ['group: configured group read', oneGroup, CODES.DP_GROUP_OWNER_MISSING, 'grp-1', true],
  ['group: configured group not read', oneGroup, CODES.DP_GROUP_MISSING, 'grp-2', false],
  ['group: no longer configured (resolve it)', oneGroup, CODES.DP_GROUP_DYNAMIC, 'grp-old', true],
  [
    'provisioning client: every configured group read',
    bothGroups,
    CODES.DP_PROVISIONING_CLIENT_MISSING,
    'tenant',
    true,
  ],
  ['provisioning client: a configured group not read', oneGroup, CODES.DP_PROVISIONING_CLIENT_MISSING, 'tenant', false],
  ['membership: device is a candidate of a read group', oneGroup, CODES.DP_DEVICE_NOT_IN_GROUP, 'obj-9', true],
  ['membership: other device, not every group read', oneGroup, CODES.DP_DEVICE_NOT_IN_GROUP, 'obj-1', false],
  ['membership: every configured group read', bothGroups, CODES.DP_DEVICE_NOT_IN_GROUP, 'obj-1', true],
  [
    'device-prep deployments: export read in full',
    snapshot({ complete: { devicePrepDeployments: true } }),
    CODES.DP_DEPLOYMENT_FAILED,
    'SN-1',
    true,
  ],
  [
    'device-prep deployments: a row for the device',
    snapshot({ devicePrepDeployments: [devicePrepDeployment()] }),
    CODES.DP_DEPLOYMENT_FAILED,
    'SN-1',
    true,
  ],
  ['device-prep deployments: nothing read', snapshot(), CODES.DP_DEPLOYMENT_FAILED, 'SN-1', false],
  [
    'coexistence: needs groups, export and identities',
    fullSnapshot({ devicePrepGroups: bothGroups.devicePrepGroups }),
    CODES.DP_TARGET_AUTOPILOT_REGISTERED,
    'SN-1',
    true,
  ],
  ['coexistence: export not read', bothGroups, CODES.DP_TARGET_AUTOPILOT_REGISTERED, 'SN-1', false],
  [
    'pre-provisioning pending: the device was observable',
    incremental,
    CODES.AP_PREPROV_USER_FLOW_PENDING,
    'SN-1',
    true,
  ],
  ['pre-provisioning pending: blind poll', incremental, CODES.AP_PREPROV_USER_FLOW_PENDING, 'SN-9', false],
  ['unknown code is never covered', fullSnapshot(), 'AP_NOT_A_CODE', 'SN-1', false],
];

describe('covers', () => {
  it.each(ROWS)('%s', (_name, snap, code, key, expected) => {
    expect(covers(snap)(code, key)).toBe(expected);
  });

  it('an open finding is resolvable only after a run that could see it (incremental vs full)', () => {
    // Day 1 sweep: the Entra object of SN-1 is missing.
    const sweep = detectAll(fullSnapshot({ identities: [identity()] }), NOW, rules);
    expect(sweep.findings.map((f) => f.code)).toContain(CODES.AP_ENTRA_OBJECT_MISSING);
    // A poll does not read Entra: the finding is absent from its output but must stay open.
    const poll = detectAll(snapshot({ identities: [identity()] }), NOW, rules);
    expect(poll.findings.map((f) => f.code)).not.toContain(CODES.AP_ENTRA_OBJECT_MISSING);
    expect(poll.covers(CODES.AP_ENTRA_OBJECT_MISSING, 'SN-1')).toBe(false);
    // The next sweep sees the object again: absent and covered, so it resolves.
    const next = detectAll(fullSnapshot({ identities: [identity()], entraDevices: [entraDevice()] }), NOW, rules);
    expect(next.findings.map((f) => f.code)).not.toContain(CODES.AP_ENTRA_OBJECT_MISSING);
    expect(next.covers(CODES.AP_ENTRA_OBJECT_MISSING, 'SN-1')).toBe(true);
  });
});
