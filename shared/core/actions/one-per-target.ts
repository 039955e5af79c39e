import type { ActionName, CommandTarget, RemediationCommand } from '../model/index.js';
import { targetKey } from '../policy/keys.js';
import type { ActingOf, PlanContext, RemedyOf } from './types.js';

/**
 * Commands for an action that writes one target per call: one command per distinct target (the first decision on
 * it wins), keyed by the target, the finding and the attempt, so the same work queued twice has the same key.
 */
export function oneCommandPerTarget<A extends ActionName>(
  acting: readonly ActingOf<A>[],
  { tenant, make }: PlanContext,
  targetIdOf: (remedy: RemedyOf<A>) => string,
  targetOf: (remedy: RemedyOf<A>) => CommandTarget,
): RemediationCommand[] {
  const seen = new Set<string>();
  const out: RemediationCommand[] = [];
  for (const d of acting) {
    const id = targetIdOf(d.remedy);
    if (seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    const fp = d.finding.fingerprint;
    out.push(make(targetOf(d.remedy), d.mode, targetKey(tenant, d.remedy.action, id, fp, d.attempt), [fp]));
  }
  return out;
}
