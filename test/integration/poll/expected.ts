// What a correct run must find on each bundled scenario, written out by hand from the scenario's own
// documentation (sim/README.md "Bundled scenarios", each file's `expectations`, the demo's `planted`) and
// the catalog's definitions (shared/core/catalog: each documented problem → the code whose `signal` it
// matches). NOT taken from the product's output.
//
// Subject keys follow the product's documented keying (shared/core/detect/lookup.ts, device-prep-groups.ts):
// a registered device by its serial number upper-cased; a device-preparation device by its Entra OBJECT id
// (lower-case); a group by its id (lower-case); tenant-wide problems by 'tenant'.
//
// Scope: the lists hold everything the documentation says a correct product finds. Which run must find it
// follows the catalog's `cadence`: 'poll' = "cheap, every poll" (the timer's incremental poll must find it),
// 'sweep' = "needs full reads, compliance sweep only". A full sweep must find all of them.
import { catalogEntry } from '../../../shared/core/catalog/index.js';

export interface ExpectedFinding {
  readonly code: string;
  readonly subjectKey: string;
  /** Where the expectation comes from. */
  readonly why: string;
}

const f = (code: string, subjectKey: string, why: string): ExpectedFinding => ({ code, subjectKey, why });

export const DEMO = {
  group: '9a000000-0000-4000-8000-000000000001',
  policyName: 'Contoso Win11 device preparation',
  /** Intune Provisioning Client SP (appId f1346770-…), displayed as "Intune Autopilot ConfidentialClient". */
  provisioningClientId: '5b000000-0000-4000-8000-000000000001',
  blocked: { serial: '9TQ4L83', identityId: 'ad000000-0000-4000-8000-000000000008' },
  blockedFixPending: { serial: '5CG3420MNB', identityId: 'ad000000-0000-4000-8000-000000000009' },
  stuck: { serial: '031928374651', eventId: 'e7000000-0000-4000-8000-000000000130' },
  missingMembers: [
    {
      serial: '041829374650',
      objectId: '0b000000-0000-4000-8000-000000000068',
      deviceId: 'de000000-0000-4000-8000-000000000068',
    },
    {
      serial: '5CG3452ABC',
      objectId: '0b000000-0000-4000-8000-000000000069',
      deviceId: 'de000000-0000-4000-8000-000000000069',
    },
    {
      serial: 'PF4ZZ6MQ',
      objectId: '0b000000-0000-4000-8000-00000000006a',
      deviceId: 'de000000-0000-4000-8000-00000000006a',
    },
  ],
} as const;

export const DEMO_FINDINGS: readonly ExpectedFinding[] = [
  // "Unblock CTS-9TQ4L83: blocked after a pre-provisioning reuse, 0x80180014, remediationState noRemediationRequired."
  f('AP_USERLESS_BLOCKED', '9TQ4L83', 'identity blocked, no hardware-change state: unblock'),
  f('AP_ONE_TIME_ENROLLMENT_BLOCK', '9TQ4L83', 'latest event failure with 0x80180014'),
  // "Do NOT unblock 5CG3420MNB: also blocked with 0x80180014 but Fix pending - alert instead."
  f('AP_USERLESS_BLOCKED_HW_CHANGE', '5CG3420MNB', 'blocked while remediationState = automaticRemediationRequired'),
  f('AP_ONE_TIME_ENROLLMENT_BLOCK', '5CG3420MNB', 'latest event failure with 0x80180014'),
  // (Fix pending since now-9h: under FIX_PENDING_ALERT_HOURS = 24, so no AP_FIX_PENDING.)
  // "Request ONE Autopilot sync for the two pending imports (5CG3460DEF, PF5A01QX)". Graph gives imports no
  // timestamp, so the product dates them by its first sighting: the first poll opens these as info, and the sync
  // is asked for IMPORT_VISIBLE_MINUTES (20) later (issue 14 item 3; enforce.test.ts shows the sync).
  f('AP_IMPORT_NOT_VISIBLE', '5CG3460DEF', 'imported 30 min ago, not visible'),
  f('AP_IMPORT_NOT_VISIBLE', 'PF5A01QX', 'imported 30 min ago, not visible'),
  // "Alert: hardware-hash import of R90WK4TZ refused with 808 ZtdDeviceAssignedToOtherTenant." (The 806
  // re-import of PF4ZM8TR and the `complete` records of the pending imports are "not a problem".)
  f('AP_IMPORT_OTHER_TENANT', 'R90WK4TZ', 'import record error 808 ZtdDeviceAssignedToOtherTenant'),
  // "Re-add the Intune Provisioning Client as owner of group 'DP-Windows11-Devices'."
  f('DP_GROUP_OWNER_MISSING', DEMO.group, 'SP exists but does not own the group'),
  // "Add the three device-prep devices missing from 'DP-Windows11-Devices' by their Entra OBJECT ids."
  ...DEMO.missingMembers.map((m) => f('DP_DEVICE_NOT_IN_GROUP', m.objectId, `${m.serial} missing from the group`)),
  // "Alert: 036475829104 is a device-prep device that is also Autopilot-registered."
  f(
    'DP_TARGET_AUTOPILOT_REGISTERED',
    '0b000000-0000-4000-8000-000000000019',
    '036475829104: ZTDID + device-prep policy',
  ),
  // "Alert: profile notAssigned (PF4ZP1XC), pending (5CG3431PQR), failed (048211937465); Attention required (PF4ZR7KD)."
  f('AP_PROFILE_NOT_ASSIGNED', 'PF4ZP1XC', 'notAssigned since registration 70 days ago'),
  f('AP_PROFILE_ASSIGNMENT_STUCK', '5CG3431PQR', 'pending since registration 76 days ago'),
  f('AP_PROFILE_ASSIGNMENT_FAILED', '048211937465', 'profile assignment failed'),
  f('AP_ATTENTION_REQUIRED', 'PF4ZR7KD', 'remediationState manualRemediationRequired'),
  // (assignedOutOfSync 4BW7K93: its assignment date is now-6h, under the documented PROFILE_STUCK_HOURS = 24
  // of AP_PROFILE_OUT_OF_SYNC — the scenario's "Alert" does not meet the catalog's threshold; see report.)
  // "Alert: failed deployments 6DN2P73 (0x81039001 TPM), 5CG3405WXY (0x801c03ea TPM), PF4ZT3GH (0x80180005),
  // 2LM8N93 (0x801C03F3; its Entra object is gone)."
  f('AP_TPM_ATTESTATION_RETRY_EXCEEDED', '6DN2P73', '0x81039001'),
  f('AP_TPM_ATTESTATION_FAILED', '5CG3405WXY', '0x801c03ea'),
  f('AP_PREPROV_NOT_ALLOWED', 'PF4ZT3GH', '0x80180005'),
  f('AP_ENTRA_OBJECT_DELETED', '2LM8N93', '0x801C03F3'),
  // "Alert: 031928374651 stuck in progress for 5 h (> 4 h); 5CG3417ZZA finished successWithTimeout."
  f('AP_DEPLOYMENT_STUCK', DEMO.stuck.serial, 'inProgress for 5 h > DEPLOYMENT_STUCK_HOURS 2'),
  f('AP_DEPLOYMENT_SUCCESS_WITH_TIMEOUT', '5CG3417ZZA', 'deploymentState successWithTimeout'),
  // ("PF4ZV9PL pre-provisioned 167 days ago": its only event is 167 days old, beyond the 30 days Autopilot
  // deployment data is kept — unobservable by a correct product; see report.)
  // "Alert: device-prep deployment failed for PF4ZX4NB (DeploymentStatus 3)." Catalog cadence of
  // DP_DEPLOYMENT_FAILED is 'poll'.
  f('DP_DEPLOYMENT_FAILED', 'PF4ZX4NB', 'AutopilotV2DeploymentStatus row DeploymentStatus 3'),
  // "Compliance sweep: 7FG3H63 and 052837461928 noncompliant; 5CG2218QRS stale (last contact 200 days ago)."
  f('AP_MANAGED_NONCOMPLIANT', '7FG3H63', 'noncompliant'),
  f('AP_MANAGED_NONCOMPLIANT', '052837461928', 'noncompliant'),
  f('AP_REGISTRATION_STALE', '5CG2218QRS', 'last contact 200 days ago'),
  // 5CG2218QRS is still `enrolled` with no Intune record (no managedDeviceId, no managed device): the
  // catalog signal of AP_MANAGED_DEVICE_MISSING ("enrollmentState = enrolled, but no such Intune managed
  // device in a full read").
  f('AP_MANAGED_DEVICE_MISSING', '5CG2218QRS', 'enrolled, Intune record gone'),
  // "2LM8N93 … its Entra object is gone - orphaned record."
  f('AP_ENTRA_OBJECT_MISSING', '2LM8N93', 'its Entra object is gone (orphaned record)'),
  // PF4ZV9PL: its Intune record last checked in 167 days ago (> CHECKIN_STALE_DAYS 30). The catalog excludes
  // resealed pre-provisioned devices waiting for their user — but the technician run that would show this is
  // beyond the 30-day event retention (see above), so what the data shows is a stale check-in.
  f('AP_MANAGED_CHECKIN_STALE', 'PF4ZV9PL', 'Intune check-in 167 days ago'),
];

export const BROKEN = {
  sales: '9c000000-0000-4000-8000-000000000001',
  finance: '9c000000-0000-4000-8000-000000000002',
  engineering: '9c000000-0000-4000-8000-000000000003',
  warehouse: '9c000000-0000-4000-8000-000000000004',
  legal: '9c000000-0000-4000-8000-000000000005',
  engineeringMissing: ['0b000000-0000-4000-8000-000000000031', '0b000000-0000-4000-8000-000000000032'],
} as const;

export const DEVICEPREP_BROKEN_FINDINGS: readonly ExpectedFinding[] = [
  // "The Intune Provisioning Client SP does not exist: alert that a person must create the SP."
  f('DP_PROVISIONING_CLIENT_MISSING', 'tenant', 'no servicePrincipal with the appId'),
  // "DP-Sales-Devices (…01) is dynamic: alert."
  f('DP_GROUP_DYNAMIC', BROKEN.sales, 'groupTypes DynamicMembership'),
  // "DP-Finance-Devices (…02) was deleted: GET returns 404; alert."
  f('DP_GROUP_MISSING', BROKEN.finance, 'GET /groups/{id} 404'),
  // "DP-Engineering-Devices (…03) … has no SP owner and misses two devices: alert (owner cannot be restored
  // while the SP is missing); re-adding the two devices is allowed."
  f('DP_GROUP_OWNER_MISSING', BROKEN.engineering, 'no SP owner'),
  ...BROKEN.engineeringMissing.map((id) => f('DP_DEVICE_NOT_IN_GROUP', id, 'missing from the valid static group …03')),
  // "DP-Warehouse-Devices (…04) is role-assignable and DP-Legal-Devices (…05) is … not security: alert on
  // group shape." Their missing devices are not re-added ("Alerts only, except re-adding members where the
  // group is valid"; planted note: "re-add after the group is fixed").
  f('DP_GROUP_ROLE_ASSIGNABLE', BROKEN.warehouse, 'isAssignableToRole'),
  f('DP_GROUP_NOT_SECURITY', BROKEN.legal, 'Microsoft 365 group, securityEnabled false'),
  // planted deviceprepOwnerMissing: …03, and …01, …04, …05 "owner missing because the SP is missing".
  f('DP_GROUP_OWNER_MISSING', BROKEN.sales, 'planted deviceprepOwnerMissing'),
  f('DP_GROUP_OWNER_MISSING', BROKEN.warehouse, 'planted deviceprepOwnerMissing'),
  f('DP_GROUP_OWNER_MISSING', BROKEN.legal, 'planted deviceprepOwnerMissing'),
  // "No Autopilot-registered devices here: no Autopilot findings."
];

export const DOCUMENTED_FINDINGS: Readonly<Record<string, readonly ExpectedFinding[]>> = {
  demo: DEMO_FINDINGS,
  // "No findings, no remediations, no alerts."
  healthy: [],
  'deviceprep-broken': DEVICEPREP_BROKEN_FINDINGS,
};

/** What a run of this kind must find: an incremental poll the 'poll'-cadence codes, a full sweep all. */
export function expectedFindings(scenario: string, kind: 'incremental' | 'full'): ExpectedFinding[] {
  const all = DOCUMENTED_FINDINGS[scenario];
  if (!all) throw new Error(`no documented findings for scenario ${scenario}`);
  return all.filter((x) => {
    const entry = catalogEntry(x.code);
    if (!entry) throw new Error(`${x.code} is not in the catalog`);
    return kind === 'full' || entry.cadence === 'poll';
  });
}

/** "CODE subjectKey", sorted: the comparable form of a finding set. */
export function keysOf(items: readonly { readonly code: string; readonly subjectKey: string }[]): string[] {
  return items.map((i) => `${i.code} ${i.subjectKey}`).sort();
}

export function findingKeys(
  findings: readonly { readonly code: string; readonly subject: { readonly key: string } }[],
): string[] {
  return keysOf(findings.map((x) => ({ code: x.code, subjectKey: x.subject.key })));
}
