import { catalogEntry } from '../catalog/index.js';
import { identityFigures } from './device-figures.js';
import type { ReportInput } from './inputs.js';
import { openFindingFigures } from './open-findings.js';
import { meanTimeToRemediate, remediationFigures } from './remediations.js';
import { DEFAULT_LIST_CAP } from './rows.js';
import { groupFigures, managedFigures, syncFigure } from './tenant-figures.js';
import type { ComplianceReport } from './types.js';

export type { ReportInput } from './inputs.js';

/**
 * The compliance sweep's report (its last step, after detection and remediation). Pure: same input, same report. State figures come
 * from the snapshot, finding figures from findings and the findings store, remediation figures from history;
 * every figure is defined in ComplianceSummary (types.ts).
 */
export function buildComplianceReport(input: ReportInput): ComplianceReport {
  const { snapshot, now, periodStart, rules } = input;
  const cap = input.listCap ?? DEFAULT_LIST_CAP;
  const lookup = input.catalog ?? catalogEntry;

  const identities = identityFigures(snapshot, now, rules.staleDays, cap);
  const managed = managedFigures(snapshot, now, rules.checkinStaleDays, cap, identities.linkedUnflagged);
  const groups = groupFigures(snapshot, cap);
  const remediations = remediationFigures(input.history, periodStart, now, cap);
  const mttr = meanTimeToRemediate(input.history, periodStart, now);
  const open = openFindingFigures(input.openFindingRecords, input.findings, now, lookup, cap);

  return {
    schemaVersion: 1,
    tenant: input.tenant,
    generatedAt: now,
    period: { start: periodStart, end: now },
    rules: { staleDays: rules.staleDays, checkinStaleDays: rules.checkinStaleDays },
    coverage: {
      snapshotKind: snapshot.kind,
      observedAt: snapshot.observedAt,
      identities: snapshot.complete.identities,
      entraDevices: snapshot.complete.entraDevices,
      managedDevices: snapshot.complete.managedDevices,
      history: input.historyComplete ?? true,
    },
    summary: {
      ...identities.summary,
      ...managed.summary,
      ...groups.summary,
      sync: syncFigure(snapshot, now),
      remediations: remediations.summary,
      ...open.summary,
      mttrMinutes: mttr.minutes,
      mttrSamples: mttr.samples,
    },
    lists: {
      ...identities.lists,
      ...managed.lists,
      ...groups.lists,
      remediations: remediations.list,
      openFindings: open.list,
    },
  };
}
