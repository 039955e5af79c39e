import type { Evidence, EvidenceValue, Finding } from '../../core/model/index.js';
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
    ...findingColumns(f),
  };
}

/** The finding's one stored copy of what was observed, what it is about and the fix it asks for. */
export function findingColumns(f: Finding): Pick<FindingRecord, 'evidence' | 'subject' | 'remedy'> {
  return { evidence: toJson(f.evidence), subject: f.subject, remedy: f.remedy };
}

/**
 * A finding opened or resolved. The row names the finding's fingerprint; the evidence itself lives once, on the
 * finding's own row (FindingRecord), whose key (subject, code) the history row shares.
 */
export function lifecycleHistory(
  type: 'finding-opened' | 'finding-resolved',
  rec: { subjectKey: string; code: string; fingerprint: string; severity: string; title: string; attempts?: number },
  runId: string,
  now: number,
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
    before: type === 'finding-resolved' ? { fingerprint: rec.fingerprint } : null,
    after: type === 'finding-opened' ? { fingerprint: rec.fingerprint } : null,
  };
}

/** A stored row as the alert builders' FindingLike (resolved findings exist only as rows). */
export function recordAsFinding(r: FindingRecord): Finding {
  return {
    code: r.code,
    subject: r.subject ?? { kind: 'tenant', key: 'tenant' },
    severity: r.severity,
    title: r.title,
    evidence: storedEvidence(r.evidence),
    fingerprint: r.fingerprint,
    remedy: r.remedy ?? null,
  };
}

/** Stored evidence as a finding's: detectors record flat values only, so anything else is not theirs. */
export function storedEvidence(evidence: Json): Evidence {
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence)) return {};
  const out: Record<string, EvidenceValue> = {};
  for (const [k, v] of Object.entries(evidence)) if (v === null || typeof v !== 'object') out[k] = v;
  return out;
}
