import { CODES } from '../catalog/codes.js';
import type { DetectorMemory, PreprovisionedRun } from '../model/index.js';

// The poll use case rebuilds `snapshot.memory` from its open findings with these helpers, so the evidence
// keys a detector writes and the keys read back live next to each other.

function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The technician run recorded in an AP_PREPROV_USER_FLOW_PENDING finding's evidence, or null. */
export function preprovisionedRunFromEvidence(evidence: unknown): PreprovisionedRun | null {
  if (!isRecord(evidence)) return null;
  const { serialNumber, autopilotId, technicianEndAt } = evidence;
  if (typeof serialNumber !== 'string' || serialNumber.trim() === '') return null;
  if (typeof technicianEndAt !== 'number' || !Number.isFinite(technicianEndAt)) return null;
  return { serialNumber, autopilotId: typeof autopilotId === 'string' ? autopilotId : null, technicianEndAt };
}

export interface OpenFindingLike {
  readonly code: string;
  /** Records without a status are taken as open. */
  readonly status?: string;
  readonly evidence: unknown;
}

export function memoryFromOpenFindings(records: readonly OpenFindingLike[]): DetectorMemory {
  const preprovisionedRuns = records
    .filter((r) => r.code === CODES.AP_PREPROV_USER_FLOW_PENDING && (r.status ?? 'open') === 'open')
    .map((r) => preprovisionedRunFromEvidence(r.evidence))
    .filter((r): r is PreprovisionedRun => r !== null);
  return { preprovisionedRuns };
}
