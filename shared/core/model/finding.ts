// A Finding is one problem a detector sees, in a shape that is stable across polls: the fingerprint covers
// only the fields that define the problem, so an unchanged problem is not "new" on the next poll.

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export const ACTIONS = [
  'autopilot-sync',
  'allow-next-enrollment',
  'add-to-device-prep-group',
  'restore-device-prep-owner',
] as const;
export type ActionName = (typeof ACTIONS)[number];

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

/** The remediation a finding asks for, with everything the worker needs to re-check and act. */
export type RemedyTarget =
  | { readonly action: 'autopilot-sync' }
  | { readonly action: 'allow-next-enrollment'; readonly autopilotId: string; readonly serialNumber: string }
  | {
      readonly action: 'add-to-device-prep-group';
      readonly groupId: string;
      readonly objectId: string;
      readonly serialNumber: string | null;
    }
  | { readonly action: 'restore-device-prep-owner'; readonly groupId: string; readonly servicePrincipalId: string };

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
