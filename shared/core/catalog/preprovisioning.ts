import { CODES } from './codes.js';
import { cite, LEARN } from './learn.js';
import { SECTIONS } from './sections.js';
import type { CatalogEntry } from './types.js';

// Pre-provisioning specifics that are not a single error code: hardware that can never attest, and the two
// timers between the technician flow and the user flow (≥ 90 minutes, ≤ six months).

export const PREPROVISIONING_ENTRIES: readonly CatalogEntry[] = [
  {
    code: CODES.AP_USERLESS_ON_VIRTUAL_MACHINE,
    title: 'Pre-provisioning or self-deploying attempted on a virtual machine',
    severity: 'error',
    signal:
      'Failed pre-provisioning or self-deploying event for a device whose Autopilot model or manufacturer names a ' +
      'virtual machine (Virtual Machine, VMware, VirtualBox, QEMU, …). Takes precedence over the error code.',
    fix:
      "Pre-provisioning and self-deploying rely on TPM attestation, which virtual machines don't support even with a " +
      'virtual TPM. Use physical hardware, or test on the VM with user-driven mode.',
    remediation: null,
    docs: [
      cite(LEARN.apKnownIssues, 'Pre-provisioning gives an error screen'),
      cite(LEARN.apScenarios, 'Pre-provisioned'),
      cite(LEARN.apScenarios, 'Self-deploying mode'),
    ],
    cadence: 'poll',
  },
  {
    code: CODES.AP_PREPROV_USER_FLOW_PENDING,
    title: 'Pre-provisioned device still waiting for its user flow',
    severity: 'warning',
    signal:
      'A successful technician flow (WhiteGlove event, or remembered from this open finding) and no sign of the user ' +
      'flow since: the Autopilot record has not contacted the service and Intune has not seen a check-in after the ' +
      'reseal. Severity: info while under 5 months (tracking only), warning from 5 months, error after 6 months.',
    fix:
      'Give the device to its user and run the user flow within six months of the technician flow; later, the ' +
      'certificates of the Intune Management Extension may have expired and Win32 apps fail with "detection state: ' +
      'NotComputed". If the six months have passed, pre-provision the device again before shipping it (delete its ' +
      'Intune record or Unblock it first: a pre-provisioned device cannot re-enroll automatically).',
    remediation: null,
    docs: [SECTIONS.userFlowTips, SECTIONS.preProvisionRequirements, SECTIONS.preProvisionUserFlow],
    cadence: 'poll',
  },
  {
    code: CODES.AP_PREPROV_USER_FLOW_TOO_SOON,
    title: 'User flow started less than 90 minutes after the technician flow',
    severity: 'info',
    signal:
      'The Autopilot record of a pre-provisioned device contacted the service (OOBE of the user flow) less than 90 ' +
      'minutes after the technician flow ended.',
    fix:
      'Wait at least 90 minutes between the end of the technician flow and the start of the user flow so tokens can ' +
      'refresh (this mostly bites labs and tests). If the user flow failed, reset the device and run it again.',
    remediation: null,
    docs: [SECTIONS.userFlowTips, SECTIONS.preProvisionUserFlow],
    cadence: 'sweep',
  },
];
