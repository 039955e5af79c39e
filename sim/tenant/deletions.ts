/**
 * What the two destructive Intune calls leave behind, as the service documents them:
 * - Deleting a device's Intune record (DELETE /deviceManagement/managedDevices/{id}, 204 No Content: "Delete
 *   managedDevice", https://learn.microsoft.com/graph/api/intune-devices-manageddevice-delete?view=graph-rest-1.0)
 *   is the documented way to let a self-deployed or pre-provisioned device run again ("Delete device record in
 *   Intune before reusing devices in self-deployment mode or Pre-Provisioning mode", Windows Autopilot known issues,
 *   https://learn.microsoft.com/autopilot/known-issues): the Autopilot record stays, its link to the Intune record
 *   is cleared and the one-time userless block is lifted.
 * - Deleting the Autopilot record (DELETE /deviceManagement/windowsAutopilotDeviceIdentities/{id}, 204 No Content:
 *   "Delete windowsAutopilotDeviceIdentity",
 *   https://learn.microsoft.com/graph/api/intune-enrollment-windowsautopilotdeviceidentity-delete?view=graph-rest-1.0)
 *   deregisters the device ("Deregister a device", Windows Autopilot registration overview,
 *   https://learn.microsoft.com/autopilot/registration-overview): the identity is gone, so the same hardware can be
 *   imported again; the Intune record and the Entra object stay (deleting the Autopilot record no longer needs the
 *   Intune record gone: "One step removal of Windows Autopilot registration", Windows Autopilot: What's new,
 *   https://learn.microsoft.com/autopilot/windows-autopilot-whats-new).
 */
import type { Tenant } from './tenant.js';

/** What Intune reports for "no managed device" on an Autopilot record. */
export const NO_MANAGED_DEVICE = '00000000-0000-0000-0000-000000000000';

/** Remove the Intune record; false when there is none. Autopilot records that pointed at it are unlinked and unblocked. */
export function deleteManagedDevice(tenant: Tenant, id: string): boolean {
  const device = tenant.managedDevices.get(id);
  if (!device) return false;
  tenant.managedDevices.remove(device.id);
  const linked = tenant.identities.candidates('managedDeviceId', [device.id.toLowerCase()]);
  for (const index of linked) {
    const identity = tenant.identities.at(index);
    if (!identity) continue;
    tenant.identities.patch(identity.id, {
      managedDeviceId: NO_MANAGED_DEVICE,
      userlessEnrollmentStatus:
        identity.userlessEnrollmentStatus === 'blocked' ? 'allowed' : identity.userlessEnrollmentStatus,
      enrollmentState:
        identity.enrollmentState === 'blocked' || identity.enrollmentState === 'enrolled'
          ? 'notContacted'
          : identity.enrollmentState,
    });
  }
  return true;
}

/** Remove the Autopilot record; false when there is none. The hardware may then be imported again. */
export function deleteIdentity(tenant: Tenant, id: string): boolean {
  const identity = tenant.identities.get(id);
  if (!identity) return false;
  return tenant.identities.remove(identity.id);
}
