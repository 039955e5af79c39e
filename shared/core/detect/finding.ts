import { catalogEntry } from '../catalog/catalog.js';
import type { FindingCode } from '../catalog/codes.js';
import { stableHash } from '../hash.js';
import type { Evidence, Finding, RemedyTarget, Severity, Subject } from '../model/index.js';
import { trimSerial } from '../fleet/device-keys.js';

// The one way detectors build a Finding: title and default severity come from the catalog, and the
// fingerprint covers only code, subject, severity and the caller's `defining` fields — never timestamps that
// move or ages that grow — so an unchanged problem keeps its fingerprint from poll to poll.

export function deviceSubject(key: string, serialNumber: string | null, autopilotId: string | null): Subject {
  const serial = serialNumber === null ? '' : trimSerial(serialNumber);
  return { kind: 'device', key, serialNumber: serial === '' ? null : serial, autopilotId };
}

export function groupSubject(groupId: string): Subject {
  const key = groupId.trim().toLowerCase();
  return { kind: 'group', key, groupId: key };
}

export const TENANT: Subject = { kind: 'tenant', key: 'tenant' };

export interface FindingInput {
  readonly code: FindingCode;
  readonly subject: Subject;
  /** Defaults to the catalog severity; detectors escalate with age where the catalog says so. */
  readonly severity?: Severity;
  readonly evidence: Evidence;
  /** The state that defines this problem (error code, state value, event id). Goes into the fingerprint. */
  readonly defining?: Evidence;
  readonly remedy?: RemedyTarget | null;
}

export function makeFinding(input: FindingInput): Finding {
  const entry = catalogEntry(input.code);
  // Programming errors, not data errors: a detector may only emit catalogued codes and catalogued actions.
  if (!entry) throw new Error(`detector emitted ${input.code}, which is not in the catalog`);
  const remedy = input.remedy ?? null;
  if (remedy && remedy.action !== entry.remediation) {
    throw new Error(
      `${input.code}: remedy ${remedy.action} does not match catalog remediation ${String(entry.remediation)}`,
    );
  }
  const severity = input.severity ?? entry.severity;
  return {
    code: entry.code,
    subject: input.subject,
    severity,
    title: entry.title,
    evidence: input.evidence,
    fingerprint: stableHash({ code: entry.code, subject: input.subject.key, severity, defining: input.defining ?? {} }),
    remedy,
  };
}
