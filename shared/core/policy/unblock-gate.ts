import { sameSerial } from '../fleet/device-keys.js';
import type { Finding, RemedyTarget } from '../model/index.js';
import type { EvidenceFlags, PolicySettings } from './types.js';

// When may the product press "Unblock device" (allowNextEnrollment) on its own? Only for what Microsoft
// documents as the one-time userless block, and only when the device itself just ran into it:
// - "Why is error code 0x80180014 occurring when trying to re-enroll a previously enrolled device?" —
//   Windows Autopilot troubleshooting FAQ, section "Troubleshooting Windows Autopilot device import and
//   enrollment", https://learn.microsoft.com/autopilot/troubleshooting-faq: the self-deployment and
//   pre-provisioning modes block a reused, reset or redeployed device with 0x80180014.
// - "One-time self-deployment and pre-provisioning" — Windows Autopilot: What's new,
//   https://learn.microsoft.com/autopilot/windows-autopilot-whats-new: the block affects only those two modes.
// - userlessEnrollmentStatus = blocked: "next userless enrollment cannot proceed" (windowsAutopilotUserlessEnrollmentStatus,
//   https://learn.microsoft.com/graph/api/resources/intune-enrollment-windowsautopilotuserlessenrollmentstatus?view=graph-rest-beta).
//   enrollmentState = blocked is a different state ("blocked from moving to user enrollment because the app failed to
//   install", https://learn.microsoft.com/graph/api/resources/intune-shared-enrollmentstate?view=graph-rest-beta).
// The block exists so a reset or stolen device cannot re-provision silently; unblocking on weaker evidence
// would defeat it, so every "no" below is the safe side and alerts a person instead.

/** 0x80180014 as an unsigned 32-bit number. */
export const ONE_TIME_BLOCK_HRESULT = 0x8018_0014;

/**
 * windowsAutopilotEnrollmentType values of the userless modes: self-deploying (device authentication, with or
 * without a profile) and pre-provisioning (the technician flow, Entra or hybrid join)
 * (https://learn.microsoft.com/graph/api/resources/intune-troubleshooting-windowsautopilotenrollmenttype?view=graph-rest-beta).
 */
export const USERLESS_ENROLLMENT_TYPES: ReadonlySet<string> = new Set([
  'azureADJoinedUsingDeviceAuthWithAutopilotProfile',
  'azureADJoinedUsingDeviceAuthWithoutAutopilotProfile',
  'azureADJoinedWithWhiteGlove',
  'offlineDomainJoinedWithWhiteGlove',
]);

const ALERT = '; alert only';

/**
 * History rows the retention clean-up keeps however old: a device's enforce-mode unblock outcomes, which date its last
 * unblock (lastUnblockAt below). The failure that unblock answered stays evidence for as long as Intune serves its
 * deployment event (30 days: "Configure Autopilot profiles", section "Autopilot deployments report",
 * https://learn.microsoft.com/autopilot/profiles) or an open finding remembers it, which can outlast any
 * HISTORY_RETENTION_DAYS; without the row, the same failure would unblock the device again. A handful a device.
 */
export function keptByRetention(row: {
  readonly type: string;
  readonly action: string | null;
  readonly mode: string | null;
}): boolean {
  return row.type === 'outcome' && row.action === 'allow-next-enrollment' && row.mode === 'enforce';
}

/**
 * null = the unblock may go ahead; otherwise the reason it may not. `lastUnblockAt` is the last unblock of
 * this device in history: a failure from before it is the one that unblock already answered.
 */
export function unblockGate(
  remedy: Extract<RemedyTarget, { action: 'allow-next-enrollment' }>,
  flags: EvidenceFlags,
  policy: PolicySettings,
  lastUnblockAt: number | null,
): string | null {
  if (flags.remediationState === 'automaticRemediationRequired') {
    return `device is in Fix pending: Unblock does not work until the automatic fix finishes${ALERT}`;
  }
  if (flags.remediationState === 'manualRemediationRequired') {
    return `device is in Attention required: it needs deregistering, re-registering and a reset by a person${ALERT}`;
  }
  if (!flags.userlessBlocked) {
    return `userlessEnrollmentStatus is not blocked (enrollmentState = blocked alone is not the one-time userless block)${ALERT}`;
  }
  if (!policy.unblockRequiresFailureEvent) return null;
  const d = flags.lastDeployment;
  const why = missingEvidence(d, remedy.serialNumber, lastUnblockAt);
  return why === null ? null : `${why}: an automatic unblock would defeat the one-time reuse check${ALERT}`;
}

function missingEvidence(
  d: EvidenceFlags['lastDeployment'],
  serial: string,
  lastUnblockAt: number | null,
): string | null {
  if (d === null) return 'no deployment of this device is known';
  if (d.serialNumber !== null && !sameSerial(d.serialNumber, serial))
    return 'the deployment on record carries another serial number';
  if (d.deploymentState !== 'failure') return "the device's latest deployment did not fail";
  if (d.failureCode !== ONE_TIME_BLOCK_HRESULT) return "the device's latest deployment did not fail with 0x80180014";
  if (d.enrollmentType === null || !USERLESS_ENROLLMENT_TYPES.has(d.enrollmentType)) {
    // Only an enum-shaped value is echoed: evidence is data, and reasons reach history and alerts.
    const type = d.enrollmentType !== null && /^[A-Za-z]{1,64}$/.test(d.enrollmentType) ? d.enrollmentType : 'unknown';
    return `the failed deployment was not self-deploying or pre-provisioning (enrollmentType ${type})`;
  }
  if (lastUnblockAt !== null && (d.startedAt === null || d.startedAt <= lastUnblockAt)) {
    return `the 0x80180014 failure is not newer than the last unblock (${new Date(lastUnblockAt).toISOString()})`;
  }
  return null;
}

/**
 * Does deciding this finding need the device's last unblock from history? Only when everything else about
 * the evidence already allows an unblock, so a tenant with thousands of blocked kiosks (every self-deployed
 * device carries the block) costs no history reads.
 */
export function unblockNeedsHistory(finding: Finding, flags: EvidenceFlags, policy: PolicySettings): boolean {
  const r = finding.remedy;
  if (r?.action !== 'allow-next-enrollment' || !flags.userlessBlocked || !policy.unblockRequiresFailureEvent)
    return false;
  return missingEvidence(flags.lastDeployment, r.serialNumber, null) === null;
}
