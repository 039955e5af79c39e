import { CODES } from './codes.js';
import { cite, LEARN } from './learn.js';
import { SECTIONS } from './sections.js';
import type { CatalogEntry } from './types.js';
import { USERLESS_BLOCKED_FIX, userlessBlockedFix } from './userless-block-fix.js';

// Autopilot device identities (block state, profile assignment, hardware-change states). Most of these fields
// exist only in Graph beta ("windowsAutopilotDeviceIdentity resource type",
// https://learn.microsoft.com/graph/api/resources/intune-enrollment-windowsautopilotdeviceidentity?view=graph-rest-beta); a value the adapter cannot map arrives as 'unknown' and
// never matches an entry here.

const DEREGISTER =
  'deregister the device (delete its Intune record, unassign the user, delete the Autopilot record, Sync), ' +
  'capture and import a new hardware hash, and reset the device to OOBE';

export const REGISTRATION_ENTRIES: readonly CatalogEntry[] = [
  {
    code: CODES.AP_USERLESS_BLOCKED,
    title: 'Device blocked from re-running self-deploying or pre-provisioning',
    severity: 'warning',
    signal:
      'Autopilot record with enrollmentState = blocked or userlessEnrollmentStatus = blocked, and remediationState ' +
      'neither automaticRemediationRequired (Fix pending) nor manualRemediationRequired (Attention required). ' +
      "Unblocked automatically only with userlessEnrollmentStatus = blocked and the device's latest deployment a " +
      'self-deploying or pre-provisioning one refused with 0x80180014, newer than its last unblock.',
    // Names the device's manufacturer and the documented alternatives (see userless-block-fix.ts).
    fix: USERLESS_BLOCKED_FIX,
    fixFor: userlessBlockedFix,
    remediation: 'allow-next-enrollment',
    docs: [
      cite(LEARN.apWhatsNew, 'One-time self-deployment and pre-provisioning'),
      SECTIONS.unblock,
      SECTIONS.reenroll0x80180014,
      SECTIONS.deleteRecord,
      cite(LEARN.graphAutopilotIdentity, 'Methods (allowNextEnrollment action)'),
    ],
    cadence: 'poll',
  },
  {
    code: CODES.AP_USERLESS_BLOCKED_HW_CHANGE,
    title: 'Blocked device in Fix pending / Attention required: Unblock will not work',
    severity: 'warning',
    signal:
      'Blocked as for AP_USERLESS_BLOCKED while remediationState = automaticRemediationRequired (Fix pending) or ' +
      'manualRemediationRequired (Attention required).',
    fix:
      'Unblock does not work while a device is in Fix pending, and an Attention required device gets no profile at ' +
      'all. Fix pending: wait for Intune to re-register the new hardware (it updates at the next check-in), then ' +
      `unblock. Attention required, or Fix pending that does not clear: ${DEREGISTER}, then redeploy.`,
    remediation: null,
    docs: [SECTIONS.unblockFixPending, SECTIONS.unblock, SECTIONS.verifyProfile, SECTIONS.fixPendingAttentionRequired],
    cadence: 'poll',
  },
  {
    code: CODES.AP_PROFILE_NOT_ASSIGNED,
    title: 'No Autopilot profile assigned: the device falls back to the default profile',
    severity: 'warning',
    signal:
      'deploymentProfileAssignmentStatus = notAssigned more than PROFILE_STUCK_HOURS after the device was registered ' +
      '(import time or creation of its Entra object).',
    fix:
      "No profile targets the device, so it deploys with the tenant's default profile (any profile assigned to All " +
      'devices) — or fails with event 815 if there is none. Put it in a group a profile is assigned to: fix its group ' +
      'tag so a dynamic [OrderID] rule matches, or add it to an assigned group; make sure it is not in the ' +
      'Excluded groups. Wait for Profile status = Assigned and Date assigned before deploying. If it should not run ' +
      'Autopilot at all, deregister it.',
    remediation: null,
    docs: [
      SECTIONS.verifyProfile,
      cite(LEARN.apKnownIssues, 'Device goes through Autopilot deployment without an assigned profile'),
      cite(LEARN.apDeviceGroups, 'Create an Autopilot device group using Intune'),
    ],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_PROFILE_ASSIGNMENT_STUCK,
    title: 'Autopilot profile stuck at Assigning',
    severity: 'warning',
    signal:
      'deploymentProfileAssignmentStatus = pending more than PROFILE_STUCK_HOURS after the later of registration and ' +
      'the last assignment date.',
    fix:
      'Assignment is periodic and has no service-level time, but a device stuck at Assigning usually has a group ' +
      "problem: check it is a member of the profile's assigned group (dynamic [ZTDid] / [OrderID] rules evaluated, " +
      'group tag right), not also in an excluded group, and that its hardware hash imported cleanly. A tenant sync ' +
      'does not speed up profile assignment.',
    remediation: null,
    docs: [SECTIONS.verifyProfile, cite(LEARN.apProfiles, 'Assignment of Autopilot deployment profiles to devices')],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_PROFILE_OUT_OF_SYNC,
    title: 'Autopilot profile assignment out of sync',
    severity: 'warning',
    signal:
      'deploymentProfileAssignmentStatus = assignedOutOfSync more than PROFILE_STUCK_HOURS after the assignment date.',
    fix:
      'The profile assigned in Intune differs from what the Autopilot service holds for the device. Autopilot-medic ' +
      'triggers a tenant Autopilot sync (at most once every 10 minutes). If it stays out of sync, select Sync in ' +
      "Windows Autopilot devices, then check the device's groups and re-assign the profile.",
    remediation: 'autopilot-sync',
    docs: [SECTIONS.importCsv, SECTIONS.sync],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_PROFILE_ASSIGNMENT_FAILED,
    title: 'Autopilot profile assignment failed',
    severity: 'error',
    signal: 'deploymentProfileAssignmentStatus = failed.',
    fix:
      'Intune could not assign the profile. Open the device in Windows Autopilot devices and read the assignment ' +
      'detail: usually a profile type the hardware does not support (HoloLens, Surface Hub, Windows PC) or hardware ' +
      'requirements not met. Target a profile of the right type through its groups; if several profiles target it, ' +
      'the oldest-created one wins.',
    remediation: null,
    docs: [
      cite(LEARN.apProfiles, 'Autopilot profile priority'),
      cite(LEARN.graphAutopilotIdentity, 'Properties (deploymentProfileAssignmentDetailedStatus)'),
    ],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_FIX_PENDING,
    title: 'Fix pending for too long after a hardware change',
    severity: 'warning',
    signal:
      'remediationState = automaticRemediationRequired (portal "Fix pending") for more than FIX_PENDING_ALERT_HOURS ' +
      'since remediationStateLastModifiedDateTime.',
    fix:
      'A hardware change was detected and Intune is re-registering the device; that normally clears at the next ' +
      `check-in. If it persists or turns into Attention required: ${DEREGISTER}. Unblock device does not work while ` +
      'the device is in Fix pending.',
    remediation: null,
    docs: [SECTIONS.verifyProfile, SECTIONS.fixPendingAttentionRequired, SECTIONS.unblockFixPending, SECTIONS.unblock],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_ATTENTION_REQUIRED,
    title: 'Attention required: re-registration after a hardware change failed',
    severity: 'error',
    signal: 'remediationState = manualRemediationRequired (portal "Attention required").',
    fix:
      "Automatic re-registration failed and the device can't get an Autopilot profile until it is reset and " +
      `re-registered: ${DEREGISTER}. Capture the hash with Get-WindowsAutopilotInfo or the OOBE diagnostics export, and ` +
      'wait for Profile status = Assigned before the reset.',
    remediation: null,
    docs: [SECTIONS.verifyProfile, SECTIONS.fixPendingAttentionRequired, SECTIONS.deregister],
    cadence: 'sweep',
  },
];
