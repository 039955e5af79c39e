import { app, type InvocationContext } from '@azure/functions';

import { parseCommand, tenantNamedBy } from '../shared/composition/index.js';
import {
  executeRemediation,
  recordInvalidMessage,
  redeliverAt,
  type RemediationDeps,
} from '../shared/app/remediation/index.js';
import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import { withFields, type Fleet } from '../shared/composition/fleet.js';
import { invalidMessageOf, refuseInDeployment } from './refused-message.js';
import { getHostFleet, invocationLogger } from '../shared/composition/host.js';
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
//    message id, and this delivery completes, instead of burning deliveries on immediate redeliveries. The same for
//    DeferralNotRecorded (Graph throttled the write and storage kept no record of it): re-scheduled for the
//    Retry-After, since an immediate redelivery would find nothing saying "not yet".
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

/** Deps for one delivery: chosen per message, since a many-tenant deployment has one worker per tenant. */
export type RemediateDeps = (context: InvocationContext, message: unknown) => Promise<RemediationDeps>;

export function makeRemediateHandler(getDeps: RemediateDeps) {
  return async function remediate(message: unknown, context: InvocationContext): Promise<void> {
    const deps = await getDeps(context, message);
    const parsed = parseCommand(message);
    if (!parsed.ok) {
      return recordInvalidMessage(deps, invalidMessageOf(context, message, parsed.reason), contextLog(context));
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
      const retryAt = redeliverAt(err);
      if (retryAt === null) throw err; // transient: let Service Bus redeliver
      await deps.queue.send(command, retryAt);
      context.warn('remediate.in-progress-rescheduled', {
        key: command.idempotencyKey,
        retryAt: new Date(retryAt).toISOString(),
        deliveryCount,
      });
    }
  };
}

/**
 * The registered trigger. One tenant: as always. Many: the worker of the tenant the message names, when the
 * deployment is configured with that tenant now; a message naming any other tenant (or none) is refused and recorded
 * in the deployment's history and alerted, never run.
 */
export function makeFleetRemediateHandler(getFleet: () => Promise<Fleet>) {
  return async function remediate(message: unknown, context: InvocationContext): Promise<void> {
    const fleet = await getFleet();
    // Decoded first: a command sent as a string or bytes names its tenant inside the body.
    const named = tenantNamedBy(message);
    const tenant = fleet.multiTenant ? (named === undefined ? null : fleet.find(named)) : fleet.tenants[0];
    if (tenant === null || tenant === undefined)
      return refuseInDeployment(
        fleet,
        context,
        message,
        'the message names no tenant this deployment is configured with',
      );
    const container = await fleet.container(tenant);
    const logger = invocationLogger(context, container);
    const deps = container.remediationDeps(fleet.multiTenant ? withFields(logger, { tenant: tenant.key }) : logger);
    return makeRemediateHandler(() => Promise.resolve(deps))(message, context);
  };
}

function registerHandler(handler: (message: unknown, context: InvocationContext) => Promise<void>): void {
  app.serviceBusQueue(FUNCTION_NAMES.remediate, {
    connection: BINDINGS.serviceBusConnection,
    queueName: `%${BINDINGS.queueNameSetting}%`,
    handler,
  });
}

/** Register the queue trigger with deps of one's own (resolved per invocation, nothing built at indexing). */
export function registerRemediate(getDeps: RemediateDeps): void {
  registerHandler(makeRemediateHandler(getDeps));
}

registerHandler(makeFleetRemediateHandler(getHostFleet));
