import { groupShapeProblem, policyTargetProblem } from '../../../core/policy/index.js';
import { readPolicyTarget } from '../../poll/read-policy-target.js';
import type { RemediationDeps } from '../deps.js';
import { isTransient } from '../lifecycle.js';

// Helpers every group-writing handler shares: id comparison, quoting tenant text, and the group gate.

export const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
/** Tenant strings go into details quoted and cut short: they are attacker-chosen. */
export const quoted = (s: string | null): string =>
  s === null ? 'none' : JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
export const DIRECTORY_OBJECT = 'https://graph.microsoft.com/v1.0/directoryObjects/';

type GateResult =
  | { readonly ok: false; readonly before: Record<string, unknown>; readonly problem: string }
  | { readonly ok: true; readonly before: Record<string, unknown>; readonly policyName: string };

/**
 * The group must be configured (DEVICE_PREP_GROUPS), still have a shape device preparation can use, and be the
 * group the device preparation policy itself writes to at enrollment — read fresh here, whatever the message or the
 * poll's snapshot said (policy-target.ts has the rule and its sources).
 */
export async function groupGate(groupId: string, deps: RemediationDeps): Promise<GateResult> {
  const rule = deps.devicePrepGroups.find((g) => same(g.groupId, groupId));
  if (rule === undefined)
    return {
      ok: false,
      before: { groupId },
      problem: `group ${groupId} is not in the configured device-preparation allowlist; not written`,
    };
  // A throttled or failing read is retried with the command; any other failure leaves the target unproven.
  const [g, target] = await Promise.all([
    deps.directory.getGroup(groupId),
    readPolicyTarget(deps.autopilot, rule.policyId, {}, isTransient),
  ]);
  const policy = {
    policyId: rule.policyId ?? null,
    policyTargetIds:
      target.kind === 'read'
        ? target.targets
            .map((t) => t.targetId ?? '')
            .join(', ')
            .slice(0, 300)
        : null,
  };
  if (g === null)
    return {
      ok: false,
      before: { groupId, exists: false, ...policy },
      problem: `group ${groupId} no longer exists; a person must recreate it`,
    };
  const before = {
    groupId,
    securityEnabled: g.securityEnabled,
    isDynamic: g.isDynamic,
    isAssignableToRole: g.isAssignableToRole,
    ...policy,
  };
  const problem = groupShapeProblem(groupId, g) ?? policyTargetProblem(groupId, target);
  return problem === null
    ? { ok: true, before, policyName: rule.policyName }
    : { ok: false, before, problem: `${problem}; not written` };
}
