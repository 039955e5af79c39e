/**
 * The Autopilot service sync (windowsAutopilotSettings + /sync) as a small state machine on the
 * simulator clock. State advances lazily: every request first calls `tick`, which completes a sync
 * whose duration has elapsed and reports when it was triggered, so pending imports can appear.
 */
import type { AutopilotSettings } from '../model/schemas.js';

/** Graph refuses a manual sync within 10 minutes of the previous one. */
export const SYNC_WINDOW_MS = 10 * 60_000;

export type SyncAttempt = { kind: 'started' } | { kind: 'inProgress' } | { kind: 'tooSoon'; retryAfterSeconds: number };

export class AutopilotSync {
  private running: { triggeredAt: number; endsAt: number } | null = null;
  /** Outcome of the syncs that finish from now on (a scenario can make them fail). */
  nextOutcome: 'completed' | 'failed' = 'completed';

  constructor(
    public settings: AutopilotSettings,
    public durationMs: number,
  ) {
    this.replace(settings);
  }

  /** Complete a due sync. Returns the trigger time of a sync that completed successfully, else null. */
  tick(now: number): number | null {
    const r = this.running;
    if (!r || now < r.endsAt) return null;
    this.running = null;
    const ok = this.nextOutcome === 'completed';
    this.settings = {
      ...this.settings,
      syncStatus: ok ? 'completed' : 'failed',
      lastSyncDateTime: ok ? new Date(r.endsAt).toISOString() : this.settings.lastSyncDateTime,
    };
    return ok ? r.triggeredAt : null;
  }

  trigger(now: number): SyncAttempt {
    if (this.running) return { kind: 'inProgress' };
    const last = Date.parse(this.settings.lastManualSyncTriggerDateTime);
    if (!Number.isNaN(last) && now < last + SYNC_WINDOW_MS) {
      return { kind: 'tooSoon', retryAfterSeconds: Math.max(1, Math.ceil((last + SYNC_WINDOW_MS - now) / 1000)) };
    }
    this.running = { triggeredAt: now, endsAt: now + this.durationMs };
    this.settings = {
      ...this.settings,
      syncStatus: 'inProgress',
      lastManualSyncTriggerDateTime: new Date(now).toISOString(),
    };
    return { kind: 'started' };
  }

  /** Replace the settings (scenario patch); an `inProgress` status restarts the timer from its trigger time. */
  replace(settings: AutopilotSettings): void {
    this.settings = settings;
    this.running = null;
    if (settings.syncStatus === 'inProgress') {
      const t = Date.parse(settings.lastManualSyncTriggerDateTime);
      const start = Number.isNaN(t) ? 0 : t;
      this.running = { triggeredAt: start, endsAt: start + this.durationMs };
    }
  }
}
