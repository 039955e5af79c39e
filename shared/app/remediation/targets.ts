import { INTUNE_PROVISIONING_CLIENT_APP_ID, type CommandTarget, type EntraDevice } from '../../core/model/index.js';
import { groupShapeProblem, policyTargetProblem } from '../../core/policy/index.js';
import { readPolicyTarget } from '../poll/read-policy-target.js';
import type { GraphWrite } from './attempt.js';
import type { RemediationDeps } from './deps.js';
import { isTransient } from './lifecycle.js';

// One handler per targeted action: re-derive the target from the tenant and the current configuration (does
// the finding still apply, and is this write one we would have planned ourselves?), name the exact write, make
// it, and re-read to verify. Pre-checks read Graph fresh: the poll's snapshot may be minutes old, and the
// message itself proves nothing.

export type Verdict =
  /** Still needed: write `work`. */
  | { readonly kind: 'act'; readonly before: Record<string, unknown>; readonly work: readonly string[] }
  /** Already in the desired state (fixed by someone, or by a crashed earlier delivery of this command). */
  | { readonly kind: 'clear'; readonly before: Record<string, unknown>; readonly detail: string }
  /** The target is gone: nothing to do. */
  | { readonly kind: 'gone'; readonly before: Record<string, unknown> | null; readonly detail: string }
  /** Writing now would be unsafe or useless, or the message asks for something we would never plan: a person must look. */
  | { readonly kind: 'refuse'; readonly before: Record<string, unknown>; readonly detail: string };

export interface WriteDone {
  readonly requestId: string | null;
  /** Graph said every item was already in the desired state (400 "already a member/owner"). */
  readonly alreadyDone: boolean;
  /** Per written item (object id) whether it was already done. */
  readonly items: ReadonlyMap<string, boolean>;
  /** Items Graph refused for good (e.g. 404 no such object) while the rest went through: id -> why. */
  readonly failed: ReadonlyMap<string, { readonly message: string; readonly requestId: string | null }>;
}

export interface Verified {
  readonly state: Record<string, unknown>;
  /** Does the re-read show the desired state? null = this read does not judge it. */
  readonly proven: boolean | null;
}

export interface TargetHandler {
  precheck(): Promise<Verdict>;
  /** The exact Graph write for `work` (the attempt row and plan mode record exactly this). */
  write(work: readonly string[]): GraphWrite;
  act(work: readonly string[]): Promise<WriteDone>;
  verify(): Promise<Verified>;
  /** Success is recorded only when the re-read proves it: a failed or inconclusive read makes it 'unverified'. */
  readonly proofRequired: boolean;
}

type Target<A extends CommandTarget['action']> = Extract<CommandTarget, { action: A }>;

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
/** Tenant strings go into details quoted and cut short: they are attacker-chosen. */
const quoted = (s: string | null): string => (s === null ? 'none' : JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s));
const DIRECTORY_OBJECT = 'https://graph.microsoft.com/v1.0/directoryObjects/';

export function handlerFor(target: Exclude<CommandTarget, { action: 'autopilot-sync' }>, deps: RemediationDeps): TargetHandler {
  switch (target.action) {
    case 'allow-next-enrollment':
      return unblock(target, deps);
    case 'add-to-device-prep-group':
      return addMembers(target, deps);
    case 'restore-device-prep-owner':
      return restoreOwner(target, deps);
  }
}

function unblock(t: Target<'allow-next-enrollment'>, deps: RemediationDeps): TargetHandler {
  const read = async () => {
    const d = await deps.autopilot.getDeviceIdentity(t.autopilotId);
    return d && { enrollmentState: d.enrollmentState, userlessEnrollmentStatus: d.userlessEnrollmentStatus, remediationState: d.remediationState };
  };
  return {
    proofRequired: true,
    async precheck() {
      const before = await read();
      if (before === null) return { kind: 'gone', before: null, detail: 'the Autopilot device record no longer exists' };
      if (before.remediationState === 'automaticRemediationRequired') {
        return { kind: 'refuse', before, detail: 'the device is now in Fix pending, where Unblock does not work; not written' };
      }
      if (before.remediationState === 'manualRemediationRequired') {
        return { kind: 'refuse', before, detail: 'the device is now in Attention required (deregister and re-register it); not written' };
      }
      // allowNextEnrollment lifts the block on userless (self-deploying, pre-provisioning) re-enrollment, which the
      // identity reports as userlessEnrollmentStatus. enrollmentState alone is not that block.
      // https://learn.microsoft.com/graph/api/resources/intune-enrollment-windowsautopilotdeviceidentity?view=graph-rest-beta
      if (before.userlessEnrollmentStatus !== 'blocked') {
        if (before.enrollmentState === 'blocked') {
          return {
            kind: 'refuse',
            before,
            detail: `enrollmentState is blocked but userlessEnrollmentStatus is ${before.userlessEnrollmentStatus ?? 'unknown'}: Unblock only clears a userless re-enrollment block; not written`,
          };
        }
        return { kind: 'clear', before, detail: 'the device is no longer blocked for userless re-enrollment' };
      }
      return { kind: 'act', before, work: [t.autopilotId] };
    },
    write: () => ({ method: 'POST', path: `/beta/deviceManagement/windowsAutopilotDeviceIdentities/${t.autopilotId}/allowNextEnrollment`, body: null }),
    async act() {
      const r = await deps.actions.allowNextEnrollment(t.autopilotId);
      return { requestId: r.requestId, alreadyDone: r.alreadyDone, items: new Map([[t.autopilotId, r.alreadyDone]]), failed: new Map() };
    },
    // The portal shows no confirmation either: the re-read is the only proof (and may lag the 204).
    async verify() {
      const after = await read();
      if (after === null) return { state: { deleted: true }, proven: false };
      return { state: after, proven: after.userlessEnrollmentStatus === 'allowed' };
    },
  };
}

type GateResult =
  | { readonly ok: false; readonly before: Record<string, unknown>; readonly problem: string }
  | { readonly ok: true; readonly before: Record<string, unknown>; readonly policyName: string };

/**
 * The group must be configured (DEVICE_PREP_GROUPS), still have a shape device preparation can use, and be the
 * group the device preparation policy itself writes to at enrollment — read fresh here, whatever the message or the
 * poll's snapshot said (policy-target.ts has the rule and its sources).
 */
async function groupGate(groupId: string, deps: RemediationDeps): Promise<GateResult> {
  const rule = deps.devicePrepGroups.find((g) => same(g.groupId, groupId));
  if (rule === undefined) return { ok: false, before: { groupId }, problem: `group ${groupId} is not in the configured device-preparation allowlist; not written` };
  // A throttled or failing read is retried with the command; any other failure leaves the target unproven.
  const [g, target] = await Promise.all([deps.directory.getGroup(groupId), readPolicyTarget(deps.autopilot, rule.policyId, {}, isTransient)]);
  const policy = {
    policyId: rule.policyId ?? null,
    policyTargetIds: target.kind === 'read' ? target.targets.map((t) => t.targetId ?? '').join(', ').slice(0, 300) : null,
  };
  if (g === null) return { ok: false, before: { groupId, exists: false, ...policy }, problem: `group ${groupId} no longer exists; a person must recreate it` };
  const before = { groupId, securityEnabled: g.securityEnabled, isDynamic: g.isDynamic, isAssignableToRole: g.isAssignableToRole, ...policy };
  const problem = groupShapeProblem(groupId, g) ?? policyTargetProblem(groupId, target);
  return problem === null ? { ok: true, before, policyName: rule.policyName } : { ok: false, before, problem: `${problem}; not written` };
}

/**
 * A device belongs in the group when its Entra `enrollmentProfileName` is exactly the group's device-preparation
 * policy name: that is how the detector found it, and the message is not trusted to say so.
 */
function membershipProblem(id: string, device: EntraDevice | null, policyName: string): string | null {
  if (device === null) return `${id} is not a device in this tenant`;
  if (device.enrollmentProfileName !== policyName) {
    return `device ${id} has enrollmentProfileName ${quoted(device.enrollmentProfileName)}, not the group's policy ${quoted(policyName)}`;
  }
  return null;
}

function addMembers(t: Target<'add-to-device-prep-group'>, deps: RemediationDeps): TargetHandler {
  const ids = t.members.map((m) => m.objectId);
  const membership = async (): Promise<Record<string, boolean>> => {
    const present = new Set([...(await deps.directory.filterMembers(t.groupId, ids))].map((x) => x.toLowerCase()));
    return Object.fromEntries(ids.map((id) => [id, present.has(id.toLowerCase())]));
  };
  return {
    proofRequired: false,
    async precheck() {
      const gate = await groupGate(t.groupId, deps);
      if (!gate.ok) return { kind: 'refuse', before: gate.before, detail: gate.problem };
      const policyName = gate.policyName;
      const devices = await Promise.all(ids.map((id) => deps.directory.getDevice(id)));
      const problems = ids.map((id, i) => membershipProblem(id, devices[i] ?? null, policyName)).filter((p): p is string => p !== null);
      if (problems.length > 0) {
        return { kind: 'refuse', before: { ...gate.before, policyName }, detail: `not every device belongs in the group (${problems.join('; ')}); nothing written` };
      }
      const members = await membership();
      const before = { ...gate.before, members };
      const missing = ids.filter((id) => members[id] !== true);
      if (missing.length === 0) return { kind: 'clear', before, detail: 'every device is already a member of the group' };
      return { kind: 'act', before, work: missing };
    },
    write: (work) => ({
      method: 'PATCH',
      path: `/v1.0/groups/${t.groupId}`,
      body: { 'members@odata.bind': work.map((id) => `${DIRECTORY_OBJECT}${id}`) },
      fallback: `per-member POST /v1.0/groups/${t.groupId}/members/$ref on conflict`,
    }),
    async act(work) {
      const results = await deps.actions.addGroupMembers(t.groupId, work);
      const errors = work.flatMap((id) => {
        const e = results.get(id)?.error;
        return e === undefined ? [] : [[id, e] as const];
      });
      // One member throttled or hit a 5xx: redeliver the whole command. The pre-check then skips the members
      // that went in this time, so nobody is written twice.
      const transient = errors.find(([, e]) => isTransient(e));
      if (transient !== undefined) throw transient[1];
      const failed = new Map(errors.map(([id, e]) => [id, { message: e.message, requestId: e.requestId }]));
      const items = new Map(work.filter((id) => !failed.has(id)).map((id) => [id, results.get(id)?.alreadyDone ?? false]));
      const requestId = [...results.values()].map((r) => r.requestId).find((r) => r !== null) ?? null;
      return { requestId, alreadyDone: items.size > 0 && [...items.values()].every(Boolean), items, failed };
    },
    verify: async () => ({ state: { members: await membership() }, proven: null }),
  };
}

function restoreOwner(t: Target<'restore-device-prep-owner'>, deps: RemediationDeps): TargetHandler {
  const isOwner = async () => {
    const owners = await deps.directory.listGroupOwners(t.groupId);
    // Matched by object id or by the well-known appId, never by display name (it differs between tenants).
    return owners.some((o) => same(o.id, t.servicePrincipalId) || (o.appId !== null && same(o.appId, INTUNE_PROVISIONING_CLIENT_APP_ID)));
  };
  return {
    proofRequired: false,
    async precheck() {
      const gate = await groupGate(t.groupId, deps);
      if (!gate.ok) return { kind: 'refuse', before: gate.before, detail: gate.problem };
      // The only owner this product ever adds is the Intune Provisioning Client, looked up by its appId in THIS
      // tenant. A message naming any other object is refused, whatever else it says.
      const sp = await deps.directory.findServicePrincipalByAppId(INTUNE_PROVISIONING_CLIENT_APP_ID);
      if (sp === null || !same(sp.appId, INTUNE_PROVISIONING_CLIENT_APP_ID)) {
        return { kind: 'refuse', before: { ...gate.before, provisioningClientPresent: false }, detail: `this tenant has no service principal for the Intune Provisioning Client (appId ${INTUNE_PROVISIONING_CLIENT_APP_ID}); not written` };
      }
      if (!same(sp.objectId, t.servicePrincipalId)) {
        return {
          kind: 'refuse',
          before: { ...gate.before, provisioningClientObjectId: sp.objectId },
          detail: `the message names service principal ${t.servicePrincipalId}, but the Intune Provisioning Client is ${sp.objectId}; not written`,
        };
      }
      const before = { ...gate.before, provisioningClientIsOwner: await isOwner() };
      if (before.provisioningClientIsOwner) return { kind: 'clear', before, detail: 'the Intune Provisioning Client is already an owner' };
      return { kind: 'act', before, work: [sp.objectId] };
    },
    write: (work) => ({ method: 'POST', path: `/v1.0/groups/${t.groupId}/owners/$ref`, body: { '@odata.id': `${DIRECTORY_OBJECT}${work[0] ?? t.servicePrincipalId}` } }),
    async act(work) {
      const spId = work[0] ?? t.servicePrincipalId;
      const r = await deps.actions.addGroupOwner(t.groupId, spId);
      return { requestId: r.requestId, alreadyDone: r.alreadyDone, items: new Map([[spId, r.alreadyDone]]), failed: new Map() };
    },
    async verify() {
      const owner = await isOwner();
      return { state: { provisioningClientIsOwner: owner }, proven: owner };
    },
  };
}
