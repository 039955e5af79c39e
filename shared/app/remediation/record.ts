import { actionModule } from '../../core/actions/index.js';
import type {
  Alert,
  CommandTarget,
  Outcome,
  OutcomeStatus,
  RemediationCommand,
  Severity,
} from '../../core/model/index.js';
import { ensureError, type HistoryRecord } from '../../ports/index.js';
import type { RemediationDeps } from './deps.js';
import { toJson } from '../../ports/json.js';

// Recording helpers shared by the targeted and sync paths: history rows, finding attempts, alerts. Alerts
// never fail a remediation (the outcome is already decided and recorded when they go out).

type RecordDeps = Pick<RemediationDeps, 'history' | 'findings' | 'alerts' | 'clock' | 'logger' | 'owner' | 'tenant'>;

/**
 * History partitions a command touches: device serials, Entra object ids, a group, or the tenant. Keyed exactly
 * as the detectors key the findings the command answers (serial upper-case, ids lower-case), so the finding
 * records — and their attempt counts — are found again. Device-preparation devices are keyed by their Entra
 * object id even when a serial is known (the serial is only read on some runs; see entraDeviceKey).
 */
export function subjectKeysOf(target: CommandTarget): string[] {
  return actionModule(target.action).subjectKeys(target);
}

export function makeOutcome(
  status: OutcomeStatus,
  detail: string,
  extra: Partial<Omit<Outcome, 'status' | 'detail'>> = {},
): Outcome {
  return { status, detail, before: null, after: null, graphRequestId: null, retryAt: null, ...extra };
}

/** Attempt numbers per subject: stored attempts of the findings this command answers, plus one. */
export async function attemptsFor(deps: RecordDeps, command: RemediationCommand): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const subject of new Set(subjectKeysOf(command.target))) {
    try {
      const records = await deps.findings.listBySubject(subject);
      const mine = records.filter((r) => command.reasons.includes(r.fingerprint));
      out.set(subject, Math.max(0, ...mine.map((r) => r.attempts)) + 1);
    } catch (err) {
      deps.logger.warn('remediation.attempts-unreadable', {
        key: command.idempotencyKey,
        error: ensureError(err).message,
      });
      out.set(subject, 1);
    }
  }
  return out;
}

/** Count a real attempt on the findings this command answers (enforce mode only; plan never counts). */
export async function bumpAttempts(deps: RecordDeps, command: RemediationCommand, now: number): Promise<void> {
  for (const subject of new Set(subjectKeysOf(command.target))) {
    const records = await deps.findings.listBySubject(subject);
    const mine = records.filter((r) => command.reasons.includes(r.fingerprint));
    if (mine.length === 0) continue;
    await deps.findings.upsertMany(mine.map((r) => ({ ...r, attempts: r.attempts + 1, lastAttemptAt: now })));
  }
}

export interface OutcomeRow {
  readonly subjectKey: string;
  readonly outcome: Outcome;
  /** Distinguishes several rows of one command in one partition (e.g. per member). */
  readonly part?: string;
}

export function outcomeRecord(
  deps: RecordDeps,
  command: RemediationCommand,
  row: OutcomeRow,
  at: number,
  attempt: number,
): HistoryRecord {
  return {
    subjectKey: row.subjectKey,
    at,
    id: [command.idempotencyKey, row.outcome.status, deps.owner, row.part].filter((p) => p !== undefined).join('|'),
    runId: command.runId,
    type: 'outcome',
    action: command.action,
    code: null,
    idempotencyKey: command.idempotencyKey,
    mode: command.mode,
    status: row.outcome.status,
    reason: row.outcome.detail,
    attempt,
    graphRequestId: row.outcome.graphRequestId,
    before: toJson(row.outcome.before),
    after: toJson(row.outcome.after),
  };
}

/**
 * The outcome rows to append, each history key (subject, id) once: the first row for a key wins. A batch append
 * that names one key twice is refused whole by Table Storage (InvalidDuplicateRow), and here that happens after the
 * tenant write, so the outcome would be lost and the message retried for ever. The message checks refuse a target
 * that repeats a subject; this keeps any that slips through from losing its record.
 */
export function outcomeRecords(
  deps: RecordDeps,
  command: RemediationCommand,
  rows: readonly OutcomeRow[],
  at: number,
  attemptOf: (subjectKey: string) => number,
): HistoryRecord[] {
  const seen = new Set<string>();
  return rows.flatMap((row) => {
    const record = outcomeRecord(deps, command, row, at, attemptOf(row.subjectKey));
    const key = JSON.stringify([record.subjectKey, record.id]);
    if (seen.has(key)) return [];
    seen.add(key);
    return [record];
  });
}

export async function sendAlert(
  deps: Pick<RemediationDeps, 'alerts' | 'clock' | 'logger' | 'tenant'>,
  alert: Omit<Alert, 'tenant' | 'at' | 'items'> & Partial<Pick<Alert, 'items'>>,
): Promise<void> {
  const full: Alert = { items: [], ...alert, tenant: deps.tenant, at: deps.clock.now() };
  try {
    const result = await deps.alerts.send(full);
    if (!result.delivered)
      deps.logger.warn('remediation.alert-not-delivered', { channel: result.channel, status: result.status });
  } catch (err) {
    deps.logger.error('remediation.alert-failed', { dedupeKey: full.dedupeKey, error: ensureError(err).message });
  }
}

const ALERTING: Partial<Record<OutcomeStatus, Severity>> = { 'failed-permanent': 'error', refused: 'warning' };

/** One alert for an outcome that needs a person (permanent failure, refusal), none otherwise. */
export async function alertForOutcome(deps: RecordDeps, command: RemediationCommand, outcome: Outcome): Promise<void> {
  const severity = ALERTING[outcome.status];
  if (severity === undefined) return;
  await sendAlert(deps, {
    kind: 'remediation-failed',
    severity,
    title: `Remediation ${command.action} ${outcome.status === 'refused' ? 'refused' : 'failed'}`,
    summary: outcome.detail,
    dedupeKey: `remediation:${command.idempotencyKey}:${outcome.status}`,
    facts: {
      action: command.action,
      mode: command.mode,
      idempotencyKey: command.idempotencyKey,
      subjects: subjectKeysOf(command.target).length,
      graphRequestId: outcome.graphRequestId ?? 'none',
    },
  });
}
