// Write pacing (RemediationDeps.writePacing) schedules a run's writing commands over time. Until a paced command has
// run, every poll plans it again under the same idempotency key (its finding is still open, its attempts unchanged).
// Each poll used to enqueue another copy, scheduled from that poll's own time; the tenant's pacing horizon on the
// governor row (core/governor/write-pacing.ts) now tells a later poll the key is already scheduled, so no copy is
// sent (pacing-horizon.test.ts: nothing runs before its first time, no window over the budget). A copy can still
// be sent once a key's time has passed without it running, or when the row's key list is full; this pins down
// that the claim still makes those harmless: each target written once, one attempt row per command. (A copy
// arriving while the command waits out a 429 meets the held claim: throttled-write-deferral.test.ts.)
import { describe, expect, it } from 'vitest';

import { runPoll } from '../../../shared/app/poll/run-poll.js';
import { azuriteForFile } from '../../support/azurite.js';
import { historyRecords, startHarness } from '../../support/harness.js';

const MIN = 60_000;

const azurite = azuriteForFile();

describe('paced commands planned again by every poll until they run', () => {
  it('three polls, one write per hour: no copies; a late copy is a duplicate; each target is written once', async () => {
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
      // The demo plans 3 writes; the two paced ones are scheduled by poll 1 and not sent again by polls 2 and 3.
      expect(sentPerPoll.map((p) => [p.keys.length, p.copies])).toEqual([
        [3, 0],
        [0, 0],
        [0, 0],
      ]);

      // A copy sent now (as after a key's time passed unrun), scheduled for a time of its own a second later, so its
      // message id (key@time) is not the one the queue's duplicate detection saw: it is delivered, and meets the
      // completed claim once the command ran. (The same id inside the window would be dropped, as in Service Bus.)
      const [late] = h.queue.sent.slice(-1);
      if (late === undefined) throw new Error('nothing was sent');
      await h.queue.send(late.command, (late.notBefore ?? h.clock.now()) + 1_000);
      const rest = await h.drainQueue({ waitForScheduled: true });
      // Poll 1's two scheduled messages write; the copy is a duplicate.
      expect(rest).toMatchObject({ deliveries: 3, completed: 3, deadLettered: 0, remaining: 0 });

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
