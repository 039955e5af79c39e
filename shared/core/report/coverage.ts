import type { ComplianceReport } from './types.js';

/** Why some figures are lower bounds, in plain words; empty when the report saw everything. */
export function partialCoverage(c: ComplianceReport['coverage']): string[] {
  return [
    c.snapshotKind === 'full' ? null : 'the snapshot was incremental',
    c.identities ? null : 'Autopilot devices were read in part',
    c.entraDevices ? null : 'Entra devices were read in part',
    c.managedDevices ? null : 'Intune devices were read in part',
    c.history ? null : 'history was read up to a limit (remediation figures)',
  ].filter((p) => p !== null);
}
