import { parkReasons, sameReasons } from '../../core/governor/index.js';
import type { GovernorState } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';

// Read-modify-write of the tenant's governor row with ETag conditions. Conflicts are normal (several
// instances, several commands): re-read and re-apply, a bounded number of times.

const MAX_TRIES = 8;

export class GovernorContentionError extends Error {
  constructor(tenant: string) {
    super(`the sync governor row for ${tenant} kept changing under us (${MAX_TRIES} conflicting writes)`);
    this.name = 'GovernorContentionError';
  }
}

/** Apply `change` to the current row; `change` may return null to leave the row alone. */
export async function updateGovernor(
  deps: Pick<RemediationDeps, 'governor' | 'tenant'>,
  change: (current: GovernorState) => GovernorState | null,
): Promise<GovernorState> {
  for (let i = 0; i < MAX_TRIES; i += 1) {
    const current = await deps.governor.get(deps.tenant);
    const next = change(current);
    if (next === null) return current;
    const written = await deps.governor.put(next);
    if (written !== null) return written;
  }
  throw new GovernorContentionError(deps.tenant);
}

/** Park `reasons` planned at `plannedAt` on the row; null (no write) when they were all waiting already. */
export function parkOn(g: GovernorState, reasons: readonly string[], plannedAt: number): GovernorState | null {
  const next = parkReasons(g, reasons, plannedAt);
  return sameReasons(g, next) ? null : { ...g, ...next };
}
