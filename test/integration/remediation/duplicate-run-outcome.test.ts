// A run's outcome summary goes out when its last command has an outcome (app/remediation/run-outcome.ts). Two polls
// that plan the same work send it under the same key but different run ids; the claim lets one message act and the
// other is a duplicate. The duplicate must still give its own run the command's outcome (the completed claim's),
// or that run never completes and its summary is never sent.
import { describe, expect, it } from 'vitest';

import { runPoll } from '../../../shared/app/poll/run-poll.js';
import { azuriteForFile } from '../../support/azurite.js';
import { startHarness } from '../../support/harness.js';

const MIN = 60_000;

const azurite = azuriteForFile();

describe('a command run by another run’s message', () => {
  it('both runs get every outcome (so both complete and send their summary)', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'enforce' });
    try {
      // Paced at one write per hour; the second poll comes after the first's times passed with nothing run yet (a
      // backlog), so it sends its own copies (scheduled: not dropped by the queue's duplicate detection).
      const poll = (n: number) => {
        const deps = h.container.pollDeps();
        return runPoll(
          { ...deps, writePacing: { max: 1, windowMs: 60 * MIN } },
          h.container.pollOptions('incremental', `dup-${n}`),
        );
      };
      const first = await poll(1);
      h.sim.clock.advance(61 * MIN);
      const second = await poll(2);
      await h.drainQueue({ waitForScheduled: true });
      const secondKeys = (await h.container.stores.runOutcomes.list(second.runId)).length;
      expect(secondKeys, 'the second run re-sent commands the first had scheduled').toBeGreaterThan(0);

      for (const runId of [first.runId, second.runId]) {
        const commands = await h.container.stores.runOutcomes.list(runId);
        expect(commands.length).toBeGreaterThan(0);
        expect(
          commands.map((c) => c.status),
          `run ${runId}`,
        ).toEqual(commands.map(() => 'succeeded'));
      }
    } finally {
      await h.stop();
    }
  });
});
