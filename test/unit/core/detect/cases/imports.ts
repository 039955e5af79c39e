import { CODES } from '../../../../../shared/core/catalog/codes.js';
import type { ImportedDevice } from '../../../../../shared/core/model/index.js';
import { HOUR, MINUTE, NOW, identity, importedDevice, settings, snapshot } from '../../../../support/builders.js';
import type { Case } from './types.js';

const C = CODES;
const failed = (o: Partial<ImportedDevice>) =>
  snapshot({ imports: [importedDevice({ status: 'error', ...o })], complete: { imports: true } });

export const IMPORT_CASES: readonly Case[] = [
  {
    code: C.AP_IMPORT_NOT_VISIBLE,
    ref: '§2.1 R10',
    name: 'completed import first seen 1 h ago (kept by the finding), full identity read has no such serial',
    expect: 'present',
    snapshot: snapshot({
      imports: [importedDevice()],
      complete: { identities: true, imports: true },
      memory: { importSightings: [{ serialNumber: 'SN-1', firstSeenAt: NOW - HOUR }] },
    }),
    subjectKey: 'SN-1',
  },
  {
    code: C.AP_IMPORT_NOT_VISIBLE,
    ref: '§2.1 R10',
    name: 'incremental poll that looked the serial up and found nothing (first sighting: informational)',
    expect: 'present',
    severity: 'info',
    snapshot: snapshot({ imports: [importedDevice({ serialNumber: 'sn-1' })], identitySerialsQueried: ['SN-1'] }),
  },
  {
    code: C.AP_IMPORT_NOT_VISIBLE,
    ref: '§2.1 R4',
    name: 'ZtdDeviceAlreadyAssigned but absent from the tenant (re-import allowed)',
    expect: 'present',
    snapshot: snapshot({
      imports: [importedDevice({ status: 'error', errorName: 'ZtdDeviceAlreadyAssigned' })],
      complete: { identities: true },
      memory: { importSightings: [{ serialNumber: 'SN-1', firstSeenAt: NOW - HOUR }] },
    }),
  },
  {
    code: C.AP_IMPORT_NOT_VISIBLE,
    ref: '§2.1 R10',
    name: 'device visible',
    expect: 'absent',
    snapshot: snapshot({ imports: [importedDevice()], identities: [identity()], complete: { identities: true } }),
  },
  {
    code: C.AP_IMPORT_NOT_VISIBLE,
    ref: '§3.1',
    name: 'first seen 5 minutes ago: the sync may still be running, so informational only',
    expect: 'present',
    severity: 'info',
    snapshot: snapshot({
      imports: [importedDevice()],
      complete: { identities: true },
      memory: { importSightings: [{ serialNumber: 'SN-1', firstSeenAt: NOW - 5 * MINUTE }] },
    }),
  },
  {
    code: C.AP_IMPORT_NOT_VISIBLE,
    ref: '§2.1 R10',
    name: 'incremental poll without a lookup cannot prove absence',
    expect: 'absent',
    snapshot: snapshot({ imports: [importedDevice()] }),
  },
  {
    code: C.AP_IMPORT_OTHER_TENANT,
    ref: '§2.1 R2',
    name: 'error code 808',
    expect: 'present',
    snapshot: failed({ errorCode: 808, errorName: 'Internal error' }),
  },
  {
    code: C.AP_IMPORT_OTHER_TENANT,
    ref: '§9 item 10',
    name: 'name spelled ZtdDeviceAssignedToAnotherTenant, any case',
    expect: 'present',
    snapshot: failed({ errorName: 'ztdDeviceAssignedToANOTHERTenant' }),
  },
  {
    code: C.AP_IMPORT_OTHER_TENANT,
    ref: '§2.1 R2',
    name: 'a successful import of the serial supersedes the error (imports carry no time to order them by)',
    expect: 'absent',
    snapshot: snapshot({
      imports: [importedDevice({ id: 'imp-old', status: 'error', errorCode: 808 }), importedDevice({ id: 'imp-new' })],
      identities: [identity()],
    }),
  },
  {
    code: C.AP_IMPORT_DUPLICATE_IN_CSV,
    ref: '§2.1 R3',
    name: 'error code 819',
    expect: 'present',
    snapshot: failed({ errorCode: 819 }),
  },
  {
    code: C.AP_IMPORT_DUPLICATE_IN_CSV,
    ref: '§2.1 R4',
    name: 'ZtdDeviceAlreadyAssigned is not a problem',
    expect: 'absent',
    snapshot: snapshot({
      imports: [importedDevice({ status: 'error', errorName: 'ZtdDeviceAlreadyAssigned' })],
      identities: [identity()],
    }),
  },
  {
    code: C.AP_IMPORT_INVALID_HASH,
    ref: '§2.1 R5',
    name: 'InvalidZtdHardwareHash',
    expect: 'present',
    snapshot: failed({ errorName: 'InvalidZtdHardwareHash' }),
  },
  {
    code: C.AP_IMPORT_INVALID_HASH,
    ref: '§2.1 R5',
    name: 'import complete',
    expect: 'absent',
    snapshot: snapshot({ imports: [importedDevice()] }),
  },
  {
    code: C.AP_IMPORT_STORAGE_ERROR,
    ref: '§2.1 R6',
    name: 'StorageError',
    expect: 'present',
    snapshot: failed({ errorName: 'StorageError' }),
  },
  {
    code: C.AP_IMPORT_STORAGE_ERROR,
    ref: '§2.1 R6',
    name: 'import still pending',
    expect: 'absent',
    snapshot: snapshot({ imports: [importedDevice({ status: 'pending' })] }),
  },
  {
    code: C.AP_IMPORT_FAILED,
    ref: '§2.1 R8',
    name: 'error with an unknown name',
    expect: 'present',
    snapshot: failed({ errorName: 'ZtdSomethingNew', errorCode: 999 }),
  },
  {
    code: C.AP_IMPORT_FAILED,
    ref: '§2.1 R4',
    name: 'ZtdDeviceAlreadyAssigned with status error is not a failure',
    expect: 'absent',
    snapshot: failed({ errorName: 'ZtdDeviceAlreadyAssigned' }),
  },
  {
    code: C.AP_SYNC_FAILED,
    ref: '§3.1',
    name: 'syncStatus failed',
    expect: 'present',
    snapshot: snapshot({ settings: settings({ syncStatus: 'failed' }) }),
    subjectKey: 'tenant',
  },
  {
    code: C.AP_SYNC_FAILED,
    ref: '§3.1',
    name: 'syncStatus completed',
    expect: 'absent',
    snapshot: snapshot({ settings: settings() }),
  },
  {
    code: C.AP_SYNC_FAILED,
    ref: '§3.1',
    name: 'syncStatus in progress',
    expect: 'absent',
    snapshot: snapshot({ settings: settings({ syncStatus: 'inProgress' }) }),
  },
];
