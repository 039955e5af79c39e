import type { FindingCode } from '../../../../../shared/core/catalog/codes.js';
import type { DetectorRules } from '../../../../../shared/core/detect/index.js';
import type { Severity, TenantSnapshot } from '../../../../../shared/core/model/index.js';

/**
 * One row of the catalog case table: a snapshot and whether `code` must be present or absent after detectAll.
 * Every catalog code needs at least one of each (catalog-cases.test.ts enforces it). The documentation a case
 * rests on is its code's catalog entry (`docs`: Microsoft Learn page and section).
 */
export interface Case {
  readonly code: FindingCode;
  readonly name: string;
  readonly expect: 'present' | 'absent';
  readonly snapshot: TenantSnapshot;
  readonly rules?: Partial<DetectorRules>;
  readonly now?: number;
  /** For 'present': the expected severity (default: the catalog's). */
  readonly severity?: Severity;
  /** Restrict the check to this subject key (default: any subject). */
  readonly subjectKey?: string;
}
