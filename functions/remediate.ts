import { app, type InvocationContext } from '@azure/functions';
import { z } from 'zod';

import { executeRemediation, isAlreadyInProgress, MAX_SERIAL_LENGTH, type RemediationDeps } from '../shared/app/remediation/index.js';
import { BINDINGS, FUNCTION_NAMES } from '../shared/composition/bindings.js';
import { getHostContainer, invocationLogger } from '../shared/composition/host.js';
import { ACTIONS, MODES, type RemediationCommand } from '../shared/core/model/index.js';
import { MAX_MEMBERS_PER_COMMAND } from '../shared/core/policy/index.js';

// Service Bus queue trigger: parse -> execute -> log. No decisions about devices here.
//
// Dead-lettering. The Node v4 library's Service Bus trigger cannot settle messages itself (explicit
// dead-letter needs the preview SDK-type binding), and the extension auto-completes on return / abandons
// on throw, dead-lettering only after maxDeliveryCount. So:
//  - a malformed or unknown-action message can never succeed, and re-delivering it 10 times would only delay
//    the same verdict: it is recorded in history ('invalid-message' with the reason and a body excerpt),
//    alerted, and the handler RETURNS, so the message completes. History is our dead-letter record. If that
//    record cannot be written, the handler throws instead, so the message is retried and, at worst, reaches
//    the real dead-letter queue with the error as its reason: the reason is never lost.
//  - AlreadyInProgress (another delivery holds the claim): re-scheduled for the claim's expiry with a distinct
//    message id, and this delivery completes, instead of burning deliveries on immediate redeliveries.
//  - transient failures throw: Service Bus redelivers, and dead-letters after maxDeliveryCount
//    (MaxDeliveryCountExceeded, with the exception text as the description).

// Every id is a GUID (Autopilot identity, group, device object, service principal); a serial number is tenant text,
// bounded. The worker re-checks all of it against the tenant and the configuration before acting.
const id = z.guid();
const serial = z.string().min(1).max(MAX_SERIAL_LENGTH);
const targetSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('autopilot-sync') }),
  z.object({ action: z.literal('allow-next-enrollment'), autopilotId: id, serialNumber: serial }),
  z.object({
    action: z.literal('add-to-device-prep-group'),
    groupId: id,
    members: z.array(z.object({ objectId: id, serialNumber: serial.nullable() })).min(1).max(MAX_MEMBERS_PER_COMMAND),
  }),
  z.object({ action: z.literal('restore-device-prep-owner'), groupId: id, servicePrincipalId: id }),
]);

export const commandSchema = z
  .object({
    schemaVersion: z.literal(1),
    idempotencyKey: z.string().min(1).max(512),
    action: z.enum(ACTIONS),
    tenant: z.string().min(1).max(256),
    mode: z.enum(MODES),
    target: targetSchema,
    reasons: z.array(z.string()).max(10_000),
    runId: z.string().min(1).max(256),
    createdAt: z.iso.datetime(),
  })
  .refine((c) => c.target.action === c.action, { message: 'target.action must equal action', path: ['target', 'action'] });

export type ParseResult = { readonly ok: true; readonly command: RemediationCommand } | { readonly ok: false; readonly reason: string };

/** The trigger hands over an object (application/json), a string or bytes, depending on how it was sent. */
export function parseCommand(message: unknown): ParseResult {
  let value = message;
  try {
    if (value instanceof Uint8Array) value = new TextDecoder().decode(value);
    if (typeof value === 'string') value = JSON.parse(value) as unknown;
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const action = typeof value === 'object' && value !== null ? (value as { action?: unknown }).action : undefined;
  if (typeof action === 'string' && !(ACTIONS as readonly string[]).includes(action)) {
    return { ok: false, reason: `unknown action "${action.slice(0, 80)}"` };
  }
  const parsed = commandSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, command: parsed.data };
}

function excerpt(message: unknown): string {
  const text = typeof message === 'string' ? message : message instanceof Uint8Array ? new TextDecoder().decode(message) : JSON.stringify(message) ?? String(message);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

async function rejectMessage(deps: RemediationDeps, message: unknown, reason: string, context: InvocationContext): Promise<void> {
  const meta = context.triggerMetadata ?? {};
  const messageId = typeof meta.messageId === 'string' ? meta.messageId : 'unknown';
  const deliveryCount = typeof meta.deliveryCount === 'number' ? meta.deliveryCount : 0;
  const now = deps.clock.now();
  const body = excerpt(message);
  await deps.history.append([
    {
      subjectKey: 'tenant',
      at: now,
      id: `invalid-message|${messageId}|${context.invocationId}`,
      runId: 'unknown',
      type: 'invalid-message',
      action: null,
      code: null,
      idempotencyKey: null,
      mode: null,
      status: 'invalid-message',
      reason,
      attempt: deliveryCount,
      graphRequestId: null,
      before: { messageId, body },
      after: null,
    },
  ]);
  try {
    await deps.alerts.send({
      kind: 'remediation-failed',
      severity: 'error',
      title: 'Invalid remediation message dropped',
      summary: `A queue message was not a valid remediation command and was not executed: ${reason}`,
      tenant: deps.tenant,
      at: now,
      dedupeKey: `invalid-message:${messageId}`,
      items: [],
      facts: { messageId, deliveryCount, reason: reason.slice(0, 500) },
    });
  } catch (err) {
    context.warn('remediate.alert-failed', { messageId, error: err instanceof Error ? err.message : String(err) });
  }
  context.error('remediate.invalid-message', { messageId, reason });
}

export function makeRemediateHandler(getDeps: (context: InvocationContext) => Promise<RemediationDeps>) {
  return async function remediate(message: unknown, context: InvocationContext): Promise<void> {
    const deps = await getDeps(context);
    const parsed = parseCommand(message);
    if (!parsed.ok) return rejectMessage(deps, message, parsed.reason, context);
    const command = parsed.command;
    const deliveryCount = context.triggerMetadata?.deliveryCount;
    try {
      const outcome = await executeRemediation(command, deps);
      context.info('remediate.finished', { key: command.idempotencyKey, action: command.action, mode: command.mode, outcome: outcome.status, deliveryCount });
    } catch (err) {
      if (!isAlreadyInProgress(err)) throw err; // transient: let Service Bus redeliver
      await deps.queue.send(command, err.retryAt);
      context.warn('remediate.in-progress-rescheduled', { key: command.idempotencyKey, retryAt: new Date(err.retryAt).toISOString(), deliveryCount });
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
