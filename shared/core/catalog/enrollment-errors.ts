import { CODES } from './codes.js';
import { cite, LEARN } from './learn.js';
import { SECTIONS } from './sections.js';
import type { CatalogEntry } from './types.js';

// Failures classified by the HRESULT in a failed event's enrollmentFailureDetails. Most belong to the TPM-attested
// modes (pre-provisioning technician flow, self-deploying); each code has its own documented fix, so each is its
// own entry rather than one "failed" entry with a lookup table in the alert text.

const TPM_URLS = "the device must reach its TPM vendor's attestation HTTPS URLs";

export const ENROLLMENT_ERROR_ENTRIES: readonly CatalogEntry[] = [
  {
    code: CODES.AP_PREPROV_FAILED,
    title: 'Pre-provisioning (technician flow) failed',
    severity: 'error',
    signal:
      'Latest event with enrollmentType azureADJoinedWithWhiteGlove or offlineDomainJoinedWithWhiteGlove has ' +
      'deploymentState = failure and no error code this catalog classifies.',
    fix:
      "Note the error on the device's pre-provisioning error screen and export logs (Windows 11: CTRL+SHIFT+D › " +
      'Export logs; Windows 10: View diagnostics). Choose Retry for easily fixed problems such as network, otherwise ' +
      `Reset and run the technician flow again. Check the prerequisites: physical device with TPM 2.0 (${TPM_URLS}), ` +
      'an ESP profile targeted to the device, and an Autopilot profile with "Allow pre-provisioned deployment" = Yes.',
    remediation: null,
    docs: [cite(LEARN.apPreProvisionTechnician, 'Technician flow'), SECTIONS.preProvisionRequirements],
    cadence: 'poll',
  },
  {
    code: CODES.AP_ONE_TIME_ENROLLMENT_BLOCK,
    title: 'Re-deployment refused by the one-time enrollment block (0x80180014)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 0x80180014 (hex with or without 0x, or as a decimal HRESULT).',
    fix:
      'The device already completed self-deploying or pre-provisioning once and may not do it again. Devices › ' +
      'Windows › Enrollment › Windows Autopilot › Devices › select the device › Unblock device (a success message may ' +
      'not appear), then redeploy; or delete the device record in Devices › All devices and redeploy. The same code ' +
      'appears when Windows (MDM) is set to Block in a device platform enrollment restriction: check every Windows ' +
      'restriction that applies to the user first. (Autopilot-medic unblocks only through AP_USERLESS_BLOCKED.)',
    remediation: null,
    docs: [SECTIONS.reenroll0x80180014, SECTIONS.deleteRecord, SECTIONS.unblock],
    cadence: 'poll',
  },
  {
    code: CODES.AP_PREPROV_NOT_ALLOWED,
    title: 'Pre-provisioning not allowed by the Autopilot profile (0x80180005)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 0x80180005.',
    fix:
      'The technician pressed the Windows key five times, but the Autopilot profile assigned to the device has "Allow ' +
      'pre-provisioned deployment" = No, which Intune enforces. Set it to Yes in that profile (Devices › Windows › ' +
      'Enrollment › Deployment profiles) or assign a profile that allows it, wait for Profile status = Assigned, then ' +
      'rerun the technician flow — or deploy the device user-driven.',
    remediation: null,
    docs: [
      cite(LEARN.apProfiles, 'Create an Autopilot deployment profile (Allow pre-provisioned deployment)'),
      SECTIONS.preProvisionRequirements,
    ],
    cadence: 'poll',
  },
  {
    code: CODES.AP_TPM_ATTESTATION_FAILED,
    title: 'TPM attestation failed (0x801c03ea)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 0x801c03ea.',
    fix:
      'TPM attestation failed, so the device could not join Microsoft Entra ID with a device token. Investigate the ' +
      `TPM: TPM 2.0, not in reduced functionality mode, current firmware, and ${TPM_URLS}. A badly skewed clock also ` +
      'breaks attestation (run `w32tm /resync /force` at OOBE). Retry after fixing.',
    remediation: null,
    docs: [
      SECTIONS.selfDeployFails,
      cite(LEARN.apKnownIssues, 'Windows Autopilot device provisioning can fail'),
      cite(LEARN.apDeviceGuidelines, 'Hardware and firmware best practice guidelines for Windows Autopilot'),
    ],
    cadence: 'poll',
  },
  {
    code: CODES.AP_TPM_ATTESTATION_RETRY_EXCEEDED,
    title: 'Intermittent TPM attestation failure (0x81039001)',
    severity: 'warning',
    signal:
      'Failed event whose failureDetails carry 0x81039001 / E_AUTOPILOT_CLIENT_TPM_MAX_ATTESTATION_RETRY_EXCEEDED.',
    fix:
      'Attestation failed intermittently at "Securing your hardware". Retry the pre-provisioning or self-deploying ' +
      `run. If it keeps failing on the same device, treat it as a TPM problem (firmware, ${TPM_URLS}, clock in sync).`,
    remediation: null,
    docs: [cite(LEARN.apKnownIssues, 'TPM attestation failure with error code 0x81039001')],
    cadence: 'poll',
  },
  {
    code: CODES.AP_TPM_WIN11_ATTESTATION_UPDATE,
    title: 'Windows 11 TPM attestation bug (0x81039023)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 0x81039023.',
    fix:
      'Known Windows 11 attestation bug. Install the May 2022 cumulative update for Windows 11 21H2 (KB5013943) or ' +
      'later on the device, or use newer installation media, then rerun.',
    remediation: null,
    docs: [cite(LEARN.apKnownIssues, 'TPM attestation failure on Windows 11 error code 0x81039023')],
    cadence: 'poll',
  },
  {
    code: CODES.AP_TPM_VULNERABLE_FIRMWARE,
    title: 'TPM firmware with known vulnerabilities (0x81039024)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 0x81039024.',
    fix: "Attestation was refused because the TPM has known vulnerabilities. Update the TPM firmware from the PC manufacturer's website, then rerun.",
    remediation: null,
    docs: [cite(LEARN.apKnownIssues, 'TPM attestation failure on Windows 11 error code 0x81039024')],
    cadence: 'poll',
  },
  {
    code: CODES.AP_TPM_AMD_FTPM_FIRMWARE,
    title: 'TPM attestation failure on AMD firmware TPM (0x80070490)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 0x80070490.',
    fix:
      'On AMD platforms with the ASP firmware TPM (fTPM) this is a known attestation failure fixed in later AMD ' +
      'firmware: update the firmware through the PC manufacturer (see its firmware release notes). The documentation ' +
      'ties 0x80070490 to nothing else — on other hardware, investigate the TPM.',
    remediation: null,
    docs: [cite(LEARN.apKnownIssues, "TPM attestation isn't working on AMD platforms with ASP fTPM")],
    cadence: 'poll',
  },
  {
    code: CODES.AP_DEPLOYMENT_TIMEOUT,
    title: 'Deployment timed out (0x800705B4)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 0x800705B4.',
    fix:
      'A generic timeout. In self-deploying or pre-provisioning it usually means the device is not TPM 2.0 capable ' +
      '(for example a virtual machine, even with a virtual TPM): use physical TPM 2.0 hardware. Otherwise check the ' +
      "ESP time limit and the device's network.",
    remediation: null,
    docs: [SECTIONS.selfDeployFails, cite(LEARN.apSelfDeploying, 'Requirements')],
    cadence: 'poll',
  },
  {
    code: CODES.AP_MULTIPLE_MDM_CONFIGS,
    title: 'Automatic MDM enrollment impossible: several MDM configurations (0xc1036501)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 0xc1036501.',
    fix:
      'Microsoft Entra ID has more than one MDM configuration, so automatic MDM enrollment cannot pick one. In Entra ' +
      'ID › Mobility (MDM and WIP) leave Microsoft Intune as the only MDM app in scope for these users, then redeploy.',
    remediation: null,
    docs: [SECTIONS.selfDeployFails],
    cadence: 'poll',
  },
  {
    code: CODES.AP_ENTRA_OBJECT_DELETED,
    title: 'Entra device object of the registration was deleted (0x801C03F3)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 0x801C03F3.',
    fix:
      "Microsoft Entra ID can't find the device object created at registration (someone deleted it). Remove the " +
      'device from Intune, then from Autopilot (Deregister a device), re-register it by importing its hardware hash — ' +
      'which recreates the Entra object — wait for Profile status = Assigned, and redeploy. Never delete the Entra ' +
      'object of a registered device by hand.',
    remediation: null,
    docs: [SECTIONS.preProvisioning0x801c03f3, SECTIONS.entraDeleted, SECTIONS.deregister],
    cadence: 'poll',
  },
  {
    code: CODES.AP_USER_DEVICE_LIMIT,
    title: "User isn't authorized to enroll: device limit reached (801c0003)",
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 801c0003.',
    fix:
      'The user reached a per-user device limit: the Entra device join limit (default 50) or the Intune device limit ' +
      "restriction. Delete the user's stale device objects or raise the limit, then retry. Common with reused devices " +
      'and virtual-machine snapshot rollbacks.',
    remediation: null,
    docs: [
      cite(
        LEARN.apFaq,
        'What does the error message "This user isn\'t authorized to enroll, error code 801c0003" mean?',
      ),
      cite(
        LEARN.apTroubleshootingFaq,
        'What happens if a user attempts to join more devices to Microsoft Entra ID than allowed?',
      ),
    ],
    cadence: 'poll',
  },
  {
    code: CODES.AP_USER_LICENSE_OR_LIMIT,
    title: 'Enrollment refused: licence missing or too many devices (80180018)',
    severity: 'error',
    signal: 'Failed event whose failureDetails carry 80180018.',
    fix:
      'Usually the user has no Intune licence (assign Intune, EMS or a Microsoft 365 plan that includes it) or has ' +
      'too many enrolled devices (clean up, or raise the Intune device limit). Fix it, then retry the deployment.',
    remediation: null,
    docs: [
      cite(
        LEARN.apTroubleshootingFaq,
        'Why is enrollment in Microsoft Intune or a non-Microsoft MDM solution failing with an error code "80180018"?',
      ),
    ],
    cadence: 'poll',
  },
];
