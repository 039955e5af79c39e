import { CODES } from '../catalog/codes.js';
import type { DetectorMemory, PreprovisionedRun, RememberedDeployment } from '../model/index.js';
import { normSerial } from './lookup.js';

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
  /** The finding's subject key (device key for device findings); read for remembered deployments. */
  readonly subjectKey?: string;
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
  const deployments = records
    .filter((r) => (r.status ?? 'open') === 'open')
    .map((r) => deploymentFromEvidence(r.subjectKey, r.evidence))
    .filter((d): d is RememberedDeployment => d !== null);
  return { preprovisionedRuns, deployments };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The deployment an event finding recorded (detect/deployment.ts writes eventId, serialNumber, enrollmentType,
 * deploymentState, deploymentStartAt / deploymentEndAt and the classified errorCode), or null for evidence
 * that is not a deployment event's.
 */
export function deploymentFromEvidence(subjectKey: string | undefined, evidence: unknown): RememberedDeployment | null {
  if (!isRecord(evidence)) return null;
  const eventId = str(evidence.eventId);
  const deploymentState = str(evidence.deploymentState);
  if (eventId === null || deploymentState === null) return null;
  const serialNumber = str(evidence.serialNumber);
  const deviceKey = subjectKey ?? normSerial(serialNumber);
  if (!deviceKey) return null;
  return {
    deviceKey,
    eventId,
    serialNumber,
    deploymentState,
    enrollmentType: str(evidence.enrollmentType),
    failureCode: str(evidence.errorCode),
    startedAt: num(evidence.deploymentStartAt) ?? num(evidence.deploymentEndAt),
  };
}
