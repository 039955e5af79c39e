// A claim is what absorbs a second message of the same idempotency key. The compliance sweep deleted claims older
// than HISTORY_RETENTION_DAYS (as little as 1 day), while messages of a claimed key could still arrive later: until a
// paced command's first copy runs, every poll schedules another copy of it (up to the pacing span later, which a small
// GRAPH_WRITE_BUDGET and a large BLAST_RADIUS_MAX_DEVICES stretch past a day), and each is redelivered for up to the
// queue's 1-day message time-to-live. A copy that met no claim ran again. Claims now outlive that (core/claims.ts).
import { describe, expect, it } from 'vitest';

import { azuriteForFile } from '../../support/azurite.js';
import { startHarness } from '../../support/harness.js';

const HOUR = 3_600_000;

const azurite = azuriteForFile();

describe('the compliance sweep keeps a claim while a message of its key can still arrive', () => {
  it('HISTORY_RETENTION_DAYS=1 with writes paced over 28 h: a 30-hour-old claim stays, a 60-hour-old one goes', async () => {
    const h = await startHarness({
      scenario: 'demo',
      azurite,
      mode: 'plan',
      // 50,000 writes at 10 per 20 s: the last starts 4,999 windows (27.8 h) after the first.
      env: { HISTORY_RETENTION_DAYS: '1', GRAPH_WRITE_BUDGET: '10/20', BLAST_RADIUS_MAX_DEVICES: '50000' },
    });
    try {
      const claims = h.container.stores.claims;
      const now = h.clock.now();
      const take = async (key: string, at: number) => {
        const input = { action: 'allow-next-enrollment', key, payloadHash: 'h', owner: 'w', now: at, ttlMs: 600_000 };
        const result = await claims.claim(input);
        if (result.kind !== 'claimed') throw new Error(`not claimed: ${result.kind}`);
        expect(await claims.complete(result.claim, { status: 'succeeded' }, at)).toBe(true);
      };
      await take('contoso:allow-next-enrollment:SN-1:fp-a1', now - 30 * HOUR);
      await take('contoso:allow-next-enrollment:SN-2:fp-a1', now - 60 * HOUR);

      const result = await h.runCompliance();

      expect((await claims.get('allow-next-enrollment', 'contoso:allow-next-enrollment:SN-1:fp-a1'))?.status).toBe(
        'completed',
      );
      expect(await claims.get('allow-next-enrollment', 'contoso:allow-next-enrollment:SN-2:fp-a1')).toBeNull();
      expect(result.retention.claims).toBe(1);
    } finally {
      await h.stop();
    }
  });
});
