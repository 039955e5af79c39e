// Run-summary tests: Azurite for the file; for each test a webhook receiver and a harness of the demo tenant (Graph
// simulator over loopback HTTP, Table Storage on Azurite, the in-process queue) that sends every alert, down to
// info, to that receiver.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

import { withAzurite } from '../../support/azurite.js';
import { startHarness, type Azurite, type Harness, type HarnessOptions } from '../../support/harness.js';
import { startReceiver, type Receiver } from '../alerts/receiver.js';

export interface SummaryHarness {
  /** This test's harness. */
  readonly h: () => Harness;
  /** The run ids of the outcome summaries the webhook received, one entry per delivery. */
  readonly summaries: () => string[];
}

export function summaryHarnessForEachTest(mode: HarnessOptions['mode']): SummaryHarness {
  let azurite: Azurite | undefined;
  let harness: Harness | undefined;
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  beforeEach(async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    harness = await startHarness({
      scenario: 'demo',
      azurite,
      mode,
      env: {
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: 'whsec_' + Buffer.from('0123456789abcdef0123').toString('base64'),
        WEBHOOK_MIN_SEVERITY: 'info',
      },
    });
  });
  afterEach(async () => {
    await harness?.stop();
    await receiver?.close();
  });
  return {
    h: () => {
      if (harness === undefined) throw new Error('the harness starts in beforeEach');
      return harness;
    },
    summaries: () =>
      (receiver?.requests ?? []).flatMap((r) => {
        const body = JSON.stringify(JSON.parse(r.body) as unknown);
        const m = /"dedupeKey":"outcomes:([^"]+)"/.exec(body);
        return m?.[1] === undefined ? [] : [m[1]];
      }),
  };
}
