// A later poll can plan a command under the key of one an earlier poll's message has already run: in plan mode
// nothing is counted as an attempt, so the key stays the same (and in enforce mode a poll that read the attempts
// just before the worker counted them does the same). The later run expects the key AFTER the message that ran it
// copied its outcome to the runs expecting it then, and its own re-send, sent at once, has the bare key as message id,
// so the queue's duplicate detection drops it ("Duplicate detection",
// https://learn.microsoft.com/azure/service-bus-messaging/duplicate-detection; the in-process queue emulates it, with
// production's 1-hour window). No message is left to give the later run the outcome, and a run that did get it would
// send the earlier run's summary again, on every poll in plan mode. So the later poll leaves a command that has
// already run out of its run: it sends nothing for it and expects nothing, and every run it does open completes.
import { describe, expect, it } from 'vitest';

import { runPoll } from '../../../shared/app/poll/run-poll.js';
import { summaryHarnessForEachTest } from './summary-harness.js';

const MIN = 60_000;

const run = summaryHarnessForEachTest('plan');
const { summaries } = run;

describe('a later poll plans a command an earlier message has already run', () => {
  it('sends nothing for it and opens no run that waits for it; the summary goes out once', async () => {
    const h = run.h();
    const poll = (n: number) => runPoll(h.container.pollDeps(), h.container.pollOptions('incremental', `ran-${n}`));
    const first = await poll(1);
    const firstSent = h.queue.sent.length;
    await h.drainQueue({ waitForScheduled: true });
    const firstOutcomes = await h.container.stores.runOutcomes.list(first.runId);
    expect(firstOutcomes.length, 'the first run planned commands').toBeGreaterThan(0);
    expect(firstOutcomes.map((c) => c.status)).toEqual(firstOutcomes.map(() => 'planned'));

    h.sim.clock.advance(5 * MIN);
    const second = await poll(2);
    expect(second.findings.length, 'the second poll finds the same problems').toBeGreaterThan(0);
    expect(h.queue.sent.slice(firstSent), 'nothing is re-sent for commands already run').toEqual([]);
    await h.drainQueue({ waitForScheduled: true });

    const secondOutcomes = await h.container.stores.runOutcomes.list(second.runId);
    expect(
      secondOutcomes.filter((c) => c.status === null).map((c) => c.idempotencyKey),
      `run ${second.runId} waits for nothing`,
    ).toEqual([]);
    expect(summaries(), 'one summary, the first run’s').toEqual([first.runId]);
  });
});
