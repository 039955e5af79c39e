import { paceAfter, type WriteBudget } from '../../core/governor/index.js';
import type { RemediationCommand } from '../../core/model/index.js';
import type { GovernorState } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';
import { updateGovernor } from './governor-row.js';

// The poll's one write of the tenant's governor row before it sends: the sync reasons it parks and the write
// pacing it hands out (core/governor/write-pacing.ts), in one ETag-conditional write. The horizon is stored
// BEFORE any message goes out: if it cannot be, this throws and the poll sends nothing (no write a later poll
// does not know about); its commands are planned again by the next poll.

export interface GovernorHandOut {
  /** Sync reasons to park (null: no sync this run). */
  readonly park: ((g: GovernorState) => GovernorState | null) | null;
  /** The run's writing commands and the budget to pace them by (null: not paced here, all sent at once). */
  readonly writing: readonly RemediationCommand[];
  readonly budget: WriteBudget | null;
  readonly now: number;
}

/**
 * When each writing command to send may start (null: now), by idempotency key; null when nothing is paced (send
 * everything at once). A writing command whose key is absent is already scheduled by an earlier poll for a later
 * time: it is not sent again.
 */
export async function handOut(
  deps: Pick<RemediationDeps, 'governor' | 'tenant'>,
  h: GovernorHandOut,
): Promise<ReadonlyMap<string, number | null> | null> {
  const { budget } = h;
  const paced = budget !== null && h.writing.length > 0;
  if (h.park === null && !paced) return null;
  let startAt: ReadonlyMap<string, number | null> | null = null;
  const keys = h.writing.map((c) => c.idempotencyKey);
  await updateGovernor(deps, (g) => {
    // Re-run on every ETag conflict: the schedule is always the one of the row it is written over.
    const parked = h.park?.(g) ?? null;
    if (!paced) return parked;
    const pacing = paceAfter(keys, budget, h.now, g.pacing);
    startAt = pacing.startAt;
    return pacing.horizon === null ? parked : { ...(parked ?? g), pacing: pacing.horizon };
  });
  return startAt;
}
