import { describe, expect, it } from 'vitest';

import { createMemoryStores } from '../../../shared/adapters/inprocess/memory-stores.js';
import { AlertDispatcher } from '../../../shared/app/alerting/index.js';
import { blastRadiusAlert } from '../../../shared/core/alerts/index.js';
import type { Alert } from '../../../shared/core/model/index.js';
import type { AlertSink, AlertStateStore, DeliveryResult } from '../../../shared/ports/index.js';
import { ctx, NOW } from '../../unit/core/alerts/fixtures.js';
import { CapturingLogger } from './receiver.js';

// When recordResult fails after the receiver accepted an alert, the row keeps lastStatus 'sending', which reads
// as "crashed mid-send" and would be reopened after retryFailedAfterMs: the accepted alert (history says delivered)
// would go out again within its cooldown. The dispatcher retries the write, then asks history before a re-send;
// a send that truly crashed (no delivered record) must still be retried.

const MIN = 60_000;
const breach = { runId: 'run-1', wouldAct: 90, maxDevices: 25, maxPercent: 10, fleetSize: 400 };

/** A state store whose recordResult fails as told; the rest is the memory store. */
function flakyState(stores: ReturnType<typeof createMemoryStores>, fails: (status: string) => boolean) {
  const alertState: AlertStateStore = {
    get: (c, k) => stores.alerts.get(c, k),
    tryAcquire: (c, k, n, w, o) => stores.alerts.tryAcquire(c, k, n, w, o),
    recordResult: (c, k, s) =>
      fails(s)
        ? Promise.reject(Object.assign(new Error('table busy'), { code: 'ServerBusy' }))
        : stores.alerts.recordResult(c, k, s),
  };
  return alertState;
}

function recordingSink(sent: Alert[]): AlertSink {
  return {
    channel: 'webhook',
    send: (a): Promise<DeliveryResult> => {
      sent.push(a);
      return Promise.resolve({ channel: 'webhook', delivered: true, status: 'http-202', attempts: 1 });
    },
  };
}

describe('an accepted delivery whose state write failed once', () => {
  it('is not sent a second time within the cooldown', async () => {
    const stores = createMemoryStores();
    let failNextRecord = true;
    const alertState: AlertStateStore = {
      get: (c, k) => stores.alerts.get(c, k),
      tryAcquire: (c, k, n, w) => stores.alerts.tryAcquire(c, k, n, w),
      recordResult: (c, k, s) => {
        if (failNextRecord) {
          failNextRecord = false;
          return Promise.reject(Object.assign(new Error('table busy'), { code: 'ServerBusy' }));
        }
        return stores.alerts.recordResult(c, k, s);
      },
    };
    const sent: Alert[] = [];
    const sink: AlertSink = {
      channel: 'webhook',
      send: (a): Promise<DeliveryResult> => {
        sent.push(a);
        return Promise.resolve({ channel: 'webhook', delivered: true, status: 'http-202', attempts: 1 });
      },
    };
    const clock = { t: NOW, now: () => clock.t };
    const dispatcher = new AlertDispatcher({
      channels: [{ sink, minSeverity: 'info' }],
      alertState,
      history: stores.history,
      clock,
      logger: new CapturingLogger(),
      cooldownMs: 6 * 60 * MIN,
    });
    const first = await dispatcher.dispatch([blastRadiusAlert(ctx({ at: clock.t }), breach)]);
    expect(first.delivered).toBe(1);
    // History says it was delivered.
    const rows = (await stores.history.query({ type: 'alert', limit: 10 })).items;
    expect(rows.map((r) => r.status)).toEqual(['delivered']);

    // The breach repeats on the next polls; 16 minutes later is well within the 6 h cooldown.
    clock.t += 16 * MIN;
    await dispatcher.dispatch([blastRadiusAlert(ctx({ at: clock.t }), breach)]);
    expect(sent).toHaveLength(1);
  });

  it('is not sent again when the state write keeps failing, because history says it was delivered', async () => {
    const stores = createMemoryStores();
    let deliveredWrites = 0;
    const alertState = flakyState(stores, (status) => status.startsWith('delivered') && ++deliveredWrites <= 3);
    const sent: Alert[] = [];
    const clock = { t: NOW, now: () => clock.t };
    const logger = new CapturingLogger();
    const dispatcher = new AlertDispatcher({
      channels: [{ sink: recordingSink(sent), minSeverity: 'info' }],
      alertState,
      history: stores.history,
      clock,
      logger,
      cooldownMs: 6 * 60 * MIN,
      sleep: () => Promise.resolve(),
    });
    expect((await dispatcher.dispatch([blastRadiusAlert(ctx({ at: clock.t }), breach)])).delivered).toBe(1);
    // All three attempts failed: the row still says 'sending'.
    expect((await stores.alerts.get('webhook', sent[0]?.dedupeKey ?? ''))?.lastStatus).toBe('sending');

    clock.t += 16 * MIN;
    const second = await dispatcher.dispatch([blastRadiusAlert(ctx({ at: clock.t }), breach)]);
    expect(second.suppressed).toBe(1);
    expect(sent).toHaveLength(1);
    // The row is mended from history, so later polls do not need to ask again.
    expect((await stores.alerts.get('webhook', sent[0]?.dedupeKey ?? ''))?.lastStatus).toBe('delivered:http-202');
  });

  it('is still re-sent when the sender crashed mid-send (no delivered record)', async () => {
    const stores = createMemoryStores();
    const sent: Alert[] = [];
    const clock = { t: NOW, now: () => clock.t };
    const dispatcher = new AlertDispatcher({
      channels: [{ sink: recordingSink(sent), minSeverity: 'info' }],
      alertState: stores.alerts,
      history: stores.history,
      clock,
      logger: new CapturingLogger(),
      cooldownMs: 6 * 60 * MIN,
      sleep: () => Promise.resolve(),
    });
    const alert = blastRadiusAlert(ctx({ at: clock.t }), breach);
    // A crashed instance acquired the key and never recorded a result nor history.
    expect(await stores.alerts.tryAcquire('webhook', alert.dedupeKey, clock.t, clock.t - 6 * 60 * MIN)).toBe(true);

    clock.t += 16 * MIN;
    const retry = await dispatcher.dispatch([blastRadiusAlert(ctx({ at: clock.t }), breach)]);
    expect(retry.delivered).toBe(1);
    expect(sent).toHaveLength(1);
  });
});
