import type { ActionName, Decision, Finding, Mode, RemedyTarget } from '../model/index.js';
import { ESCALATION_PREFIX, isNews } from './escalation.js';
import { resolveFlags } from './evidence.js';
import { groupShapeProblem } from './group-shape.js';
import { profileSyncGate, syncCaps } from './sync-caps.js';
import type { EvidenceFlags, PolicyContext, PolicySettings } from './types.js';
import { unblockGate } from './unblock-gate.js';

// "Should we act?" in one pure function. Order matters: a disabled action is never gated further; safety
// gates (allowlist, group shape, Fix pending, unblock evidence, the profile-sync setting) come before the
// limits, so an unsafe write is reported as such rather than as "cooling down". The tenant-wide sync has its
// own caps (sync-caps.ts) instead of the per-device limits.

export function modeFor(action: ActionName, policy: PolicySettings): Mode {
  if (!policy.enabledActions.includes(action)) return 'off';
  return policy.actionModes[action] ?? policy.defaultMode;
}

export function decide(finding: Finding, ctx: PolicyContext): Decision {
  const base = { finding, remedy: finding.remedy, notBefore: null, attempt: nextAttempt(ctx) };
  const remedy = finding.remedy;
  if (remedy === null) {
    return finding.severity === 'info'
      ? { ...base, kind: 'skip', action: null, mode: 'off', reason: 'informational finding with no automatic remediation' }
      : { ...base, kind: 'alert-only', action: null, mode: 'off', reason: 'detect-and-alert: no automatic remediation exists for this problem' };
  }
  const action = remedy.action;
  const mode = modeFor(action, ctx.policy);
  if (mode === 'off') {
    const reason = `remediation ${action} is off in the policy`;
    return finding.severity === 'info'
      ? { ...base, kind: 'skip', action, mode, reason: `${reason}; informational finding` }
      : { ...base, kind: 'alert-only', action, mode, reason: `${reason}; alert only` };
  }
  const unsafe = safetyGate(finding, remedy, resolveFlags(finding.evidence, ctx.evidence), ctx);
  if (unsafe !== null) return { ...base, kind: 'alert-only', action, mode, reason: unsafe };
  const verb = mode === 'plan' ? 'plan only: would' : 'will';

  if (remedy.action === 'autopilot-sync') {
    // Tenant-wide and coalesced: the attempt is the sync's number for this finding, counted by the caps.
    const caps = syncCaps(ctx);
    const synced = { ...base, attempt: caps.covered + 1, action, mode };
    if (caps.limited !== null) return { ...synced, ...caps.limited };
    return { ...synced, kind: 'remediate', reason: `${verb} ${describe(remedy)} (${caps.note})` };
  }
  const limited = limitGate(ctx);
  if (limited !== null) return { ...base, action, mode, ...limited };
  return { ...base, kind: 'remediate', action, mode, reason: `${verb} ${describe(remedy)} (attempt ${base.attempt})` };
}

function nextAttempt(ctx: PolicyContext): number {
  return Math.max(ctx.history.attemptsLast24h, ctx.history.finding?.attempts ?? 0) + 1;
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function safetyGate(finding: Finding, remedy: RemedyTarget, flags: EvidenceFlags, ctx: PolicyContext): string | null {
  switch (remedy.action) {
    case 'autopilot-sync':
      return profileSyncGate(finding, ctx.policy);
    case 'allow-next-enrollment':
      return unblockGate(remedy, flags, ctx.policy, ctx.history.lastUnblockAt ?? null);
    case 'add-to-device-prep-group':
    case 'restore-device-prep-owner':
      return groupGate(remedy.groupId, flags, ctx.allowedGroupIds);
  }
}

function groupGate(groupId: string, flags: EvidenceFlags, allowed: readonly string[]): string | null {
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

function limitGate(ctx: PolicyContext): Pick<Decision, 'kind' | 'reason' | 'notBefore'> | null {
  const { history, policy, now } = ctx;
  const lastTimes = [history.lastAttemptAt, history.finding?.lastAttemptAt ?? null].filter((t): t is number => t !== null);
  const last = lastTimes.length > 0 ? Math.max(...lastTimes) : null;
  if (history.attemptsLast24h >= policy.maxAttemptsPerDay) {
    const reached = `${history.attemptsLast24h} attempts in the last 24 h reached the limit of ${policy.maxAttemptsPerDay}`;
    return {
      kind: 'alert-only',
      notBefore: null,
      // Escalated by the first run after the attempt that reached the limit; later runs do not repeat it.
      reason: isNews(last, ctx.previousRunAt)
        ? `${ESCALATION_PREFIX}${reached}; a person needs to look`
        : `${reached}; already escalated; alert only`,
    };
  }
  if (last !== null && now < last + policy.cooldownMs) {
    const minutes = Math.ceil((last + policy.cooldownMs - now) / 60_000);
    return { kind: 'defer', notBefore: last + policy.cooldownMs, reason: `cooling down after the last attempt; next attempt in ${minutes} min` };
  }
  return null;
}

export function describe(remedy: RemedyTarget): string {
  switch (remedy.action) {
    case 'autopilot-sync':
      return 'trigger the Autopilot service sync';
    case 'allow-next-enrollment':
      return `unblock the next enrollment of device ${remedy.serialNumber}`;
    case 'add-to-device-prep-group':
      return `add device ${remedy.serialNumber ?? remedy.objectId} to device-preparation group ${remedy.groupId}`;
    case 'restore-device-prep-owner':
      return `restore the Intune Provisioning Client as owner of group ${remedy.groupId}`;
  }
}
