import type { DevicePrepDeployment, ManagedDevice } from '../model/index.js';
import { eventStart, normId, type Lookup } from './lookup.js';

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

/** `devicePrep`: the newest device-preparation row per device key (latestDeploymentsByKey, built once per run). */
export function enrollmentTime(
  L: Lookup,
  devicePrep: ReadonlyMap<string, DevicePrepDeployment>,
  m: ManagedDevice,
  key: string,
): EnrollmentTime {
  const candidates: { at: number | null; source: EnrollmentTimeSource }[] = [];
  const latest = L.eventsByKey.get(key)?.at(-1);
  if (latest) candidates.push({ at: latest.deploymentEndAt ?? eventStart(latest), source: 'deployment-event' });
  candidates.push({ at: devicePrep.get(key)?.enrolledAt ?? null, source: 'device-prep-report' });
  const aad = normId(m.azureAdDeviceId);
  candidates.push({ at: aad ? (L.entraByDeviceId.get(aad)?.createdAt ?? null) : null, source: 'entra-registration' });
  let best: EnrollmentTime = { at: null, source: null };
  for (const c of candidates) if (c.at !== null && (best.at === null || c.at > best.at)) best = c;
  return best;
}
