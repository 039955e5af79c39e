import type { ServiceBusMessage } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';

import {
  createServiceBusTenantRunQueue,
  parseTenantRun,
  ServiceBusTenantRunQueue,
  tenantRunMessage,
} from '../../../shared/adapters/servicebus/tenant-run-queue.js';
import type { TenantRunRequest } from '../../../shared/core/model/index.js';
import { receiveMine } from '../../support/servicebus.js';

// The many-tenant fan-out on Service Bus. Without a broker (none runs here without Docker), the sender is given a
// recording stand-in with the SDK's sendMessages shape: what goes on the wire, how it is split into calls, and that
// the trigger's parser takes back exactly what was sent. With SERVICEBUS_TEST_CONNECTION_STRING, a live round trip.

const request = (i: number): TenantRunRequest => ({
  schemaVersion: 1,
  tenant: `0a0a0a0a-1111-4111-8111-${String(i).padStart(12, '0')}`,
  job: 'poll',
  slot: 'poll:2026-12-04T10:05:00.000Z',
  runId: 'poll:2026-12-04T10:05:00.000Z:inv-1',
});

describe('tenant-run queue (no broker)', () => {
  it('one message per tenant, sent 100 a call; the id names job, tenant and slot; the parser takes back each body', async () => {
    const calls: ServiceBusMessage[][] = [];
    const queue = new ServiceBusTenantRunQueue({
      sendMessages: (m) => Promise.resolve(void calls.push(Array.isArray(m) ? (m as ServiceBusMessage[]) : [])),
    });
    const requests = Array.from({ length: 250 }, (_, i) => request(i));
    await queue.send(requests);
    expect(calls.map((c) => c.length)).toEqual([100, 100, 50]);
    const sent = calls.flat();
    expect(new Set(sent.map((m) => m.messageId)).size).toBe(250);
    expect(sent[0]?.messageId).toBe(`poll|${requests[0]?.tenant}|poll:2026-12-04T10:05:00.000Z`);
    for (const [i, m] of sent.entries()) expect(parseTenantRun(m.body)).toEqual({ ok: true, request: requests[i] });
  });

  it('the parser refuses anything else, saying what', () => {
    expect(parseTenantRun({ ...request(1), extra: 1 })).toMatchObject({ ok: false });
    const wipe = parseTenantRun({ ...request(1), job: 'wipe' });
    expect(wipe.ok).toBe(false);
    expect(wipe.ok ? '' : wipe.reason).toContain('job');
    expect(parseTenantRun({ ...request(1), slot: 'x'.repeat(121) })).toMatchObject({ ok: false });
    expect(parseTenantRun(null)).toMatchObject({ ok: false });
    expect(tenantRunMessage(request(1)).applicationProperties).toEqual({
      schemaVersion: 1,
      tenant: request(1).tenant,
      job: 'poll',
    });
  });
});

const conn = process.env.SERVICEBUS_TEST_CONNECTION_STRING ?? '';
const queueName = process.env.SERVICEBUS_TEST_TENANT_RUN_QUEUE ?? 'tenant-runs-test';

describe('tenant-run queue (live broker)', () => {
  it.skipIf(!conn)(
    'round trip: the requests come back with their ids and bodies',
    async () => {
      const { queue, close } = createServiceBusTenantRunQueue({
        kind: 'servicebus-connection-string',
        connectionString: conn,
        queue: queueName,
      });
      try {
        const slot = `poll:${new Date().toISOString()}`;
        const requests = [request(1), request(2)].map((r) => ({ ...r, slot }));
        await queue.send(requests);
        const got = await receiveMine(conn, queueName, 2, (m) => (m.body as { slot?: string }).slot === slot);
        expect(got.map((m) => m.body as unknown)).toEqual(requests);
      } finally {
        await close();
      }
    },
    120_000,
  );
});
