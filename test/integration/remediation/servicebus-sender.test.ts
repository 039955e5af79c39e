import type { ServiceBusMessage } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';

import {
  createServiceBusQueue,
  ServiceBusRemediationQueue,
  type SenderLike,
} from '../../../shared/adapters/servicebus/sender.js';
import { toServiceBusMessage } from '../../../shared/adapters/servicebus/message.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import { receiveMine } from '../../support/servicebus.js';

// The Service Bus sender. There is no local broker without Docker, so the adapter is checked against the SDK's
// own types with a recording stand-in for the sender, and a live round trip runs only when
// SERVICEBUS_TEST_CONNECTION_STRING (and optionally SERVICEBUS_TEST_QUEUE) is set.

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const command: RemediationCommand = {
  schemaVersion: 1,
  idempotencyKey: 'contoso:allow-next-enrollment:ap-1:fp-a1',
  action: 'allow-next-enrollment',
  tenant: 'contoso',
  mode: 'enforce',
  target: { action: 'allow-next-enrollment', autopilotId: 'ap-1', serialNumber: 'SN-1' },
  reasons: ['fp'],
  runId: 'run-1',
  createdAt: new Date(T0).toISOString(),
};

function recorder() {
  const calls: { kind: 'send' | 'schedule'; message: ServiceBusMessage; at: Date | null }[] = [];
  const sender: SenderLike = {
    sendMessages: (m) => Promise.resolve(void calls.push({ kind: 'send', message: m as ServiceBusMessage, at: null })),
    scheduleMessages: (m, at) => {
      calls.push({ kind: 'schedule', message: m as ServiceBusMessage, at });
      return Promise.resolve([]);
    },
    close: () => Promise.resolve(),
  };
  return { sender, calls };
}

describe('Service Bus sender (no broker)', () => {
  it('maps a command: messageId = idempotency key, JSON body, subject = action', () => {
    expect(toServiceBusMessage(command, null)).toEqual({
      messageId: command.idempotencyKey,
      body: command,
      contentType: 'application/json',
      subject: 'allow-next-enrollment',
      correlationId: 'run-1',
      applicationProperties: {
        schemaVersion: 1,
        action: 'allow-next-enrollment',
        tenant: 'contoso',
        mode: 'enforce',
        idempotencyKey: command.idempotencyKey,
      },
    });
  });

  it('sends now, or schedules for notBefore', async () => {
    const { sender, calls } = recorder();
    const queue = new ServiceBusRemediationQueue(sender, { now: () => T0 });
    await queue.send(command);
    await queue.send(command, T0 + 600_000);
    await queue.send(command, T0 - 1);
    expect(calls.map((c) => c.kind)).toEqual(['send', 'schedule', 'send']);
    expect(calls[1]!.at?.getTime()).toBe(T0 + 600_000);
    expect(calls[1]!.message.messageId).toBe(`${command.idempotencyKey}@20261122T101000Z`);
    expect(calls[0]!.message.messageId).toBe(command.idempotencyKey);
  });

  it('builds a client from a namespace and a credential without connecting', async () => {
    const { queue, close } = createServiceBusQueue(
      {
        kind: 'servicebus-identity',
        namespace: 'example.servicebus.windows.net',
        clientId: '00000000-0000-0000-0000-000000000000',
        queue: 'remediation',
      },
      { credential: { getToken: () => Promise.resolve(null) } },
    );
    expect(queue).toBeInstanceOf(ServiceBusRemediationQueue);
    await close();
  });
});

const conn = process.env.SERVICEBUS_TEST_CONNECTION_STRING ?? '';
const queueName = process.env.SERVICEBUS_TEST_QUEUE ?? 'remediation-test';
if (!conn) {
  console.info(
    'servicebus-sender.test: live round trip skipped — set SERVICEBUS_TEST_CONNECTION_STRING (and SERVICEBUS_TEST_QUEUE) to run it; there is no local Service Bus broker without Docker.',
  );
}

describe('Service Bus sender (live broker)', () => {
  it.skipIf(!conn)(
    'round trip: send, schedule, receive with the same id and body',
    async () => {
      const { queue, close } = createServiceBusQueue({
        kind: 'servicebus-connection-string',
        connectionString: conn,
        queue: queueName,
      });
      try {
        const unique = { ...command, idempotencyKey: `${command.idempotencyKey}:${Date.now()}` };
        await queue.send(unique);
        await queue.send(unique, Date.now() + 5_000);
        const got = await receiveMine(
          conn,
          queueName,
          2,
          (m) => String(m.applicationProperties?.idempotencyKey) === unique.idempotencyKey,
        );
        expect(got.map((m) => m.body as unknown)).toEqual([unique, unique]);
        expect(got[0]!.messageId).toBe(unique.idempotencyKey);
        expect(got[0]!.contentType).toBe('application/json');
      } finally {
        await close();
      }
    },
    120_000,
  );
});
