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
    name: 'incremental poll that looked the serial up and found nothing (first sighting: informational)',
    expect: 'present',
    severity: 'info',
    snapshot: snapshot({ imports: [importedDevice({ serialNumber: 'sn-1' })], identitySerialsQueried: ['SN-1'] }),
  },
  {
    code: C.AP_IMPORT_NOT_VISIBLE,
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
    name: 'device visible',
    expect: 'absent',
    snapshot: snapshot({ imports: [importedDevice()], identities: [identity()], complete: { identities: true } }),
  },
  {
    code: C.AP_IMPORT_NOT_VISIBLE,
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
    name: 'incremental poll without a lookup cannot prove absence',
    expect: 'absent',
    snapshot: snapshot({ imports: [importedDevice()] }),
  },
  {
    code: C.AP_IMPORT_OTHER_TENANT,
    name: 'error code 808',
    expect: 'present',
    snapshot: failed({ errorCode: 808, errorName: 'Internal error' }),
  },
  {
    code: C.AP_IMPORT_OTHER_TENANT,
    name: 'name spelled ZtdDeviceAssignedToAnotherTenant, any case',
    expect: 'present',
    snapshot: failed({ errorName: 'ztdDeviceAssignedToANOTHERTenant' }),
  },
  {
    code: C.AP_IMPORT_OTHER_TENANT,
    name: 'a successful import of the serial supersedes the error (imports carry no time to order them by)',
    expect: 'absent',
    snapshot: snapshot({
      imports: [importedDevice({ id: 'imp-old', status: 'error', errorCode: 808 }), importedDevice({ id: 'imp-new' })],
      identities: [identity()],
    }),
  },
  {
    code: C.AP_IMPORT_DUPLICATE_IN_CSV,
    name: 'error code 819',
    expect: 'present',
    snapshot: failed({ errorCode: 819 }),
  },
  {
    code: C.AP_IMPORT_DUPLICATE_IN_CSV,
    name: 'ZtdDeviceAlreadyAssigned is not a problem',
    expect: 'absent',
    snapshot: snapshot({
      imports: [importedDevice({ status: 'error', errorName: 'ZtdDeviceAlreadyAssigned' })],
      identities: [identity()],
    }),
  },
  {
    code: C.AP_IMPORT_INVALID_HASH,
    name: 'InvalidZtdHardwareHash',
    expect: 'present',
    snapshot: failed({ errorName: 'InvalidZtdHardwareHash' }),
  },
  {
    code: C.AP_IMPORT_INVALID_HASH,
    name: 'import complete',
    expect: 'absent',
    snapshot: snapshot({ imports: [importedDevice()] }),
  },
  {
    code: C.AP_IMPORT_STORAGE_ERROR,
    name: 'StorageError',
    expect: 'present',
    snapshot: failed({ errorName: 'StorageError' }),
  },
  {
    code: C.AP_IMPORT_STORAGE_ERROR,
    name: 'import still pending',
    expect: 'absent',
    snapshot: snapshot({ imports: [importedDevice({ status: 'pending' })] }),
  },
  {
    code: C.AP_IMPORT_FAILED,
    name: 'error with an unknown name',
    expect: 'present',
    snapshot: failed({ errorName: 'ZtdSomethingNew', errorCode: 999 }),
  },
  {
    code: C.AP_IMPORT_FAILED,
    name: 'ZtdDeviceAlreadyAssigned with status error is not a failure',
    expect: 'absent',
    snapshot: failed({ errorName: 'ZtdDeviceAlreadyAssigned' }),
  },
  {
    code: C.AP_SYNC_FAILED,
    name: 'syncStatus failed',
    expect: 'present',
    snapshot: snapshot({ settings: settings({ syncStatus: 'failed' }) }),
    subjectKey: 'tenant',
  },
  {
    code: C.AP_SYNC_FAILED,
    name: 'syncStatus completed',
    expect: 'absent',
    snapshot: snapshot({ settings: settings() }),
  },
  {
    code: C.AP_SYNC_FAILED,
    name: 'syncStatus in progress',
    expect: 'absent',
    snapshot: snapshot({ settings: settings({ syncStatus: 'inProgress' }) }),
  },
];
