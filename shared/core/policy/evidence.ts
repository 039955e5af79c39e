import { REMEDIATION_STATES, toKnown, type Evidence, type EvidenceValue } from '../model/index.js';
import type { EvidenceFlags, GroupShape } from './types.js';

// Detectors put what they saw into `finding.evidence`; the policy reads the few facts its gates need from
// there when the caller does not pass them explicitly. The keys are listed here so detector authors can
// match them; unknown or missing keys fall on the safe side (no failure event, no reuse, shape unknown).

/** 0x80180014 as Graph may print it: hex, unsigned or signed 32-bit decimal. */
const BLOCK_CODES = ['80180014', '2149056532', '-2145910764'];

function mentionsBlockCode(value: EvidenceValue): boolean {
  if (typeof value === 'number') return value === 2149056532 || value === -2145910764;
  if (typeof value !== 'string') return false;
  const v = value.toLowerCase();
  return BLOCK_CODES.some((c) => v.includes(c));
}

function bool(evidence: Evidence, ...keys: string[]): boolean | null {
  for (const k of keys) {
    const v = evidence[k];
    if (typeof v === 'boolean') return v;
  }
  return null;
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

/**
 * Keys read: `failureEvent` (boolean) or any value mentioning 0x80180014; `reuseSignal` / `reuseApproved`;
 * `remediationState`; `groupExists`, `groupIsDynamic`, `groupSecurityEnabled`, `groupIsAssignableToRole`.
 */
export function flagsFromEvidence(evidence: Evidence): EvidenceFlags {
  const rs = evidence.remediationState;
  return {
    failureEvent: evidence.failureEvent === true || Object.values(evidence).some(mentionsBlockCode),
    reuseSignal: evidence.reuseSignal === true || evidence.reuseApproved === true,
    remediationState: typeof rs === 'string' ? toKnown(REMEDIATION_STATES, rs) : null,
    group: groupShape(evidence),
  };
}

/** Explicit flags from the caller win over what the evidence says. */
export function resolveFlags(evidence: Evidence, explicit: Partial<EvidenceFlags> | undefined): EvidenceFlags {
  const fromEvidence = flagsFromEvidence(evidence);
  return {
    failureEvent: explicit?.failureEvent ?? fromEvidence.failureEvent,
    reuseSignal: explicit?.reuseSignal ?? fromEvidence.reuseSignal,
    remediationState: explicit?.remediationState !== undefined ? explicit.remediationState : fromEvidence.remediationState,
    group: explicit?.group !== undefined ? explicit.group : fromEvidence.group,
  };
}
