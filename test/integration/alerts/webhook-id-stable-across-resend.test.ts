import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';

import { WebhookSink } from '../../../shared/adapters/alerts/index.js';
import { createMemoryStores } from '../../../shared/adapters/inprocess/memory-stores.js';
import { AlertDispatcher } from '../../../shared/app/alerting/index.js';
import { blastRadiusAlert } from '../../../shared/core/alerts/index.js';
import { ctx, NOW } from '../../unit/core/alerts/fixtures.js';
import { CapturingLogger, noSleep, type Receiver, startReceiver } from './receiver.js';

// Standard Webhooks: webhook-id "will be the same when the same webhook is being resent (e.g. due to a previous
// failure)". The dispatcher re-sends a failed alert key after retryFailedAfterMs from a later poll, which rebuilt
// the alert with a new `at`; the id must come from the cooldown window (recorded when it opened), not from that
// `at`, or a receiver that took the first POST but answered too late cannot drop the second one and processes the
// same breach twice.

const SECRET = 'whsec_MfKQ9r4gkAyXWp1/9HpBb3t8mTnqbVQEwTqz5Kv0aA8=';
const MIN = 60_000;
let receiver: Receiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

describe('a dispatcher re-send after a failed delivery', () => {
  it('keeps the webhook-id, so the receiver can drop the duplicate', async () => {
    // First POST: taken by the receiver but answered too late (client timeout). Second: answered at once.
    receiver = await startReceiver((n) => (n === 1 ? { status: 202, delayMs: 1_500 } : { status: 202 }));
    const logger = new CapturingLogger();
    const stores = createMemoryStores();
    const clock = { t: NOW, now: () => clock.t };
    const dispatcher = new AlertDispatcher({
      channels: [
        {
          sink: new WebhookSink(receiver.url, SECRET, { logger, sleep: noSleep, timeoutMs: 300, maxAttempts: 1 }),
          minSeverity: 'info',
        },
      ],
      alertState: stores.alerts,
      history: stores.history,
      clock,
      logger,
      cooldownMs: 6 * 60 * MIN,
      retryFailedAfterMs: 15 * MIN,
    });
    const breach = { runId: 'run-1', wouldAct: 90, maxDevices: 25, maxPercent: 10, fleetSize: 400 };

    // Poll 1: the breach alert; the delivery times out (the receiver did get it).
    const first = await dispatcher.dispatch([blastRadiusAlert(ctx({ at: clock.t }), breach)]);
    expect(first.failed).toBe(1);
    // Poll 2, 16 minutes later: the breach is still there (it "repeats on every poll"); the dispatcher re-sends it.
    clock.t += 16 * MIN;
    const second = await dispatcher.dispatch([blastRadiusAlert(ctx({ at: clock.t }), { ...breach, runId: 'run-1' })]);
    expect(second.delivered).toBe(1);

    expect(receiver.requests).toHaveLength(2);
    const [a, b] = receiver.requests as [(typeof receiver.requests)[0], (typeof receiver.requests)[0]];
    // Both are genuine, verifiable messages ...
    const wh = new Webhook(SECRET);
    const verify = (r: typeof a) =>
      wh.verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      });
    // (timestamps are real time: the library checks tolerance against Date.now)
    expect(() => verify(a)).not.toThrow();
    expect(() => verify(b)).not.toThrow();
    // ... of the same alert (same dedupe key) ...
    const dedupeKey = (r: typeof a) => (JSON.parse(r.body) as { data: { dedupeKey: string } }).data.dedupeKey;
    expect(dedupeKey(a)).toBe(dedupeKey(b));
    // ... with the same webhook-id, so the receiver recognises the re-send.
    expect(b.headers['webhook-id']).toBe(a.headers['webhook-id']);
  });
});
