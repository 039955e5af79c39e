import type { RemedyTarget } from './action-shapes.js';

// A Finding is one problem a detector sees, in a shape that is stable across polls: the fingerprint covers
// only the fields that define the problem, so an unchanged problem is not "new" on the next poll.

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export type EvidenceValue = string | number | boolean | null;
export type Evidence = Readonly<Record<string, EvidenceValue>>;

/** What a finding is about. `key` is the stable partition used in storage (serial, group id or 'tenant'). */
export type Subject =
  | {
      readonly kind: 'device';
      readonly key: string;
      readonly serialNumber: string | null;
      readonly autopilotId: string | null;
    }
  | { readonly kind: 'group'; readonly key: string; readonly groupId: string }
  | { readonly kind: 'tenant'; readonly key: 'tenant' };

export interface Finding {
  readonly code: string;
  readonly subject: Subject;
  readonly severity: Severity;
  readonly title: string;
  readonly evidence: Evidence;
  readonly fingerprint: string;
  /** Set when the catalog says the finding is auto-remediable and the data allows it. */
  readonly remedy: RemedyTarget | null;
}
