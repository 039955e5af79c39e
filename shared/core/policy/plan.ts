import type { CommandTarget, Decision, Mode, RemediationCommand } from '../model/index.js';
import { memberBatchKey, syncKey, targetKey } from './keys.js';
import { blastRadiusOf, isActing } from './blast-radius.js';
import type { BlastRadius, Fleet, PolicySettings } from './types.js';

// Turns one run's decisions into queue commands: all sync reasons -> ONE command, group adds batched per
// group (≤ 20 members, the Graph limit for members@odata.bind), one command per other target. If the run
// would act on more than the blast-radius limits allow (blast-radius.ts), the WHOLE run drops to plan mode.

export const MAX_MEMBERS_PER_COMMAND = 20;

export interface RunPlan {
  readonly commands: readonly RemediationCommand[];
  readonly decisions: readonly Decision[];
  readonly blastRadius: BlastRadius;
}

type Acting = Decision & { readonly remedy: NonNullable<Decision['remedy']> };

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
          ? { ...d, mode: 'plan' as const, reason: `${d.reason}; switched to plan: blast radius exceeded (${blastRadius.reason})` }
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
  const commands: RemediationCommand[] = [];

  const syncs = acting.filter((d) => d.remedy.action === 'autopilot-sync');
  if (syncs.length > 0) {
    const mode: Mode = syncs.some((d) => d.mode === 'enforce') ? 'enforce' : 'plan';
    commands.push(make({ action: 'autopilot-sync' }, mode, syncKey(tenant, now), syncs.map((d) => d.finding.fingerprint)));
  }

  const seen = new Set<string>();
  const groups = new Map<string, { groupId: string; mode: Mode; members: Map<string, { d: Acting; objectId: string; serialNumber: string | null }> }>();
  for (const d of acting) {
    const r = d.remedy;
    const fp = d.finding.fingerprint;
    if (r.action === 'allow-next-enrollment') {
      const id = `${r.action}|${r.autopilotId.toLowerCase()}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const target = { action: r.action, autopilotId: r.autopilotId, serialNumber: r.serialNumber };
      commands.push(make(target, d.mode, targetKey(tenant, r.action, r.autopilotId, fp, d.attempt), [fp]));
    } else if (r.action === 'restore-device-prep-owner') {
      const id = `${r.action}|${r.groupId.toLowerCase()}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const target = { action: r.action, groupId: r.groupId, servicePrincipalId: r.servicePrincipalId };
      commands.push(make(target, d.mode, targetKey(tenant, r.action, r.groupId, fp, d.attempt), [fp]));
    } else if (r.action === 'add-to-device-prep-group') {
      const gk = `${r.groupId.toLowerCase()}|${d.mode}`;
      const g = groups.get(gk) ?? { groupId: r.groupId, mode: d.mode, members: new Map() };
      groups.set(gk, g);
      if (!g.members.has(r.objectId.toLowerCase())) g.members.set(r.objectId.toLowerCase(), { d, objectId: r.objectId, serialNumber: r.serialNumber });
    }
  }

  for (const g of groups.values()) {
    const members = [...g.members.values()].sort((a, b) => (a.objectId.toLowerCase() < b.objectId.toLowerCase() ? -1 : 1));
    for (let i = 0; i < members.length; i += MAX_MEMBERS_PER_COMMAND) {
      const chunk = members.slice(i, i + MAX_MEMBERS_PER_COMMAND);
      const key = memberBatchKey(
        tenant,
        g.groupId,
        chunk.map((m) => ({ objectId: m.objectId, fingerprint: m.d.finding.fingerprint, attempt: m.d.attempt })),
      );
      const target = {
        action: 'add-to-device-prep-group' as const,
        groupId: g.groupId,
        members: chunk.map((m) => ({ objectId: m.objectId, serialNumber: m.serialNumber })),
      };
      commands.push(make(target, g.mode, key, chunk.map((m) => m.d.finding.fingerprint)));
    }
  }
  return { commands, decisions: final, blastRadius };
}
