import { buildTeamsMessage, TEAMS_MAX_BYTES } from '../../core/alerts/index.js';
import type { Alert } from '../../core/model/index.js';
import type { AlertSink, DeliveryResult } from '../../ports/index.js';
import { builderFailure, type HttpDeliveryOptions, postWithRetry } from './http-delivery.js';
import { makeRedactor, type CutRedactor } from './redact.js';

export interface TeamsWorkflowSinkOptions extends HttpDeliveryOptions {
  readonly channel?: string;
  /** For the "Open Intune admin center" button on multi-item cards. */
  readonly portalUrl?: string | null;
  readonly maxCardBytes?: number;
}

/**
 * Posts one Adaptive Card per alert to a Teams Workflows ("Post to a channel when a webhook request is
 * received") trigger. Legacy Office 365 connector URLs are retired; no host allowlist either, because
 * Workflow hosts moved from *.logic.azure.com to *.environment.api.powerplatform.com and may move again.
 *
 * `delivered` means the trigger accepted the request (usually 202): the flow runs afterwards and can still
 * fail, so the response body snippet is kept in `detail` for the history table.
 */
export class TeamsWorkflowSink implements AlertSink {
  readonly channel: string;
  // Private fields stay out of JSON.stringify and console.log of the sink: the URL embeds its signature.
  readonly #url: string;
  readonly #options: TeamsWorkflowSinkOptions;
  readonly #redact: CutRedactor;

  constructor(url: string, options: TeamsWorkflowSinkOptions) {
    this.channel = options.channel ?? 'teams';
    this.#url = url;
    this.#options = options;
    this.#redact = makeRedactor(url);
  }

  async send(alert: Alert): Promise<DeliveryResult> {
    try {
      if (!URL.canParse(this.#url))
        return { channel: this.channel, delivered: false, status: 'invalid-url', attempts: 0 };
      const message = buildTeamsMessage(alert, {
        portalUrl: this.#options.portalUrl ?? null,
        maxBytes: this.#options.maxCardBytes ?? TEAMS_MAX_BYTES,
      });
      if (message.omittedItems > 0) {
        this.#options.logger.info('alert.teams.card-truncated', {
          channel: this.channel,
          shown: message.shownItems,
          omitted: message.omittedItems,
          bytes: message.bytes,
        });
      }
      return await postWithRetry(
        {
          channel: this.channel,
          url: this.#url,
          body: message.json,
          headers: () => ({ 'content-type': 'application/json; charset=utf-8', 'user-agent': 'autopilot-medic' }),
          redact: this.#redact,
        },
        this.#options,
      );
    } catch (err) {
      return builderFailure(this.channel, err, this.#redact, this.#options.logger);
    }
  }
}
