import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withAzurite } from '../../support/azurite.js';
import { startHarness, type Azurite } from '../../support/harness.js';

// Issue 18: a slow run names its slow part. poll.finished carries the wall time of each phase (reads, detection, the
// caller's figures from the snapshot, lifecycle rows, decisions, queueing, proposals, alerts), one after another, so
// they add up to the run's `ms`. The
// harness's clock is the simulator's, which moves only when the app waits: a full sweep waits for the device
// preparation report export (1 s, then 2 s between polls), so its reads take at least those 3 s.

const PHASES = ['readMs', 'detectMs', 'figuresMs', 'recordMs', 'decideMs', 'enqueueMs', 'proposeMs', 'alertMs'];

describe('poll.finished names where the run spent its time', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('a full sweep logs every phase; they add up to the run and the export waits fall in the reads', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      await h.runPoll('full');
      const finished = h.logs.filter((e) => e.event === 'poll.finished');
      expect(finished).toHaveLength(1);
      const fields = finished[0]!.fields ?? {};
      for (const p of PHASES) expect(fields[p], p).toBeTypeOf('number');
      const sum = PHASES.reduce((n, p) => n + (fields[p] as number), 0);
      expect(sum).toBe(fields['ms']);
      expect(fields['readMs'] as number).toBeGreaterThanOrEqual(3_000);
    } finally {
      await h.stop();
    }
  });

  it('a compliance sweep adds its report, digest and retention phases to compliance.finished', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan' });
    try {
      await h.runCompliance();
      const finished = h.logs.filter((e) => e.event === 'compliance.finished');
      expect(finished).toHaveLength(1);
      for (const p of ['reportMs', 'digestMs', 'retentionMs']) expect(finished[0]!.fields?.[p], p).toBeTypeOf('number');
    } finally {
      await h.stop();
    }
  });
});
