import type { Mode } from '../model/index.js';
import { memberBatchKey } from '../policy/keys.js';
import { groupGate } from './group-gate.js';
import { DEVICE_LIMITS, GROUP_SHAPE, POLICY_TARGET } from './rule-text.js';
import { duplicateIdProblems, guidProblem, idKey, serialProblem } from './target-checks.js';
import type { RemediationCommand } from '../model/index.js';
import type { ActingOf, ActionModule } from './types.js';

// Add devices to their device-preparation group (PATCH groups/{g} with members@odata.bind), batched per group
// and mode: at most 20 members per request, the limit Microsoft documents for members@odata.bind ("Add members",
// https://learn.microsoft.com/graph/api/group-post-members).

export const MAX_MEMBERS_PER_COMMAND = 20;

export const addToDevicePrepGroup: ActionModule<'add-to-device-prep-group'> = {
  name: 'add-to-device-prep-group',
  enabledByDefault: true,
  subjectKind: 'device',
  fleet: 'device-preparation',
  rule: {
    call: '`PATCH /v1.0/groups/{g}` with `members@odata.bind` (≤ 20 per call)',
    gates: [
      GROUP_SHAPE,
      POLICY_TARGET,
      "the device belongs: its Entra device's `enrollmentProfileName` is the group's device preparation policy; added by Entra object id, never the `deviceId` GUID",
    ],
    caps: [DEVICE_LIMITS],
  },
  describe: (r) => `add device ${r.serialNumber ?? r.objectId} to device-preparation group ${r.groupId}`,
  blastTarget: (r) => `device|${(r.serialNumber ?? r.objectId).toLowerCase()}`,
  safetyGate: (_finding, remedy, flags, ctx) => groupGate(remedy.groupId, flags, ctx.allowedGroupIds),
  commands: (acting, { tenant, make }) => {
    type Member = { d: ActingOf<'add-to-device-prep-group'>; objectId: string; serialNumber: string | null };
    const groups = new Map<string, { groupId: string; mode: Mode; members: Map<string, Member> }>();
    for (const d of acting) {
      const r = d.remedy;
      const gk = `${r.groupId.toLowerCase()}|${d.mode}`;
      const g = groups.get(gk) ?? { groupId: r.groupId, mode: d.mode, members: new Map<string, Member>() };
      groups.set(gk, g);
      if (!g.members.has(r.objectId.toLowerCase()))
        g.members.set(r.objectId.toLowerCase(), { d, objectId: r.objectId, serialNumber: r.serialNumber });
    }
    const out: RemediationCommand[] = [];
    for (const g of groups.values()) {
      const members = [...g.members.values()].sort((a, b) =>
        a.objectId.toLowerCase() < b.objectId.toLowerCase() ? -1 : 1,
      );
      for (let i = 0; i < members.length; i += MAX_MEMBERS_PER_COMMAND) {
        const chunk = members.slice(i, i + MAX_MEMBERS_PER_COMMAND);
        const key = memberBatchKey(
          tenant,
          g.groupId,
          chunk.map((m) => ({ objectId: m.objectId, fingerprint: m.d.finding.fingerprint, attempt: m.d.attempt })),
        );
        const target = {
          action: 'add-to-device-prep-group' as const,
          groupId: g.groupId,
          members: chunk.map((m) => ({ objectId: m.objectId, serialNumber: m.serialNumber })),
        };
        out.push(
          make(
            target,
            g.mode,
            key,
            chunk.map((m) => m.d.finding.fingerprint),
          ),
        );
      }
    }
    return out;
  },
  subjectKeys: (t) => t.members.map((m) => idKey(m.objectId)),
  targetProblems: (t) => {
    const problems = guidProblem('target.groupId', t.groupId);
    // The type says array; a hand-made message in the in-process queue is not type-checked.
    if (!(t.members instanceof Array) || t.members.length === 0 || t.members.length > MAX_MEMBERS_PER_COMMAND) {
      return [...problems, `target.members (1-${MAX_MEMBERS_PER_COMMAND} members)`];
    }
    return [
      ...problems,
      ...t.members.flatMap((m, i) => [
        ...guidProblem(`target.members[${i}].objectId`, m.objectId),
        ...serialProblem(`target.members[${i}].serialNumber`, m.serialNumber, true),
      ]),
      ...duplicateIdProblems(
        (i) => `target.members[${i}].objectId`,
        t.members.map((m) => m.objectId),
      ),
    ];
  },
};
