import { CODES } from './codes.js';
import { cite, LEARN } from './learn.js';
import { SECTIONS } from './sections.js';
import type { CatalogEntry } from './types.js';

// Hardware-hash imports and the tenant-wide Autopilot sync. Error names drift between documents
// (ZtdDeviceAssignedToOtherTenant vs …AnotherTenant), so detectors match them case-insensitively and by code.
// ZtdDeviceAlreadyAssigned is deliberately absent: the hash is already registered to this tenant.

const SYNC_NOTE = 'at most once every 10 minutes, tenant-wide and shared with admins pressing Sync';

export const IMPORT_ENTRIES: readonly CatalogEntry[] = [
  {
    code: CODES.AP_IMPORT_NOT_VISIBLE,
    title: 'Imported device not visible in Windows Autopilot devices',
    severity: 'warning',
    signal:
      'Imported device (state complete, or ZtdDeviceAlreadyAssigned) whose serial has no Autopilot record ' +
      'IMPORT_VISIBLE_MINUTES after the import; judged only when the identities were read in full or the serial was ' +
      'looked up.',
    fix:
      `Imported devices appear only after an Autopilot sync; autopilot-medic triggers one (${SYNC_NOTE}). If the ` +
      'device still does not appear, select Sync and then Refresh in Windows Autopilot devices a few minutes later; ' +
      'if it never shows, import the hash again (allowed after ZtdDeviceAlreadyAssigned when the device is absent).',
    remediation: 'autopilot-sync',
    docs: [
      SECTIONS.importCsv,
      cite(LEARN.apManualRegistration, 'Verify the hardware hash uploaded'),
      SECTIONS.registrationFailures,
    ],
    cadence: 'poll',
  },
  {
    code: CODES.AP_IMPORT_OTHER_TENANT,
    title: 'Import refused: device registered to another tenant (808)',
    severity: 'error',
    signal: 'Import error 808 / ZtdDeviceAssignedToOtherTenant / ZtdDeviceAssignedToAnotherTenant.',
    fix:
      'The hash matches a device registered to another tenant. Search the serial in Windows Autopilot devices; if it ' +
      'is registered elsewhere, that tenant or its partner/OEM must deregister it first. For a refurbished device, or ' +
      'one showing another customer\'s welcome page, open a Microsoft support case titled "Autopilot Deregistration Request".',
    remediation: null,
    docs: [SECTIONS.uploadErrorMessages, SECTIONS.registrationFailures, cite(LEARN.apMotherboard, 'FAQ')],
    cadence: 'poll',
  },
  {
    code: CODES.AP_IMPORT_DUPLICATE_IN_CSV,
    title: 'Import row skipped: duplicate hardware hash in the CSV (819)',
    severity: 'warning',
    signal: 'Import error 819 / ZtdDeviceDuplicated.',
    fix:
      'The same hardware hash appeared more than once in the CSV and only one row was processed. Check the result of ' +
      'the other row with that hash, and remove duplicate rows before the next import.',
    remediation: null,
    docs: [SECTIONS.uploadErrorMessages, SECTIONS.registrationFailures],
    cadence: 'poll',
  },
  {
    code: CODES.AP_IMPORT_INVALID_HASH,
    title: 'Import refused: invalid hardware hash',
    severity: 'error',
    signal: 'Import error InvalidZtdHardwareHash.',
    fix:
      'One or more hash fields are empty or invalid; manufacturer and serial number must be present. Check them on ' +
      'the device with `wmic baseboard get manufacturer, serialnumber`, capture the hash again (Get-WindowsAutopilotInfo ' +
      'or a supported OA3 tool) and re-import.',
    remediation: null,
    docs: [SECTIONS.registrationFailures],
    cadence: 'poll',
  },
  {
    code: CODES.AP_IMPORT_STORAGE_ERROR,
    title: 'Import failed with a service error (StorageError)',
    severity: 'warning',
    signal: 'Import error StorageError.',
    fix: 'A generic service-side failure. Import the device again later; if it keeps failing, open a support case.',
    remediation: null,
    docs: [SECTIONS.registrationFailures],
    cadence: 'poll',
  },
  {
    code: CODES.AP_IMPORT_FAILED,
    title: 'Hardware-hash import failed',
    severity: 'warning',
    signal: 'Import state error with an error name or code this catalog does not classify.',
    fix:
      'Read the error in the import notification. Check the CSV: header "Device Serial Number,Windows Product ID,' +
      'Hardware Hash,Group Tag,Assigned User", ANSI encoding, at most 500 rows, edited in Notepad rather than Excel, ' +
      'no extra columns, quotes or trailing spaces. Fix it and import again.',
    remediation: null,
    docs: [
      cite(LEARN.apManualRegistration, 'Ensure that the CSV file meets requirements'),
      cite(LEARN.apFaq, 'What are some common causes of registration failures?'),
      cite(LEARN.apKnownIssues, 'Error importing Windows Autopilot devices from a .csv file'),
    ],
    cadence: 'poll',
  },
  {
    code: CODES.AP_SYNC_FAILED,
    title: 'Last Autopilot service sync failed',
    severity: 'warning',
    signal: 'windowsAutopilotSettings.syncStatus = failed.',
    fix:
      'Recent imports and deletions may not show in Windows Autopilot devices. Autopilot-medic triggers a new sync ' +
      `(${SYNC_NOTE}). If it keeps failing, select Sync in Windows Autopilot devices and check service health in the ` +
      'Intune admin center.',
    remediation: 'autopilot-sync',
    docs: [SECTIONS.importCsv, SECTIONS.sync],
    cadence: 'poll',
  },
];
