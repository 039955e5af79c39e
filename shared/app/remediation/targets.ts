import { INTUNE_PROVISIONING_CLIENT_APP_ID, type CommandTarget } from '../../core/model/index.js';
import type { RemediationDeps } from './deps.js';
import { isTransient } from './lifecycle.js';

// One handler per targeted action: re-read the target (does the finding still apply?), describe the write,
// make it, and re-read to verify. Pre-checks read Graph fresh — the poll's snapshot may be minutes old.

export type Verdict =
  /** Still needed: write `work`. */
  | { readonly kind: 'act'; readonly before: Record<string, unknown>; readonly work: readonly string[] }
  /** Already in the desired state (fixed by someone, or by a crashed earlier delivery of this command). */
  | { readonly kind: 'clear'; readonly before: Record<string, unknown>; readonly detail: string }
  /** The target is gone: nothing to do. */
  | { readonly kind: 'gone'; readonly before: Record<string, unknown> | null; readonly detail: string }
  /** Writing now would be unsafe or useless: a person must look. */
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

export interface TargetHandler {
  precheck(): Promise<Verdict>;
  /** What the write is, in words (plan mode records exactly this). */
  describe(work: readonly string[]): string;
  act(work: readonly string[]): Promise<WriteDone>;
  verify(): Promise<Record<string, unknown>>;
}

type Target<A extends CommandTarget['action']> = Extract<CommandTarget, { action: A }>;

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

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
    async precheck() {
      const before = await read();
      if (before === null) return { kind: 'gone', before: null, detail: 'the Autopilot device record no longer exists' };
      if (before.remediationState === 'automaticRemediationRequired') {
        return { kind: 'refuse', before, detail: 'the device is now in Fix pending, where Unblock does not work; not written' };
      }
      if (before.remediationState === 'manualRemediationRequired') {
        return { kind: 'refuse', before, detail: 'the device is now in Attention required (deregister and re-register it); not written' };
      }
      const blocked = before.enrollmentState === 'blocked' || before.userlessEnrollmentStatus === 'blocked';
      if (!blocked) return { kind: 'clear', before, detail: 'the device is no longer blocked for re-enrollment' };
      return { kind: 'act', before, work: [t.autopilotId] };
    },
    describe: () => `POST /beta/deviceManagement/windowsAutopilotDeviceIdentities/${t.autopilotId}/allowNextEnrollment`,
    async act() {
      const r = await deps.actions.allowNextEnrollment(t.autopilotId);
      return { requestId: r.requestId, alreadyDone: r.alreadyDone, items: new Map([[t.autopilotId, r.alreadyDone]]), failed: new Map() };
    },
    // The portal shows no confirmation either: the re-read is the only proof (and may lag the 204).
    verify: async () => (await read()) ?? { deleted: true },
  };
}

async function groupGate(groupId: string, deps: RemediationDeps): Promise<{ before: Record<string, unknown>; problem: string | null }> {
  if (!deps.allowedGroupIds.some((g) => same(g, groupId))) {
    return { before: { groupId }, problem: `group ${groupId} is not in the configured device-preparation allowlist; not written` };
  }
  const g = await deps.directory.getGroup(groupId);
  if (g === null) return { before: { groupId, exists: false }, problem: `group ${groupId} no longer exists; a person must recreate it` };
  const before = { groupId, securityEnabled: g.securityEnabled, isDynamic: g.isDynamic, isAssignableToRole: g.isAssignableToRole };
  if (g.isDynamic) return { before, problem: `group ${groupId} is now dynamic; device preparation needs an assigned group` };
  if (!g.securityEnabled) return { before, problem: `group ${groupId} is not a security group` };
  return { before, problem: null };
}

function addMembers(t: Target<'add-to-device-prep-group'>, deps: RemediationDeps): TargetHandler {
  const ids = t.members.map((m) => m.objectId);
  const membership = async (): Promise<Record<string, boolean>> => {
    const present = new Set([...(await deps.directory.filterMembers(t.groupId, ids))].map((x) => x.toLowerCase()));
    return Object.fromEntries(ids.map((id) => [id, present.has(id.toLowerCase())]));
  };
  return {
    async precheck() {
      const gate = await groupGate(t.groupId, deps);
      if (gate.problem !== null) return { kind: 'refuse', before: gate.before, detail: gate.problem };
      const members = await membership();
      const before = { ...gate.before, members };
      const missing = ids.filter((id) => members[id] !== true);
      if (missing.length === 0) return { kind: 'clear', before, detail: 'every device is already a member of the group' };
      return { kind: 'act', before, work: missing };
    },
    describe: (work) => `PATCH /v1.0/groups/${t.groupId} members@odata.bind (per-member $ref on conflict) for ${work.length} device(s): ${work.join(', ')}`,
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
    verify: async () => ({ members: await membership() }),
  };
}

function restoreOwner(t: Target<'restore-device-prep-owner'>, deps: RemediationDeps): TargetHandler {
  const isOwner = async () => {
    const owners = await deps.directory.listGroupOwners(t.groupId);
    // Matched by object id or by the well-known appId, never by display name (it differs between tenants).
    return owners.some((o) => same(o.id, t.servicePrincipalId) || (o.appId !== null && same(o.appId, INTUNE_PROVISIONING_CLIENT_APP_ID)));
  };
  return {
    async precheck() {
      const gate = await groupGate(t.groupId, deps);
      if (gate.problem !== null) return { kind: 'refuse', before: gate.before, detail: gate.problem };
      const before = { ...gate.before, provisioningClientIsOwner: await isOwner() };
      if (before.provisioningClientIsOwner) return { kind: 'clear', before, detail: 'the Intune Provisioning Client is already an owner' };
      return { kind: 'act', before, work: [t.servicePrincipalId] };
    },
    describe: () => `POST /v1.0/groups/${t.groupId}/owners/$ref with service principal ${t.servicePrincipalId}`,
    async act() {
      const r = await deps.actions.addGroupOwner(t.groupId, t.servicePrincipalId);
      return { requestId: r.requestId, alreadyDone: r.alreadyDone, items: new Map([[t.servicePrincipalId, r.alreadyDone]]), failed: new Map() };
    },
    verify: async () => ({ provisioningClientIsOwner: await isOwner() }),
  };
}
