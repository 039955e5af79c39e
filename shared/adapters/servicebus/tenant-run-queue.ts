import { ServiceBusClient, type ServiceBusMessage } from '@azure/service-bus';
import { z } from 'zod';

import { TENANT_JOBS, type TenantRunRequest } from '../../core/model/index.js';
import type { TenantRunQueue } from '../../ports/index.js';
import { decodeBody } from './message-body.js';
import { serviceBusCredential, type SenderLike, type ServiceBusQueueTarget } from './sender.js';

// The many-tenant fan-out on Service Bus: one message per tenant and scheduled run. The message id names the job,
// tenant and slot, so a timer that fires twice for one slot sends nothing new inside the duplicate-detection window
// (and the tenant's run lock stops the rest).

export function tenantRunMessage(request: TenantRunRequest): ServiceBusMessage {
  return {
    messageId: `${request.job}|${request.tenant}|${request.slot}`.slice(0, 128),
    body: request,
    contentType: 'application/json',
    subject: request.job,
    correlationId: request.runId,
    applicationProperties: { schemaVersion: request.schemaVersion, tenant: request.tenant, job: request.job },
  };
}

const requestSchema = z
  .object({
    schemaVersion: z.literal(1),
    tenant: z.string().min(1).max(64),
    job: z.enum(TENANT_JOBS),
    // The slot and run id are our own text (timer name, ISO minute, invocation id): bounded and printable.
    slot: z.string().regex(/^[A-Za-z0-9:._-]{1,120}$/),
    runId: z.string().regex(/^[A-Za-z0-9:._-]{1,200}$/),
  })
  .strict();

export type TenantRunParse =
  { readonly ok: true; readonly request: TenantRunRequest } | { readonly ok: false; readonly reason: string };

/** A queue message is a request: exactly the shape the timers send, or refused with the reason. */
export function parseTenantRun(message: unknown): TenantRunParse {
  // An object as the timers send it, or the same as a string or bytes (a message resubmitted by a tool).
  const body = decodeBody(message);
  if (!body.ok) return { ok: false, reason: 'not a tenant run request: body is not JSON' };
  const parsed = requestSchema.safeParse(body.value);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') ?? '';
  return { ok: false, reason: `not a tenant run request: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}` };
}

export class ServiceBusTenantRunQueue implements TenantRunQueue {
  constructor(private readonly sender: Pick<SenderLike, 'sendMessages'>) {}

  async send(requests: readonly TenantRunRequest[]): Promise<void> {
    // 100 requests of a few hundred bytes a call: well inside the 256 KB a Standard-tier batch may carry ("Service
    // Bus quotas", https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas).
    for (let i = 0; i < requests.length; i += 100)
      await this.sender.sendMessages(requests.slice(i, i + 100).map(tenantRunMessage));
  }
}

export function createServiceBusTenantRunQueue(target: ServiceBusQueueTarget): {
  readonly queue: TenantRunQueue;
  readonly close: () => Promise<void>;
} {
  const client =
    target.kind === 'servicebus-connection-string'
      ? new ServiceBusClient(target.connectionString)
      : new ServiceBusClient(target.namespace, serviceBusCredential(target.clientId));
  const sender = client.createSender(target.queue);
  return {
    queue: new ServiceBusTenantRunQueue(sender),
    close: async () => {
      await sender.close();
      await client.close();
    },
  };
}
