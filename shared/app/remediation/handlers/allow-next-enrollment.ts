import { sameSerial, serialKey, type TargetOf } from '../../../core/actions/index.js';
import { CODES } from '../../../core/catalog/codes.js';
import type { AutopilotDevice } from '../../../core/model/index.js';
import { resolveFlags, unblockGate } from '../../../core/policy/index.js';
import { storedEvidence } from '../../poll/finding-records.js';
import { lastUnblockAt } from '../../history/last-unblock.js';
import type { OutcomeReader } from '../../history/subject-outcomes.js';
import type { RemediationDeps } from '../deps.js';
import { oneItemDone, type TargetHandler } from './types.js';

// allow-next-enrollment: lift a device's userless re-enrollment block, after checking it is still blocked and not
// in Fix pending or Attention required; the re-read must show userlessEnrollmentStatus allowed.

export function allowNextEnrollmentHandler(
  t: TargetOf<'allow-next-enrollment'>,
  deps: RemediationDeps,
  outcomes: OutcomeReader,
): TargetHandler {
  const read = async () => {
    const d = await deps.autopilot.getDeviceIdentity(t.autopilotId);
    return d && stateOf(d);
  };
  return {
    proofRequired: true,
    async precheck() {
      const identity = await deps.autopilot.getDeviceIdentity(t.autopilotId);
      if (identity === null)
        return { kind: 'gone', before: null, detail: 'the Autopilot device record no longer exists' };
      const before = stateOf(identity);
      // The attempt, the outcome and the unblock cooldown are filed under the message's serial: it must be the
      // record's, or one device would be unblocked with its history written under another's.
      if (!sameSerial(identity.serialNumber, t.serialNumber))
        return {
          kind: 'refuse',
          before,
          detail: "the message's serial number is not the Autopilot record's; not written",
        };
      if (before.remediationState === 'automaticRemediationRequired') {
        return {
          kind: 'refuse',
          before,
          detail: 'the device is now in Fix pending, where Unblock does not work; not written',
        };
      }
      if (before.remediationState === 'manualRemediationRequired') {
        return {
          kind: 'refuse',
          before,
          detail: 'the device is now in Attention required (deregister and re-register it); not written',
        };
      }
      // allowNextEnrollment lifts the block on userless (self-deploying, pre-provisioning) re-enrollment, which the
      // identity reports as userlessEnrollmentStatus. enrollmentState alone is not that block.
      // https://learn.microsoft.com/graph/api/resources/intune-enrollment-windowsautopilotdeviceidentity?view=graph-rest-beta
      if (before.userlessEnrollmentStatus !== 'blocked') {
        if (before.enrollmentState === 'blocked') {
          return {
            kind: 'refuse',
            before,
            detail: `enrollmentState is blocked but userlessEnrollmentStatus is ${before.userlessEnrollmentStatus ?? 'unknown'}: Unblock only clears a userless re-enrollment block; not written`,
          };
        }
        return { kind: 'clear', before, detail: 'the device is no longer blocked for userless re-enrollment' };
      }
      const ungated = await gateProblem(t, before, deps, outcomes);
      if (ungated !== null) return { kind: 'refuse', before, detail: `${ungated}; not written` };
      return { kind: 'act', before, work: [t.autopilotId] };
    },
    write: () => ({
      method: 'POST',
      path: `/beta/deviceManagement/windowsAutopilotDeviceIdentities/${t.autopilotId}/allowNextEnrollment`,
      body: null,
    }),
    async act() {
      return oneItemDone(t.autopilotId, await deps.actions.allowNextEnrollment(t.autopilotId));
    },
    // The portal shows no confirmation either: the re-read is the only proof (and may lag the 204).
    async verify() {
      const after = await read();
      if (after === null) return { state: { deleted: true }, proven: false };
      return { state: after, proven: after.userlessEnrollmentStatus === 'allowed' };
    },
  };
}

/**
 * The poll's unblock gate again (core unblockGate), under the current configuration: the message proves nothing, and
 * nearly every self-deployed device carries the block, so a message naming any of them would unblock it. The evidence
 * is the device's open AP_USERLESS_BLOCKED finding as the poll recorded it (its latest deployment, parsed from the
 * tenant's events) with this record as its remedy; the block and remediation state are the fresh read; the last
 * unblock is the device's history, so one 0x80180014 failure answers one unblock. It is read through the command's
 * reader, whose rows the per-device limits count next (limits.ts).
 */
async function gateProblem(
  t: TargetOf<'allow-next-enrollment'>,
  state: ReturnType<typeof stateOf>,
  deps: RemediationDeps,
  outcomes: OutcomeReader,
): Promise<string | null> {
  const subjectKey = serialKey(t.serialNumber) ?? t.autopilotId;
  const record = await deps.findings.get(subjectKey, CODES.AP_USERLESS_BLOCKED);
  const remedy = record?.status === 'open' ? record.remedy : null;
  if (remedy?.action !== 'allow-next-enrollment' || remedy.autopilotId.toLowerCase() !== t.autopilotId.toLowerCase())
    return `no open ${CODES.AP_USERLESS_BLOCKED} finding of this device asks for this record's unblock`;
  const flags = resolveFlags(storedEvidence(record?.evidence ?? null), {
    userlessBlocked: state.userlessEnrollmentStatus === 'blocked',
    remediationState: state.remediationState,
  });
  return unblockGate(remedy, flags, deps.policy, await lastUnblockAt(outcomes, subjectKey));
}

/** What the outcome records of the device, before and after: its block and remediation state, no tenant text. */
function stateOf(d: AutopilotDevice) {
  return {
    enrollmentState: d.enrollmentState,
    userlessEnrollmentStatus: d.userlessEnrollmentStatus,
    remediationState: d.remediationState,
  };
}
