import { DAY_MS } from '../../core/policy/index.js';
import type { HistoryStore } from '../../ports/index.js';

// The tenant's recent Autopilot syncs, for SYNC_MAX_PER_DAY: the poll plans no sync past it (poll/run-poll.ts) and
// the worker defers one that would be (remediation/sync.ts).

/** How many Autopilot syncs one look-up reads at most (the service allows one per 10 minutes: 144 a day). */
const SYNC_HISTORY_ROWS = 500;

/**
 * When the Autopilot syncs this product triggered in the last 24 h happened: the tenant partition's enforce
 * outcomes of autopilot-sync that the service accepted (204). One query per run, whatever the number of reasons.
 */
export async function recentSyncTimes(history: HistoryStore, now: number): Promise<number[]> {
  const page = await history.query({
    subjectKey: 'tenant',
    type: 'outcome',
    action: 'autopilot-sync',
    status: 'succeeded',
    since: now - DAY_MS,
    limit: SYNC_HISTORY_ROWS,
  });
  return page.items
    .filter((h) => h.mode === 'enforce' && h.action === 'autopilot-sync' && h.status === 'succeeded')
    .map((h) => h.at);
}
