import { TeamsWorkflowSink, WebhookSink } from '../adapters/alerts/index.js';
import type { AlertChannel } from '../app/alerting/index.js';
import type { AppConfig } from '../config/index.js';
import type { Logger } from '../ports/index.js';

/** The configured alert channels; none configured means alerts are only recorded in history. */
export function buildAlertChannels(config: AppConfig, logger: Logger): AlertChannel[] {
  const channels: AlertChannel[] = [];
  const { teams, webhook, portalUrl } = config.alerts;
  if (teams)
    channels.push({ sink: new TeamsWorkflowSink(teams.url, { logger, portalUrl }), minSeverity: teams.minSeverity });
  if (webhook)
    channels.push({ sink: new WebhookSink(webhook.url, webhook.secret, { logger }), minSeverity: webhook.minSeverity });
  return channels;
}
