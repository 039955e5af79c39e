import { CODES } from './codes.js';
import type { CatalogEntry } from './types.js';
import { USERLESS_BLOCKED_FIX, userlessBlockedFix } from './userless-block-fix.js';

// Autopilot device identities (block state, profile assignment, hardware-change states). Most of these fields
// exist only in Graph beta (graph-and-platform §2.1); a value the adapter cannot map arrives as 'unknown' and
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
    reference: 'autopilot-reference §2.3 E1, §3.2; seed 004 L1945–L1949, L1775–L1789, L2731–L2752, L3309–L3318',
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
    reference: 'autopilot-reference §3.2, §2.2 P7–P8; seed 004 L1775–L1789, L4277–L4289, L14599–L14606',
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
    reference: 'autopilot-reference §2.2 P1, P4, P11, §9 item 4; seed 004 L4262–L4299, L3255–L3259, L12300–L12316',
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
    reference: 'autopilot-reference §2.2 P2, §3.1 point 4; seed 004 L4297–L4299, L12568–L12581',
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
    reference: 'autopilot-reference §3.1, §5.4; ARCHITECTURE §5; seed 004 L3892–L3894',
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
    reference: 'autopilot-reference §5.4 (deploymentProfileAssignmentDetailedStatus), §2.2 P10; seed 004 L12604–L12606',
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
    reference: 'autopilot-reference §2.2 P7, §2.9 L6; seed 004 L4277–L4284, L14599–L14606, L1775–L1789',
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
    reference: 'autopilot-reference §2.2 P8, §10.5; seed 004 L4285–L4289, L14599–L14606, L10610–L10656',
    cadence: 'sweep',
  },
];
