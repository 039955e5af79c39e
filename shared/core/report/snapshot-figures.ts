import type { TenantSnapshot } from '../model/index.js';
import { identityFigures } from './device-figures.js';
import { groupFigures, managedFigures, syncFigure } from './tenant-figures.js';
import type { ComplianceLists, ComplianceReport, ComplianceSummary } from './types.js';

// The part of the compliance report that only the snapshot can give: what the fleet looks like. The sweep takes it
// as soon as detection is done, so that the snapshot (most of a large tenant's memory) is not held through the
// lifecycle records, decisions, queueing and approvals that follow; the rest of the report comes from findings
// and history (build-report.ts).

type SnapshotSummaryKey = Exclude<
  keyof ComplianceSummary,
  'remediations' | 'openFindings' | 'mttrMinutes' | 'mttrSamples' | 'detectedByCode'
>;
type SnapshotListKey = Exclude<keyof ComplianceLists, 'remediations' | 'openFindings'>;

export type SnapshotFigures = {
  readonly coverage: Omit<ComplianceReport['coverage'], 'history'>;
  readonly summary: Pick<ComplianceSummary, SnapshotSummaryKey>;
  readonly lists: Pick<ComplianceLists, SnapshotListKey>;
};

export function snapshotFigures(
  snapshot: TenantSnapshot,
  now: number,
  rules: { readonly staleDays: number; readonly checkinStaleDays: number },
  cap: number,
): SnapshotFigures {
  const identities = identityFigures(snapshot, now, rules.staleDays, cap);
  const managed = managedFigures(snapshot, now, rules.checkinStaleDays, cap, identities.linkedUnflagged);
  const groups = groupFigures(snapshot, cap);
  return {
    coverage: {
      snapshotKind: snapshot.kind,
      observedAt: snapshot.observedAt,
      identities: snapshot.complete.identities,
      entraDevices: snapshot.complete.entraDevices,
      managedDevices: snapshot.complete.managedDevices,
    },
    summary: {
      ...identities.summary,
      ...managed.summary,
      ...groups.summary,
      sync: syncFigure(snapshot, now),
    },
    lists: { ...identities.lists, ...managed.lists, ...groups.lists },
  };
}
