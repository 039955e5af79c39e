import { CODES } from '../catalog/codes.js';
import type { Decision, Finding } from '../model/index.js';
import { ESCALATION_PREFIX, isNews } from './escalation.js';
import { SYNC_DEFAULTS, type PolicyContext, type PolicySettings } from './types.js';
import { iso } from '../time.js';

// The Autopilot sync must never become a loop. It is tenant-wide and locks the admin's own Sync button for
// 10 minutes each time ("Syncs can only occur once every 10 minutes" — User-driven Microsoft Entra join:
// Register devices as Autopilot devices, section "Register devices as Autopilot devices",
// https://learn.microsoft.com/autopilot/tutorial/user-driven/azure-ad-join-register-device), and a cause it
// cannot fix (an import record of a device since deregistered, a sync that keeps failing, a profile that stays
// out of sync) would otherwise ask for one every poll, all day.
//
// Two caps, both over the 24 h before `now`:
// - per finding (reason): the sync is coalesced and tenant-wide, so EVERY sync the product triggered after the
//   finding was first seen covered it, whichever finding asked. At the cap the finding escalates to a person
//   ("sync did not fix this") instead of asking again.
// - per tenant: at most this many syncs a day whatever the reasons; further reasons wait for the oldest sync
//   to leave the 24 h window.

export const DAY_MS = 24 * 3_600_000;

type Limited = Pick<Decision, 'kind' | 'reason' | 'notBefore'>;

export interface SyncVerdict {
  /** Set when the caps stop this finding from asking for a sync. */
  readonly limited: Limited | null;
  /** For a sync that may go ahead: where it stands against both caps, for the decision's reason. */
  readonly note: string;
  /** Syncs that already covered this finding in the window (the next one would be attempt `covered + 1`). */
  readonly covered: number;
}

function caps(policy: PolicySettings): { perFinding: number; perDay: number } {
  return {
    perFinding: policy.syncMaxPerFindingPerDay ?? SYNC_DEFAULTS.maxPerFindingPerDay,
    perDay: policy.syncMaxPerDay ?? SYNC_DEFAULTS.maxPerDay,
  };
}

/**
 * Profile assignment is run by Intune itself, periodically ("Intune periodically checks for new devices in the
 * assigned device groups" — User-driven Microsoft Entra join: Create and assign user-driven Microsoft Entra
 * join Autopilot profile, section "Verify device has an Autopilot profile assigned to it",
 * https://learn.microsoft.com/autopilot/tutorial/user-driven/azure-ad-join-autopilot-profile); Sync is
 * documented for newly imported devices. So an out-of-sync profile asks for a sync only when the setting
 * allows it, and then under the same caps.
 */
export function profileSyncGate(finding: Finding, policy: PolicySettings): string | null {
  if (finding.code !== CODES.AP_PROFILE_OUT_OF_SYNC) return null;
  if (policy.syncOnProfileOutOfSync ?? SYNC_DEFAULTS.onProfileOutOfSync) return null;
  return 'SYNC_ON_PROFILE_OUT_OF_SYNC is off: Intune assigns Autopilot profiles periodically on its own, and Sync is documented for newly imported devices; alert only';
}

/**
 * The tenant-wide cap alone, over the syncs of the 24 h before `now`: when the next sync is allowed and why, or null
 * when one may go now. The poll applies it when it plans a sync (syncCaps); the worker applies it again before it
 * triggers one, because a sync message proves nothing (a forged or stale one, each with its own key, would otherwise
 * sync once per open 10-minute window).
 */
export function tenantSyncCap(
  syncsLast24h: readonly number[],
  now: number,
  policy: PolicySettings,
): { readonly notBefore: number; readonly reason: string } | null {
  const { perDay } = caps(policy);
  const since = now - DAY_MS;
  const syncs = syncsLast24h.filter((t) => t > since && t <= now).sort((a, b) => a - b);
  if (syncs.length < perDay) return null;
  // The count drops below the cap when enough of the oldest syncs have left the 24 h window.
  const notBefore = (syncs[syncs.length - perDay] ?? now) + DAY_MS;
  return {
    notBefore,
    reason: `tenant-wide sync cap reached: ${syncs.length} Autopilot syncs in the last 24 h (SYNC_MAX_PER_DAY = ${perDay}); next sync allowed at ${iso(notBefore)}`,
  };
}

export function syncCaps(ctx: PolicyContext): SyncVerdict {
  const { perFinding, perDay } = caps(ctx.policy);
  const since = ctx.now - DAY_MS;
  const syncs = (ctx.syncsLast24h ?? []).filter((t) => t > since && t <= ctx.now).sort((a, b) => a - b);
  // A finding not stored yet is new in this run: no sync has covered it.
  const firstSeen = ctx.history.finding?.firstSeenAt ?? ctx.now;
  const covering = syncs.filter((t) => t >= firstSeen);
  const covered = covering.length;

  if (covered >= perFinding) {
    const lastSync = covering[covering.length - 1] ?? ctx.now;
    const base =
      `sync did not fix this: ${covered} Autopilot sync(s) since it was first seen in the last 24 h reached ` +
      `SYNC_MAX_PER_FINDING_PER_DAY = ${perFinding}`;
    // Escalate once: in the first run after the sync that reached the cap. Later runs stay quiet.
    const news = isNews(lastSync, ctx.previousRunAt);
    const nextAllowed = iso((covering[covered - perFinding] ?? ctx.now) + DAY_MS);
    return {
      covered,
      note: '',
      limited: {
        kind: 'alert-only',
        notBefore: null,
        reason: news
          ? `${ESCALATION_PREFIX}${base}; a person needs to look (no further sync for it before ${nextAllowed})`
          : `${base}; already escalated, no further sync for it before ${nextAllowed}; alert only`,
      },
    };
  }
  const capped = tenantSyncCap(syncs, ctx.now, ctx.policy);
  if (capped !== null)
    return { covered, note: '', limited: { kind: 'defer', notBefore: capped.notBefore, reason: capped.reason } };
  return {
    covered,
    limited: null,
    note:
      `sync ${covered + 1} of at most ${perFinding} for this finding in 24 h (SYNC_MAX_PER_FINDING_PER_DAY), ` +
      `${syncs.length + 1} of at most ${perDay} for the tenant (SYNC_MAX_PER_DAY)`,
  };
}
