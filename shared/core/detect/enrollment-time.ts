import type { DevicePrepDeployment } from '../model/index.js';
import { eventStart, type Lookup } from './lookup.js';

// When did an Intune device really enroll? Not managedDevice.enrolledDateTime: Microsoft Learn "Windows Autopilot -
// known issues" › "Enrolled date for Autopilot device is incorrect" (https://learn.microsoft.com/autopilot/known-issues)
// says the Enrolled date Intune shows for an Autopilot device is the date it was REGISTERED with Autopilot, and
// advises the Windows Autopilot deployment report for recently deployed devices, or the Entra device object's date.
// So the enrollment time is the latest of: the device's newest classic deployment event (its end, else its start),
// its newest device-preparation deployment row, and its Entra device registration. Unknown (null) when none is seen.

export type EnrollmentTimeSource = 'deployment-event' | 'device-prep-report' | 'entra-registration';

export interface EnrollmentTime {
  readonly at: number | null;
  readonly source: EnrollmentTimeSource | null;
}

/**
 * `devicePrep`: the newest device-preparation row per device key (latestDeploymentsByKey, built once per run); `aad`:
 * the Intune record's Entra deviceId as `normId` gives it.
 */
export function enrollmentTime(
  L: Lookup,
  devicePrep: ReadonlyMap<string, DevicePrepDeployment>,
  aad: string | null,
  key: string,
): EnrollmentTime {
  // The latest of the three; on a tie the first named wins. (Asked for most Intune records of a sweep, so no list.)
  const latest = L.eventsByKey.get(key)?.at(-1);
  let at: number | null = latest ? (latest.deploymentEndAt ?? eventStart(latest)) : null;
  let source: EnrollmentTimeSource | null = at === null ? null : 'deployment-event';
  const prep = devicePrep.get(key)?.enrolledAt ?? null;
  if (prep !== null && (at === null || prep > at)) {
    at = prep;
    source = 'device-prep-report';
  }
  const entra = aad ? (L.entraByDeviceId.get(aad)?.createdAt ?? null) : null;
  if (entra !== null && (at === null || entra > at)) {
    at = entra;
    source = 'entra-registration';
  }
  return { at, source };
}
