import { CODES, type FindingCode } from '../catalog/codes.js';
import {
  groupSettled,
  INTUNE_PROVISIONING_CLIENT_APP_ID,
  type DevicePrepGroupSnapshot,
  type EnrollmentTimeTargetError,
  type EntraDevice,
  type Evidence,
  type Finding,
  type GroupInfo,
  type TenantSnapshot,
} from '../model/index.js';
import { policyTargetProblem, policyTargetVerdict, type PolicyTargetVerdict } from '../policy/policy-target.js';
import { deviceSubject, groupSubject, makeFinding, TENANT } from './finding.js';
import { normId, lookup, type Lookup } from './lookup.js';
import type { DetectorRules } from './rules.js';
import { trimSerial } from '../fleet/device-keys.js';

// Device-preparation device groups ("Windows Autopilot device preparation user-driven Microsoft Entra join: Create a
// device group", https://learn.microsoft.com/autopilot/device-preparation/tutorial/user-driven/entra-join-device-group):
// shape, owner, and the devices that belong in them. Only groups in
// rules.devicePrepGroups are looked at (the allowlist is the only set ever written). Membership is always by
// the Entra OBJECT id; the deviceId GUID is used only to find the device's serial for the alert.

export const DEVICE_PREP_GROUP_CODES: readonly FindingCode[] = [
  CODES.DP_GROUP_MISSING,
  CODES.DP_GROUP_DYNAMIC,
  CODES.DP_GROUP_ROLE_ASSIGNABLE,
  CODES.DP_GROUP_NOT_SECURITY,
  CODES.DP_GROUP_OWNER_MISSING,
  CODES.DP_POLICY_TARGET_MISMATCH,
  CODES.DP_POLICY_TARGET_UNVERIFIED,
  CODES.DP_PROVISIONING_CLIENT_MISSING,
  CODES.DP_DEVICE_NOT_IN_GROUP,
  CODES.DP_TARGET_AUTOPILOT_REGISTERED,
];

const APP_ID = INTUNE_PROVISIONING_CLIENT_APP_ID.toLowerCase();

/** Matched by appId only: the display name differs between tenants (DP-TS L641–L646). */
function isProvisioningClient(appId: string | null | undefined): boolean {
  return appId?.trim().toLowerCase() === APP_ID;
}

/**
 * Subject of a device-prep candidate. Entra device objects carry no serial, and a device-prep device has no
 * Autopilot record, so a serial is known only on runs that also read Intune (the sweep). A key that depended
 * on that would flip between poll and sweep and make the finding open and resolve in turn; the Entra object
 * id is read on every run, so it is the key. The serial, when known, still goes into the subject.
 */
export function entraDeviceKey(
  L: Lookup,
  d: EntraDevice,
): { key: string; serial: string | null; autopilotId: string | null } {
  const deviceId = normId(d.deviceId);
  const identity = deviceId ? L.identityByAadId.get(deviceId) : undefined;
  const managed = deviceId ? L.managedByAadId.get(deviceId) : undefined;
  // Trimmed as the poll screened it (tenant-text.ts serialProblem): an Intune serial of blanks, or padded past 256
  // characters, is usable once trimmed, and the command's target check would refuse it untrimmed, and with it the
  // other devices of its batch.
  const serial = trimSerial(identity?.serialNumber ?? managed?.serialNumber ?? '') || null;
  return { key: d.objectId.trim().toLowerCase(), serial, autopilotId: identity?.id ?? null };
}

function shapeEvidence(g: DevicePrepGroupSnapshot, info: GroupInfo, policyName: string): Evidence {
  return {
    groupId: g.groupId,
    groupName: info.displayName,
    policyName,
    groupExists: true,
    groupIsDynamic: info.isDynamic,
    groupSecurityEnabled: info.securityEnabled,
    groupIsAssignableToRole: info.isAssignableToRole,
  };
}

/** The policy-target facts every finding about the group carries (the policy's gate reads `policyTargetProven`). */
function targetEvidence(g: DevicePrepGroupSnapshot, v: PolicyTargetVerdict, writable: boolean): Evidence {
  return {
    policyId: g.policyTarget.kind === 'not-configured' ? null : g.policyTarget.policyId,
    policyTargetStatus: v.kind,
    policyTargetReason: v.kind === 'proven' ? null : v.reason,
    // Tenant strings: ids only, at most a few, cut short (the finding store and alerts quote them).
    policyTargetIds:
      v.targetIds
        .slice(0, 5)
        .map((id) => id.slice(0, 64))
        .join(', ') || null,
    policyTargetErrors: v.kind === 'proven' && v.errors.length > 0 ? v.errors.join(', ') : null,
    policyTargetProven: writable,
  };
}

/** Service validation codes that say the same as one of our own group checks (signals, not a second rule). */
const SERVICE_SIGNALS: Readonly<Partial<Record<EnrollmentTimeTargetError, FindingCode>>> = {
  securityGroupNotFound: CODES.DP_GROUP_MISSING,
  notSecurityGroup: CODES.DP_GROUP_NOT_SECURITY,
  notStaticSecurityGroup: CODES.DP_GROUP_DYNAMIC,
  firstPartyAppNotAnOwner: CODES.DP_GROUP_OWNER_MISSING,
};

/** The policy-target finding, if any: critical when the policy writes elsewhere, a warning when nothing proves it. */
function targetFinding(
  g: DevicePrepGroupSnapshot,
  v: PolicyTargetVerdict,
  policyName: string,
  target: Evidence,
): Finding | null {
  if (v.kind === 'proven') return null;
  const code = v.kind === 'mismatch' ? CODES.DP_POLICY_TARGET_MISMATCH : CODES.DP_POLICY_TARGET_UNVERIFIED;
  const evidence = {
    groupId: g.groupId,
    policyName,
    ...target,
    ...(g.policyTarget.kind === 'unreadable' ? { readError: g.policyTarget.reason.slice(0, 200) } : {}),
  };
  return makeFinding({ code, subject: groupSubject(g.groupId), evidence });
}

function detectGroup(
  g: DevicePrepGroupSnapshot,
  policyName: string,
  s: TenantSnapshot,
  L: Lookup,
): { findings: Finding[]; spMissing: boolean } {
  const subject = groupSubject(g.groupId);
  const info = g.group;
  // What the policy itself writes to at enrollment: nothing is written to a group it does not name.
  const verdict = policyTargetVerdict(g.groupId, g.policyTarget);
  const targetAllows = policyTargetProblem(g.groupId, g.policyTarget) === null;
  const serviceSays = new Set(
    (verdict.kind === 'proven' ? verdict.errors : []).flatMap((e) => SERVICE_SIGNALS[e] ?? []),
  );
  const byService = (code: FindingCode, ours: boolean): boolean => !ours && serviceSays.has(code);
  const out: Finding[] = [];
  const targetOnly = targetFinding(g, verdict, policyName, targetEvidence(g, verdict, false));
  if (targetOnly) out.push(targetOnly);
  if (info === null) {
    const evidence = { groupId: g.groupId, policyName, groupExists: false, ...targetEvidence(g, verdict, false) };
    out.push(makeFinding({ code: CODES.DP_GROUP_MISSING, subject, evidence }));
    return { findings: out, spMissing: false };
  }
  const writable = !info.isDynamic && info.securityEnabled && !info.isAssignableToRole && targetAllows;
  const shape = { ...shapeEvidence(g, info, policyName), ...targetEvidence(g, verdict, writable) };
  // Our own read of the group, and the service's validation of the policy's target, are two views of one rule:
  // either raises the same finding (the evidence says which one saw it).
  const fromService = { ...shape, source: 'policy-validation' };
  if (byService(CODES.DP_GROUP_MISSING, false))
    out.push(makeFinding({ code: CODES.DP_GROUP_MISSING, subject, evidence: fromService }));
  if (info.isDynamic || byService(CODES.DP_GROUP_DYNAMIC, info.isDynamic)) {
    out.push(makeFinding({ code: CODES.DP_GROUP_DYNAMIC, subject, evidence: info.isDynamic ? shape : fromService }));
  }
  if (info.isAssignableToRole)
    out.push(makeFinding({ code: CODES.DP_GROUP_ROLE_ASSIGNABLE, subject, evidence: shape }));
  if (!info.securityEnabled || byService(CODES.DP_GROUP_NOT_SECURITY, !info.securityEnabled)) {
    out.push(
      makeFinding({ code: CODES.DP_GROUP_NOT_SECURITY, subject, evidence: info.securityEnabled ? fromService : shape }),
    );
  }

  const sp = s.provisioningClient && isProvisioningClient(s.provisioningClient.appId) ? s.provisioningClient : null;
  const ownerMissing = !g.owners.some((o) => isProvisioningClient(o.appId));
  if (ownerMissing || byService(CODES.DP_GROUP_OWNER_MISSING, ownerMissing)) {
    // Restoring the owner is a write to the group: only when the policy is proven to use it.
    const remedy =
      sp && ownerMissing && targetAllows
        ? { action: 'restore-device-prep-owner' as const, groupId: subject.key, servicePrincipalId: sp.objectId }
        : null;
    const evidence = {
      ...(ownerMissing ? shape : fromService),
      provisioningClientPresent: sp !== null,
      servicePrincipalId: sp?.objectId ?? null,
    };
    out.push(makeFinding({ code: CODES.DP_GROUP_OWNER_MISSING, subject, evidence, remedy }));
  }

  // A missing, dynamic, non-security or role-assignable group, or one the policy does not (provably) write to, is
  // reported as such; adding members to it would fail or be wrong, so its devices get no membership finding.
  const members = new Set(g.memberObjectIds.map((id) => id.trim().toLowerCase()));
  // A settled group was not listed: its counts proved every device of the policy a member (groupSettled).
  const settled = groupSettled(g);
  for (const c of g.candidates) {
    // The whole value must match (GRP L12376–L12384): a prefix or a case variant is another policy.
    if (c.enrollmentProfileName !== policyName) continue;
    const { key, serial, autopilotId } = entraDeviceKey(L, c);
    const device = deviceSubject(key, serial, autopilotId);
    const evidence = {
      ...shape,
      entraObjectId: c.objectId,
      entraDeviceId: c.deviceId,
      deviceName: c.displayName,
      serialNumber: serial,
    };
    if (c.isAutopilotRegistered) {
      out.push(
        makeFinding({
          code: CODES.DP_TARGET_AUTOPILOT_REGISTERED,
          subject: device,
          evidence: { ...evidence, source: 'entra-ztdid' },
        }),
      );
    }
    if (writable && !settled && !members.has(c.objectId.trim().toLowerCase())) {
      const remedy = {
        action: 'add-to-device-prep-group' as const,
        groupId: subject.key,
        objectId: c.objectId,
        serialNumber: serial,
      };
      out.push(
        makeFinding({
          code: CODES.DP_DEVICE_NOT_IN_GROUP,
          subject: device,
          evidence,
          defining: { groupId: subject.key },
          remedy,
        }),
      );
    }
  }
  return { findings: out, spMissing: ownerMissing && sp === null };
}

export function detectDevicePrepGroups(snapshot: TenantSnapshot, _now: number, rules: DetectorRules): Finding[] {
  const L = lookup(snapshot);
  const configured = new Map(rules.devicePrepGroups.map((r) => [r.groupId.trim().toLowerCase(), r]));
  const out: Finding[] = [];
  let spMissing = false;
  for (const g of snapshot.devicePrepGroups) {
    const rule = configured.get(g.groupId.trim().toLowerCase());
    if (!rule) continue;
    const r = detectGroup(g, rule.policyName, snapshot, L);
    out.push(...r.findings);
    spMissing ||= r.spMissing;
  }
  if (spMissing) {
    const evidence = { appId: INTUNE_PROVISIONING_CLIENT_APP_ID };
    out.push(makeFinding({ code: CODES.DP_PROVISIONING_CLIENT_MISSING, subject: TENANT, evidence }));
  }
  return out;
}
