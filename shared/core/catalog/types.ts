import type { ActionName, Severity } from '../model/index.js';

/** One known, data-detectable failure mode. The catalog is the single source of titles, fixes and references. */
export interface CatalogEntry {
  /** Stable code, e.g. 'AP_USERLESS_BLOCKED'. Never renamed: it keys history and findings. */
  readonly code: string;
  readonly title: string;
  readonly severity: Severity;
  /** The data the detector reads, in plain words (e.g. "identity userlessEnrollmentStatus = blocked"). */
  readonly signal: string;
  /** The documented fix, in plain words, shown in alerts. */
  readonly fix: string;
  /** The action that fixes it automatically, or null for detect-and-alert. */
  readonly remediation: ActionName | null;
  /** e.g. "autopilot-reference §3.2; seed 004 L1945–L1949". */
  readonly reference: string;
  /** 'poll': cheap, every poll. 'sweep': needs full reads, compliance sweep only. */
  readonly cadence: 'poll' | 'sweep';
}
