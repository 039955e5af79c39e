import type { CatalogEntry } from '../catalog/types.js';
import type { ActionName, Finding, Outcome, OutcomeStatus } from '../model/index.js';

/** Catalog lookup by code; injected so alert building does not depend on the catalog's contents. */
export type CatalogLookup = (code: string) => CatalogEntry | null | undefined;

/** What an alert needs from a finding. A resolved finding rebuilt from storage has no `remedy`, hence the Pick. */
export type FindingLike = Pick<Finding, 'code' | 'subject' | 'severity' | 'title' | 'evidence' | 'fingerprint'> & {
  readonly remedy?: Finding['remedy'];
};

/** Everything an alert factory needs besides its subject. `at` comes from the caller's clock: core never reads one. */
export interface AlertContext {
  readonly tenant: string;
  /** Epoch ms. */
  readonly at: number;
  readonly catalog: CatalogLookup;
  /** Intune admin center base, e.g. https://intune.microsoft.com (config INTUNE_PORTAL_URL). */
  readonly portalUrl: string;
}

/** The outcome of one remediation command, with the findings it answered. */
export interface RemediationReport {
  readonly action: ActionName;
  readonly idempotencyKey: string;
  readonly attempt: number;
  readonly outcome: Outcome;
  readonly findings: readonly FindingLike[];
}

/** A finding whose remediation used up its attempts: a person must take over. */
export interface Escalation {
  readonly finding: FindingLike;
  readonly action: ActionName | null;
  readonly attempts: number;
  readonly detail: string;
}

/** A run that would have acted on too many devices and dropped to plan mode (BLAST_RADIUS_* settings). */
export interface BlastRadiusBreach {
  readonly runId: string;
  readonly wouldAct: number;
  readonly maxDevices: number;
  readonly maxPercent: number;
  /** BLAST_RADIUS_MIN_DEVICES: the percentage limit counts only above this many targets. */
  readonly minDevices?: number;
  readonly fleetSize: number | null;
}

/** A stored compliance report, summarised for a digest. */
export interface ComplianceReportSummary {
  readonly reportId: string;
  readonly devicesScanned: number;
  /** Open findings in the report; the digest lists the most severe first. */
  readonly findings: readonly FindingLike[];
  /** Where the full report can be read (the report-latest endpoint), when exposed. */
  readonly reportUrl: string | null;
  /** Findings that resolved in the last 24 h without any attempt of ours: the daily line instead of a message each. */
  readonly resolvedOnTheirOwnLastDay?: number;
}

/** One command of a run as the worker left it (the run-outcome store's row). */
export interface RunCommandOutcome {
  readonly action: ActionName;
  /** Labels a person reads: serial and device name, a group's name, or "the tenant". */
  readonly subjects: readonly string[];
  readonly status: OutcomeStatus | null;
  readonly detail: string | null;
}
