// Every poll that queues commands writes a row per command into the Runs table (the run's expected commands, for its
// outcome summary) and one per key and run (the key index). Nothing deleted them: a run whose command was lost stays
// open for ever, and the table grew by every command of every run. The compliance sweep now deletes them once no
// message of theirs can arrive (the claims' cut-off), and leaves the run locks sharing the table alone.
import { describe, expect, it } from 'vitest';

import { azuriteForFile } from '../../support/azurite.js';
import { startHarness } from '../../support/harness.js';

const DAY = 86_400_000;

const azurite = azuriteForFile();

describe('the compliance sweep deletes old run outcomes', () => {
  it('a 40-day-old run (its command never finished) goes; a run of an hour ago and a 40-day-old run slot stay', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan', env: { HISTORY_RETENTION_DAYS: '30' } });
    try {
      const { runOutcomes, runs } = h.container.stores;
      const now = h.clock.now();
      expect(await runs.tryStartRun('poll:2026-10-26T10:05:00Z', now - 40 * DAY)).toBe(true);
      const sync = { idempotencyKey: 'contoso:autopilot-sync:old', action: 'autopilot-sync' as const, subjects: ['t'] };
      await runOutcomes.expect('run-old', [sync], now - 40 * DAY);
      await runOutcomes.expect(
        'run-recent',
        [{ ...sync, idempotencyKey: 'contoso:autopilot-sync:new' }],
        now - 3_600_000,
      );

      const result = await h.runCompliance();

      expect(await runOutcomes.list('run-old')).toEqual([]);
      expect(await runOutcomes.runsExpecting('contoso:autopilot-sync:old')).toEqual([]);
      expect((await runOutcomes.list('run-recent')).map((r) => r.idempotencyKey)).toEqual([
        'contoso:autopilot-sync:new',
      ]);
      expect(result.retention.runOutcomes).toBe(2);
      // A run slot taken 40 days ago lives in the same table: it is not an old run's row, and stays taken.
      expect(await runs.tryStartRun('poll:2026-10-26T10:05:00Z', now - 40 * DAY)).toBe(false);
      expect((await h.runCompliance()).retention.runOutcomes).toBe(0);
    } finally {
      await h.stop();
    }
  });
});
