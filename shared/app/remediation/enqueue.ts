import { subjectName } from '../../core/alerts/index.js';
import { isTenantWide } from '../../core/actions/index.js';
import type { Decision, RemediationCommand } from '../../core/model/index.js';
import { isActing, isEscalation, type RunPlan } from '../../core/policy/index.js';
import type { HistoryRecord } from '../../ports/index.js';
import type { EnqueueDeps } from './deps.js';
import { parkOn } from './governor-row.js';
import { sendAlert } from './record.js';
import { notYetRun, recordCompletedClaims } from './run-outcome.js';
import { handOut } from './write-horizon.js';

// The "act" hand-off of a poll: record every decision, park sync reasons on the governor row (so ten reasons
// become one call), send the commands, and raise the ONE critical alert when the blast radius was breached.

export interface EnqueueResult {
  readonly sent: number;
  readonly decisionsRecorded: number;
  readonly blastRadiusAlerted: boolean;
  readonly escalations: number;
}

export async function enqueueDecisions(
  plan: RunPlan,
  deps: EnqueueDeps,
  opts: { readonly runId?: string } = {},
): Promise<EnqueueResult> {
  const now = deps.clock.now();
  const runId = opts.runId ?? plan.commands[0]?.runId ?? 'unknown';

  // Indexes, not scans: a first sweep of a large tenant has thousands of decisions and hundreds of commands.
  const commandKeys = commandKeyIndex(plan.commands);
  const byFingerprint = new Map(plan.decisions.map((d) => [d.finding.fingerprint, d]));
  await deps.history.append(
    plan.decisions.map((d, i) =>
      decisionRecord(
        d,
        d.kind === 'remediate'
          ? (commandKeys.get(`${d.action}\u0000${d.finding.fingerprint}`) ??
              commandKeys.get(`${d.action}\u0000*`) ??
              null)
          : null,
        runId,
        now,
        i,
      ),
    ),
  );

  let blastRadiusAlerted = false;
  if (plan.blastRadius.exceeded) {
    const br = plan.blastRadius;
    await sendAlert(deps, {
      kind: 'blast-radius',
      severity: 'critical',
      title: 'Remediation run switched to plan mode: blast radius exceeded',
      summary: `${br.reason ?? 'limit exceeded'}. Nothing was written to the tenant; review the planned actions in history.`,
      dedupeKey: `blast-radius:${runId}`,
      facts: {
        targets: br.targets,
        devices: br.devices,
        percent: br.percent ?? 'unknown',
        fleetSize: br.fleet.size ?? 'unknown',
        fleet: br.fleet.source,
        limitDevices: br.limit.devices,
        limitPercent: br.limit.percent,
        limitMinDevices: br.limit.minDevices,
        runId,
      },
    });
    blastRadiusAlerted = true;
  }

  const sync = plan.commands.find((c) => c.target.action === 'autopilot-sync' && c.mode === 'enforce');
  // Every reason the run syncs for, not only the sample its command lists (core/governor/pending-reasons.ts).
  const syncReasons =
    sync === undefined
      ? []
      : plan.decisions
          .filter((d) => isActing(d) && d.remedy.action === 'autopilot-sync')
          .map((d) => d.finding.fingerprint);
  // Commands an earlier message already ran are left out first, so they take no place in the pacing either.
  const planned = await notYetRun(deps, plan.commands);
  const writing = planned.filter((c) => c.mode === 'enforce');
  const startAt = await handOut(deps, {
    park: sync === undefined ? null : (g) => parkOn(g, syncReasons, Date.parse(sync.createdAt)),
    writing,
    budget: deps.writePacing ?? null,
    now,
  });
  // A writing command an earlier poll scheduled for later is not sent again (its message is queued already).
  const toSend =
    startAt === null ? planned : planned.filter((c) => c.mode !== 'enforce' || startAt.has(c.idempotencyKey));

  // Before sending: the worker that finishes the last of these commands sends the run's outcome summary. A command
  // whose message ran since notYetRun read its claim gets its outcome here, or its dropped re-send would leave the
  // run open.
  let ranMeanwhile = 0;
  if (toSend.length > 0) {
    await deps.runOutcomes.expect(
      runId,
      toSend.map((c) => ({
        idempotencyKey: c.idempotencyKey,
        action: c.action,
        subjects: subjectsOf(c, byFingerprint),
      })),
      now,
    );
    ranMeanwhile = await recordCompletedClaims(deps, runId, toSend, now);
  }
  for (const command of toSend) await deps.queue.send(command, startAt?.get(command.idempotencyKey) ?? null);
  const paced = toSend.filter((c) => c.mode === 'enforce' && (startAt?.get(c.idempotencyKey) ?? null) !== null).length;
  deps.logger.info('remediation.enqueued', {
    runId,
    commands: toSend.length,
    paced,
    alreadyScheduled: planned.length - toSend.length,
    alreadyRun: plan.commands.length - planned.length,
    ranMeanwhile,
    decisions: plan.decisions.length,
    blastRadius: plan.blastRadius.exceeded,
    blastRadiusBasis: plan.blastRadius.basis,
  });
  return {
    sent: toSend.length,
    decisionsRecorded: plan.decisions.length,
    blastRadiusAlerted,
    escalations: plan.decisions.filter(isEscalation).length,
  };
}

/** What a person reads for each target of a command: the names of the findings it answers. */
function subjectsOf(command: RemediationCommand, byFingerprint: ReadonlyMap<string, Decision>): string[] {
  if (isTenantWide(command.action)) return ['the tenant'];
  const labels = command.reasons.flatMap((fp) => {
    const d = byFingerprint.get(fp);
    return d ? [subjectName(d.finding.subject, d.finding.evidence)] : [];
  });
  return [...new Set(labels)];
}

/**
 * `action NUL fingerprint` → the idempotency key of the first command of that action answering it; `action NUL *` →
 * the one command of a tenant-wide action, which answers all its reasons, also those it does not list (the sync).
 */
function commandKeyIndex(commands: readonly RemediationCommand[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const c of commands) {
    if (isTenantWide(c.action) && !index.has(`${c.action}\u0000*`)) index.set(`${c.action}\u0000*`, c.idempotencyKey);
    for (const fp of c.reasons) {
      const key = `${c.action}\u0000${fp}`;
      if (!index.has(key)) index.set(key, c.idempotencyKey);
    }
  }
  return index;
}

function decisionRecord(d: Decision, key: string | null, runId: string, at: number, index: number): HistoryRecord {
  return {
    subjectKey: d.finding.subject.key,
    at,
    id: `${runId}|decision|${d.finding.code}|${index}`,
    runId,
    type: 'decision',
    action: d.action,
    code: d.finding.code,
    idempotencyKey: key,
    mode: d.mode,
    status: d.kind,
    reason: d.reason,
    attempt: d.attempt,
    graphRequestId: null,
    // The evidence is on the finding's row (same subject and code); the decision names which sighting it was.
    before: { fingerprint: d.finding.fingerprint, notBefore: d.notBefore },
    after: null,
  };
}
