import { sameSerial, type TargetOf } from '../../../core/actions/index.js';
import { stateFromIdentity } from '../../../core/approvals/index.js';
import type { ManagedDevice } from '../../../core/model/index.js';
import type { RemediationDeps } from '../deps.js';
import { approvedRequest, identityUnchanged } from './approval-check.js';
import { oneItemDone, type TargetHandler } from './types.js';

// delete-intune-device-record: DELETE the device's Intune record, only for an approved request, only while the Intune
// record exists and the Autopilot record reads as it did when the fix was proposed (still linked to this record,
// still blocked, not in Fix pending or Attention required). The re-read must show the record gone.

export function deleteIntuneDeviceRecordHandler(
  t: TargetOf<'delete-intune-device-record'>,
  deps: RemediationDeps,
): TargetHandler {
  const readRecord = async (): Promise<ManagedDevice | null | undefined> =>
    deps.managedDevices === undefined ? undefined : deps.managedDevices.getManagedDevice(t.managedDeviceId);
  const readManaged = async (): Promise<boolean | null> => {
    const record = await readRecord();
    return record === undefined ? null : record !== null;
  };
  // Set by the pre-check once the command proved it is the approved request's (types.ts approvalRequestId).
  let approvalRequestId: string | null = null;
  return {
    proofRequired: true,
    approvalRequestId: () => approvalRequestId,
    async precheck() {
      const approved = await approvedRequest('delete-intune-device-record', t, deps);
      approvalRequestId = approved.request?.id ?? null;
      if (!approved.ok) return { kind: 'refuse', before: approved.before, detail: approved.detail };
      const record = await readRecord();
      const exists = record === undefined ? null : record !== null;
      const identity = await deps.autopilot.getDeviceIdentity(t.autopilotId);
      const before = {
        ...approved.before,
        intuneRecordExists: exists,
        ...(identity === null ? { autopilotRecordExists: false } : stateFromIdentity(identity)),
      };
      if (exists === null)
        return { kind: 'refuse', before, detail: 'this worker cannot read Intune records; not written' };
      if (!exists)
        return {
          kind: 'refuse',
          before,
          detail: 'state changed since the proposal: the Intune record is already deleted; not written',
        };
      // The Intune record must still be the approved device's. One without a serial proves nothing either way (the
      // Autopilot record's link to it is compared below); one with another serial is another device's record.
      const recordSerial = record?.serialNumber?.trim() ?? '';
      if (recordSerial !== '' && !sameSerial(recordSerial, t.serialNumber))
        return {
          kind: 'refuse',
          before,
          detail: `state changed since the proposal: the Intune record's serial number is not the approved ${t.serialNumber}; not written`,
        };
      const changed = identityUnchanged(approved.request, identity);
      if (changed !== null) return { kind: 'refuse', before, detail: `${changed}; not written` };
      return { kind: 'act', before, work: [t.managedDeviceId] };
    },
    write: () => ({
      method: 'DELETE',
      path: `/v1.0/deviceManagement/managedDevices/${t.managedDeviceId}`,
      body: null,
    }),
    async act() {
      return oneItemDone(t.managedDeviceId, await deps.actions.deleteManagedDevice(t.managedDeviceId));
    },
    async verify() {
      const exists = await readManaged();
      return { state: { intuneRecordExists: exists }, proven: exists === null ? null : !exists };
    },
  };
}
