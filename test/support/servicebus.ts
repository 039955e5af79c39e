import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';

/**
 * Live broker only (there is no local Service Bus without Docker): receive and complete messages from `queue` for up
 * to a minute, keeping the ones `mine` picks (others a shared test queue holds are completed and dropped), until
 * `count` of them came.
 */
export async function receiveMine(
  connectionString: string,
  queue: string,
  count: number,
  mine: (m: ServiceBusReceivedMessage) => boolean,
): Promise<ServiceBusReceivedMessage[]> {
  const client = new ServiceBusClient(connectionString);
  const receiver = client.createReceiver(queue);
  try {
    const got: ServiceBusReceivedMessage[] = [];
    const deadline = Date.now() + 60_000;
    while (got.length < count && Date.now() < deadline) {
      for (const m of await receiver.receiveMessages(count, { maxWaitTimeInMs: 10_000 })) {
        if (mine(m)) got.push(m);
        await receiver.completeMessage(m);
      }
    }
    return got;
  } finally {
    await receiver.close();
    await client.close();
  }
}
