import type { PollResult } from '../../shared/app/poll/run-poll.js';
import type { Outcome, RemediationCommand } from '../../shared/core/model/index.js';

// The machine-readable result of `sweep --json` (schemaVersion 1). Field names are a contract for scripts.

export interface ActionRecord {
  readonly command: RemediationCommand;
  readonly outcome: Outcome;
}

export interface PendingMessage {
  readonly messageId: string;
  readonly visibleAt: number;
}

/** A command the in-process queue gave up on after its last delivery: it did not complete. */
export interface DeadLetteredCommand {
  readonly command: RemediationCommand;
  readonly reason: string;
  readonly description: string;
  readonly deliveryCount: number;
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function sweepView(
  poll: PollResult,
  actions: readonly ActionRecord[],
  pending: readonly PendingMessage[],
  extra: { plan: boolean; scenario: string | null; deadLettered?: readonly DeadLetteredCommand[] },
) {
  const s = poll.observed;
  const opened = new Set(poll.opened.map((f) => f.fingerprint));
  const deferredOutcomes = actions.filter((a) => a.outcome.status === 'deferred');
  return {
    schemaVersion: 1,
    runId: poll.runId,
    kind: poll.kind,
    plan: extra.plan,
    embeddedScenario: extra.scenario,
    startedAt: iso(poll.startedAt),
    finishedAt: iso(poll.finishedAt),
    reads: {
      identities: s.identities,
      events: s.events,
      newEvents: poll.newEvents,
      devicePrepGroups: s.devicePrepGroups,
      entraDevices: s.entraDevices,
      managedDevices: s.managedDevices,
      devicePrepDeployments: s.devicePrepDeployments,
      /** Records skipped because they cannot be used (each is also an AP_TENANT_RECORD_UNUSABLE finding). */
      unusableRecords: s.unusableRecords.length,
    },
    findings: poll.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      subject: f.subject,
      title: f.title,
      fingerprint: f.fingerprint,
      new: opened.has(f.fingerprint),
      remediation: f.remedy?.action ?? null,
    })),
    resolved: poll.resolved.map((r) => ({
      code: r.code,
      subjectKey: r.subjectKey,
      title: r.title,
      /** The remediation an earlier run applied, now verified by this run's read (null: it cleared on its own). */
      fixedBy: r.attempts > 0 ? (r.remedy?.action ?? 'remediation') : null,
    })),
    decisions: poll.plan.decisions.map((d) => ({
      code: d.finding.code,
      subjectKey: d.finding.subject.key,
      kind: d.kind,
      action: d.action,
      mode: d.mode,
      reason: d.reason,
      notBefore: iso(d.notBefore),
    })),
    actions: actions.map((a) => ({
      idempotencyKey: a.command.idempotencyKey,
      action: a.command.action,
      mode: a.command.mode,
      target: a.command.target,
      status: a.outcome.status,
      detail: a.outcome.detail,
      graphRequestId: a.outcome.graphRequestId,
      retryAt: iso(a.outcome.retryAt),
    })),
    deferrals: [
      ...deferredOutcomes.map((a) => ({
        action: a.command.action,
        until: iso(a.outcome.retryAt),
        reason: a.outcome.detail,
      })),
      ...poll.plan.decisions
        .filter((d) => d.kind === 'defer')
        .map((d) => ({ action: d.action, until: iso(d.notBefore), reason: d.reason })),
    ],
    scheduled: pending.map((p) => ({ messageId: p.messageId, at: iso(p.visibleAt) })),
    // Non-empty = the run did not complete its work (the CLI exits 1).
    deadLettered: (extra.deadLettered ?? []).map((d) => ({
      idempotencyKey: d.command.idempotencyKey,
      action: d.command.action,
      mode: d.command.mode,
      target: d.command.target,
      reason: d.reason,
      description: d.description,
      deliveryCount: d.deliveryCount,
    })),
    blastRadius: poll.plan.blastRadius,
    alerts: poll.alerts,
  };
}

export type SweepView = ReturnType<typeof sweepView>;
