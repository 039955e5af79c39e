import { actionModule } from '../actions/index.js';
import type { ActionName, Decision, Finding, Mode, RemedyTarget } from '../model/index.js';
import { ESCALATION_PREFIX, isNews } from './escalation.js';
import { resolveFlags } from './evidence.js';
import { syncCaps } from './sync-caps.js';
import type { EvidenceFlags, PolicyContext, PolicySettings, SubjectHistory } from './types.js';

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
  const limit = attemptLimit(ctx.history, ctx.now, ctx.policy);
  if (limit === null) return null;
  if (limit.kind === 'cooldown') return { kind: 'defer', notBefore: limit.notBefore, reason: limit.reason };
  return {
    kind: 'alert-only',
    notBefore: null,
    // Escalated by the first run after the attempt that reached the limit; later runs do not repeat it.
    reason: isNews(limit.lastAttemptAt, ctx.previousRunAt)
      ? `${ESCALATION_PREFIX}${limit.reason}; a person needs to look`
      : `${limit.reason}; already escalated; alert only`,
  };
}

/** Which per-subject limit stops an attempt now. */
export type AttemptLimit =
  | { readonly kind: 'daily'; readonly reason: string; readonly lastAttemptAt: number | null }
  | { readonly kind: 'cooldown'; readonly reason: string; readonly notBefore: number };

/**
 * The per-subject limits alone (MAX_ATTEMPTS_PER_DAY, then the cooldown since the last attempt), or null when an
 * attempt may go now. The poll applies them when it decides (limitGate); the worker applies them again before it
 * writes, because a message proves nothing (a forged or duplicated one under a fresh key would otherwise write however
 * recently or often the subject was written).
 */
export function attemptLimit(history: SubjectHistory, now: number, policy: PolicySettings): AttemptLimit | null {
  const lastTimes = [history.lastAttemptAt, history.finding?.lastAttemptAt ?? null].filter(
    (t): t is number => t !== null,
  );
  const last = lastTimes.length > 0 ? Math.max(...lastTimes) : null;
  if (history.attemptsLast24h >= policy.maxAttemptsPerDay) {
    return {
      kind: 'daily',
      lastAttemptAt: last,
      reason: `${history.attemptsLast24h} attempts in the last 24 h reached the limit of ${policy.maxAttemptsPerDay}`,
    };
  }
  if (last !== null && now < last + policy.cooldownMs) {
    const minutes = Math.ceil((last + policy.cooldownMs - now) / 60_000);
    return {
      kind: 'cooldown',
      notBefore: last + policy.cooldownMs,
      reason: `cooling down after the last attempt; next attempt in ${minutes} min`,
    };
  }
  return null;
}

export function describe(remedy: RemedyTarget): string {
  return actionModule(remedy.action).describe(remedy);
}
