import { REMEDIATION_STATES, toKnown, type Evidence, type EvidenceValue } from '../model/index.js';
import type { DeploymentFacts, EvidenceFlags, GroupShape } from './types.js';

// Detectors put what they saw into `finding.evidence`; the policy reads the few facts its gates need from
// there when the caller does not pass them explicitly. The keys are listed here so detector authors can
// match them; unknown or missing keys fall on the safe side (not blocked, no deployment, shape unknown).
// Only named, structured fields count: no value is searched for a code, so a serial such as "X80180014Z"
// or a device name proves nothing.

/**
 * An HRESULT from a structured field: a number (signed or unsigned 32-bit), "0x" + 8 hex digits, 8 hex digits,
 * or a 9–10 digit signed/unsigned decimal. The whole value must be the code; anything else is null.
 * Returned as an unsigned 32-bit number (0x80180014 -> 2149056532).
 */
export function parseHresult(value: EvidenceValue | undefined): number | null {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= -0x8000_0000 && value <= 0xffff_ffff ? value >>> 0 : null;
  }
  if (typeof value !== 'string') return null;
  const s = value.trim();
  const hex = /^(?:0x)?([0-9a-f]{8})$/i.exec(s);
  if (hex?.[1]) return parseInt(hex[1], 16);
  return /^-?\d{9,10}$/.test(s) ? parseHresult(Number(s)) : null;
}

function bool(evidence: Evidence, ...keys: string[]): boolean | null {
  for (const k of keys) {
    const v = evidence[k];
    if (typeof v === 'boolean') return v;
  }
  return null;
}

function text(value: EvidenceValue | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function time(value: EvidenceValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function groupShape(evidence: Evidence): GroupShape | null {
  const exists = bool(evidence, 'groupExists');
  const isDynamic = bool(evidence, 'groupIsDynamic', 'isDynamic');
  const securityEnabled = bool(evidence, 'groupSecurityEnabled', 'securityEnabled');
  const roleAssignable = bool(evidence, 'groupIsAssignableToRole', 'isAssignableToRole');
  if (exists === null && isDynamic === null && securityEnabled === null && roleAssignable === null) return null;
  return {
    exists: exists ?? true,
    isDynamic: isDynamic ?? false,
    // Unknown security flag is not treated as a problem; the worker re-reads the group before writing.
    securityEnabled: securityEnabled ?? true,
    isAssignableToRole: roleAssignable ?? false,
  };
}

/** The device's latest deployment from the `lastDeployment*` keys, or null when the detector recorded none. */
function lastDeployment(evidence: Evidence): DeploymentFacts | null {
  const eventId = text(evidence.lastDeploymentEventId);
  const deploymentState = text(evidence.lastDeploymentState);
  if (eventId === null && deploymentState === null) return null;
  return {
    eventId,
    serialNumber: text(evidence.lastDeploymentSerialNumber),
    deploymentState,
    enrollmentType: text(evidence.lastDeploymentEnrollmentType),
    failureCode: parseHresult(evidence.lastDeploymentFailureCode),
    startedAt: time(evidence.lastDeploymentStartedAt),
  };
}

/**
 * Keys read: `userlessEnrollmentStatus`; `lastDeploymentEventId`, `lastDeploymentSerialNumber`,
 * `lastDeploymentState`, `lastDeploymentEnrollmentType`, `lastDeploymentFailureCode` (an HRESULT, see
 * parseHresult), `lastDeploymentStartedAt` (epoch ms); `remediationState`; `groupExists`, `groupIsDynamic`,
 * `groupSecurityEnabled`, `groupIsAssignableToRole`; `policyTargetProven`.
 */
export function flagsFromEvidence(evidence: Evidence): EvidenceFlags {
  const rs = evidence.remediationState;
  return {
    userlessBlocked:
      typeof evidence.userlessEnrollmentStatus === 'string' &&
      evidence.userlessEnrollmentStatus.toLowerCase() === 'blocked',
    lastDeployment: lastDeployment(evidence),
    remediationState: typeof rs === 'string' ? toKnown(REMEDIATION_STATES, rs) : null,
    group: groupShape(evidence),
    policyTargetProven: bool(evidence, 'policyTargetProven'),
  };
}

/** Explicit flags from the caller win over what the evidence says. */
export function resolveFlags(evidence: Evidence, explicit: Partial<EvidenceFlags> | undefined): EvidenceFlags {
  const fromEvidence = flagsFromEvidence(evidence);
  return {
    userlessBlocked: explicit?.userlessBlocked ?? fromEvidence.userlessBlocked,
    lastDeployment: explicit?.lastDeployment !== undefined ? explicit.lastDeployment : fromEvidence.lastDeployment,
    remediationState:
      explicit?.remediationState !== undefined ? explicit.remediationState : fromEvidence.remediationState,
    group: explicit?.group !== undefined ? explicit.group : fromEvidence.group,
    policyTargetProven:
      explicit?.policyTargetProven !== undefined ? explicit.policyTargetProven : fromEvidence.policyTargetProven,
  };
}
