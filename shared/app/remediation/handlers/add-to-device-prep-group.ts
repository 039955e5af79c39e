import type { TargetOf } from '../../../core/actions/index.js';
import type { EntraDevice } from '../../../core/model/index.js';
import type { RemediationDeps } from '../deps.js';
import { isTransient } from '../lifecycle.js';
import { DIRECTORY_OBJECT, groupGate, quoted, same } from './common.js';
import type { TargetHandler } from './types.js';

// add-to-device-prep-group: add devices that belong (their enrollmentProfileName is the group's policy) to a group
// that passes the group gate, in one members@odata.bind PATCH; the re-read shows who is a member.

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

export function addToDevicePrepGroupHandler(
  t: TargetOf<'add-to-device-prep-group'>,
  deps: RemediationDeps,
): TargetHandler {
  const ids = t.members.map((m) => m.objectId);
  const membership = async (): Promise<Record<string, boolean>> => {
    const present = new Set([...(await deps.directory.filterMembers(t.groupId, ids))].map((x) => x.toLowerCase()));
    return Object.fromEntries(ids.map((id) => [id, present.has(id.toLowerCase())]));
  };
  /** The members Graph accepted in act(): the ones the re-read must show. */
  let accepted: readonly string[] = [];
  const isMember = (state: Record<string, unknown> | null, id: string): boolean | null => {
    const members = state?.members;
    if (members === null || typeof members !== 'object') return null;
    const member = (members as Record<string, unknown>)[id];
    return typeof member === 'boolean' ? member : null;
  };
  return {
    // A 204 to members@odata.bind is not proof: the member may not appear (a write that did not apply, or read lag).
    // Only the re-read showing every member written is 'succeeded'; otherwise 'unverified', and a later poll decides.
    proofRequired: true,
    items: {
      ids,
      state: (state, id) => {
        const members = state?.members;
        if (members === null || typeof members !== 'object') return state;
        return { groupId: t.groupId, member: (members as Record<string, unknown>)[id] ?? null };
      },
      proven: isMember,
      noun: 'member',
      skippedDetail: 'already a member before this write; not written',
    },
    async precheck() {
      // The three re-checks read independent things, so for a configured group they go out together — one round
      // trip, and one JSON batch when the adapter batches reads — and all three must pass before anything is
      // written. A message naming any other group reads nothing: the gate refuses it first.
      const configured = deps.devicePrepGroups.some((g) => same(g.groupId, t.groupId));
      // Every device, read fresh by object id: a few filtered requests (up to 15 ids each), not one GET per device.
      const devicesRead = configured ? deps.directory.getDevices(ids) : null;
      const membersRead = configured ? membership() : null;
      // When the gate refuses (or its read throws) these are not awaited: their failures are the gate's to report.
      devicesRead?.catch(() => undefined);
      membersRead?.catch(() => undefined);
      const gate = await groupGate(t.groupId, deps);
      if (!gate.ok) return { kind: 'refuse', before: gate.before, detail: gate.problem };
      const policyName = gate.policyName;
      const devices = await (devicesRead ?? deps.directory.getDevices(ids));
      const problems = ids
        .map((id) => membershipProblem(id, devices.get(id.toLowerCase()) ?? null, policyName))
        .filter((p): p is string => p !== null);
      if (problems.length > 0) {
        return {
          kind: 'refuse',
          before: { ...gate.before, policyName },
          detail: `not every device belongs in the group (${problems.join('; ')}); nothing written`,
        };
      }
      const members = await (membersRead ?? membership());
      const before = { ...gate.before, members };
      const missing = ids.filter((id) => members[id] !== true);
      if (missing.length === 0)
        return { kind: 'clear', before, detail: 'every device is already a member of the group' };
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
      const items = new Map(
        work.filter((id) => !failed.has(id)).map((id) => [id, results.get(id)?.alreadyDone ?? false]),
      );
      accepted = [...items.keys()];
      const requestId = [...results.values()].map((r) => r.requestId).find((r) => r !== null) ?? null;
      return { requestId, alreadyDone: items.size > 0 && [...items.values()].every(Boolean), items, failed };
    },
    async verify() {
      const state = { members: await membership() };
      return { state, proven: accepted.every((id) => isMember(state, id) === true) };
    },
  };
}
