import { buildWebhookEvent, standardWebhookHeaders, webhookSigningKey } from '../../core/alerts/index.js';
import type { Alert } from '../../core/model/index.js';
import type { AlertDelivery, AlertSink, DeliveryResult } from '../../ports/index.js';
import { builderFailure, type HttpDeliveryOptions, postWithRetry } from './http-delivery.js';
import { makeRedactor, type CutRedactor } from './redact.js';

export interface WebhookSinkOptions extends HttpDeliveryOptions {
  readonly channel?: string;
}

/**
 * Posts the versioned JSON event (schemaVersion 1) to any HTTPS receiver, signed with Standard Webhooks:
 * receivers verify with the `standardwebhooks` library and drop repeats by `webhook-id` (signed, and the same
 * on every retry of one alert, and on the dispatcher's re-sends within the alert's cooldown window: it is the
 * event's `id`). Each attempt is re-signed with a fresh timestamp.
 */
export class WebhookSink implements AlertSink {
  readonly channel: string;
  readonly #url: string;
  readonly #secret: string;
  readonly #options: WebhookSinkOptions;
  readonly #redact: CutRedactor;

  constructor(url: string, secret: string, options: WebhookSinkOptions) {
    this.channel = options.channel ?? 'webhook';
    this.#url = url;
    this.#secret = secret;
    this.#options = options;
    this.#redact = makeRedactor(url, [secret]);
  }

  async send(alert: Alert, delivery?: AlertDelivery): Promise<DeliveryResult> {
    try {
      if (!URL.canParse(this.#url))
        return { channel: this.channel, delivered: false, status: 'invalid-url', attempts: 0 };
      const signing = webhookSigningKey(this.#secret);
      if ('error' in signing)
        return {
          channel: this.channel,
          delivered: false,
          status: 'invalid-secret',
          detail: signing.error,
          attempts: 0,
        };
      const key = signing.key;
      const event = buildWebhookEvent(alert, delivery?.eventId);
      const body = JSON.stringify(event);
      const now = this.#options.now ?? Date.now;
      return await postWithRetry(
        {
          channel: this.channel,
          url: this.#url,
          body,
          headers: () => ({
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'autopilot-medic',
            ...standardWebhookHeaders(key, event.id, body, now()),
          }),
          redact: this.#redact,
        },
        this.#options,
      );
    } catch (err) {
      return builderFailure(this.channel, err, this.#redact, this.#options.logger);
    }
  }
}
