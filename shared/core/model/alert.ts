import type { Evidence, Severity, Subject } from './finding.js';

export type AlertKind =
  | 'finding'
  | 'resolved'
  | 'escalation'
  | 'remediation-failed'
  | 'blast-radius'
  | 'digest'
  | 'outcomes'
  | 'report'
  | 'approval-requested';

/** A page of Microsoft's public documentation: title, the section that applies (or null), address. */
export interface AlertDoc {
  readonly title: string;
  readonly section: string | null;
  readonly url: string;
}

export interface AlertItem {
  readonly code: string;
  readonly title: string;
  readonly severity: Severity;
  readonly subject: Subject;
  readonly evidence: Evidence;
  /** The documented fix, in plain words, from the catalog. */
  readonly fix: string;
  /** Microsoft's public pages about the finding, from the catalog (empty when it has none). */
  readonly docs: readonly AlertDoc[];
  /** Intune admin center deep link when the subject has one. */
  readonly link: string | null;
}

export interface Alert {
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly title: string;
  readonly summary: string;
  readonly tenant: string;
  /**
   * The tenant's display name when the deployment serves many (TENANTS), for people: a channel shared by several
   * tenants says whose alert it is. Absent for a single tenant.
   */
  readonly tenantName?: string;
  /** Epoch ms. */
  readonly at: number;
  /** De-duplication key: one alert per key per cooldown window. */
  readonly dedupeKey: string;
  readonly items: readonly AlertItem[];
  readonly facts: Readonly<Record<string, string | number>>;
  /** A destructive fix waiting for a person: its review page (null when no link can be issued). */
  readonly review?: {
    readonly approvalId: string;
    /** The review page with its single-use token; null without APPROVAL_SIGNING_KEY and APPROVAL_BASE_URL. */
    readonly url: string | null;
    /** Epoch ms. */
    readonly expiresAt: number;
  };
}
