import { buildWebhookEvent, EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from '../../core/alerts/index.js';
import type { Alert } from '../../core/model/index.js';
import type { AlertSink, DeliveryResult } from '../../ports/index.js';
import { builderFailure, type HttpDeliveryOptions, postWithRetry } from './http-delivery.js';
import { makeRedactor, type Redactor } from './redact.js';

export interface WebhookSinkOptions extends HttpDeliveryOptions {
  readonly channel?: string;
}

/**
 * Posts the versioned JSON event (schemaVersion 1) to any HTTPS receiver, signed Stripe-style: receivers
 * verify `X-AutopilotMedic-Signature` with `verifySignature` (or the same few lines in their language) and
 * drop repeats by `X-AutopilotMedic-Event-Id`, which stays the same across retries.
 */
export class WebhookSink implements AlertSink {
  readonly channel: string;
  readonly #url: string;
  readonly #secret: string;
  readonly #options: WebhookSinkOptions;
  readonly #redact: Redactor;

  constructor(url: string, secret: string, options: WebhookSinkOptions) {
    this.channel = options.channel ?? 'webhook';
    this.#url = url;
    this.#secret = secret;
    this.#options = options;
    this.#redact = makeRedactor(url, [secret]);
  }

  async send(alert: Alert): Promise<DeliveryResult> {
    try {
      if (!URL.canParse(this.#url)) return { channel: this.channel, delivered: false, status: 'invalid-url', attempts: 0 };
      const event = buildWebhookEvent(alert);
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
            [SIGNATURE_HEADER]: signatureHeader(this.#secret, body, now()),
            [EVENT_ID_HEADER]: event.id,
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
