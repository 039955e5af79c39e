import type { Finding } from '../../core/model/index.js';
import type { FindingRecord, HistoryRecord, Json } from '../../ports/index.js';
import { toJson } from '../../ports/json.js';

// Mapping between this run's findings and the stored lifecycle rows / history rows.

/** Continuing findings get their lastSeenAt refreshed at most this often (a poll every 5 min must not rewrite every open row). */
export const LAST_SEEN_REFRESH_MS = 60 * 60_000;

export function openedRecord(f: Finding, now: number, previous?: FindingRecord): FindingRecord {
  return {
    subjectKey: f.subject.key,
    code: f.code,
    fingerprint: f.fingerprint,
    severity: f.severity,
    title: f.title,
    status: 'open',
    // A changed problem (new fingerprint) keeps its first sighting and its attempts: it is the same device's trouble.
    firstSeenAt: previous?.firstSeenAt ?? now,
    lastSeenAt: now,
    resolvedAt: null,
    attempts: previous?.attempts ?? 0,
    lastAttemptAt: previous?.lastAttemptAt ?? null,
    evidence: toJson({ ...f.evidence, subject: f.subject, remedy: f.remedy }),
  };
}

export function lifecycleHistory(
  type: 'finding-opened' | 'finding-resolved',
  rec: { subjectKey: string; code: string; fingerprint: string; severity: string; title: string; attempts?: number },
  runId: string,
  now: number,
  evidence: Json,
): HistoryRecord {
  return {
    subjectKey: rec.subjectKey,
    at: now,
    id: `${runId}|${type}|${rec.code}`,
    runId,
    type,
    action: null,
    code: rec.code,
    idempotencyKey: null,
    mode: null,
    status: type === 'finding-opened' ? 'open' : 'resolved',
    reason: type === 'finding-opened' ? `${rec.severity}: ${rec.title}` : `no longer observed: ${rec.title}`,
    // On a resolution: the remediation attempts it had, so "resolved on its own" (0) can be counted later.
    attempt: type === 'finding-resolved' ? (rec.attempts ?? 0) : 0,
    graphRequestId: null,
    before: type === 'finding-resolved' ? evidence : null,
    after: type === 'finding-opened' ? evidence : { fingerprint: rec.fingerprint },
  };
}

/** A stored row as the alert builders' FindingLike (resolved findings exist only as rows). */
export function recordAsFinding(r: FindingRecord): Finding {
  const ev = (r.evidence ?? {}) as Record<string, unknown>;
  const subject = (ev.subject as Finding['subject'] | undefined) ?? { kind: 'tenant', key: 'tenant' };
  const evidence = Object.fromEntries(
    Object.entries(ev).filter(
      ([k, v]) =>
        k !== 'subject' && k !== 'remedy' && (v === null || ['string', 'number', 'boolean'].includes(typeof v)),
    ),
  ) as Finding['evidence'];
  return {
    code: r.code,
    subject,
    severity: r.severity,
    title: r.title,
    evidence,
    fingerprint: r.fingerprint,
    remedy: null,
  };
}
