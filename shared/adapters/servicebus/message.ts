import type { ServiceBusMessage } from '@azure/service-bus';

import type { RemediationCommand } from '../../core/model/index.js';
import { queueMessageId } from '../../core/policy/index.js';

// Command <-> Service Bus message. Kept apart from the sender so it is tested without a broker.

export const COMMAND_CONTENT_TYPE = 'application/json';

/**
 * The remediation queue's defaultMessageTimeToLive (infra/app/servicebus.bicep, P1D; test/unit/infra checks they
 * agree): how long a message can still be delivered after it became active.
 */
export const REMEDIATION_MESSAGE_TTL_MS = 86_400_000;

/**
 * messageId = idempotency key, so the queue's duplicate detection drops a re-send inside its window; a scheduled
 * send adds its time (see queueMessageId). The body is the command object (the SDK encodes it as JSON), the
 * subject is the action, and a few application properties make the queue browsable without parsing bodies.
 */
export function toServiceBusMessage(command: RemediationCommand, notBefore: number | null): ServiceBusMessage {
  return {
    messageId: queueMessageId(command, notBefore),
    body: command,
    contentType: COMMAND_CONTENT_TYPE,
    subject: command.action,
    correlationId: command.runId,
    applicationProperties: {
      schemaVersion: command.schemaVersion,
      action: command.action,
      tenant: command.tenant,
      mode: command.mode,
      idempotencyKey: command.idempotencyKey,
    },
  };
}
