import { CODES } from '../../../../../shared/core/catalog/codes.js';
import { screenImports } from '../../../../../shared/core/detect/index.js';
import { importedDevice, snapshot } from '../../../../support/builders.js';
import type { Case } from './types.js';

// Issue 13.4: records the poll had to skip (gather-snapshot screens them into `unusableRecords`).
const screened = (serialNumber: string) => screenImports([importedDevice({ id: 'imp-1', serialNumber })]);

export const RECORD_CASES: readonly Case[] = [
  {
    code: CODES.AP_TENANT_RECORD_UNUSABLE,
    name: 'imported serial with a TAB in it, screened out by the poll',
    expect: 'present',
    snapshot: snapshot({ unusableRecords: screened('PF5\tTAB01').unusable }),
    subjectKey: 'record:importedWindowsAutopilotDeviceIdentities:imp-1',
  },
  {
    code: CODES.AP_TENANT_RECORD_UNUSABLE,
    name: 'ordinary serial: screened through, nothing to report',
    expect: 'absent',
    snapshot: snapshot({ imports: screened('PF5TAB01').usable, unusableRecords: screened('PF5TAB01').unusable }),
  },
];
