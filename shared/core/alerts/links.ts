import type { Evidence, Subject } from '../model/index.js';

// Deep links into the admin centers. Groups live in Entra, not Intune; Entra's portal host is fixed for the
// public cloud (sovereign clouds would need their own, which the config does not model yet).
const ENTRA_PORTAL = 'https://entra.microsoft.com';

export function normalizePortalUrl(portalUrl: string): string {
  return portalUrl.replace(/\/+$/, '');
}

/** The Autopilot devices blade: where an admin finds a registered device by serial. */
export function autopilotDevicesLink(portalUrl: string): string {
  return `${normalizePortalUrl(portalUrl)}/#view/Microsoft_Intune_Enrollment/AutopilotDevices.ReactView`;
}

export function managedDeviceLink(portalUrl: string, managedDeviceId: string): string {
  return `${normalizePortalUrl(portalUrl)}/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/${encodeURIComponent(managedDeviceId)}`;
}

export function groupLink(groupId: string): string {
  return `${ENTRA_PORTAL}/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${encodeURIComponent(groupId)}`;
}

/**
 * The best admin-center page for a subject. A device that is Intune-managed (detectors put `managedDeviceId`
 * in the evidence when they know it) opens its own page; an Autopilot-only device has no per-device deep link
 * that survives portal changes, so it opens the Autopilot devices blade. Tenant-wide findings have no page.
 */
export function subjectLink(subject: Subject, evidence: Evidence, portalUrl: string): string | null {
  switch (subject.kind) {
    case 'device': {
      const managedId = evidence['managedDeviceId'];
      return typeof managedId === 'string' && managedId !== ''
        ? managedDeviceLink(portalUrl, managedId)
        : autopilotDevicesLink(portalUrl);
    }
    case 'group':
      return groupLink(subject.groupId);
    case 'tenant':
      return null;
  }
}
