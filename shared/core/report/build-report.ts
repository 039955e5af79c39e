import { catalogEntry } from '../catalog/index.js';
import type { ReportInput } from './inputs.js';
import { openFindingFigures } from './open-findings.js';
import { meanTimeToRemediate, remediationFigures } from './remediations.js';
import { DEFAULT_LIST_CAP } from './rows.js';
import { snapshotFigures } from './snapshot-figures.js';
import type { ComplianceReport } from './types.js';

export type { ReportInput } from './inputs.js';
export { snapshotFigures, type SnapshotFigures } from './snapshot-figures.js';

/**
 * The compliance sweep's report (its last step, after detection and remediation). Pure: same input, same report. State figures come
 * from the snapshot, finding figures from findings and the findings store, remediation figures from history;
 * every figure is defined in ComplianceSummary (types.ts).
 */
export function buildComplianceReport(input: ReportInput): ComplianceReport {
  const { now, periodStart, rules } = input;
  const cap = input.listCap ?? DEFAULT_LIST_CAP;
  const lookup = input.catalog ?? catalogEntry;

  const fleet = 'figures' in input ? input.figures : snapshotFigures(input.snapshot, now, rules, cap);
  const remediations = remediationFigures(input.history, periodStart, now, cap);
  const mttr = meanTimeToRemediate(input.history, periodStart, now);
  const open = openFindingFigures(input.openFindingRecords, input.findings, now, lookup, cap);

  return {
    schemaVersion: 1,
    tenant: input.tenant,
    generatedAt: now,
    period: { start: periodStart, end: now },
    rules: { staleDays: rules.staleDays, checkinStaleDays: rules.checkinStaleDays },
    coverage: { ...fleet.coverage, history: input.historyComplete ?? true },
    summary: {
      ...fleet.summary,
      remediations: remediations.summary,
      ...open.summary,
      mttrMinutes: mttr.minutes,
      mttrSamples: mttr.samples,
    },
    lists: {
      ...fleet.lists,
      remediations: remediations.list,
      openFindings: open.list,
    },
  };
}
