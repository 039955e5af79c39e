// Write pacing across polls (core/governor/write-pacing.ts). Until a paced command runs, every poll plans it again
// under the same key. Each poll used to pace its writing commands from its own time, so a later poll's copy of a
// command scheduled an hour out was due at once (the command ran early), and with a pacing span longer than the
// poll interval two polls handed the same window more writes than the budget (Intune's write limit per app per
// tenant: "Microsoft Graph service-specific throttling limits", https://learn.microsoft.com/graph/throttling-limits).
// The tenant's horizon is kept on the governor row: later polls pace after it and do not re-send a waiting key.
import { describe, expect, it } from 'vitest';

import { runPoll } from '../../../shared/app/poll/run-poll.js';
import type { GovernorStore } from '../../../shared/ports/index.js';
import { azuriteForFile } from '../../support/azurite.js';
import { historyRecords, startHarness, type Harness } from '../../support/harness.js';

const MIN = 60_000;
const BUDGET = { max: 1, windowMs: 60 * MIN };

const azurite = azuriteForFile();

function poll(h: Harness, n: number, governor?: GovernorStore) {
  const deps = h.container.pollDeps();
  return runPoll(
    { ...deps, stores: { ...deps.stores, governor: governor ?? deps.stores.governor }, writePacing: BUDGET },
    h.container.pollOptions('incremental', `horizon-${n}`),
  );
}

/** The most of `times` that fall in any one window of `windowMs` (each window starting at one of them). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe('write pacing across polls', () => {
  it('three polls 5 min apart at one write per hour: nothing runs early, no window holds more than one write', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    try {
      const firstStart = new Map<string, number>();
      const handedOut: number[] = [];
      for (let n = 1; n <= 3; n += 1) {
        const before = h.queue.sent.length;
        const sentAt = h.clock.now();
        await poll(h, n);
        for (const m of h.queue.sent.slice(before)) {
          const start = m.notBefore ?? sentAt;
          handedOut.push(start);
          if (!firstStart.has(m.command.idempotencyKey)) firstStart.set(m.command.idempotencyKey, start);
        }
        await h.drainQueue();
        h.sim.clock.advance(5 * MIN);
      }
      await h.drainQueue({ waitForScheduled: true });

      expect(firstStart.size, 'the demo plans 3 writes').toBe(3);
      const attempts = (await historyRecords(h.container.stores)).filter((r) => r.type === 'attempt');
      expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(3);
      for (const a of attempts)
        expect(a.at, `${a.idempotencyKey} ran before its first scheduled time`).toBeGreaterThanOrEqual(
          firstStart.get(a.idempotencyKey ?? '') ?? Infinity,
        );
      expect(busiestWindow(handedOut, BUDGET.windowMs), 'messages handed one pacing window').toBe(1);
      const writes = h.sim.requests().filter((r) => r.kind === 'write' && r.batch === undefined);
      expect(writes).toHaveLength(3);
      // Windows are handed out from the poll's time and a write starts a little after its window opens (the poll's
      // own run time, on the simulator's running clock), so consecutive writes are a window apart, less that slack.
      const times = writes.map((w) => Date.parse(w.time)).sort((a, b) => a - b);
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
      for (const gap of gaps) expect(gap, 'ms between two Graph writes').toBeGreaterThan(BUDGET.windowMs - MIN);
    } finally {
      await h.stop();
    }
  });

  it('sends no writing command when the horizon cannot be stored, and the next poll paces them all', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    try {
      const governor = h.container.pollDeps().stores.governor;
      // Fault injection around the real (Azurite) store: the governor row cannot be written during the first poll.
      const unwritable: GovernorStore = {
        get: (tenant) => governor.get(tenant),
        put: () => Promise.reject(Object.assign(new Error('injected: governor row unwritable'), { statusCode: 503 })),
      };
      await expect(poll(h, 1, unwritable)).rejects.toThrow();
      expect(h.queue.sent, 'no hidden writes: nothing a later poll would not know about').toHaveLength(0);

      h.sim.clock.advance(5 * MIN);
      const at = h.clock.now();
      await poll(h, 2);
      // A fresh start (as with no pacing before): the first at once, then one an hour, from this poll's time.
      const [first, second, third] = h.queue.sent.map((m) => m.notBefore);
      expect(first).toBeNull();
      expect(second).toBeGreaterThanOrEqual(at + 60 * MIN);
      expect(second).toBeLessThan(at + 61 * MIN);
      expect((third ?? 0) - (second ?? 0)).toBe(60 * MIN);
    } finally {
      await h.stop();
    }
  });
});
