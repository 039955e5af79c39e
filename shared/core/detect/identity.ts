import { CODES, type FindingCode } from '../catalog/codes.js';
import type { AutopilotDevice, Evidence, Finding, RememberedDeployment, TenantSnapshot } from '../model/index.js';
import type { IdentityTable } from '../fleet/identity-table.js';
import { deviceSubject, makeFinding } from './finding.js';
import { classifyFailure } from './hresult.js';
import { eventStart, identityKey, lookup, managedForIdentity, normId, registeredAt, type Lookup } from './lookup.js';
import type { DetectorRules } from './rules.js';
import { trimSerial } from '../fleet/device-keys.js';

// Autopilot identity state: the userless re-enrollment block, profile assignment and the hardware-change
// states. Only 'blocked'/'notAssigned'/… trigger anything; 'unknown' (absent beta field, or a value Graph
// added later) never does.

export const IDENTITY_CODES: readonly FindingCode[] = [
  CODES.AP_USERLESS_BLOCKED,
  CODES.AP_USERLESS_BLOCKED_HW_CHANGE,
  CODES.AP_PROFILE_NOT_ASSIGNED,
  CODES.AP_PROFILE_ASSIGNMENT_STUCK,
  CODES.AP_PROFILE_OUT_OF_SYNC,
  CODES.AP_PROFILE_ASSIGNMENT_FAILED,
  CODES.AP_FIX_PENDING,
  CODES.AP_ATTENTION_REQUIRED,
];

/**
 * The device's latest deployment, from this run's events or one an open finding remembers, as the structured
 * evidence the unblock gate reads (policy/evidence.ts, `lastDeployment*` keys). The gate unblocks only when
 * this latest attempt is a userless deployment refused with 0x80180014, newer than the last unblock; a later
 * attempt of any kind supersedes an older failure.
 */
function lastDeploymentEvidence(L: Lookup, remembered: readonly RememberedDeployment[], key: string): Evidence {
  const seen = (L.eventsByKey.get(key) ?? []).map((e): Omit<RememberedDeployment, 'deviceKey'> => {
    const c = e.deploymentState === 'failure' ? classifyFailure(e.failureDetails) : null;
    return {
      eventId: e.id,
      serialNumber: e.serialNumber,
      deploymentState: e.deploymentState,
      enrollmentType: e.enrollmentType,
      failureCode: c === null ? null : (c.matched ?? c.errorCode),
      startedAt: eventStart(e),
    };
  });
  // This run's read wins a tie: it is the fresher copy of the same event.
  const latest = [...remembered, ...seen].reduce<Omit<RememberedDeployment, 'deviceKey'> | null>(
    (best, d) => (best === null || (d.startedAt ?? -Infinity) >= (best.startedAt ?? -Infinity) ? d : best),
    null,
  );
  if (latest === null) return {};
  return {
    lastDeploymentEventId: latest.eventId,
    lastDeploymentSerialNumber: latest.serialNumber,
    lastDeploymentState: latest.deploymentState,
    lastDeploymentEnrollmentType: latest.enrollmentType,
    lastDeploymentFailureCode: latest.failureCode,
    lastDeploymentStartedAt: latest.startedAt,
  };
}

/**
 * Has a profile state lasted longer than the threshold? Graph gives no "pending since", so the clock starts at
 * the latest known anchor (import, Entra object creation, assignment date). With no anchor at all the state
 * is reported: a fresh Intune import always leaves an import row (imports are read every run), and deciding
 * differently on polls and sweeps would make the finding open and resolve in turn.
 */
function outlasted(anchor: number | null, now: number, limitMs: number): boolean {
  return anchor === null || now - anchor > limitMs;
}

function latest(...ts: (number | null)[]): number | null {
  const known = ts.filter((t): t is number => t !== null);
  return known.length > 0 ? Math.max(...known) : null;
}

/** Profile states that can raise a finding (below); any other needs no evidence built for it. */
const PROFILE_STATES_OF_INTEREST: ReadonlySet<string> = new Set([
  'notAssigned',
  'pending',
  'assignedOutOfSync',
  'failed',
]);

/** Could any check below fire? Most identities of a fleet are healthy: they cost this test and nothing more. */
function mayFindRow(t: IdentityTable, row: number): boolean {
  const remediation = t.remediationState(row);
  return (
    t.enrollmentState(row) === 'blocked' ||
    t.userlessEnrollmentStatus(row) === 'blocked' ||
    remediation === 'manualRemediationRequired' ||
    remediation === 'automaticRemediationRequired' ||
    PROFILE_STATES_OF_INTEREST.has(t.profileAssignmentStatus(row))
  );
}

function detectOne(
  i: AutopilotDevice,
  L: Lookup,
  remembered: ReadonlyMap<string, readonly RememberedDeployment[]>,
  now: number,
  rules: DetectorRules,
): Finding[] {
  const key = identityKey(i);
  const subject = deviceSubject(key, i.serialNumber, i.id);
  const managed = managedForIdentity(L, i);
  const base: Evidence = {
    autopilotId: i.id,
    serialNumber: i.serialNumber,
    enrollmentState: i.enrollmentState,
    userlessEnrollmentStatus: i.userlessEnrollmentStatus,
    remediationState: i.remediationState,
    profileAssignmentStatus: i.profileAssignmentStatus,
    managedDeviceId: managed?.id ?? normId(i.managedDeviceId),
  };
  const out: Finding[] = [];
  const hwChange =
    i.remediationState === 'automaticRemediationRequired' || i.remediationState === 'manualRemediationRequired';

  if (i.enrollmentState === 'blocked' || i.userlessEnrollmentStatus === 'blocked') {
    // The manufacturer goes into the fix text (some OEMs re-enroll automatically); the last deployment is
    // the evidence the unblock gate requires.
    const evidence = {
      ...base,
      manufacturer: i.manufacturer,
      ...lastDeploymentEvidence(L, remembered.get(key) ?? [], key),
    };
    if (hwChange) {
      // Unblock does not work in Fix pending (Windows Autopilot: What's new, "Unblock fix pending state for
      // self-deploying and pre-provisioning mode for disabled OEMs") and Attention required needs re-registration.
      out.push(
        makeFinding({
          code: CODES.AP_USERLESS_BLOCKED_HW_CHANGE,
          subject,
          evidence,
          defining: { remediationState: i.remediationState },
        }),
      );
    } else {
      const serial = trimSerial(i.serialNumber);
      // Records that share a serial (ASCII case and blanks aside: normSerial) are one device key: their deployment events, the unblock gate's
      // evidence and the unblock history cannot be told apart, and whoever imports a case-twin would choose which
      // record is unblocked. No automatic unblock then: AP_DUPLICATE_SERIAL says to deregister the stale record.
      const twins = L.identitiesSharingKey.get(key)?.length ?? 0;
      const remedy =
        serial === '' || twins > 1
          ? null
          : { action: 'allow-next-enrollment' as const, autopilotId: i.id, serialNumber: serial };
      out.push(
        makeFinding({
          code: CODES.AP_USERLESS_BLOCKED,
          subject,
          evidence: twins > 1 ? { ...evidence, recordsWithThisSerial: twins } : evidence,
          remedy,
        }),
      );
    }
  }

  if (i.remediationState === 'manualRemediationRequired') {
    out.push(makeFinding({ code: CODES.AP_ATTENTION_REQUIRED, subject, evidence: base }));
  }
  const since = i.remediationStateLastModifiedAt;
  if (
    i.remediationState === 'automaticRemediationRequired' &&
    since !== null &&
    now - since > rules.fixPendingAlertMs
  ) {
    const hours = Math.floor((now - since) / 3_600_000);
    out.push(
      makeFinding({
        code: CODES.AP_FIX_PENDING,
        subject,
        evidence: { ...base, fixPendingSince: since, hoursInFixPending: hours },
      }),
    );
  }

  const registered = registeredAt(L, i);
  const profileEvidence = { ...base, registeredAt: registered, profileAssignedAt: i.profileAssignedAt };
  switch (i.profileAssignmentStatus) {
    case 'notAssigned':
      if (outlasted(latest(registered, i.profileAssignedAt), now, rules.profileStuckMs)) {
        out.push(makeFinding({ code: CODES.AP_PROFILE_NOT_ASSIGNED, subject, evidence: profileEvidence }));
      }
      break;
    case 'pending':
      if (outlasted(latest(registered, i.profileAssignedAt), now, rules.profileStuckMs)) {
        out.push(makeFinding({ code: CODES.AP_PROFILE_ASSIGNMENT_STUCK, subject, evidence: profileEvidence }));
      }
      break;
    case 'assignedOutOfSync':
      if (outlasted(i.profileAssignedAt ?? registered, now, rules.profileStuckMs)) {
        out.push(
          makeFinding({
            code: CODES.AP_PROFILE_OUT_OF_SYNC,
            subject,
            evidence: profileEvidence,
            remedy: { action: 'autopilot-sync' },
          }),
        );
      }
      break;
    case 'failed':
      out.push(makeFinding({ code: CODES.AP_PROFILE_ASSIGNMENT_FAILED, subject, evidence: profileEvidence }));
      break;
    default:
      break;
  }
  return out;
}

export function detectIdentities(snapshot: TenantSnapshot, now: number, rules: DetectorRules): Finding[] {
  const L = lookup(snapshot);
  const remembered = new Map<string, RememberedDeployment[]>();
  for (const d of snapshot.memory?.deployments ?? [])
    remembered.set(d.deviceKey, [...(remembered.get(d.deviceKey) ?? []), d]);
  const out: Finding[] = [];
  // Rows of the lookup's table: a record is built only for an identity whose state can raise a finding.
  const t = L.identities;
  for (let row = 0; row < t.length; row++) {
    if (!mayFindRow(t, row)) continue;
    for (const f of detectOne(t.at(row), L, remembered, now, rules)) out.push(f);
  }
  return out;
}
