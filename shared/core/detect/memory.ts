import { CODES } from '../catalog/codes.js';
import type {
  DeploymentVerdict,
  DetectorMemory,
  ImportSighting,
  PreprovisionedRun,
  RememberedDeployment,
} from '../model/index.js';
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

/** The import sighting an AP_IMPORT_NOT_VISIBLE record keeps: its first-seen time, else the evidence's importSeenAt. */
export function importSightingFrom(record: OpenFindingLike): ImportSighting | null {
  if (!isRecord(record.evidence)) return null;
  const { serialNumber, importSeenAt } = record.evidence;
  if (typeof serialNumber !== 'string' || serialNumber.trim() === '') return null;
  const at = typeof record.firstSeenAt === 'number' ? record.firstSeenAt : importSeenAt;
  return typeof at === 'number' && Number.isFinite(at) ? { serialNumber, firstSeenAt: at } : null;
}

/** The settled verdict on a failed deployment row kept by an open AP_DEPLOYMENT_RECOVERED / _NO_RESULT record. */
export function deploymentVerdictFrom(record: OpenFindingLike): DeploymentVerdict | null {
  if (!isRecord(record.evidence)) return null;
  const { eventId } = record.evidence;
  return typeof eventId === 'string' && eventId !== '' ? { eventId, code: record.code } : null;
}

export interface OpenFindingLike {
  /** The finding's subject key (device key for device findings); read for remembered deployments. */
  readonly subjectKey?: string;
  readonly code: string;
  /** Records without a status are taken as open. */
  readonly status?: string;
  readonly evidence: unknown;
  /** When the product first saw the finding (the stored record's firstSeenAt). */
  readonly firstSeenAt?: number;
}

function collect<T>(
  records: readonly OpenFindingLike[],
  codes: readonly string[],
  read: (r: OpenFindingLike) => T | null,
): T[] {
  return records
    .filter((r) => codes.includes(r.code) && (r.status ?? 'open') === 'open')
    .map(read)
    .filter((x): x is T => x !== null);
}

export function memoryFromOpenFindings(records: readonly OpenFindingLike[]): DetectorMemory {
  const deployments = records
    .filter((r) => (r.status ?? 'open') === 'open')
    .map((r) => deploymentFromEvidence(r.subjectKey, r.evidence))
    .filter((d): d is RememberedDeployment => d !== null);
  return {
    preprovisionedRuns: collect(records, [CODES.AP_PREPROV_USER_FLOW_PENDING], (r) =>
      preprovisionedRunFromEvidence(r.evidence),
    ),
    importSightings: collect(records, [CODES.AP_IMPORT_NOT_VISIBLE], importSightingFrom),
    deploymentVerdicts: collect(
      records,
      [CODES.AP_DEPLOYMENT_RECOVERED, CODES.AP_DEPLOYMENT_NO_RESULT],
      deploymentVerdictFrom,
    ),
    deployments,
  };
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
