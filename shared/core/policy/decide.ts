import { actionModule } from '../actions/index.js';
import type { ActionName, Decision, Finding, Mode, RemedyTarget } from '../model/index.js';
import { ESCALATION_PREFIX, isNews } from './escalation.js';
import { resolveFlags } from './evidence.js';
import { syncCaps } from './sync-caps.js';
import type { EvidenceFlags, PolicyContext, PolicySettings } from './types.js';

// "Should we act?" in one pure function. Order matters: a disabled action is never gated further; safety
// gates (each action's module in core/actions: allowlist, group shape, Fix pending, unblock evidence, the profile-sync setting) come before the
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
      ? {
          ...base,
          kind: 'skip',
          action: null,
          mode: 'off',
          reason: 'informational finding with no automatic remediation',
        }
      : {
          ...base,
          kind: 'alert-only',
          action: null,
          mode: 'off',
          reason: 'detect-and-alert: no automatic remediation exists for this problem',
        };
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

function safetyGate(finding: Finding, remedy: RemedyTarget, flags: EvidenceFlags, ctx: PolicyContext): string | null {
  return actionModule(remedy.action).safetyGate(finding, remedy, flags, ctx);
}

function limitGate(ctx: PolicyContext): Pick<Decision, 'kind' | 'reason' | 'notBefore'> | null {
  const { history, policy, now } = ctx;
  const lastTimes = [history.lastAttemptAt, history.finding?.lastAttemptAt ?? null].filter(
    (t): t is number => t !== null,
  );
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
    return {
      kind: 'defer',
      notBefore: last + policy.cooldownMs,
      reason: `cooling down after the last attempt; next attempt in ${minutes} min`,
    };
  }
  return null;
}

export function describe(remedy: RemedyTarget): string {
  return actionModule(remedy.action).describe(remedy);
}
