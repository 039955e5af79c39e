import type { FindingCode } from '../catalog/codes.js';
import { severityRank, type Finding, type TenantSnapshot } from '../model/index.js';
import { coverage } from './covers.js';
import { DEPLOYMENT_CODES, detectDeployments } from './deployment.js';
import { DEVICE_PREP_DEPLOYMENT_CODES, detectDevicePrepDeployments } from './device-prep-deployments.js';
import { DEVICE_PREP_GROUP_CODES, detectDevicePrepGroups } from './device-prep-groups.js';
import { DEVICE_PREP_ITEM_CODES, detectDevicePrepItems } from './device-prep-items.js';
import { detectIdentities, IDENTITY_CODES } from './identity.js';
import { detectImports, IMPORT_CODES } from './imports.js';
import { detectLifecycle, LIFECYCLE_CODES } from './lifecycle.js';
import { detectPreprovisioning, PREPROVISIONING_CODES } from './preprovisioning.js';
import { detectReportExports, REPORT_EXPORT_CODES } from './report-exports.js';
import type { DetectorRules } from './rules.js';
import { detectUnusableRecords, UNUSABLE_RECORD_CODES } from './unusable-records.js';
import { findingId } from '../lifecycle/reconcile.js';

export { COVERAGE, coverage } from './covers.js';
export { classifyFailure, extractErrorCodes } from './hresult.js';
export { memoryFromOpenFindings, preprovisionedRunFromEvidence, type OpenFindingLike } from './memory.js';
export { enrollmentTime, type EnrollmentTime } from './enrollment-time.js';
export { normSerial } from './lookup.js';
export * from './rules.js';
export {
  distinctUnusable,
  screenEvents,
  screenIdentities,
  screenImports,
  screenManagedDevices,
  screenDeploymentRows,
  unusableRecordKey,
} from './unusable-records.js';
export {
  detectDeployments,
  detectDevicePrepDeployments,
  detectDevicePrepGroups,
  detectDevicePrepItems,
  detectIdentities,
  detectImports,
  detectLifecycle,
  detectPreprovisioning,
  detectReportExports,
};

export type Detector = (snapshot: TenantSnapshot, now: number, rules: DetectorRules) => Finding[];

/** Every detector with the codes it may emit (a catalog test holds the two lists together). */
export const DETECTORS: readonly {
  readonly name: string;
  readonly detect: Detector;
  readonly codes: readonly FindingCode[];
}[] = [
  { name: 'deployment', detect: detectDeployments, codes: DEPLOYMENT_CODES },
  { name: 'preprovisioning', detect: detectPreprovisioning, codes: PREPROVISIONING_CODES },
  { name: 'identity', detect: detectIdentities, codes: IDENTITY_CODES },
  { name: 'imports', detect: detectImports, codes: IMPORT_CODES },
  { name: 'device-prep-groups', detect: detectDevicePrepGroups, codes: DEVICE_PREP_GROUP_CODES },
  { name: 'device-prep-deployments', detect: detectDevicePrepDeployments, codes: DEVICE_PREP_DEPLOYMENT_CODES },
  { name: 'device-prep-items', detect: detectDevicePrepItems, codes: DEVICE_PREP_ITEM_CODES },
  { name: 'report-exports', detect: detectReportExports, codes: REPORT_EXPORT_CODES },
  { name: 'lifecycle', detect: detectLifecycle, codes: LIFECYCLE_CODES },
  { name: 'unusable-records', detect: detectUnusableRecords, codes: UNUSABLE_RECORD_CODES },
];

export interface DetectionResult {
  /** One finding per (code, subject key), sorted by subject key then code. */
  readonly findings: Finding[];
  /** Did this run observe enough to say this (code, subject) is absent now? See covers.ts. */
  covers(code: string, subjectKey: string): boolean;
}

export function detectAll(snapshot: TenantSnapshot, now: number, rules: DetectorRules): DetectionResult {
  // The findings table holds one row per subject and code: when two sources report the same one (e.g. two
  // Autopilot records with one serial), keep the most severe, then the first in detector order.
  const byId = new Map<string, Finding>();
  for (const d of DETECTORS) {
    for (const f of d.detect(snapshot, now, rules)) {
      const id = findingId(f.subject.key, f.code);
      const prev = byId.get(id);
      if (!prev || severityRank(f.severity) > severityRank(prev.severity)) byId.set(id, f);
    }
  }
  const findings = [...byId.values()].sort((a, b) =>
    a.subject.key < b.subject.key
      ? -1
      : a.subject.key > b.subject.key
        ? 1
        : a.code < b.code
          ? -1
          : a.code > b.code
            ? 1
            : 0,
  );
  return { findings, covers: coverage(snapshot, rules) };
}
