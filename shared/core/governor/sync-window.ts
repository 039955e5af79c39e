import type { SyncStatus } from '../model/index.js';

// The Autopilot service sync may run once per 10 minutes per TENANT, a window shared with admins pressing
// "Sync" in the portal and with other tools. So the window opens at the later of the service's own
// lastManualSyncTriggerDateTime and our last trigger, plus 10 minutes, plus a small safety margin for clock
// skew between us and the service. A running sync (409 territory) is never interrupted.

export const SYNC_INTERVAL_MS = 10 * 60_000;

export interface GovernorSettings {
  /** Added to every window opening (clock skew). Default 15 s. */
  readonly safetyMarginMs: number;
  /** How long to wait when the service says a sync is running. Default 2 min. */
  readonly inProgressDeferMs: number;
  /** How long one instance may hold the right to call before another may take it. Default 2 min. */
  readonly holdMs: number;
  readonly intervalMs: number;
}

export const DEFAULT_GOVERNOR_SETTINGS: GovernorSettings = {
  safetyMarginMs: 15_000,
  inProgressDeferMs: 2 * 60_000,
  holdMs: 2 * 60_000,
  intervalMs: SYNC_INTERVAL_MS,
};

/** The service's view (windowsAutopilotSettings), in epoch ms. */
export interface ServiceSyncView {
  readonly lastManualSyncTriggerAt: number | null;
  readonly syncStatus: SyncStatus;
}

/** Our governor row's view (structurally a subset of the port's GovernorState). */
export interface GovernorView {
  readonly lastTriggeredAt: number | null;
  readonly nextAllowedAt: number | null;
  readonly holder: string | null;
  readonly holderUntil: number | null;
}

export type SyncVerdict =
  { readonly kind: 'call' } | { readonly kind: 'defer'; readonly until: number; readonly reason: string };

/** When the next sync may be called, from both views; null when nothing has ever triggered one. */
export function windowOpensAt(
  service: ServiceSyncView,
  governor: GovernorView,
  settings: GovernorSettings,
): number | null {
  const triggers = [service.lastManualSyncTriggerAt, governor.lastTriggeredAt].filter((t): t is number => t !== null);
  const fromTrigger =
    triggers.length > 0 ? Math.max(...triggers) + settings.intervalMs + settings.safetyMarginMs : null;
  const candidates = [fromTrigger, governor.nextAllowedAt].filter((t): t is number => t !== null);
  return candidates.length > 0 ? Math.max(...candidates) : null;
}

/** `self` is the deciding instance: its own unexpired hold does not block it. */
export function decideSync(
  now: number,
  settings: GovernorSettings,
  service: ServiceSyncView,
  governor: GovernorView,
  self: string,
): SyncVerdict {
  const opens = windowOpensAt(service, governor, settings);
  if (service.syncStatus === 'inProgress') {
    const until = Math.max(now + settings.inProgressDeferMs, opens ?? 0);
    return { kind: 'defer', until, reason: 'an Autopilot sync is already running' };
  }
  if (
    governor.holder !== null &&
    governor.holder !== self &&
    governor.holderUntil !== null &&
    governor.holderUntil > now
  ) {
    return {
      kind: 'defer',
      until: Math.max(governor.holderUntil, opens ?? 0),
      reason: `another instance (${governor.holder}) holds the sync window`,
    };
  }
  if (opens !== null && now < opens) {
    return {
      kind: 'defer',
      until: opens,
      reason: `the 10-minute sync window opens at ${new Date(opens).toISOString()}`,
    };
  }
  return { kind: 'call' };
}

/** After the service refused (409 running, 429 too soon): when to try again. Never an immediate retry. */
export function deferAfterRefusal(
  now: number,
  settings: GovernorSettings,
  refusal: { readonly kind: 'in-progress' } | { readonly kind: 'too-soon'; readonly retryAfterMs: number | null },
): number {
  if (refusal.kind === 'in-progress') return now + settings.inProgressDeferMs;
  // 429 means someone synced inside the last 10 minutes; without a Retry-After assume it was just now.
  const wait = refusal.retryAfterMs !== null && refusal.retryAfterMs > 0 ? refusal.retryAfterMs : settings.intervalMs;
  return now + wait + settings.safetyMarginMs;
}

/** The governor row after a successful (204) trigger at `now`. */
export function afterTrigger(
  now: number,
  settings: GovernorSettings,
): { lastTriggeredAt: number; nextAllowedAt: number } {
  return { lastTriggeredAt: now, nextAllowedAt: now + settings.intervalMs + settings.safetyMarginMs };
}
