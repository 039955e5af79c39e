import { alertEventId, shouldRoute } from '../../core/alerts/index.js';
import type { Alert, Severity } from '../../core/model/index.js';
import type {
  AlertSink,
  AlertStateStore,
  Clock,
  DeliveryResult,
  HistoryRecord,
  HistoryStore,
  Json,
  Logger,
  Page,
} from '../../ports/index.js';

export interface AlertChannel {
  readonly sink: AlertSink;
  readonly minSeverity: Severity;
}

export interface AlertDispatcherDeps {
  readonly channels: readonly AlertChannel[];
  /** The alerts table: dedupe state survives restarts and is shared by every instance. */
  readonly alertState: AlertStateStore;
  readonly history: HistoryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** One alert per dedupe key per channel per window (ALERT_COOLDOWN_HOURS). */
  readonly cooldownMs: number;
  /** A failed (or crashed) delivery may be retried this long after it was attempted; default 15 min, at most the cooldown. */
  readonly retryFailedAfterMs?: number;
  /** The tenant's display name (many tenants): every alert this dispatcher sends carries it. */
  readonly tenantName?: string;
  /** Waits between attempts to record a delivery's result (default: a real timer). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Backoff before the 2nd and 3rd attempt to record a result: a busy table usually answers again within a second. */
const RECORD_RETRY_MS = [100, 400] as const;
/** Pages of a subject's delivered alert history read to tell an accepted send from a crashed one. */
const HISTORY_PAGES = 4;

export type DispatchOutcome = 'delivered' | 'failed' | 'suppressed' | 'below-min-severity';

export interface DispatchEntry {
  readonly channel: string;
  readonly dedupeKey: string;
  readonly outcome: DispatchOutcome;
  readonly status: string;
}

export interface DispatchReport {
  readonly entries: readonly DispatchEntry[];
  readonly delivered: number;
  readonly failed: number;
  readonly suppressed: number;
}

/**
 * Fans alerts out to the configured channels with severity routing and de-duplication, and records every
 * delivery attempt in history. It never throws and a dead receiver only costs the sink's bounded retries, so
 * callers may simply await it. Also an AlertSink itself, so the remediation worker can use it as its one sink.
 */
export class AlertDispatcher implements AlertSink {
  readonly channel = 'dispatcher';

  constructor(private readonly deps: AlertDispatcherDeps) {}

  async dispatch(alerts: readonly Alert[], options: { readonly runId?: string } = {}): Promise<DispatchReport> {
    const runId = options.runId ?? 'alerting';
    const name = this.deps.tenantName;
    if (name !== undefined) alerts = alerts.map((a) => ({ ...a, tenantName: name }));
    // Channels are independent receivers: a slow Teams must not delay the webhook. Within a channel, alerts
    // go in order (an opening before its resolution).
    const perChannel = await Promise.all(
      this.deps.channels.map(async (ch) => {
        const out: DispatchEntry[] = [];
        for (const alert of alerts) out.push(await this.dispatchOne(ch, alert, runId));
        return out;
      }),
    );
    const entries = perChannel.flat();
    const count = (o: DispatchOutcome) => entries.filter((e) => e.outcome === o).length;
    const report = { entries, delivered: count('delivered'), failed: count('failed'), suppressed: count('suppressed') };
    this.deps.logger.info('alert.dispatch.done', {
      runId,
      alerts: alerts.length,
      delivered: report.delivered,
      failed: report.failed,
      suppressed: report.suppressed,
    });
    return report;
  }

  /** AlertSink view: "delivered" unless a channel that should have taken the alert failed to. */
  async send(alert: Alert): Promise<DeliveryResult> {
    const report = await this.dispatch([alert]);
    const status = report.entries
      .map((e) => `${e.channel}=${e.outcome === 'delivered' || e.outcome === 'failed' ? e.status : e.outcome}`)
      .join(',');
    return { channel: this.channel, delivered: report.failed === 0, status: status || 'no-channels' };
  }

  private async dispatchOne(ch: AlertChannel, alert: Alert, runId: string): Promise<DispatchEntry> {
    const channel = ch.sink.channel;
    const base = { channel, dedupeKey: alert.dedupeKey };
    try {
      if (!shouldRoute(alert, ch.minSeverity))
        return { ...base, outcome: 'below-min-severity', status: ch.minSeverity };
      const now = this.deps.clock.now();
      const windowOpenedAt = await this.acquire(channel, alert, now);
      if (windowOpenedAt === null) {
        this.deps.logger.debug('alert.dispatch.suppressed', { channel, dedupeKey: alert.dedupeKey, kind: alert.kind });
        return { ...base, outcome: 'suppressed', status: 'within-cooldown' };
      }
      // A re-send in the same window is the same message (Standard Webhooks: same webhook-id), although the
      // poll that rebuilt the alert gave it a new `at`.
      const eventId = alertEventId(alert, windowOpenedAt);
      const result = await this.deliver(ch.sink, alert, eventId);
      await this.settle(channel, alert, result, now, runId, eventId);
      return { ...base, outcome: result.delivered ? 'delivered' : 'failed', status: result.status };
    } catch (err) {
      // Only a store failure gets here (deliver() absorbs sink errors); the alert is reported, not lost silently.
      this.deps.logger.error('alert.dispatch.error', { channel, dedupeKey: alert.dedupeKey, error: errorName(err) });
      return { ...base, outcome: 'failed', status: 'dispatch-error' };
    }
  }

  /**
   * One send per key per cooldown window, atomically across instances. A window whose send failed (or whose
   * sender crashed: the row still says 'sending') is reopened after `retryFailedAfterMs`, by acquiring with a
   * window that starts just after that attempt — so of several instances only one wins the retry.
   * Returns when the window opened (the retry keeps its window's opening), or null when the key is not ours.
   */
  private async acquire(channel: string, alert: Alert, now: number): Promise<number | null> {
    const { alertState, cooldownMs } = this.deps;
    const { dedupeKey } = alert;
    if (await alertState.tryAcquire(channel, dedupeKey, now, now - cooldownMs)) return now;
    const prev = await alertState.get(channel, dedupeKey);
    const retryAfter = Math.min(this.deps.retryFailedAfterMs ?? 15 * 60_000, cooldownMs);
    if (!prev || prev.lastStatus.startsWith('delivered') || now - prev.lastSentAt < retryAfter) return null;
    // Rows from before windowOpenedAt was recorded: the last attempt is the best known opening.
    const opened = prev.windowOpenedAt ?? prev.lastSentAt;
    // A row still 'sending' (no recorded failure) is either a crash mid-send or an accepted send whose result
    // could not be written: history tells them apart, and an accepted alert must not go out twice in its window.
    if (!prev.lastStatus.startsWith('failed') && (await this.deliveredInWindow(channel, alert, opened))) return null;
    return (await alertState.tryAcquire(channel, dedupeKey, now, prev.lastSentAt + 1, opened)) ? opened : null;
  }

  /**
   * Whether history holds a delivered attempt of this alert on this channel since its window opened. If history
   * cannot be read we do not know, and an alert must not be lost: answer false, so the window is retried (with
   * the same event id, which the receiver can de-duplicate).
   */
  private async deliveredInWindow(channel: string, alert: Alert, opened: number): Promise<boolean> {
    try {
      let continuationToken: string | null = null;
      for (let page = 0; page < HISTORY_PAGES; page += 1) {
        const res: Page<HistoryRecord> = await this.deps.history.query({
          subjectKey: historySubject(alert),
          type: 'alert',
          status: 'delivered',
          since: opened,
          limit: 100,
          continuationToken,
        });
        const hit = res.items.find(
          (r) => r.idempotencyKey === alert.dedupeKey && jsonField(r.after, 'channel') === channel,
        );
        if (hit) {
          this.deps.logger.info('alert.dispatch.state-recovered', { channel, dedupeKey: alert.dedupeKey });
          // Best effort: mend the row so later polls need not ask history again.
          const status = jsonField(hit.after, 'status');
          await this.deps.alertState
            .recordResult(channel, alert.dedupeKey, `delivered:${typeof status === 'string' ? status : 'recorded'}`)
            .catch(() => undefined);
          return true;
        }
        continuationToken = res.continuationToken;
        if (!continuationToken) break;
      }
      return false;
    } catch (err) {
      this.deps.logger.warn('alert.dispatch.history-unreadable', {
        channel,
        dedupeKey: alert.dedupeKey,
        error: errorName(err),
      });
      return false;
    }
  }

  private async deliver(sink: AlertSink, alert: Alert, eventId: string): Promise<DeliveryResult> {
    try {
      return await sink.send(alert, { eventId });
    } catch (err) {
      // The AlertSink contract says never throw; a sink that does still must not break the run.
      return { channel: sink.channel, delivered: false, status: 'sink-threw', detail: errorName(err) };
    }
  }

  private async settle(
    channel: string,
    alert: Alert,
    result: DeliveryResult,
    now: number,
    runId: string,
    eventId: string,
  ): Promise<void> {
    const state = `${result.delivered ? 'delivered' : 'failed'}:${result.status}`;
    await this.recordResult(channel, alert.dedupeKey, state);
    await this.deps.history
      .append([historyRecord(channel, alert, result, now, runId, eventId)])
      .catch((err: unknown) => {
        this.deps.logger.warn('alert.dispatch.history-not-recorded', {
          channel,
          dedupeKey: alert.dedupeKey,
          error: errorName(err),
        });
      });
  }

  /**
   * A row left at 'sending' reads as a crashed send and is sent again after retryFailedAfterMs, so a result that
   * fails to record is retried briefly (bounded); if it still fails, acquire() asks history before a re-send.
   */
  private async recordResult(channel: string, dedupeKey: string, state: string): Promise<void> {
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.deps.alertState.recordResult(channel, dedupeKey, state);
        return;
      } catch (err) {
        const backoff = RECORD_RETRY_MS[attempt];
        if (backoff === undefined) {
          this.deps.logger.warn('alert.dispatch.state-not-recorded', {
            channel,
            dedupeKey,
            attempts: attempt + 1,
            error: errorName(err),
          });
          return;
        }
        await sleep(backoff);
      }
    }
  }
}

function historyRecord(
  channel: string,
  alert: Alert,
  result: DeliveryResult,
  now: number,
  runId: string,
  eventId: string,
): HistoryRecord {
  const only = alert.items.length === 1 ? alert.items[0] : undefined;
  return {
    subjectKey: historySubject(alert),
    at: now,
    // One row per attempt: a failed send and its re-send share the event id, but not the alert's own instant.
    id: `alert:${channel}:${alertEventId(alert)}`,
    runId,
    type: 'alert',
    action: null,
    code: only?.code ?? null,
    idempotencyKey: alert.dedupeKey,
    mode: null,
    status: result.delivered ? 'delivered' : 'failed',
    reason: `${alert.kind} via ${channel}: ${result.status}`,
    attempt: result.attempts ?? 1,
    graphRequestId: null,
    before: null,
    after: {
      channel,
      kind: alert.kind,
      severity: alert.severity,
      title: alert.title,
      eventId,
      status: result.status,
      // What the receiver answered: a Workflows 202 proves acceptance, not posting, so keep its words.
      detail: result.detail ?? null,
      items: alert.items.length,
    },
  };
}

/** A single-subject alert shows in that device's (or group's) history; digests and run-level alerts in the tenant's. */
function historySubject(alert: Alert): string {
  const only = alert.items.length === 1 ? alert.items[0] : undefined;
  return only?.subject.key ?? 'tenant';
}

function jsonField(value: Json, name: string): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value[name] : undefined;
}

/** Error class and code only: store and sink messages can quote URLs or keys. */
function errorName(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const code = 'code' in err ? err.code : undefined;
  return typeof code === 'string' || typeof code === 'number' ? `${err.name}:${code}` : err.name;
}
