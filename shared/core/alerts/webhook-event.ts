import type { Alert, AlertItem, AlertKind, Severity } from '../model/index.js';
import { stableHash } from '../hash.js';
import { isoMillis } from './text.js';

// The generic webhook contract (versioned, like Autopilot Monitor's). Receivers switch on `eventType` and must
// ignore fields they do not know; a breaking change bumps `schemaVersion`.

export const WEBHOOK_SCHEMA_VERSION = 1;

/** A 5 000-finding compliance digest would be ~3 MB; receivers get the first items and the full count. */
export const WEBHOOK_MAX_ITEMS = 500;

export type WebhookEventType =
  | 'finding.opened'
  | 'finding.resolved'
  | 'remediation.failed'
  | 'remediation.escalated'
  | 'run.digest'
  | 'run.outcomes'
  | 'safety.blast-radius'
  | 'report.published'
  | 'approval.requested';

const EVENT_TYPE: Readonly<Record<AlertKind, WebhookEventType>> = {
  finding: 'finding.opened',
  resolved: 'finding.resolved',
  'remediation-failed': 'remediation.failed',
  escalation: 'remediation.escalated',
  digest: 'run.digest',
  outcomes: 'run.outcomes',
  'blast-radius': 'safety.blast-radius',
  report: 'report.published',
  'approval-requested': 'approval.requested',
};

/** Items go out as the core builds them; new fields are additive (receivers ignore what they do not know). */
export type WebhookItem = AlertItem;

export interface WebhookEvent {
  readonly schemaVersion: typeof WEBHOOK_SCHEMA_VERSION;
  readonly eventType: WebhookEventType;
  readonly severity: Severity;
  readonly tenant: string;
  /** The tenant's display name, when the deployment serves many tenants (additive: absent for one tenant). */
  readonly tenantName?: string;
  /** ISO 8601 UTC. */
  readonly time: string;
  /** Stable per alert: a retried delivery carries the same id, so receivers can drop duplicates. */
  readonly id: string;
  readonly data: {
    readonly title: string;
    readonly summary: string;
    readonly dedupeKey: string;
    readonly facts: Alert['facts'];
    /** All items the alert has; `items` holds at most WEBHOOK_MAX_ITEMS of them, most severe first for digests. */
    readonly itemCount: number;
    readonly itemsOmitted: number;
    readonly items: readonly WebhookItem[];
    /** approval.requested: the request and its review page (`url` null when no link can be issued). */
    readonly review?: { readonly approvalId: string; readonly url: string | null; readonly expiresAt: string };
  };
}

export function webhookEventType(kind: AlertKind): WebhookEventType {
  return EVENT_TYPE[kind];
}

/**
 * Deterministic id of one message: (kind, tenant, key, instant). The dispatcher passes the instant its cooldown
 * window for the key opened, because a failed send is re-sent from a later poll that rebuilt the alert with a new
 * `at`, and Standard Webhooks requires a re-send to keep its id so receivers can drop the duplicate. Without a
 * window (a sink used directly) the alert's own instant is the message.
 */
export function alertEventId(
  alert: Pick<Alert, 'kind' | 'tenant' | 'dedupeKey' | 'at'>,
  windowOpenedAt: number = alert.at,
): string {
  return `evt_${stableHash({ kind: alert.kind, tenant: alert.tenant, dedupeKey: alert.dedupeKey, at: windowOpenedAt }, 24)}`;
}

export function buildWebhookEvent(alert: Alert, eventId: string = alertEventId(alert)): WebhookEvent {
  return {
    schemaVersion: WEBHOOK_SCHEMA_VERSION,
    eventType: webhookEventType(alert.kind),
    severity: alert.severity,
    tenant: alert.tenant,
    ...(alert.tenantName === undefined ? {} : { tenantName: alert.tenantName }),
    time: isoMillis(alert.at),
    id: eventId,
    data: {
      title: alert.title,
      summary: alert.summary,
      dedupeKey: alert.dedupeKey,
      facts: alert.facts,
      itemCount: alert.items.length,
      itemsOmitted: Math.max(0, alert.items.length - WEBHOOK_MAX_ITEMS),
      items: alert.items.slice(0, WEBHOOK_MAX_ITEMS),
      ...(alert.review
        ? {
            review: {
              approvalId: alert.review.approvalId,
              url: alert.review.url,
              expiresAt: isoMillis(alert.review.expiresAt),
            },
          }
        : {}),
    },
  };
}
