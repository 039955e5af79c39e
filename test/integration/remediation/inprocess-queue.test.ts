import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { DUPLICATE_WINDOW_MS, InProcessQueue, type Delivery } from '../../../shared/adapters/inprocess/queue.js';
import type { RemediationCommand } from '../../../shared/core/model/index.js';
import { queueMessageId } from '../../../shared/core/policy/index.js';

// The in-process transport on its own: duplicate detection, scheduling, redelivery, dead-lettering.

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const MIN = 60_000;

function setup(opts: { maxDeliveryCount?: number } = {}) {
  let t = T0;
  const clock = { now: () => t };
  const slept: number[] = [];
  const timer = {
    sleep: (ms: number) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
  const queue = new InProcessQueue({ clock, timer, ...opts });
  return { queue, advance: (ms: number) => (t += ms), now: () => t, slept };
}

const cmd = (key: string): RemediationCommand => ({
  schemaVersion: 1,
  idempotencyKey: key,
  action: 'autopilot-sync',
  tenant: 't',
  mode: 'enforce',
  target: { action: 'autopilot-sync' },
  reasons: [],
  runId: 'r',
  createdAt: new Date(T0).toISOString(),
});

describe('InProcessQueue', () => {
  it('drops a re-send with the same message id inside the duplicate window, accepts it after', async () => {
    const { queue, advance } = setup();
    const seen: string[] = [];
    queue.setHandler((c) => Promise.resolve(void seen.push(c.idempotencyKey)));
    await queue.send(cmd('a'));
    await queue.send(cmd('a'));
    advance(59 * MIN);
    await queue.send(cmd('a'));
    advance(2 * MIN);
    await queue.send(cmd('a'));
    await queue.drain();
    expect(seen).toEqual(['a', 'a']);
    expect(queue.sent.map((s) => s.duplicate)).toEqual([false, true, true, false]);
  });

  // The CLI, `serve` and every test stand in for the deployed queue: its window is the one the deployment sets.
  it("has the production queue's duplicate-detection window (infra/app/servicebus.bicep)", () => {
    const bicep = readFileSync(new URL('../../../infra/app/servicebus.bicep', import.meta.url), 'utf8');
    const windows = [...bicep.matchAll(/duplicateDetectionHistoryTimeWindow: 'PT(?:(\d+)H)?(?:(\d+)M)?'/g)].map(
      (m) => (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * MIN,
    );
    expect(windows.length, 'the remediation and tenant-run queues').toBe(2);
    expect(windows).toEqual([DUPLICATE_WINDOW_MS, DUPLICATE_WINDOW_MS]);
  });

  it('honours notBefore: nothing early; drain({waitForScheduled}) sleeps on the injected timer', async () => {
    const { queue, now, slept } = setup();
    const at: number[] = [];
    queue.setHandler(() => Promise.resolve(void at.push(now())));
    await queue.send(cmd('later'), T0 + 7 * MIN);
    await queue.send(cmd('now'));
    expect(await queue.drain()).toMatchObject({ deliveries: 1, remaining: 1 });
    expect(queue.pending).toEqual([
      { messageId: queueMessageId(cmd('later'), T0 + 7 * MIN), visibleAt: T0 + 7 * MIN, deliveryCount: 0 },
    ]);
    await queue.drain({ waitForScheduled: true });
    expect(at).toEqual([T0, T0 + 7 * MIN]);
    expect(slept).toEqual([7 * MIN]);
  });

  it('scheduled re-sends of the same command at different times are distinct messages', async () => {
    const { queue } = setup();
    await queue.send(cmd('k'), T0 + MIN);
    await queue.send(cmd('k'), T0 + 2 * MIN);
    await queue.send(cmd('k'), T0 + 2 * MIN);
    expect(queue.sent.map((s) => s.duplicate)).toEqual([false, false, true]);
  });

  it('redelivers on throw, then dead-letters with the reason after the max delivery count', async () => {
    const { queue } = setup({ maxDeliveryCount: 3 });
    const deliveries: Delivery[] = [];
    queue.setHandler((_c, d) => {
      deliveries.push(d);
      return Promise.reject(new Error('Graph 503'));
    });
    await queue.send(cmd('bad'));
    const report = await queue.drain();
    expect(deliveries.map((d) => d.deliveryCount)).toEqual([1, 2, 3]);
    expect(report).toMatchObject({ deliveries: 3, completed: 0, deadLettered: 1, remaining: 0 });
    expect(queue.deadLetters).toEqual([
      expect.objectContaining({
        messageId: 'bad',
        reason: 'MaxDeliveryCountExceeded',
        description: 'Graph 503',
        deliveryCount: 3,
      }),
    ]);
  });

  it('an error carrying retryAt postpones the redelivery to that time', async () => {
    const { queue, now } = setup();
    const at: number[] = [];
    queue.setHandler(() => {
      at.push(now());
      return at.length === 1
        ? Promise.reject(Object.assign(new Error('in progress'), { retryAt: T0 + 5 * MIN }))
        : Promise.resolve();
    });
    await queue.send(cmd('x'));
    await queue.drain({ waitForScheduled: true });
    expect(at).toEqual([T0, T0 + 5 * MIN]);
  });

  it("hands the handler a deserialised copy, never the sender's object", async () => {
    const { queue } = setup();
    const original = cmd('copy');
    let received: RemediationCommand | null = null;
    queue.setHandler((c) => Promise.resolve(void (received = c)));
    await queue.send(original);
    await queue.drain();
    expect(received).toEqual(original);
    expect(received).not.toBe(original);
  });

  it('drain without a handler is a programming error', async () => {
    const { queue } = setup();
    await expect(queue.drain()).rejects.toThrow(/no handler/);
  });
});
