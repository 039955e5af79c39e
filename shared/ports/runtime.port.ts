import type { Alert, RemediationCommand, TenantRunRequest } from '../core/model/index.js';

export interface Clock {
  now(): number;
}

export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Structured logger: event name + fields. Never pass tokens, secrets or webhook URLs. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface RemediationQueue {
  /** messageId = command.idempotencyKey. `notBefore` (epoch ms) schedules delivery. */
  send(command: RemediationCommand, notBefore?: number | null): Promise<void>;
}

/** Where the timers of a many-tenant deployment put one request per tenant (Service Bus, or run in-process). */
export interface TenantRunQueue {
  send(requests: readonly TenantRunRequest[]): Promise<void>;
}

export interface DeliveryResult {
  readonly channel: string;
  /** The receiver accepted it (2xx). For Teams Workflows a 202 is not proof the card was posted. */
  readonly delivered: boolean;
  readonly status: string;
  /** What came back (response body snippet) or why it failed; redacted: never a URL, token or secret. */
  readonly detail?: string;
  /** HTTP attempts made, retries included. */
  readonly attempts?: number;
}

/** What the dispatcher knows about one send beyond the alert itself. */
export interface AlertDelivery {
  /** The message id: the same for every re-send of one alert within its cooldown window (receivers drop repeats by it). */
  readonly eventId: string;
}

export interface AlertSink {
  readonly channel: string;
  /** Sinks whose receivers de-duplicate by id use `delivery.eventId`; without it, the id derives from the alert. */
  send(alert: Alert, delivery?: AlertDelivery): Promise<DeliveryResult>;
}
