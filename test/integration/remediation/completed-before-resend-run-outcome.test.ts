// A later poll can plan a command under the key of one an earlier poll's message has already run: in plan mode
// nothing is counted as an attempt, so the key stays the same (and in enforce mode a poll that read the attempts
// just before the worker counted them does the same). The later run expects the key AFTER the message that ran it
// copied its outcome to the runs expecting it then, and its own re-send, sent at once, has the bare key as message id,
// so the queue's duplicate detection drops it ("Duplicate detection",
// https://learn.microsoft.com/azure/service-bus-messaging/duplicate-detection; the in-process queue emulates it, a
// 10-minute window). No message is left to give the later run the outcome: the poll must record the completed
// claim's outcome itself, so every run completes and each sends its summary exactly once.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runPoll } from '../../../shared/app/poll/run-poll.js';
import { withAzurite } from '../../support/azurite.js';
import { startHarness, type Azurite, type Harness } from '../../support/harness.js';
import { startReceiver, type Receiver } from '../alerts/receiver.js';

const MIN = 60_000;

let azurite: Azurite;
beforeAll(async () => {
  azurite = await withAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});
let h: Harness;
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver(() => ({ status: 200 }));
  h = await startHarness({
    scenario: 'demo',
    azurite,
    mode: 'plan',
    env: {
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: 'whsec_' + Buffer.from('0123456789abcdef0123').toString('base64'),
      WEBHOOK_MIN_SEVERITY: 'info',
    },
  });
});
afterEach(async () => {
  await h.stop();
  await receiver.close();
});

/** The run ids of the outcome summaries the webhook received, one entry per delivery. */
function summaries(): string[] {
  return receiver.requests.flatMap((r) => {
    const body = JSON.stringify(JSON.parse(r.body) as unknown);
    const m = /"dedupeKey":"outcomes:([^"]+)"/.exec(body);
    return m?.[1] === undefined ? [] : [m[1]];
  });
}

describe('a re-send dropped as a duplicate of a message that has already run', () => {
  it('the later run gets the completed command’s outcome and each run sends its summary once', async () => {
    const poll = (n: number) => runPoll(h.container.pollDeps(), h.container.pollOptions('incremental', `ran-${n}`));
    const first = await poll(1);
    const firstSent = h.queue.sent.length;
    await h.drainQueue({ waitForScheduled: true });
    const firstOutcomes = await h.container.stores.runOutcomes.list(first.runId);
    expect(firstOutcomes.length, 'the first run planned commands').toBeGreaterThan(0);
    expect(firstOutcomes.map((c) => c.status)).toEqual(firstOutcomes.map(() => 'planned'));

    h.sim.clock.advance(5 * MIN);
    const second = await poll(2);
    const resent = h.queue.sent.slice(firstSent);
    expect(resent.length, 'the second poll planned the same commands again').toBe(firstOutcomes.length);
    expect(
      resent.map((m) => m.duplicate),
      'every re-send was dropped by duplicate detection',
    ).toEqual(resent.map(() => true));
    await h.drainQueue({ waitForScheduled: true });

    const byKey = new Map(firstOutcomes.map((c) => [c.idempotencyKey, c.status]));
    const secondOutcomes = await h.container.stores.runOutcomes.list(second.runId);
    expect(secondOutcomes.map((c) => c.idempotencyKey).sort()).toEqual([...byKey.keys()].sort());
    expect(
      secondOutcomes.map((c) => [c.idempotencyKey, c.status]),
      `run ${second.runId}: the outcome of the first run's message`,
    ).toEqual(secondOutcomes.map((c) => [c.idempotencyKey, byKey.get(c.idempotencyKey)]));
    expect(summaries().sort()).toEqual([first.runId, second.runId].sort());
  });
});
