import type { ActionName, Finding, Mode, Severity, TenantSnapshot } from '../model/index.js';
import type { CatalogEntry } from '../catalog/types.js';
import type { SnapshotFigures } from './snapshot-figures.js';

// Core may not import the ports (layering rule), so the store records the builder reads are restated here as
// the few fields it uses. HistoryRecord and FindingRecord from shared/ports are structurally assignable.

export type HistoryEventLike = {
  readonly subjectKey: string;
  readonly at: number;
  readonly id: string;
  /** 'outcome', 'finding-opened', 'finding-resolved', … (HistoryEventType). */
  readonly type: string;
  readonly action: ActionName | null;
  readonly code: string | null;
  readonly mode: Mode | null;
  /** Outcome status for 'outcome' records. */
  readonly status: string;
  readonly reason: string;
};

export type FindingRecordLike = {
  readonly subjectKey: string;
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
  readonly status: 'open' | 'resolved';
  readonly firstSeenAt: number;
  /** What the finding is about (absent on rows an older version wrote). */
  readonly subject?: { readonly kind: 'device' | 'group' | 'tenant' };
};

export type ReportInput = (
  | {
      /** A full snapshot (kind 'full'); an incremental one gives lower bounds, as `coverage` then says. */
      readonly snapshot: TenantSnapshot;
    }
  | {
      /** What snapshotFigures took from the snapshot when detection was done (the sweep no longer holds it). */
      readonly figures: SnapshotFigures;
    }
) & {
  /** detectAll on that snapshot. */
  readonly findings: readonly Finding[];
  /** The findings store's open records (with firstSeenAt). */
  readonly openFindingRecords: readonly FindingRecordLike[];
  /**
   * Outcomes in the period, plus the 'finding-opened'/'finding-resolved' records the MTTR pairs them with
   * (these may predate the period).
   */
  readonly history: readonly HistoryEventLike[];
  /** False when the caller stopped reading history at a limit: remediation figures are then lower bounds. */
  readonly historyComplete?: boolean;
  readonly periodStart: number;
  readonly now: number;
  readonly tenant: string;
  readonly rules: { readonly staleDays: number; readonly checkinStaleDays: number };
  /** Titles and fixes for the open-findings table, by code (the alert builders' lookup shape); default: the catalog. */
  readonly catalog?: (code: string) => CatalogEntry | null | undefined;
  /** Rows kept per list (default 500); totals are always exact. */
  readonly listCap?: number;
};
