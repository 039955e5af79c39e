import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApprovalRequest } from '../../../shared/core/approvals/index.js';
import { withAzurite } from '../../support/azurite.js';
import { startHarness, type Azurite } from '../../support/harness.js';
import { DEREGISTER, request } from '../../unit/app/approvals/fixtures.js';

// The approvals partition is read whole by every `approvals list` and by a sweep's proposals, and a large tenant's
// first sweep alone makes thousands of requests: without a retention they piled up for ever. The compliance sweep
// now deletes the retired ones (decided, or expired, with nothing after HISTORY_RETENTION_DAYS ago), with the history
// that records them; an open request, or one with anything recent, is kept. Real Table API (Azurite).

const DAY = 86_400_000;

describe('the compliance sweep deletes retired approval requests', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await withAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('an old rejected and an old expired request go; a pending and a recently executed one stay', async () => {
    const h = await startHarness({ scenario: 'demo', azurite, mode: 'plan', env: { HISTORY_RETENTION_DAYS: '30' } });
    try {
      const approvals = h.container.stores.approvals;
      const now = h.clock.now();
      const made = (id: string, over: Partial<ApprovalRequest>): ApprovalRequest => ({
        ...request(DEREGISTER, { fingerprint: `fp-retention-${id}`, createdAt: now - 90 * DAY, ...over }),
        expiresAt: (over.createdAt ?? now - 90 * DAY) + DAY,
        id: id.repeat(32),
      });
      const rejected = made('1', {});
      const expired = made('2', {});
      const pending = made('3', { createdAt: now - DAY / 2 });
      const executedRecently = made('4', {});
      for (const r of [rejected, expired, pending, executedRecently]) expect(await approvals.create(r)).toBe(true);
      await approvals.decide((await approvals.get(rejected.id))!, {
        status: 'rejected',
        by: 'alice',
        at: now - 80 * DAY,
      });
      await approvals.decide((await approvals.get(executedRecently.id))!, {
        status: 'approved',
        by: 'bob',
        at: now - 80 * DAY,
      });
      await approvals.recordExecution(executedRecently.id, { status: 'succeeded', detail: 'written', at: now - DAY });

      const result = await h.runCompliance();

      expect(result.retention.approvals).toBe(2);
      expect(await approvals.get(rejected.id)).toBeNull();
      expect(await approvals.get(expired.id)).toBeNull();
      expect((await approvals.get(pending.id))?.status).toBe('pending');
      expect((await approvals.get(executedRecently.id))?.execution?.status).toBe('succeeded');
      const finished = h.logs.find((e) => e.event === 'compliance.finished');
      expect(finished?.fields).toMatchObject({ approvals: 2 });
    } finally {
      await h.stop();
    }
  });
});
