import { actionModule } from '../actions/index.js';
import { ACTIONS, type CommandTarget, type Decision, type Mode, type RemediationCommand } from '../model/index.js';
import { blastRadiusOf, isActing } from './blast-radius.js';
import type { BlastRadius, Fleet, PolicySettings } from './types.js';

// Turns one run's decisions into queue commands: all sync reasons -> ONE command, group adds batched per
// group (≤ 20 members, the Graph limit for members@odata.bind), one command per other target. If the run
// would act on more than the blast-radius limits allow (blast-radius.ts), the WHOLE run drops to plan mode.

export { MAX_MEMBERS_PER_COMMAND } from '../actions/index.js';

export interface RunPlan {
  readonly commands: readonly RemediationCommand[];
  readonly decisions: readonly Decision[];
  readonly blastRadius: BlastRadius;
}

export function planRun(
  decisions: readonly Decision[],
  fleet: Fleet,
  policy: PolicySettings,
  tenant: string,
  runId: string,
  now: number,
): RunPlan {
  const blastRadius = blastRadiusOf(decisions, fleet, policy);
  const final = blastRadius.exceeded
    ? decisions.map((d) =>
        isActing(d) && d.mode === 'enforce'
          ? {
              ...d,
              mode: 'plan' as const,
              reason: `${d.reason}; switched to plan: blast radius exceeded (${blastRadius.reason})`,
            }
          : d,
      )
    : decisions;
  const createdAt = new Date(now).toISOString();
  // Plan and enforce runs of the same work get different keys: switching a mode on must not meet the plan
  // run's completed claim (or its payload hash, which covers the mode) under the same key.
  const make = (target: CommandTarget, mode: Mode, key: string, reasons: readonly string[]): RemediationCommand => ({
    schemaVersion: 1,
    idempotencyKey: mode === 'plan' ? `${key}-plan` : key,
    action: target.action,
    tenant,
    mode,
    target,
    reasons: [...new Set(reasons)].sort(),
    runId,
    createdAt,
  });
  const acting = final.filter(isActing);
  // Each action's module turns its decisions into commands: one per target, coalesced (sync) or batched (group adds).
  const commands = ACTIONS.flatMap((action) =>
    actionModule(action).commands(
      acting.filter((d) => d.remedy.action === action),
      { tenant, now, make },
    ),
  );
  return { commands, decisions: final, blastRadius };
}
