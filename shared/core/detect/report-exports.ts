import { CODES, type FindingCode } from '../catalog/codes.js';
import type { Finding, TenantSnapshot } from '../model/index.js';
import { makeFinding, TENANT } from './finding.js';
import type { DetectorRules } from './rules.js';

// A report export the sweep could not read is a finding of its own, so one broken export does not cost the day's
// other sweep checks. The checks that read the export are neither opened nor resolved in that run (covers.ts).

export const REPORT_EXPORT_CODES: readonly FindingCode[] = [CODES.DP_REPORT_EXPORT_FAILED];

export function detectReportExports(snapshot: TenantSnapshot, _now: number, _rules: DetectorRules): Finding[] {
  const failures = [...(snapshot.reportExports?.failures ?? [])].sort((a, b) => (a.reportName < b.reportName ? -1 : 1));
  if (failures.length === 0) return [];
  const reports = failures.map((f) => f.reportName).join(', ');
  return [
    makeFinding({
      code: CODES.DP_REPORT_EXPORT_FAILED,
      subject: TENANT,
      // A missing permission will not heal by itself; anything else may be passing trouble.
      severity: failures.some((f) => f.kind === 'permission') ? 'error' : 'warning',
      evidence: {
        reports,
        errorKinds: failures.map((f) => f.kind).join(', '),
        httpStatuses: failures.map((f) => (f.status === null ? '-' : String(f.status))).join(', '),
      },
      defining: { reports },
    }),
  ];
}
