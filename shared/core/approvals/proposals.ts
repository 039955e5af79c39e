import { actionModule } from '../actions/index.js';
import { CODES } from '../catalog/codes.js';
import { cite, LEARN, type Citation } from '../catalog/learn.js';
import { SECTIONS } from '../catalog/sections.js';
import { isGuid, type Decision, type Finding } from '../model/index.js';
import { modeFor } from '../policy/decide.js';
import type { PolicySettings } from '../policy/types.js';
import { stateFromEvidence } from './state.js';
import type { ApprovalAction, ApprovalTarget, TargetState } from './types.js';
import { trimSerial } from '../fleet/device-keys.js';

// When the product proposes a destructive fix for a person to approve: only for the findings whose documented fix
// it is, and only once the cheaper fixes are ruled out. Every rule names the page that prescribes the fix. The policy
// never runs these actions itself (their modules' safety gate always answers); a proposal is a request to a person.
//
// Not proposed: duplicate serial numbers (which of the records is the stale one needs a person's comparison of the
// hardware), Fix pending (it normally clears at the next check-in), and a deleted Intune record (finishing that
// deregistration also means unassigning the user, which only the admin knows is wanted).

export interface ProposalDraft {
  readonly action: ApprovalAction;
  readonly target: ApprovalTarget;
  readonly finding: Finding;
  readonly state: TargetState;
  readonly reason: string;
  readonly docs: readonly Citation[];
}

interface Rule {
  readonly action: ApprovalAction;
  /** The documented reason, in plain words. */
  readonly reason: string;
  readonly docs: readonly Citation[];
  /** Are the cheaper fixes ruled out for this finding, given the policy's decision on it? */
  readonly cheaperFixesRuledOut: (decision: Decision, policy: PolicySettings) => boolean;
}

/** There is no cheaper fix: the documentation's only fix is this one. */
const ALWAYS = (): boolean => true;

const DEREGISTER_REASON = {
  attention:
    'Attention required: automatic re-registration after a hardware change failed, and the device gets no Autopilot ' +
    'profile until it is deregistered, re-registered with a new hardware hash and reset.',
  entra:
    "The Entra device object created at registration — Autopilot's anchor for group membership and profile targeting " +
    '— was deleted, so the next deployment fails; the documented fix is to remove the Autopilot registration and ' +
    're-import the hash, which recreates it.',
  stale:
    'The device has not contacted Autopilot or checked in with Intune for longer than the stale threshold: a device ' +
    'that left the organisation should be deregistered. Reject if it is still in use.',
};

const RULES: Readonly<Record<string, Rule>> = {
  // Windows Autopilot known issues, "Delete device record in Intune before reusing devices in self-deployment mode or
  // Pre-Provisioning mode" (https://learn.microsoft.com/autopilot/known-issues); the troubleshooting FAQ's 0x80180014
  // answer gives the same two fixes. Unblock is the cheaper one: proposed only after the product's unblocks reached
  // the daily attempt limit and the device is still blocked.
  [CODES.AP_USERLESS_BLOCKED]: {
    action: 'delete-intune-device-record',
    reason:
      'One-time self-deploying / pre-provisioning block: Unblock device was tried up to the daily limit and the ' +
      'device is still blocked. The documented alternative is to delete the device record Intune created, then redeploy.',
    docs: [SECTIONS.deleteRecord, SECTIONS.reenroll0x80180014, SECTIONS.unblock],
    cheaperFixesRuledOut: (d, policy) =>
      d.action === 'allow-next-enrollment' &&
      d.kind === 'alert-only' &&
      d.attempt > policy.maxAttemptsPerDay &&
      !/Fix pending|Attention required/.test(d.reason),
  },
  // Windows Autopilot motherboard replacement scenario guidance, "Fix pending and Attention required"; Windows
  // Autopilot registration overview, "Deregister a device" (https://learn.microsoft.com/autopilot/registration-overview).
  [CODES.AP_ATTENTION_REQUIRED]: {
    action: 'deregister-autopilot-device',
    reason: DEREGISTER_REASON.attention,
    docs: [SECTIONS.fixPendingAttentionRequired, SECTIONS.deregister],
    cheaperFixesRuledOut: ALWAYS,
  },
  // Windows Autopilot troubleshooting FAQ, "Why did deleting a device's object in Microsoft Entra ID cause the device
  // to not be able to join Microsoft Entra ID any longer?" (https://learn.microsoft.com/autopilot/troubleshooting-faq).
  [CODES.AP_ENTRA_OBJECT_MISSING]: {
    action: 'deregister-autopilot-device',
    reason: DEREGISTER_REASON.entra,
    docs: [SECTIONS.entraDeleted, SECTIONS.deregister],
    cheaperFixesRuledOut: ALWAYS,
  },
  // Windows Autopilot registration overview, "Deregister a device": a device that leaves the organisation is
  // deregistered. The stale threshold is what rules out "it is only switched off"; the person decides the rest.
  [CODES.AP_REGISTRATION_STALE]: {
    action: 'deregister-autopilot-device',
    reason: DEREGISTER_REASON.stale,
    docs: [SECTIONS.deregister, cite(LEARN.apRegistrationOverview, 'Windows Autopilot devices')],
    cheaperFixesRuledOut: ALWAYS,
  },
};

/** The finding codes a proposal can be made for, with the action it would propose. */
export const PROPOSAL_CODES: Readonly<Record<string, ApprovalAction>> = Object.fromEntries(
  Object.entries(RULES).map(([code, r]) => [code, r.action]),
);

function targetFor(action: ApprovalAction, finding: Finding): ApprovalTarget | null {
  const e = finding.evidence;
  const autopilotId = e['autopilotId'];
  const serial = typeof e['serialNumber'] === 'string' ? trimSerial(e['serialNumber']) : '';
  if (!isGuid(autopilotId) || serial === '') return null;
  if (action === 'deregister-autopilot-device') return { action, autopilotId, serialNumber: serial };
  const managedDeviceId = e['managedDeviceId'];
  return isGuid(managedDeviceId)
    ? { action, managedDeviceId: managedDeviceId.toLowerCase(), autopilotId, serialNumber: serial }
    : null;
}

/**
 * The approval request this finding calls for now, or null: not a finding a destructive fix is documented for,
 * the cheaper fix still open, the action off in the configuration, or the evidence lacks a usable target.
 */
export function proposalFor(finding: Finding, decision: Decision, policy: PolicySettings): ProposalDraft | null {
  const rule = RULES[finding.code];
  if (rule === undefined || finding.subject.kind !== 'device') return null;
  if (!actionModule(rule.action).requiresApproval) return null;
  if (modeFor(rule.action, policy) === 'off') return null;
  if (!rule.cheaperFixesRuledOut(decision, policy)) return null;
  const target = targetFor(rule.action, finding);
  if (target === null) return null;
  return {
    action: rule.action,
    target,
    finding,
    state: stateFromEvidence(finding.evidence),
    reason: rule.reason,
    docs: rule.docs,
  };
}
