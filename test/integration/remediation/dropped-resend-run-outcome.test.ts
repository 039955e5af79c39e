// A later poll that plans a command an earlier poll queued (not run yet) sends it again under the same idempotency
// key and expects it in its own run. Sent at once, the copy's message id is the bare key (queueMessageId), so the
// queue's duplicate detection drops it ("Duplicate detection", https://learn.microsoft.com/azure/service-bus-messaging/duplicate-detection;
// the in-process queue emulates it by message id): it never reaches a worker, so no duplicate delivery can give the
// later run the outcome (duplicate-run-outcome.test.ts covers a copy that is delivered). The earlier run's message
// executes the command; its outcome must reach every run that expects the key, so both complete and each sends
// its summary exactly once.
import { describe, expect, it } from 'vitest';

import { runPoll } from '../../../shared/app/poll/run-poll.js';
import { summaryHarnessForEachTest } from './summary-harness.js';

const MIN = 60_000;

const run = summaryHarnessForEachTest('enforce');
const { summaries } = run;

describe('a re-send dropped as a duplicate message id', () => {
  it('both runs get the command’s real outcome and each sends its summary once', async () => {
    const h = run.h();
    // No pacing: every command goes at once, its message id the bare idempotency key.
    const poll = (n: number) => runPoll(h.container.pollDeps(), h.container.pollOptions('incremental', `resend-${n}`));
    const first = await poll(1);
    const firstSent = h.queue.sent.length;
    h.sim.clock.advance(5 * MIN);
    const second = await poll(2);
    const resent = h.queue.sent.slice(firstSent);
    expect(resent.length, 'the second poll re-sent the unrun commands').toBeGreaterThan(0);
    expect(
      resent.map((m) => m.duplicate),
      'every re-send was dropped by duplicate detection',
    ).toEqual(resent.map(() => true));
    const secondKeys = (await h.container.stores.runOutcomes.list(second.runId)).map((c) => c.idempotencyKey);
    expect(secondKeys.sort()).toEqual(resent.map((m) => m.command.idempotencyKey).sort());

    await h.drainQueue({ waitForScheduled: true });

    const firstOutcomes = await h.container.stores.runOutcomes.list(first.runId);
    const byKey = new Map(firstOutcomes.map((c) => [c.idempotencyKey, c.status]));
    expect(firstOutcomes.map((c) => c.status)).toEqual(firstOutcomes.map(() => 'succeeded'));
    const secondOutcomes = await h.container.stores.runOutcomes.list(second.runId);
    expect(
      secondOutcomes.map((c) => [c.idempotencyKey, c.status]),
      `run ${second.runId}: the outcome of the first run's message`,
    ).toEqual(secondOutcomes.map((c) => [c.idempotencyKey, byKey.get(c.idempotencyKey)]));
    expect(secondOutcomes.map((c) => c.status)).toEqual(secondOutcomes.map(() => 'succeeded'));

    expect(summaries().sort()).toEqual([first.runId, second.runId].sort());
  });
});
