import type { AlertItem, Evidence, Severity, Subject } from '../model/index.js';
import { severityRank } from '../model/index.js';
import { subjectName } from './labels.js';
import { subjectLink } from './links.js';
import type { CatalogLookup, FindingLike } from './types.js';

const NO_FIX = 'No documented fix is catalogued for this code: investigate it by hand.';

/** One finding as an alert line: what (catalog title), where (subject + deep link), fix (catalog). */
export function toAlertItem(finding: FindingLike, catalogLookup: CatalogLookup, portalUrl: string): AlertItem {
  const entry = catalogLookup(finding.code) ?? null;
  return {
    code: finding.code,
    // The catalog is the single source of titles; the finding's own title covers a code it does not know yet.
    title: entry?.title ?? (finding.title || finding.code),
    severity: finding.severity,
    subject: finding.subject,
    evidence: finding.evidence,
    // A per-finding fix (e.g. naming the device's manufacturer) when the catalog has one.
    fix: entry?.fixFor?.(finding.evidence) ?? entry?.fix ?? NO_FIX,
    docs: (entry?.docs ?? []).map((c) => ({ title: c.page.title, section: c.section, url: c.page.url })),
    link: subjectLink(finding.subject, finding.evidence, portalUrl),
  };
}

/** Human label for "where": serial and device name are what an admin searches for in the portal. */
export function subjectLabel(subject: Subject, evidence: Evidence = {}): string {
  return subject.kind === 'tenant' ? 'the tenant' : `${subject.kind} ${subjectName(subject, evidence)}`;
}

export function maxSeverity(severities: Iterable<Severity>, floor: Severity = 'info'): Severity {
  let best = floor;
  for (const s of severities) if (severityRank(s) > severityRank(best)) best = s;
  return best;
}

/** Most severe first; stable otherwise, so truncation keeps what matters. */
export function bySeverityDesc<T extends { readonly severity: Severity }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => severityRank(b.item.severity) - severityRank(a.item.severity) || a.index - b.index)
    .map(({ item }) => item);
}
