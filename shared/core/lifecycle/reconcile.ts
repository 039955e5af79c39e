import type { Finding } from '../model/index.js';

// Open → resolved lifecycle. Pure: given what is stored as open and what this run found, say what to
// write. A finding is resolved only when it is absent AND this run could see its subject (`covers`), so an
// incremental poll never "resolves" something it did not look at.

export interface StoredFinding {
  readonly subjectKey: string;
  readonly code: string;
  readonly fingerprint: string;
  readonly severity: Finding['severity'];
  readonly title: string;
  readonly status: 'open' | 'resolved';
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly resolvedAt: number | null;
  readonly attempts: number;
  readonly lastAttemptAt: number | null;
}

export interface Reconciliation<T extends StoredFinding> {
  /** New problems (no open record for subject+code), or an open one whose defining fields changed. */
  readonly opened: readonly Finding[];
  /** Open records whose problem is gone. */
  readonly resolved: readonly T[];
  /** Findings that were open before and still are, unchanged (fingerprint equal). */
  readonly continuing: readonly { readonly finding: Finding; readonly record: T }[];
  /** Open records with a changed fingerprint (severity escalation, new error code): re-opened as new. */
  readonly changed: readonly { readonly finding: Finding; readonly record: T }[];
}

export function findingId(subjectKey: string, code: string): string {
  return `${subjectKey}\u0000${code}`;
}

export function reconcile<T extends StoredFinding>(
  open: readonly T[],
  current: readonly Finding[],
  covers: (code: string, subjectKey: string) => boolean,
): Reconciliation<T> {
  const openById = new Map(open.filter((r) => r.status === 'open').map((r) => [findingId(r.subjectKey, r.code), r]));
  const seen = new Set<string>();
  const opened: Finding[] = [];
  const continuing: { finding: Finding; record: T }[] = [];
  const changed: { finding: Finding; record: T }[] = [];
  for (const finding of current) {
    const id = findingId(finding.subject.key, finding.code);
    if (seen.has(id)) continue; // a detector reporting the same problem twice in one run is one finding
    seen.add(id);
    const record = openById.get(id);
    if (!record) opened.push(finding);
    else if (record.fingerprint === finding.fingerprint) continuing.push({ finding, record });
    else changed.push({ finding, record });
  }
  const resolved = [...openById.entries()]
    .filter(([id, r]) => !seen.has(id) && covers(r.code, r.subjectKey))
    .map(([, r]) => r);
  return { opened, resolved, continuing, changed };
}
