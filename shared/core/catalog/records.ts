import { CODES } from './codes.js';
import { cite, LEARN } from './learn.js';
import type { CatalogEntry } from './types.js';

// Records the run cannot use. Serial numbers key every device (findings, history, claims) and go into Graph
// filters, and they are whatever the imported hardware hash or the device said. One such record must not stop
// the run for every other device, nor be silently ignored: it is skipped and reported once, here.

export const RECORD_ENTRIES: readonly CatalogEntry[] = [
  {
    code: CODES.AP_TENANT_RECORD_UNUSABLE,
    title: 'Tenant record skipped: its serial number cannot be used',
    severity: 'warning',
    signal:
      'An Autopilot device, deployment event, hardware-hash import or Intune device whose serial number contains ' +
      'control characters (tab, newline, escape, …), is not valid Unicode, or is longer than 256 characters. The ' +
      'record is left out of detection and remediation; the evidence names the collection, the record id and the ' +
      'problem, with the value shown escaped.',
    fix:
      'No real device reports such a serial number: the record comes from a damaged or hand-edited import. Find it ' +
      'by the record id (Windows Autopilot devices, or Devices > All devices for Intune), delete it, and import the ' +
      'hardware hash again from the device (Get-WindowsAutopilotInfo). Until then the device is not checked or fixed.',
    remediation: null,
    docs: [cite(LEARN.graphAutopilotIdentity, 'Properties')],
    cadence: 'poll',
  },
];
