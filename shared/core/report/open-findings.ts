import type { CatalogEntry } from '../catalog/types.js';
import { findingId } from '../lifecycle/reconcile.js';
import { SEVERITIES, severityRank } from '../model/index.js';
import type { Finding, Severity } from '../model/index.js';
import type { FindingRecordLike } from './inputs.js';
import { cmp, FirstN, MINUTE_MS, recordOf } from './rows.js';
import type { ComplianceLists, ComplianceSummary, OpenFindingRow } from './types.js';

type Lookup = (code: string) => CatalogEntry | null | undefined;

/**
 * Findings open now (see ComplianceSummary.openFindings). The store knows how long a problem has been open;
 * this sweep's detection knows the current severity and title, and catches findings the store has not
 * recorded yet (the caller may build the report before or after upserting them).
 */
export function openFindingFigures(
  records: readonly FindingRecordLike[],
  findings: readonly Finding[],
  now: number,
  lookup: Lookup,
  cap: number,
): {
  summary: Pick<ComplianceSummary, 'openFindings' | 'detectedByCode'>;
  list: ComplianceLists['openFindings'];
} {
  const current = new Map<string, Finding>();
  for (const f of findings) current.set(findingId(f.subject.key, f.code), f);
  const merged = new Map<
    string,
    {
      subjectKey: string;
      subjectKind: OpenFindingRow['subjectKind'];
      code: string;
      severity: Severity;
      title: string;
      firstSeenAt: number;
    }
  >();
  for (const r of records) {
    if (r.status !== 'open') continue;
    const id = findingId(r.subjectKey, r.code);
    const known = merged.get(id);
    const f = current.get(id);
    const firstSeenAt = Math.min(known?.firstSeenAt ?? r.firstSeenAt, r.firstSeenAt);
    merged.set(id, {
      subjectKey: r.subjectKey,
      subjectKind: f?.subject.kind ?? r.subject?.kind ?? null,
      code: r.code,
      severity: f?.severity ?? r.severity,
      title: f?.title ?? r.title,
      firstSeenAt,
    });
  }
  for (const [id, f] of current) {
    if (!merged.has(id))
      merged.set(id, {
        subjectKey: f.subject.key,
        subjectKind: f.subject.kind,
        code: f.code,
        severity: f.severity,
        title: f.title,
        firstSeenAt: now,
      });
  }

  // Counted over every open finding; rows are built only for the `cap` the list shows (FirstN over indexes).
  const entries = [...merged.values()];
  const at = (i: number): (typeof entries)[number] => entries[i] as (typeof entries)[number];
  // Most severe first, then the longest-open: the order a person should work through them.
  const shown = new FirstN<number>(cap, (ia, ib) => {
    const a = at(ia);
    const b = at(ib);
    return (
      severityRank(b.severity) - severityRank(a.severity) ||
      a.firstSeenAt - b.firstSeenAt ||
      cmp(a.code, b.code) ||
      cmp(a.subjectKey, b.subjectKey) ||
      ia - ib
    );
  });
  const perSeverity = new Map<Severity, number>();
  let oldest: number | null = null;
  for (let i = 0; i < entries.length; i++) {
    const m = at(i);
    shown.add(i);
    perSeverity.set(m.severity, (perSeverity.get(m.severity) ?? 0) + 1);
    if (oldest === null || m.firstSeenAt < oldest) oldest = m.firstSeenAt;
  }
  const list = shown.list((i): OpenFindingRow => {
    const m = at(i);
    const entry = lookup(m.code) ?? null;
    return {
      subjectKey: m.subjectKey,
      subjectKind: m.subjectKind,
      code: m.code,
      severity: m.severity,
      title: entry?.title ?? m.title,
      firstSeenAt: m.firstSeenAt,
      ageMinutes: Math.max(0, Math.floor((now - m.firstSeenAt) / MINUTE_MS)),
      fix: entry?.fix ?? null,
      remediation: entry?.remediation ?? null,
    };
  });
  const bySeverity = recordOf(SEVERITIES, (s) => perSeverity.get(s) ?? 0);
  return {
    summary: {
      openFindings: { total: entries.length, bySeverity, oldestFirstSeenAt: oldest },
      detectedByCode: detectedByCode([...current.values()], lookup),
    },
    list,
  };
}

/** One row per code over distinct subject+code findings (a detector repeating itself counts once). */
function detectedByCode(findings: readonly Finding[], lookup: Lookup): ComplianceSummary['detectedByCode'] {
  const byCode = new Map<string, { code: string; title: string; severity: Severity; count: number }>();
  for (const f of findings) {
    const row = byCode.get(f.code) ?? {
      code: f.code,
      title: lookup(f.code)?.title ?? f.title,
      severity: f.severity,
      count: 0,
    };
    row.count += 1;
    // One code can carry several severities (escalations): the row shows the worst.
    if (severityRank(f.severity) > severityRank(row.severity)) row.severity = f.severity;
    byCode.set(f.code, row);
  }
  return [...byCode.values()].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || b.count - a.count || cmp(a.code, b.code),
  );
}
