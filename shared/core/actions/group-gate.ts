import { groupShapeProblem } from '../policy/group-shape.js';
import type { EvidenceFlags } from '../policy/types.js';

// The safety gate of every action that writes a device-preparation group: the allowlist, the policy's own
// target, and the group's shape (the one rule, policy/group-shape.ts, which the worker applies again before writing).

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function groupGate(groupId: string, flags: EvidenceFlags, allowed: readonly string[]): string | null {
  if (!allowed.some((g) => sameId(g, groupId))) {
    return `group ${groupId} is not a configured device-preparation group and is never written; alert only`;
  }
  // The device preparation policy must itself name the group (policy-target.ts): a group it does not provably
  // write to is never written, whatever DEVICE_PREP_GROUPS says.
  if (flags.policyTargetProven === false) {
    return `the device preparation policy does not provably put devices in group ${groupId}, so it is not written; alert only`;
  }
  const g = flags.group;
  if (g === null) return null;
  if (!g.exists) {
    return `group ${groupId} no longer exists: a person must create an assigned security group, make the Intune Provisioning Client its owner and re-point the policy`;
  }
  const problem = groupShapeProblem(groupId, g);
  return problem === null ? null : `${problem}, so it is not written; alert only`;
}
