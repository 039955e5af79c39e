/**
 * The import record (importedWindowsAutopilotDeviceIdentity) a pending import leaves behind. The upload
 * has finished, so DDS reports it `complete` with the device's ZTDID as `deviceRegistrationId`, while the
 * device itself stays out of windowsAutopilotDeviceIdentities until a sync; the record outlives that sync.
 * Ids are derived deterministically, so a reloaded scenario lists the same records.
 */
import { createHash } from 'node:crypto';
import type { ImportedDevice, PendingImport } from '../model/schemas.js';

/** A GUID-shaped id derived from `seed` (version-4 layout, so it looks like Intune's). */
export function derivedGuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A stand-in hardware hash (base64); real ones are ~4 KB, this is enough for a GET by id. */
function fakeHash(serial: string): string {
  const block = createHash('sha256').update(`hwid:${serial}`).digest();
  return Buffer.concat([block, block, block, block]).toString('base64');
}

/** The import record of a pending import: uploads at the same time share one import batch (`importId`). */
export function importRecordFor(p: PendingImport): ImportedDevice {
  const i = p.identity;
  return {
    id: derivedGuid(`imported:${i.id.toLowerCase()}`),
    orderIdentifier: i.groupTag,
    groupTag: i.groupTag,
    serialNumber: i.serialNumber,
    productKey: i.productKey,
    importId: derivedGuid(`import-batch:${new Date(Date.parse(p.importedDateTime)).toISOString()}`),
    hardwareIdentifier: fakeHash(i.serialNumber ?? i.id),
    state: {
      deviceImportStatus: 'complete',
      deviceRegistrationId: i.id,
      deviceErrorCode: 0,
      deviceErrorName: '',
    },
    assignedUserPrincipalName: i.userPrincipalName ? i.userPrincipalName : null,
  };
}
