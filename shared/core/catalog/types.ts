import type { ActionName, Evidence, Severity } from '../model/index.js';
import type { Citation } from './learn.js';

/** One known, data-detectable failure mode. The catalog is the single source of titles, fixes and documentation. */
export interface CatalogEntry {
  /** Stable code, e.g. 'AP_USERLESS_BLOCKED'. Never renamed: it keys history and findings. */
  readonly code: string;
  readonly title: string;
  readonly severity: Severity;
  /** The data the detector reads, in plain words (e.g. "identity userlessEnrollmentStatus = blocked"). */
  readonly signal: string;
  /** The documented fix, in plain words, shown in alerts. */
  readonly fix: string;
  /**
   * The fix for one finding, when it depends on what was observed (e.g. the device's manufacturer). Pure, and
   * safe for any evidence: tenant strings reach it only after validation, never raw. Absent = `fix`.
   */
  readonly fixFor?: (evidence: Evidence) => string;
  /** The action that fixes it automatically, or null for detect-and-alert. */
  readonly remediation: ActionName | null;
  /** Microsoft's public pages that document the signal and the fix, most specific first. Never empty. */
  readonly docs: readonly Citation[];
  /**
   * 'poll': seen by every incremental poll. 'sweep': needs a full read (every identity, Intune, the device-prep
   * export), so the compliance sweep finds it. A quiet poll must stay at a handful of requests whatever the
   * tenant size, so identity-state problems with day-long thresholds (profile assignment, Fix pending,
   * Attention required) are sweep checks; a poll still sees them on the devices it reads (blocked ones).
   */
  readonly cadence: 'poll' | 'sweep';
}
