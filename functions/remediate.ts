import { app, type InvocationContext } from '@azure/functions';

import { parseCommand } from '../shared/composition/index.js';
import {
  executeRemediation,
  isAlreadyInProgress,
  recordInvalidMessage,
  type RemediationDeps,
} from '../shared/app/remediation/index.js';
import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import { getHostContainer, invocationLogger } from '../shared/composition/host.js';
import type { Logger } from '../shared/ports/index.js';

// Service Bus queue trigger: parse (adapters/servicebus/command-schema.ts) -> execute -> log. No decisions here.
//
// Dead-lettering. The Node v4 library's Service Bus trigger cannot settle messages itself (explicit
// dead-letter needs the preview SDK-type binding), and the extension auto-completes on return / abandons
// on throw, dead-lettering only after maxDeliveryCount. So:
//  - a malformed or unknown-action message can never succeed: it is recorded and alerted (recordInvalidMessage)
//    and the handler RETURNS, so the message completes. If that record cannot be written, the handler throws,
//    so the message is retried and, at worst, dead-lettered with the error as its reason: never lost.
//  - AlreadyInProgress (another delivery holds the claim): re-scheduled for the claim's expiry with a distinct
//    message id, and this delivery completes, instead of burning deliveries on immediate redeliveries.
//  - transient failures throw: Service Bus redelivers, and dead-letters after maxDeliveryCount
//    (MaxDeliveryCountExceeded, with the exception text as the description).

/** The trigger's own log methods, so each line carries the invocation (ids and levels as the host records them). */
function contextLog(context: InvocationContext): Logger {
  return {
    debug: (event, fields) => context.debug(event, fields),
    info: (event, fields) => context.info(event, fields),
    warn: (event, fields) => context.warn(event, fields),
    error: (event, fields) => context.error(event, fields),
  };
}

export function makeRemediateHandler(getDeps: (context: InvocationContext) => Promise<RemediationDeps>) {
  return async function remediate(message: unknown, context: InvocationContext): Promise<void> {
    const deps = await getDeps(context);
    const parsed = parseCommand(message);
    if (!parsed.ok) {
      const meta = context.triggerMetadata ?? {};
      const messageId = typeof meta.messageId === 'string' ? meta.messageId : 'unknown';
      const deliveryCount = typeof meta.deliveryCount === 'number' ? meta.deliveryCount : 0;
      return recordInvalidMessage(
        deps,
        { messageId, deliveryCount, deliveryId: context.invocationId, body: message, reason: parsed.reason },
        contextLog(context),
      );
    }
    const command = parsed.command;
    const deliveryCount = context.triggerMetadata?.deliveryCount;
    try {
      const outcome = await executeRemediation(command, deps);
      context.info('remediate.finished', {
        key: command.idempotencyKey,
        action: command.action,
        mode: command.mode,
        outcome: outcome.status,
        deliveryCount,
      });
    } catch (err) {
      if (!isAlreadyInProgress(err)) throw err; // transient: let Service Bus redeliver
      await deps.queue.send(command, err.retryAt);
      context.warn('remediate.in-progress-rescheduled', {
        key: command.idempotencyKey,
        retryAt: new Date(err.retryAt).toISOString(),
        deliveryCount,
      });
    }
  };
}

/**
 * Register the queue trigger. Deps come from the composition root (shared/composition), resolved per
 * invocation so nothing is built while the host indexes functions.
 */
export function registerRemediate(getDeps: (context: InvocationContext) => Promise<RemediationDeps>): void {
  app.serviceBusQueue(FUNCTION_NAMES.remediate, {
    connection: BINDINGS.serviceBusConnection,
    queueName: `%${BINDINGS.queueNameSetting}%`,
    handler: makeRemediateHandler(getDeps),
  });
}

registerRemediate(async (context) => {
  const container = await getHostContainer();
  return container.remediationDeps(invocationLogger(context, container));
});
