import type { AutopilotDevice, Evidence } from '../model/index.js';
import type { TargetState } from './types.js';

// The Autopilot record's state a proposal rests on, and the comparison the worker makes before it writes: if any
// field the proposal recorded reads differently now (re-enrolled, re-linked to another Intune record, out of
// Attention required…), the person approved something that no longer exists, and nothing is written.

export const STATE_KEYS = [
  'enrollmentState',
  'userlessEnrollmentStatus',
  'remediationState',
  'managedDeviceId',
  'azureAdDeviceId',
] as const;

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const IDS: ReadonlySet<string> = new Set(['managedDeviceId', 'azureAdDeviceId']);

function norm(key: string, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (!IDS.has(key)) return value;
  const id = value.trim().toLowerCase();
  return id === '' || id === ZERO_GUID ? null : id;
}

/** The state keys the finding's evidence recorded (detectors record them as they read the identity). */
export function stateFromEvidence(evidence: Evidence): TargetState {
  const out: Record<string, string | null> = {};
  for (const k of STATE_KEYS) if (k in evidence) out[k] = norm(k, evidence[k]);
  return out;
}

/** The same keys, read fresh from the Autopilot record. */
export function stateFromIdentity(i: AutopilotDevice): TargetState {
  return {
    enrollmentState: i.enrollmentState,
    userlessEnrollmentStatus: i.userlessEnrollmentStatus,
    remediationState: i.remediationState,
    managedDeviceId: norm('managedDeviceId', i.managedDeviceId),
    azureAdDeviceId: norm('azureAdDeviceId', i.azureAdDeviceId),
  };
}

/** Every recorded field that reads differently now, as `field: was → now`; [] when nothing changed. */
export function stateChanges(proposed: TargetState, now: TargetState): string[] {
  return Object.keys(proposed)
    .sort()
    .filter((k) => (proposed[k] ?? null) !== (now[k] ?? null))
    .map((k) => `${k}: ${proposed[k] ?? 'none'} → ${now[k] ?? 'none'}`);
}
