import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { ServiceBusClient, type ServiceBusSender } from '@azure/service-bus';

import type { RemediationCommand } from '../../core/model/index.js';
import type { Clock, RemediationQueue } from '../../ports/index.js';
import { toServiceBusMessage } from './message.js';

// RemediationQueue on Service Bus. Scheduled delivery (notBefore) uses scheduleMessages: the governor's
// "run again when the sync window opens" is one scheduled message, not a sleeping worker or a retry loop.

export type ServiceBusQueueTarget =
  | { readonly kind: 'servicebus-connection-string'; readonly connectionString: string; readonly queue: string }
  | {
      readonly kind: 'servicebus-identity';
      /** `<namespace>.servicebus.windows.net` */
      readonly namespace: string;
      /** User-assigned managed identity; null = DefaultAzureCredential (system identity, CLI login, env). */
      readonly clientId: string | null;
      readonly queue: string;
    };

/** The part of the SDK sender this adapter uses (so tests can hand in a recording stand-in). */
export type SenderLike = Pick<ServiceBusSender, 'sendMessages' | 'scheduleMessages' | 'close'>;

const systemClock: Clock = { now: () => Date.now() };

export class ServiceBusRemediationQueue implements RemediationQueue {
  constructor(
    private readonly sender: SenderLike,
    private readonly clock: Clock = systemClock,
  ) {}

  async send(command: RemediationCommand, notBefore?: number | null): Promise<void> {
    const at = notBefore ?? null;
    if (at !== null && at > this.clock.now()) {
      await this.sender.scheduleMessages(toServiceBusMessage(command, at), new Date(at));
      return;
    }
    // A time already past is plain "now"; the message id still carries it so it stays distinct.
    await this.sender.sendMessages(toServiceBusMessage(command, at));
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

export function serviceBusCredential(clientId: string | null): TokenCredential {
  return clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
}

/** Build the client and sender; `close` closes both (call it on host shutdown). */
export function createServiceBusQueue(
  target: ServiceBusQueueTarget,
  opts: { readonly clock?: Clock; readonly credential?: TokenCredential } = {},
): { readonly queue: ServiceBusRemediationQueue; readonly close: () => Promise<void> } {
  const client =
    target.kind === 'servicebus-connection-string'
      ? new ServiceBusClient(target.connectionString)
      : new ServiceBusClient(target.namespace, opts.credential ?? serviceBusCredential(target.clientId));
  const sender = client.createSender(target.queue);
  const queue = new ServiceBusRemediationQueue(sender, opts.clock);
  return {
    queue,
    close: async () => {
      await sender.close();
      await client.close();
    },
  };
}
