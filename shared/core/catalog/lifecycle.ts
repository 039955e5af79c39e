import { CODES } from './codes.js';
import { cite, LEARN } from './learn.js';
import { SECTIONS } from './sections.js';
import type { CatalogEntry } from './types.js';

// Compliance-sweep checks: they need full reads of identities, Entra devices and managed devices, so they run
// only on kind 'full'. Hybrid duplicate Entra objects are by design (KI L3297–L3301) and are never flagged.

const DEREGISTER_ORDER =
  'delete it from Intune, unassign the user, delete the Autopilot record and select Sync; for hybrid-joined ' +
  "devices also delete the AD computer object. Don't delete the Entra object of an Entra-joined device by hand";

export const LIFECYCLE_ENTRIES: readonly CatalogEntry[] = [
  {
    code: CODES.AP_REGISTRATION_STALE,
    title: 'Autopilot registration not seen for a long time',
    severity: 'warning',
    signal:
      'Autopilot record whose last contact with the service, and the last Intune check-in of its managed device (if ' +
      'any), are both older than STALE_REGISTRATION_DAYS.',
    fix:
      `The device looks gone. If it left the organisation (retired, sold, sent for repair), deregister it in order: ${DEREGISTER_ORDER}. ` +
      'If it is still in use, have its user connect it so it checks in.',
    remediation: null,
    docs: [SECTIONS.deregister],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_REGISTERED_NEVER_ENROLLED,
    title: 'Autopilot device registered long ago but never enrolled',
    severity: 'info',
    signal:
      'Autopilot record with enrollmentState = notContacted and no Intune managed device, registered more than ' +
      'STALE_REGISTRATION_DAYS ago (import time or creation of its Entra object).',
    fix:
      'Registered but never deployed: stock waiting to be issued, or a registration whose device is gone. Check the ' +
      'asset list; deregister records of devices you no longer have (delete the Autopilot record, then Sync).',
    remediation: null,
    docs: [cite(LEARN.apRegistrationOverview, 'Windows Autopilot devices'), SECTIONS.deregister],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_ENTRA_OBJECT_MISSING,
    title: 'Entra device object of an Autopilot registration is missing',
    severity: 'error',
    signal: 'Autopilot record whose azureAdDeviceId matches no Entra device in a full read of Autopilot Entra devices.',
    fix:
      "The Entra object created at registration — Autopilot's anchor for group membership and profile targeting — is " +
      'gone, so the next deployment fails (pre-provisioning with 0x801C03F3). Remove the device from Intune and ' +
      'Autopilot, re-register it by importing its hash (which recreates the Entra object), and wait for Profile status ' +
      '= Assigned before deploying.',
    remediation: null,
    docs: [SECTIONS.entraDeleted, SECTIONS.preProvisioning0x801c03f3, cite(LEARN.apRegistrationOverview)],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_MANAGED_DEVICE_MISSING,
    title: 'Autopilot record points at an Intune device that no longer exists',
    severity: 'warning',
    signal:
      'Autopilot record with a managedDeviceId, or enrollmentState = enrolled, but no such Intune managed device in a ' +
      'full read.',
    fix:
      'The Intune record was deleted and the Autopilot registration stayed (possible since Intune 2307). If the device ' +
      'left the organisation, finish deregistration: unassign the user, delete the Autopilot record, Sync. If it is ' +
      'still in use it is now unmanaged: reset it so it enrolls again through Autopilot.',
    remediation: null,
    docs: [SECTIONS.deregister, cite(LEARN.apWhatsNew, 'One step removal of Windows Autopilot registration')],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_DUPLICATE_SERIAL,
    title: 'Serial number registered more than once in Autopilot',
    severity: 'warning',
    signal:
      'Two or more Autopilot records share a serial number (case-insensitive). Duplicate Entra objects of ' +
      'hybrid-joined devices are by design and not part of this check.',
    fix:
      'One serial registered twice usually means a scavenged motherboard or disk, a re-registration after repair ' +
      'without removing the old record, or an import with a wrong serial. Compare the records (manufacturer, model, ' +
      'group tag) and deregister the stale one. Never re-register a device built from scavenged parts before the ' +
      'donor is deregistered.',
    remediation: null,
    docs: [
      cite(LEARN.apMotherboard, 'Specific repair scenarios'),
      cite(LEARN.apKnownIssues, 'Duplicate device objects with Microsoft Entra hybrid deployments'),
    ],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_MANAGED_NONCOMPLIANT,
    title: 'Autopilot device is noncompliant',
    severity: 'warning',
    signal:
      'Autopilot-enrolled Intune device with complianceState = noncompliant, outside the settling time after ' +
      'enrollment (check-ins every 3 min for 15 min, every 15 min for 2 h, then about every 8 h) and outside the ' +
      'compliance reset of a pre-provisioned user flow.',
    fix:
      "Open the device's Device compliance page in Intune to see which setting fails. Right after Autopilot, " +
      'BitLocker and Secure Boot checks fail until a reboot is reported: a compliance grace period (as short as 0.25 ' +
      'days) avoids that. Otherwise fix the failing setting, or retire the device.',
    remediation: null,
    docs: [
      cite(LEARN.apKnownIssues, 'Device-based Conditional Access policies'),
      cite(
        LEARN.apFaq,
        "Why don't applications install after the ESP is finished on an Intune managed device when using autologon with Windows Autopilot self-deploying mode?",
      ),
      SECTIONS.checkInSchedule,
    ],
    cadence: 'sweep',
  },
  {
    code: CODES.AP_MANAGED_CHECKIN_STALE,
    title: 'Autopilot device has not checked in with Intune',
    severity: 'warning',
    signal:
      'Autopilot-enrolled Intune device whose last check-in is older than CHECKIN_STALE_DAYS (resealed ' +
      'pre-provisioned devices waiting for their user, and registrations already reported stale, are excluded).',
    fix:
      'The device has not synced for weeks, so its policies and compliance are out of date. Ask its user to connect ' +
      'it and sync (Settings › Accounts › Access work or school › Info › Sync). If it is lost or retired, retire or ' +
      `wipe it and deregister it: ${DEREGISTER_ORDER}.`,
    remediation: null,
    docs: [SECTIONS.checkInSchedule, SECTIONS.deregister],
    cadence: 'sweep',
  },
];
