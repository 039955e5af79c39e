import type { Evidence, Severity, Subject } from './finding.js';

export type AlertKind =
  'finding' | 'resolved' | 'escalation' | 'remediation-failed' | 'blast-radius' | 'digest' | 'outcomes' | 'report';

export interface AlertItem {
  readonly code: string;
  readonly title: string;
  readonly severity: Severity;
  readonly subject: Subject;
  readonly evidence: Evidence;
  /** The documented fix, in plain words, from the catalog. */
  readonly fix: string;
  readonly reference: string;
  /** Intune admin center deep link when the subject has one. */
  readonly link: string | null;
}

export interface Alert {
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly title: string;
  readonly summary: string;
  readonly tenant: string;
  /** Epoch ms. */
  readonly at: number;
  /** De-duplication key: one alert per key per cooldown window. */
  readonly dedupeKey: string;
  readonly items: readonly AlertItem[];
  readonly facts: Readonly<Record<string, string | number>>;
}
