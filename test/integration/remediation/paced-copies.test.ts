// Write pacing (RemediationDeps.writePacing) schedules a run's writing commands over time. Until a paced command has
// run, every poll plans it again under the same idempotency key (its finding is still open, its attempts unchanged)
// and enqueues another copy, scheduled from that poll's own time: extra queue messages, one per pending paced command
// per poll. This pins down what those copies may NOT do: write a target twice or record a second attempt of one
// command. The claim absorbs them: the first delivery of a key completes it, every later copy is a duplicate. (A copy
// arriving while the command waits out a 429 meets the held claim: throttled-write-deferral.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runPoll } from '../../../shared/app/poll/run-poll.js';
import { withAzurite } from '../../support/azurite.js';
import { historyRecords, startHarness, type Azurite } from '../../support/harness.js';

const MIN = 60_000;

let azurite: Azurite;
beforeAll(async () => {
  azurite = await withAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

describe('paced commands re-enqueued by every poll until they run', () => {
  it('three polls, one write per hour: copies are extra messages only; each target is written once', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    try {
      // The harness drains its queue in-process (no pacing by default); here the poll paces as it does for Service Bus.
      const poll = (n: number) =>
        runPoll(
          { ...h.container.pollDeps(), writePacing: { max: 1, windowMs: 60 * MIN } },
          h.container.pollOptions('incremental', `paced-${n}`),
        );
      const sentPerPoll: { keys: string[]; copies: number }[] = [];
      const seen = new Set<string>();
      for (let n = 1; n <= 3; n += 1) {
        const before = h.queue.sent.length;
        await poll(n);
        const keys = h.queue.sent.slice(before).map((m) => m.command.idempotencyKey);
        sentPerPoll.push({ keys, copies: keys.filter((k) => seen.has(k)).length });
        keys.forEach((k) => seen.add(k));
        await h.drainQueue(); // what is due now
        h.sim.clock.advance(5 * MIN);
      }
      // The demo plans 3 writes; each later poll re-sends every one of them that has not run yet.
      expect(sentPerPoll.map((p) => [p.keys.length, p.copies])).toEqual([
        [3, 0],
        [2, 2],
        [1, 1],
      ]);

      const writesBefore = h.sim.requests().filter((r) => r.kind === 'write').length;
      const rest = await h.drainQueue({ waitForScheduled: true });
      // The copies still scheduled (poll 1's two, poll 2's one) are delivered, and each meets a completed claim.
      expect(rest).toMatchObject({ deliveries: 3, completed: 3, deadLettered: 0, remaining: 0 });
      expect(h.sim.requests().filter((r) => r.kind === 'write')).toHaveLength(writesBefore);

      const writes = h.sim.requests().filter((r) => r.kind === 'write' && r.batch === undefined);
      expect(writes.map((w) => `${w.method} ${w.path} ${w.status}`).sort()).toEqual([
        'PATCH /groups/9a000000-0000-4000-8000-000000000001 204',
        'POST /deviceManagement/windowsAutopilotDeviceIdentities/ad000000-0000-4000-8000-000000000008/allowNextEnrollment 204',
        'POST /groups/9a000000-0000-4000-8000-000000000001/owners/$ref 204',
      ]);
      const rows = await historyRecords(h.container.stores);
      const attempts = rows.filter((r) => r.type === 'attempt').map((r) => `${r.idempotencyKey} ${r.subjectKey}`);
      expect(new Set(attempts).size, 'one attempt row per command and subject').toBe(attempts.length);
      expect(new Set(attempts.map((a) => a.split(' ')[0])).size).toBe(3);
      const outcomes = rows.filter((r) => r.type === 'outcome').map((r) => r.status);
      expect(outcomes.every((s) => s === 'succeeded')).toBe(true);
    } finally {
      await h.stop();
    }
  });
});
